-- Attachments of a meeting's record (the notice, the sign-in sheet, photos): uploads of the
-- new 'attachment' purpose (PDF or image).
ALTER TABLE uploads DROP CONSTRAINT uploads_purpose_check;
ALTER TABLE uploads ADD CONSTRAINT uploads_purpose_check
    CHECK (purpose IN ('video', 'audio', 'image', 'sheet', 'attachment'));

CREATE TABLE meeting_attachments (
    meeting_id BIGINT NOT NULL REFERENCES meetings (id),
    upload_id  UUID NOT NULL REFERENCES uploads (id),
    kind       TEXT NOT NULL CHECK (kind IN ('notice', 'sign_in', 'photo', 'other')),
    added_by   BIGINT NOT NULL REFERENCES users (id),
    added_at   TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (meeting_id, upload_id)
);
