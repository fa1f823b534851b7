-- The annual member evaluation (民主评议): a secret ballot per branch and year. Who voted is
-- kept apart from what was voted: ballots are never stored, only added to per-member,
-- per-grade counters in the voter's transaction, so no row ties a grade to a voter.
CREATE TABLE evaluations (
    id           BIGSERIAL PRIMARY KEY,
    org_id       BIGINT NOT NULL REFERENCES orgs (id),
    year         INT NOT NULL,
    opens_at     TIMESTAMPTZ NOT NULL,
    closes_at    TIMESTAMPTZ NOT NULL CHECK (closes_at > opens_at),
    created_by   BIGINT NOT NULL REFERENCES users (id),
    confirmed_by BIGINT REFERENCES users (id),
    confirmed_at TIMESTAMPTZ,
    UNIQUE (org_id, year)
);

-- The roll: the branch's members when the ballot opened; each grades all of them.
CREATE TABLE evaluation_members (
    evaluation_id BIGINT NOT NULL REFERENCES evaluations (id),
    user_id       BIGINT NOT NULL REFERENCES users (id),
    PRIMARY KEY (evaluation_id, user_id)
);

-- Who has voted (one ballot each); nothing about the ballot.
CREATE TABLE evaluation_voters (
    evaluation_id BIGINT NOT NULL REFERENCES evaluations (id),
    user_id       BIGINT NOT NULL REFERENCES users (id),
    PRIMARY KEY (evaluation_id, user_id)
);

-- Votes per member graded and grade.
CREATE TABLE evaluation_tallies (
    evaluation_id BIGINT NOT NULL REFERENCES evaluations (id),
    subject_id    BIGINT NOT NULL REFERENCES users (id),
    grade         TEXT NOT NULL CHECK (grade IN ('excellent', 'qualified', 'basically_qualified', 'unqualified')),
    votes         INT NOT NULL DEFAULT 0,
    PRIMARY KEY (evaluation_id, subject_id, grade)
);

-- The confirmed result, kept in the member's record.
CREATE TABLE member_evaluations (
    user_id       BIGINT NOT NULL REFERENCES users (id),
    org_id        BIGINT NOT NULL REFERENCES orgs (id),
    year          INT NOT NULL,
    grade         TEXT NOT NULL,
    evaluation_id BIGINT NOT NULL REFERENCES evaluations (id),
    confirmed_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (user_id, org_id, year)
);
