-- Files uploaded to the configured folder: media, covers and sheets to import. The file
-- on disk is named by the id and the extension of the type its bytes showed.
CREATE TABLE uploads (
    id         UUID PRIMARY KEY,
    user_id    BIGINT NOT NULL REFERENCES users (id),
    purpose    TEXT NOT NULL CHECK (purpose IN ('video', 'audio', 'image', 'sheet')),
    file_name  TEXT NOT NULL,
    ext        TEXT NOT NULL,
    size       BIGINT NOT NULL CHECK (size > 0),
    created_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX uploads_user ON uploads (user_id, created_at DESC);
