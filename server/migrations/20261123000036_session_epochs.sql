-- A number kept in each of an account's sessions at sign-in; a password change (or a
-- reset) raises it, which ends every session that holds the old number.
ALTER TABLE users ADD COLUMN session_epoch INT NOT NULL DEFAULT 0;
