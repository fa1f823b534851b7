-- Reminders before what is due, each marked when it goes so that it goes once whichever
-- server's job gets there first: a meeting's 24-hour and 1-hour reminders for its start
-- (a meeting moved gets new ones), and a required item's for its due date.
CREATE TABLE meeting_reminders (
    meeting_id BIGINT NOT NULL REFERENCES meetings (id),
    lead       TEXT NOT NULL CHECK (lead IN ('24h', '1h')),
    starts_at  TIMESTAMPTZ NOT NULL,
    sent_at    TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (meeting_id, lead, starts_at)
);
CREATE INDEX meetings_starts ON meetings (starts_at);

CREATE TABLE study_reminders (
    item_id BIGINT NOT NULL REFERENCES study_items (id),
    due_on  DATE NOT NULL,
    sent_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (item_id, due_on)
);
CREATE INDEX study_items_due ON study_items (due_on) WHERE required AND status = 'published';
