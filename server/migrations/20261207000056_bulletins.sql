-- Bulletins (月督查、季通报): a committee's figures for an ended month or quarter, made by the
-- job once the period has ended and kept as made (never recomputed). The content holds keys
-- and numbers, worded when read.
CREATE TABLE bulletins (
    id      BIGSERIAL PRIMARY KEY,
    org_id  BIGINT NOT NULL REFERENCES orgs (id),
    period  TEXT NOT NULL CHECK (period ~ '^[0-9]{4}-(Q[1-4]|0[1-9]|1[0-2])$'),
    content JSONB NOT NULL,
    made_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    UNIQUE (org_id, period)
);
