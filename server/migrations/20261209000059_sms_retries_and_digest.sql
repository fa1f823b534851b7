-- Text messages are tried again with a growing wait, as e-mail is, and given up after a
-- number of tries; past a few reminders a day to one number, the rest wait for one digest.
ALTER TABLE outbox
    ADD COLUMN attempts   INTEGER NOT NULL DEFAULT 0,
    ADD COLUMN failed_at  TIMESTAMPTZ,
    ADD COLUMN digest_day DATE;

-- A message that failed before tries were counted was given up then.
UPDATE outbox SET failed_at = created_at, attempts = 1 WHERE sent_at IS NULL AND error <> '';

CREATE INDEX outbox_due ON outbox (id) WHERE sent_at IS NULL AND failed_at IS NULL;
CREATE INDEX outbox_today ON outbox (recipient, created_at);
