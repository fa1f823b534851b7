-- Probable duplicates in the ledger (one normalised name, several credit codes): an admin
-- merges them into one enterprise, or records that they are different enterprises. A merged
-- row stays, pointing at the one it was merged into, and later imports leave it merged.
ALTER TABLE enterprises DROP CONSTRAINT enterprises_status_check;
ALTER TABLE enterprises ADD CONSTRAINT enterprises_status_check
    CHECK (status IN ('operating', 'deregistered', 'merged'));
ALTER TABLE enterprises ADD COLUMN merged_into BIGINT REFERENCES enterprises (id);

CREATE TABLE ledger_merges (
    id         BIGSERIAL PRIMARY KEY,
    kept_id    BIGINT NOT NULL REFERENCES enterprises (id),
    merged_id  BIGINT NOT NULL REFERENCES enterprises (id),
    by_user    BIGINT NOT NULL REFERENCES users (id),
    created_at TIMESTAMPTZ NOT NULL DEFAULT now()
);

-- A group of same-named enterprises an admin said are different; listed again only when
-- the group changes (another code appears).
CREATE TABLE ledger_kept_apart (
    name_key   TEXT PRIMARY KEY,
    codes      TEXT[] NOT NULL,
    by_user    BIGINT NOT NULL REFERENCES users (id),
    created_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
