-- A meeting's record (minutes): text, resolutions and the review state, with a version
-- that every save must name (a stale save is refused, never silently overwritten), and
-- every change kept.
CREATE TABLE meeting_records (
    meeting_id  BIGINT PRIMARY KEY REFERENCES meetings (id),
    version     INT NOT NULL DEFAULT 1,
    minutes     TEXT NOT NULL DEFAULT '',
    resolutions TEXT NOT NULL DEFAULT '',
    state       TEXT NOT NULL DEFAULT 'draft'
        CHECK (state IN ('draft', 'submitted', 'accepted', 'returned')),
    updated_by  BIGINT NOT NULL REFERENCES users (id),
    updated_at  TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX meeting_records_state ON meeting_records (state);

CREATE TABLE meeting_record_history (
    id          BIGSERIAL PRIMARY KEY,
    meeting_id  BIGINT NOT NULL REFERENCES meetings (id),
    version     INT NOT NULL,
    action      TEXT NOT NULL CHECK (action IN ('save', 'submit', 'accept', 'return')),
    minutes     TEXT NOT NULL,
    resolutions TEXT NOT NULL,
    reason      TEXT NOT NULL DEFAULT '',
    by_user     BIGINT NOT NULL REFERENCES users (id),
    at          TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX meeting_record_history_meeting ON meeting_record_history (meeting_id, id);

-- A member's secret calendar feed address; regenerating replaces the secret.
CREATE TABLE calendar_feeds (
    user_id    BIGINT PRIMARY KEY REFERENCES users (id),
    secret     TEXT NOT NULL UNIQUE,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
