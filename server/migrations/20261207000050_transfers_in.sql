-- A member whose organizational relationship is held outside the platform transfers in: the
-- outside organization, its letter's number, date and last valid day, the status and the
-- month dues are paid up to as the letter states them. The receiving branch accepts (the
-- member then holds that status there, and the dues record opens at that month) or returns
-- it with a reason. A letter is used once.
CREATE TABLE transfers_in (
    id           BIGSERIAL PRIMARY KEY,
    user_id      BIGINT NOT NULL REFERENCES users (id),
    tree         TEXT NOT NULL CHECK (tree IN ('party', 'league')),
    org_id       BIGINT NOT NULL REFERENCES orgs (id),
    outside_org  TEXT NOT NULL CHECK (length(outside_org) BETWEEN 2 AND 200),
    letter_no    TEXT NOT NULL CHECK (length(letter_no) BETWEEN 1 AND 40),
    letter_date  DATE NOT NULL,
    valid_until  DATE NOT NULL CHECK (valid_until >= letter_date),
    status       TEXT NOT NULL CHECK (status IN ('probationary', 'full', 'league_member')),
    dues_paid_to DATE NOT NULL CHECK (EXTRACT(DAY FROM dues_paid_to) = 1),
    state        TEXT NOT NULL DEFAULT 'waiting' CHECK (state IN ('waiting', 'accepted', 'returned')),
    reason       TEXT,
    decided_by   BIGINT REFERENCES users (id),
    decided_at   TIMESTAMPTZ,
    created_at   TIMESTAMPTZ NOT NULL DEFAULT now(),
    CHECK ((state = 'waiting') = (decided_at IS NULL))
);
CREATE UNIQUE INDEX transfers_in_waiting ON transfers_in (user_id, tree) WHERE state = 'waiting';
CREATE UNIQUE INDEX transfers_in_letter ON transfers_in (tree, outside_org, letter_no) WHERE state <> 'returned';
CREATE INDEX transfers_in_org ON transfers_in (org_id) WHERE state = 'waiting';
