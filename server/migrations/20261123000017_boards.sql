-- Member boards at scale: every scope a member counts in (each organization above their
-- current branches, and the platform as scope 0), how many members each scope has, and the
-- running totals of the current periods copied per scope, so that the top of a board is an
-- index range and "my rank" a histogram, whatever the size of the scope.

CREATE TABLE member_scopes (
    scope_id BIGINT NOT NULL,
    user_id  BIGINT NOT NULL REFERENCES users (id),
    PRIMARY KEY (scope_id, user_id)
);
CREATE INDEX member_scopes_user ON member_scopes (user_id);

CREATE TABLE scope_member_counts (
    scope_id BIGINT PRIMARY KEY,
    members  INT NOT NULL
);

-- Only the periods a board shows (today, this week, month, year, all time); older day, week,
-- month and year keys are pruned by the server.
CREATE TABLE board_totals (
    period   TEXT NOT NULL,
    scope_id BIGINT NOT NULL,
    user_id  BIGINT NOT NULL REFERENCES users (id),
    points   INT NOT NULL,
    PRIMARY KEY (period, scope_id, user_id)
);
CREATE INDEX board_totals_order ON board_totals (period, scope_id, points DESC, user_id);
CREATE INDEX board_totals_user ON board_totals (user_id);

-- The keys of the current periods, as the application writes them (Asia/Shanghai).
CREATE FUNCTION board_periods() RETURNS TEXT[] LANGUAGE sql STABLE AS $$
    SELECT ARRAY[
        'd:' || to_char(d, 'YYYY-MM-DD'),
        'w:' || to_char(d, 'IYYY-"W"IW'),
        'm:' || to_char(d, 'YYYY-MM'),
        'y:' || to_char(d, 'YYYY'),
        'all']
    FROM (SELECT (now() AT TIME ZONE 'Asia/Shanghai')::date AS d) x
$$;

-- Brings one member's scopes, the scopes' member counts and the member's board rows in line
-- with their current memberships. Counts change in scope order, so that two members moving
-- at once never wait on each other in opposite orders.
CREATE FUNCTION refresh_member_scopes(uid BIGINT) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
    want BIGINT[];
    gone BIGINT[];
    added BIGINT[];
BEGIN
    SELECT COALESCE(array_agg(DISTINCT s), '{}') INTO want FROM (
        SELECT unnest(string_to_array(o.path::text, '.'))::bigint AS s
        FROM memberships m JOIN orgs o ON o.id = m.org_id
        WHERE m.user_id = uid AND m.ended_at IS NULL
        UNION ALL
        SELECT 0 WHERE EXISTS (SELECT 1 FROM memberships WHERE user_id = uid AND ended_at IS NULL)
    ) x;
    SELECT COALESCE(array_agg(scope_id), '{}') INTO gone
    FROM member_scopes WHERE user_id = uid AND scope_id <> ALL (want);
    SELECT COALESCE(array_agg(s), '{}') INTO added
    FROM unnest(want) s WHERE NOT EXISTS (SELECT 1 FROM member_scopes WHERE user_id = uid AND scope_id = s);

    IF cardinality(gone) > 0 THEN
        DELETE FROM member_scopes WHERE user_id = uid AND scope_id = ANY (gone);
        DELETE FROM board_totals WHERE user_id = uid AND scope_id = ANY (gone);
    END IF;
    IF cardinality(added) > 0 THEN
        INSERT INTO member_scopes (scope_id, user_id) SELECT s, uid FROM unnest(added) s;
        INSERT INTO board_totals (period, scope_id, user_id, points)
        SELECT t.period, s, uid, t.points
        FROM point_totals t CROSS JOIN unnest(added) s
        WHERE t.user_id = uid AND t.period = ANY (board_periods());
    END IF;
    IF cardinality(gone) + cardinality(added) > 0 THEN
        INSERT INTO scope_member_counts (scope_id, members)
        SELECT s, sum(d)::int FROM (
            SELECT unnest(added) AS s, 1 AS d
            UNION ALL SELECT unnest(gone), -1) x
        GROUP BY s ORDER BY s
        ON CONFLICT (scope_id) DO UPDATE SET members = scope_member_counts.members + EXCLUDED.members;
    END IF;
END
$$;

CREATE FUNCTION memberships_refresh_scopes() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        PERFORM refresh_member_scopes(OLD.user_id);
    ELSE
        PERFORM refresh_member_scopes(NEW.user_id);
        IF TG_OP = 'UPDATE' AND OLD.user_id <> NEW.user_id THEN
            PERFORM refresh_member_scopes(OLD.user_id);
        END IF;
    END IF;
    RETURN NULL;
END
$$;

CREATE TRIGGER memberships_scopes AFTER INSERT OR DELETE OR UPDATE OF user_id, org_id, ended_at
ON memberships FOR EACH ROW EXECUTE FUNCTION memberships_refresh_scopes();

-- A subtree moved under another organization: its members now count in other scopes.
CREATE FUNCTION orgs_refresh_scopes() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM refresh_member_scopes(u)
    FROM (SELECT DISTINCT m.user_id AS u FROM memberships m
          WHERE m.org_id = NEW.id AND m.ended_at IS NULL) x;
    RETURN NULL;
END
$$;

CREATE TRIGGER orgs_scopes AFTER UPDATE OF path ON orgs
FOR EACH ROW WHEN (OLD.path IS DISTINCT FROM NEW.path) EXECUTE FUNCTION orgs_refresh_scopes();

-- What is there already.
SELECT refresh_member_scopes(u) FROM (SELECT DISTINCT user_id AS u FROM memberships WHERE ended_at IS NULL) x;
