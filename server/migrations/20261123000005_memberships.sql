-- A person's place in a tree over time. The open row (ended_at IS NULL) is the current one;
-- ended rows are the history: left, or moved to another branch.
CREATE TABLE memberships (
    id           BIGSERIAL PRIMARY KEY,
    user_id      BIGINT NOT NULL REFERENCES users (id),
    org_id       BIGINT NOT NULL REFERENCES orgs (id),
    tree         TEXT NOT NULL CHECK (tree IN ('party', 'league')),
    status       TEXT NOT NULL CHECK (status IN ('applicant', 'activist', 'candidate', 'probationary',
                                                 'full', 'league_activist', 'league_member',
                                                 'young_employee')),
    started_at   TIMESTAMPTZ NOT NULL DEFAULT now(),
    start_reason TEXT NOT NULL CHECK (start_reason IN ('joined', 'moved')),
    ended_at     TIMESTAMPTZ,
    end_reason   TEXT CHECK (end_reason IN ('left', 'moved')),
    CHECK ((ended_at IS NULL) = (end_reason IS NULL))
);
-- At most one current branch per person and tree.
CREATE UNIQUE INDEX memberships_one_current ON memberships (user_id, tree) WHERE ended_at IS NULL;
CREATE INDEX memberships_org_current ON memberships (org_id) WHERE ended_at IS NULL;
