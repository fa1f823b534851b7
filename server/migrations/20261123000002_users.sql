CREATE TABLE users (
    id            BIGSERIAL PRIMARY KEY,
    username      TEXT UNIQUE CHECK (username = lower(username)),
    phone         TEXT UNIQUE CHECK (phone ~ '^1[3-9][0-9]{9}$'),
    display_name  TEXT NOT NULL CHECK (length(display_name) BETWEEN 1 AND 32),
    password_hash TEXT NOT NULL,
    locale        TEXT NOT NULL DEFAULT 'zh-CN' CHECK (locale IN ('zh-CN', 'en')),
    created_at    TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at    TIMESTAMPTZ NOT NULL DEFAULT now(),
    CHECK (username IS NOT NULL OR phone IS NOT NULL)
);
