-- Becoming a member (发展党员, 入团): a person's case in one tree and branch, its dated steps,
-- its contacts and sponsors, the League's recommendations (推优) and the branches' yearly
-- development plans (名额).

-- Optional on an account; required where a rule needs an age (applying, 推优).
ALTER TABLE users ADD COLUMN birth_date DATE CHECK (birth_date BETWEEN '1900-01-01' AND '2100-01-01');

-- A person's way into one tree, handled by one branch. `stage` follows the steps; a case
-- ends as a member ('full', 'league_member') or cancelled.
CREATE TABLE development_cases (
    id         BIGSERIAL PRIMARY KEY,
    user_id    BIGINT NOT NULL REFERENCES users (id),
    tree       TEXT NOT NULL CHECK (tree IN ('party', 'league')),
    org_id     BIGINT NOT NULL REFERENCES orgs (id),
    stage      TEXT NOT NULL CHECK (stage IN ('applicant', 'activist', 'candidate', 'probationary',
                                              'full', 'league_applicant', 'league_member', 'cancelled')),
    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    closed_at  TIMESTAMPTZ
);
-- One open case per person and tree.
CREATE UNIQUE INDEX development_cases_open ON development_cases (user_id, tree) WHERE closed_at IS NULL;
CREATE INDEX development_cases_org ON development_cases (org_id);

-- A dated step of a case, who recorded it, its vote (a meeting's), its hours (training),
-- its months (an extension) and a document. Numbered in order: a form carries the number
-- of steps it showed, so a replayed or doubled submit finds the case moved on.
CREATE TABLE development_steps (
    id          BIGSERIAL PRIMARY KEY,
    case_id     BIGINT NOT NULL REFERENCES development_cases (id),
    seq         INT NOT NULL CHECK (seq >= 1),
    kind        TEXT NOT NULL CHECK (kind IN ('applied', 'talk', 'activist', 'assessment', 'candidate',
                                              'sponsors', 'review', 'training', 'meeting', 'approved',
                                              'not_approved', 'oath', 'request', 'extended',
                                              'full_meeting', 'full_approved', 'cancelled',
                                              'league_applied', 'league_meeting', 'league_approved')),
    on_date     DATE NOT NULL,
    by_user     BIGINT NOT NULL REFERENCES users (id),
    present     INT CHECK (present >= 0),
    in_favour   INT CHECK (in_favour >= 0),
    eligible    INT CHECK (eligible >= 0),
    hours       INT CHECK (hours BETWEEN 1 AND 1000),
    months      INT CHECK (months BETWEEN 1 AND 12),
    recommended BIGINT,
    note        TEXT NOT NULL DEFAULT '' CHECK (length(note) <= 2000),
    upload_id   UUID REFERENCES uploads (id),
    created_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
    UNIQUE (case_id, seq)
);
CREATE TRIGGER development_steps_append_only BEFORE UPDATE OR DELETE ON development_steps
    FOR EACH ROW EXECUTE FUNCTION refuse_ledger_change();

-- Full members who look after an activist (培养联系人) or sponsor a candidate (入党介绍人).
CREATE TABLE development_people (
    case_id BIGINT NOT NULL REFERENCES development_cases (id),
    user_id BIGINT NOT NULL REFERENCES users (id),
    role    TEXT NOT NULL CHECK (role IN ('contact', 'sponsor')),
    step_id BIGINT NOT NULL REFERENCES development_steps (id),
    PRIMARY KEY (case_id, user_id, role)
);
CREATE INDEX development_people_user ON development_people (user_id);

-- A League branch recommends one of its members to the Party (推优入党), by a vote of
-- its League members.
CREATE TABLE league_recommendations (
    id         BIGSERIAL PRIMARY KEY,
    org_id     BIGINT NOT NULL REFERENCES orgs (id),
    user_id    BIGINT NOT NULL REFERENCES users (id),
    on_date    DATE NOT NULL,
    present    INT NOT NULL CHECK (present >= 0),
    in_favour  INT NOT NULL CHECK (in_favour >= 0),
    eligible   INT NOT NULL CHECK (eligible >= 0),
    note       TEXT NOT NULL DEFAULT '' CHECK (length(note) <= 2000),
    by_user    BIGINT NOT NULL REFERENCES users (id),
    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    UNIQUE (user_id, on_date)
);
CREATE TRIGGER league_recommendations_append_only BEFORE UPDATE OR DELETE ON league_recommendations
    FOR EACH ROW EXECUTE FUNCTION refuse_ledger_change();
ALTER TABLE development_steps ADD CONSTRAINT development_steps_recommended
    FOREIGN KEY (recommended) REFERENCES league_recommendations (id);

-- A branch's development plan for a year (名额), set by its superior: how many it may
-- propose for admission.
CREATE TABLE development_quotas (
    org_id INT8 NOT NULL REFERENCES orgs (id),
    year   INT NOT NULL CHECK (year BETWEEN 2000 AND 2100),
    quota  INT NOT NULL CHECK (quota BETWEEN 0 AND 1000),
    set_by BIGINT NOT NULL REFERENCES users (id),
    set_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (org_id, year)
);
