-- Transfers of organization relationship (组织关系转接): the request, its steps computed
-- from the two positions in the tree, every action, and the introduction letters.

CREATE TABLE transfers (
    id              BIGSERIAL PRIMARY KEY,
    user_id         BIGINT NOT NULL REFERENCES users (id),
    tree            TEXT NOT NULL CHECK (tree IN ('party', 'league')),
    from_org        BIGINT NOT NULL REFERENCES orgs (id),
    -- NULL: an organization outside the platform, named below.
    to_org          BIGINT REFERENCES orgs (id),
    outside_name    TEXT,
    outside_address TEXT,
    reason          TEXT NOT NULL,
    dues_paid_to    DATE NOT NULL,
    status          TEXT NOT NULL DEFAULT 'open'
                    CHECK (status IN ('open', 'returned', 'rejected', 'withdrawn', 'completed')),
    -- The step waiting for its holder (or, when returned, the one that sent it back).
    current_step    INT NOT NULL DEFAULT 0,
    step_since      TIMESTAMPTZ NOT NULL DEFAULT now(),
    started_by      BIGINT NOT NULL REFERENCES users (id),
    created_at      TIMESTAMPTZ NOT NULL DEFAULT now(),
    closed_at       TIMESTAMPTZ,
    CHECK ((to_org IS NULL) = (outside_name IS NOT NULL))
);
-- At most one open transfer per member and tree.
CREATE UNIQUE INDEX transfers_one_open ON transfers (user_id, tree)
    WHERE status IN ('open', 'returned');
CREATE INDEX transfers_user ON transfers (user_id, created_at DESC);

CREATE TABLE transfer_steps (
    transfer_id BIGINT NOT NULL REFERENCES transfers (id),
    seq         INT NOT NULL,
    kind        TEXT NOT NULL CHECK (kind IN ('sending_branch', 'sending_committee',
                    'receiving_committee', 'receiving_branch', 'receipt')),
    holder_org  BIGINT NOT NULL REFERENCES orgs (id),
    PRIMARY KEY (transfer_id, seq)
);
CREATE INDEX transfer_steps_holder ON transfer_steps (holder_org);

-- Who did what, when and why: the transfer's history.
CREATE TABLE transfer_events (
    id          BIGSERIAL PRIMARY KEY,
    transfer_id BIGINT NOT NULL REFERENCES transfers (id),
    seq         INT,
    actor_id    BIGINT NOT NULL REFERENCES users (id),
    action      TEXT NOT NULL CHECK (action IN ('start', 'approve', 'reject', 'return', 'resubmit',
                    'withdraw', 'letter', 'reissue', 'overdue')),
    reason      TEXT NOT NULL DEFAULT '',
    at          TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX transfer_events_transfer ON transfer_events (transfer_id, id);
CREATE INDEX transfer_events_actor ON transfer_events (actor_id);

-- Letter numbers per issuing organization and year: taken under the counter's row lock, in
-- the issuing transaction, so there are no gaps and no duplicates.
CREATE TABLE letter_counters (
    org_id BIGINT NOT NULL REFERENCES orgs (id),
    year   INT NOT NULL,
    last   INT NOT NULL,
    PRIMARY KEY (org_id, year)
);

CREATE TABLE transfer_letters (
    id          BIGSERIAL PRIMARY KEY,
    transfer_id BIGINT NOT NULL REFERENCES transfers (id),
    issuer_org  BIGINT NOT NULL REFERENCES orgs (id),
    year        INT NOT NULL,
    seq         INT NOT NULL,
    verify_code TEXT NOT NULL UNIQUE,
    issued_on   DATE NOT NULL,
    valid_until DATE NOT NULL CHECK (valid_until >= issued_on),
    void        BOOLEAN NOT NULL DEFAULT false,
    UNIQUE (issuer_org, year, seq)
);
-- One letter in force per transfer.
CREATE UNIQUE INDEX transfer_letters_current ON transfer_letters (transfer_id) WHERE NOT void;
