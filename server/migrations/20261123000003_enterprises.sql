CREATE TABLE enterprises (
    id          BIGSERIAL PRIMARY KEY,
    name        TEXT NOT NULL,
    credit_code TEXT NOT NULL UNIQUE CHECK (credit_code ~ '^[0-9A-HJ-NP-RTUW-Y]{18}$'),
    district    TEXT NOT NULL DEFAULT '',
    street      TEXT NOT NULL DEFAULT '',
    created_at  TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX enterprises_name_trgm ON enterprises USING gin (name gin_trgm_ops);
