-- A member's reminder to those who can act on their transfer's current step: one a day
-- per transfer, whichever server takes it.
CREATE TABLE transfer_reminders (
    transfer_id BIGINT NOT NULL REFERENCES transfers (id),
    day         DATE NOT NULL,
    by_user     BIGINT NOT NULL REFERENCES users (id),
    created_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (transfer_id, day)
);
