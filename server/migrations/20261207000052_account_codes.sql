-- One-time codes for getting into an account without its password: a code sent by text
-- message to reset the password or to sign in, and a reset code a branch secretary issues
-- in person. Only a hash of each code is kept; an account has at most one live code per
-- purpose (a new one replaces it), each takes a few wrong guesses and is used once.
CREATE TABLE account_codes (
    id         BIGSERIAL PRIMARY KEY,
    user_id    BIGINT NOT NULL REFERENCES users (id),
    purpose    TEXT NOT NULL CHECK (purpose IN ('reset', 'sign_in', 'issued')),
    code_hash  TEXT NOT NULL,
    issued_by  BIGINT REFERENCES users (id),
    attempts   INT NOT NULL DEFAULT 0 CHECK (attempts >= 0),
    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    expires_at TIMESTAMPTZ NOT NULL,
    used_at    TIMESTAMPTZ,
    CHECK ((purpose = 'issued') = (issued_by IS NOT NULL))
);
CREATE UNIQUE INDEX account_codes_live ON account_codes (user_id, purpose) WHERE used_at IS NULL;

-- A text message's secret part (a one-time code): put into the text when it is sent, never
-- shown on the outbox page, and forgotten once the message has gone.
ALTER TABLE outbox ADD COLUMN secret TEXT;
