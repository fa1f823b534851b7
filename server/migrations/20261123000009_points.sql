-- Point rules are data with versions: a change adds a version and closes the previous
-- one; no two versions of a rule overlap in time.
CREATE EXTENSION IF NOT EXISTS btree_gist;

CREATE TABLE point_rules (
    id             BIGSERIAL PRIMARY KEY,
    code           TEXT NOT NULL,
    version        INT NOT NULL CHECK (version > 0),
    points         INT NOT NULL CHECK (points <> 0),
    cap_period     TEXT NOT NULL CHECK (cap_period IN ('day', 'week', 'item', 'none')),
    cap            INT CHECK (cap > 0),
    effective_from TIMESTAMPTZ NOT NULL,
    effective_to   TIMESTAMPTZ CHECK (effective_to > effective_from),
    created_by     BIGINT REFERENCES users (id),
    created_at     TIMESTAMPTZ NOT NULL DEFAULT now(),
    UNIQUE (code, version),
    EXCLUDE USING gist (code WITH =, tstzrange(effective_from, effective_to) WITH &&)
);

-- The default rule set (domain brief), in force from the start.
INSERT INTO point_rules (code, version, points, cap_period, cap, effective_from) VALUES
    ('daily_sign_in',   1,  1, 'day',  1,  '2020-01-01T00:00:00+08'),
    ('article_read',    1,  1, 'day',  6,  '2020-01-01T00:00:00+08'),
    ('reading_time',    1,  1, 'day',  6,  '2020-01-01T00:00:00+08'),
    ('video_watch',     1,  1, 'day',  6,  '2020-01-01T00:00:00+08'),
    ('video_time',      1,  1, 'day',  6,  '2020-01-01T00:00:00+08'),
    ('daily_quiz',      1,  1, 'day',  5,  '2020-01-01T00:00:00+08'),
    ('weekly_quiz',     1,  1, 'week', 5,  '2020-01-01T00:00:00+08'),
    ('special_quiz',    1,  1, 'item', 10, '2020-01-01T00:00:00+08'),
    ('meeting_attend',  1,  5, 'item', 5,  '2020-01-01T00:00:00+08'),
    ('notice_ack',      1,  1, 'item', 1,  '2020-01-01T00:00:00+08'),
    ('no_sign_in_week', 1, -1, 'week', NULL, '2020-01-01T00:00:00+08');

-- The ledger: append-only. Each row names its rule version, its source, and the member's
-- branches on the day (so that a later transfer leaves past periods where they were).
CREATE TABLE point_ledger (
    id               BIGSERIAL PRIMARY KEY,
    user_id          BIGINT NOT NULL REFERENCES users (id),
    rule_id          BIGINT NOT NULL REFERENCES point_rules (id),
    points           INT NOT NULL CHECK (points <> 0),
    source_kind      TEXT NOT NULL,
    source_id        TEXT NOT NULL,
    idempotency_key  TEXT NOT NULL UNIQUE,
    party_branch_id  BIGINT REFERENCES orgs (id),
    league_branch_id BIGINT REFERENCES orgs (id),
    day              DATE NOT NULL,
    created_at       TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX point_ledger_user_time ON point_ledger (user_id, created_at DESC, id DESC);
CREATE INDEX point_ledger_rule_day ON point_ledger (rule_id, day);

CREATE FUNCTION refuse_ledger_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'the points ledger is append-only';
END
$$;
CREATE TRIGGER point_ledger_append_only BEFORE UPDATE OR DELETE ON point_ledger
    FOR EACH ROW EXECUTE FUNCTION refuse_ledger_change();

-- What a member has earned under a rule in a cap period; its row lock serialises awards
-- that share a cap.
CREATE TABLE point_caps (
    user_id    BIGINT NOT NULL REFERENCES users (id),
    rule_code  TEXT NOT NULL,
    period_key TEXT NOT NULL,
    earned     INT NOT NULL,
    PRIMARY KEY (user_id, rule_code, period_key)
);

-- Running totals, kept in the award's transaction: per member and per branch, for the day
-- (d:2026-11-23), ISO week (w:2026-W48), month (m:2026-11), year (y:2026) and all time.
CREATE TABLE point_totals (
    user_id BIGINT NOT NULL REFERENCES users (id),
    period  TEXT NOT NULL,
    points  INT NOT NULL,
    PRIMARY KEY (user_id, period)
);
CREATE TABLE branch_point_totals (
    org_id BIGINT NOT NULL REFERENCES orgs (id),
    period TEXT NOT NULL,
    points INT NOT NULL,
    PRIMARY KEY (org_id, period)
);

-- Scheduled jobs record what they have done, so that a run is done once.
CREATE TABLE job_runs (
    job      TEXT NOT NULL,
    run_key  TEXT NOT NULL,
    done_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
    affected INT NOT NULL,
    PRIMARY KEY (job, run_key)
);
