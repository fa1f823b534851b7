-- Text messages are kept as a key with its arguments and the recipient's language, and put
-- into words when sent; `body` stays for the messages queued before.
ALTER TABLE outbox ADD COLUMN message JSONB, ADD COLUMN locale TEXT NOT NULL DEFAULT 'zh-CN';
ALTER TABLE outbox ALTER COLUMN body SET DEFAULT '';
-- The language an application was filled in: its proposed secretary's text is sent in it.
ALTER TABLE founding_applications ADD COLUMN locale TEXT NOT NULL DEFAULT 'zh-CN';
