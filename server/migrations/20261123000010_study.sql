-- Study content: articles (Markdown, kept with the sanitised HTML made from it), video,
-- audio and micro-lessons, each published to the platform (no scope) or to one
-- organization's subtree.
CREATE TABLE study_items (
    id           BIGSERIAL PRIMARY KEY,
    kind         TEXT NOT NULL CHECK (kind IN ('article', 'video', 'audio', 'micro_lesson')),
    title        TEXT NOT NULL CHECK (length(title) BETWEEN 2 AND 80),
    body_md      TEXT NOT NULL DEFAULT '',
    body_html    TEXT NOT NULL DEFAULT '',
    body_text    TEXT NOT NULL DEFAULT '',
    length_secs  INT NOT NULL CHECK (length_secs > 0),
    tags         TEXT[] NOT NULL DEFAULT '{}',
    scope_org_id BIGINT REFERENCES orgs (id),
    required     BOOLEAN NOT NULL DEFAULT false,
    due_on       DATE,
    status       TEXT NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'published', 'unpublished')),
    author_id    BIGINT REFERENCES users (id),
    created_at   TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at   TIMESTAMPTZ NOT NULL DEFAULT now(),
    published_at TIMESTAMPTZ
);
CREATE INDEX study_items_published ON study_items (published_at DESC) WHERE status = 'published';
CREATE INDEX study_items_title_trgm ON study_items USING gin (title gin_trgm_ops);
CREATE INDEX study_items_text_trgm ON study_items USING gin (body_text gin_trgm_ops);

-- Effective study time per member and item, as the server credited it.
CREATE TABLE study_progress (
    user_id       BIGINT NOT NULL REFERENCES users (id),
    item_id       BIGINT NOT NULL REFERENCES study_items (id),
    credited_secs INT NOT NULL DEFAULT 0,
    last_at       TIMESTAMPTZ NOT NULL DEFAULT now(),
    completed_at  TIMESTAMPTZ,
    PRIMARY KEY (user_id, item_id)
);
CREATE INDEX study_progress_recent ON study_progress (user_id, last_at DESC);

-- One item at a time: the member's last accepted heartbeat.
CREATE TABLE study_clocks (
    user_id BIGINT PRIMARY KEY REFERENCES users (id),
    item_id BIGINT NOT NULL REFERENCES study_items (id),
    beat_at TIMESTAMPTZ NOT NULL
);

-- Study time per member and Asia/Shanghai day, for the year's study hours (学时).
CREATE TABLE study_time (
    user_id BIGINT NOT NULL REFERENCES users (id),
    day     DATE NOT NULL,
    secs    INT NOT NULL,
    PRIMARY KEY (user_id, day)
);
