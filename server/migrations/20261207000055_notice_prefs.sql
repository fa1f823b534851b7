-- How a member wants to be reached beyond the portal's own messages: reminders (meetings,
-- required study) also by text message, and quiet hours (Asia/Shanghai) in which a text
-- message waits until the hours end. A text message may wait: `not_before`.
CREATE TABLE notice_prefs (
    user_id       BIGINT PRIMARY KEY REFERENCES users (id),
    sms_reminders BOOLEAN NOT NULL DEFAULT false,
    quiet_from    SMALLINT CHECK (quiet_from BETWEEN 0 AND 23),
    quiet_to      SMALLINT CHECK (quiet_to BETWEEN 0 AND 23),
    updated_at    TIMESTAMPTZ NOT NULL DEFAULT now(),
    CHECK ((quiet_from IS NULL) = (quiet_to IS NULL)),
    CHECK (quiet_from IS NULL OR quiet_from <> quiet_to)
);

ALTER TABLE outbox ADD COLUMN not_before TIMESTAMPTZ;
