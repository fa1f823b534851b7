-- Columns (专栏) group study items; a required column makes its items required for its
-- scope. Items get their media file (video, audio, a micro-lesson's video), a cover image
-- and a column.
CREATE TABLE study_columns (
    id           BIGSERIAL PRIMARY KEY,
    title        TEXT NOT NULL CHECK (length(title) BETWEEN 2 AND 80),
    description  TEXT NOT NULL DEFAULT '' CHECK (length(description) <= 500),
    cover_upload UUID REFERENCES uploads (id),
    scope_org_id BIGINT REFERENCES orgs (id),
    required     BOOLEAN NOT NULL DEFAULT false,
    due_on       DATE,
    created_by   BIGINT REFERENCES users (id),
    created_at   TIMESTAMPTZ NOT NULL DEFAULT now()
);

ALTER TABLE study_items
    ADD COLUMN media_upload UUID REFERENCES uploads (id),
    ADD COLUMN cover_upload UUID REFERENCES uploads (id),
    ADD COLUMN column_id BIGINT REFERENCES study_columns (id),
    ADD CONSTRAINT study_items_media_needs_file
        CHECK (kind NOT IN ('video', 'audio') OR media_upload IS NOT NULL);
CREATE INDEX study_items_column ON study_items (column_id) WHERE column_id IS NOT NULL;

-- Secretaries' reminders and other messages to a member (站内消息). `dedupe_key` keeps one
-- reminder per item, member and day however often the button is pressed.
CREATE TABLE notifications (
    id         BIGSERIAL PRIMARY KEY,
    user_id    BIGINT NOT NULL REFERENCES users (id),
    kind       TEXT NOT NULL,
    title      TEXT NOT NULL,
    body       TEXT NOT NULL DEFAULT '',
    link       TEXT,
    dedupe_key TEXT,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    read_at    TIMESTAMPTZ,
    UNIQUE (user_id, dedupe_key)
);
CREATE INDEX notifications_user ON notifications (user_id, created_at DESC);
