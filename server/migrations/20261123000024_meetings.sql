-- Meetings a branch schedules against its due items, and who is expected at each.
CREATE TABLE meetings (
    id          BIGSERIAL PRIMARY KEY,
    org_id      BIGINT NOT NULL REFERENCES orgs (id),
    kind        TEXT NOT NULL,
    title       TEXT NOT NULL CHECK (length(title) BETWEEN 2 AND 60),
    starts_at   TIMESTAMPTZ NOT NULL,
    ends_at     TIMESTAMPTZ NOT NULL CHECK (ends_at > starts_at),
    place       TEXT NOT NULL DEFAULT '',
    online_link TEXT NOT NULL DEFAULT '',
    agenda      TEXT NOT NULL DEFAULT '',
    created_by  BIGINT NOT NULL REFERENCES users (id),
    created_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
    CHECK (place <> '' OR online_link <> '')
);
CREATE INDEX meetings_org_time ON meetings (org_id, starts_at);
CREATE INDEX meetings_place_time ON meetings (place, starts_at) WHERE place <> '';

CREATE TABLE meeting_expected (
    meeting_id BIGINT NOT NULL REFERENCES meetings (id),
    user_id    BIGINT NOT NULL REFERENCES users (id),
    PRIMARY KEY (meeting_id, user_id)
);
CREATE INDEX meeting_expected_user ON meeting_expected (user_id);
