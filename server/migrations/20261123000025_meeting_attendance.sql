-- Who chairs and records a meeting, the secret its rotating check-in code is derived from
-- (strong random bytes; never sent to a member), leave asked for and answered, and who was
-- present, by code or marked by hand with a reason.
ALTER TABLE meetings
    ADD COLUMN chair       TEXT NOT NULL DEFAULT '',
    ADD COLUMN recorder    TEXT NOT NULL DEFAULT '',
    ADD COLUMN code_secret BYTEA NOT NULL
        DEFAULT decode(replace(gen_random_uuid()::text, '-', '') || replace(gen_random_uuid()::text, '-', ''), 'hex');

CREATE TABLE meeting_leaves (
    meeting_id  BIGINT NOT NULL REFERENCES meetings (id),
    user_id     BIGINT NOT NULL REFERENCES users (id),
    reason      TEXT NOT NULL CHECK (length(reason) BETWEEN 2 AND 200),
    state       TEXT NOT NULL DEFAULT 'asked' CHECK (state IN ('asked', 'approved', 'declined')),
    asked_at    TIMESTAMPTZ NOT NULL DEFAULT now(),
    answered_by BIGINT REFERENCES users (id),
    answered_at TIMESTAMPTZ,
    PRIMARY KEY (meeting_id, user_id)
);

CREATE TABLE meeting_attendance (
    meeting_id BIGINT NOT NULL REFERENCES meetings (id),
    user_id    BIGINT NOT NULL REFERENCES users (id),
    -- 'code': checked in with the rotating code; 'manual': marked by the organizer.
    how        TEXT NOT NULL CHECK (how IN ('code', 'manual')),
    reason     TEXT NOT NULL DEFAULT '',
    marked_by  BIGINT REFERENCES users (id),
    at         TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (meeting_id, user_id),
    CHECK (how = 'code' OR length(reason) >= 2)
);
