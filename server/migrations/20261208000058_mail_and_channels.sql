-- E-mail as a channel beside text messages, and the choice per kind of reminder. A member
-- may give an e-mail address; `notice_channels` holds each (kind of reminder, channel) the
-- member chose beyond the portal's own list (replacing the one "reminders by text message
-- too" switch, whose choices are carried over). E-mail waits in `mail_outbox`: each is
-- claimed under a row lock (several servers send it once), retried with a growing wait,
-- and kept with its error when it fails for good, for the platform's admins to see; past a
-- few in a day, a reader's e-mails wait for one digest in the evening.
ALTER TABLE users ADD COLUMN email TEXT CHECK (email IS NULL OR length(email) BETWEEN 6 AND 254);

CREATE TABLE notice_channels (
    user_id BIGINT NOT NULL REFERENCES users (id),
    kind    TEXT NOT NULL CHECK (kind IN ('meeting', 'study', 'dues', 'transfer')),
    channel TEXT NOT NULL CHECK (channel IN ('sms', 'email')),
    PRIMARY KEY (user_id, kind, channel)
);
INSERT INTO notice_channels (user_id, kind, channel)
SELECT p.user_id, k.kind, 'sms'
FROM notice_prefs p CROSS JOIN (VALUES ('meeting'), ('study')) AS k (kind)
WHERE p.sms_reminders;
ALTER TABLE notice_prefs DROP COLUMN sms_reminders;

CREATE TABLE mail_outbox (
    id         BIGSERIAL PRIMARY KEY,
    recipient  TEXT NOT NULL CHECK (length(recipient) BETWEEN 6 AND 254),
    message    JSONB NOT NULL,
    link       TEXT NOT NULL DEFAULT '',
    locale     TEXT NOT NULL DEFAULT 'zh-CN',
    attempts   INT NOT NULL DEFAULT 0,
    next_at    TIMESTAMPTZ NOT NULL DEFAULT now(),
    sent_at    TIMESTAMPTZ,
    failed_at  TIMESTAMPTZ,
    error      TEXT NOT NULL DEFAULT '',
    -- Held for the reader's digest of that day (a reader's fourth and later e-mails of a
    -- day go together in one, in the evening).
    digest_day DATE,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX mail_outbox_today ON mail_outbox (recipient, created_at);
CREATE INDEX mail_outbox_due ON mail_outbox (next_at) WHERE sent_at IS NULL AND failed_at IS NULL;
CREATE INDEX mail_outbox_latest ON mail_outbox (id DESC);
