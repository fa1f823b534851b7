-- The enterprise ledger (台账): the registry's facts about each enterprise. Imports match by
-- credit code: new rows are added, changed rows updated with their old values kept in the
-- history, deregistered enterprises retired (never deleted).
ALTER TABLE enterprises
    ADD COLUMN name_key        TEXT NOT NULL DEFAULT '',
    ADD COLUMN address         TEXT NOT NULL DEFAULT '',
    ADD COLUMN employees       INT NOT NULL DEFAULT 0 CHECK (employees >= 0),
    ADD COLUMN young_employees INT NOT NULL DEFAULT 0 CHECK (young_employees >= 0),
    ADD COLUMN party_members   INT NOT NULL DEFAULT 0 CHECK (party_members >= 0),
    ADD COLUMN league_members  INT NOT NULL DEFAULT 0 CHECK (league_members >= 0),
    ADD COLUMN status          TEXT NOT NULL DEFAULT 'operating' CHECK (status IN ('operating', 'deregistered')),
    ADD COLUMN updated_at      TIMESTAMPTZ NOT NULL DEFAULT now();
CREATE INDEX enterprises_name_key ON enterprises (name_key);
CREATE INDEX enterprises_area ON enterprises (district, street);

CREATE TABLE ledger_imports (
    id         BIGSERIAL PRIMARY KEY,
    file_name  TEXT NOT NULL,
    added      INT NOT NULL,
    updated    INT NOT NULL,
    retired    INT NOT NULL,
    unchanged  INT NOT NULL,
    by_user    BIGINT NOT NULL REFERENCES users (id),
    created_at TIMESTAMPTZ NOT NULL DEFAULT now()
);

CREATE TABLE enterprise_history (
    id            BIGSERIAL PRIMARY KEY,
    enterprise_id BIGINT NOT NULL REFERENCES enterprises (id),
    import_id     BIGINT NOT NULL REFERENCES ledger_imports (id),
    before        JSONB NOT NULL,
    created_at    TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX enterprise_history_enterprise ON enterprise_history (enterprise_id, id DESC);
