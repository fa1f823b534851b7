-- Group robots: an organization's WeChat Work (企业微信) or DingTalk (钉钉) group, reached
-- by the webhook address the group's robot gives (and, for DingTalk, the secret it signs
-- with). Messages for the group wait in `robot_deliveries`: each is claimed under a row
-- lock (several servers send each once), retried with a growing wait, and kept with its
-- error when it fails for good, for the organization's admins to see.
CREATE TABLE org_robots (
    org_id     BIGINT NOT NULL REFERENCES orgs (id),
    kind       TEXT NOT NULL CHECK (kind IN ('wecom', 'dingtalk')),
    url        TEXT NOT NULL CHECK (length(url) BETWEEN 12 AND 500),
    secret     TEXT CHECK (secret IS NULL OR length(secret) BETWEEN 8 AND 200),
    added_by   BIGINT NOT NULL REFERENCES users (id),
    added_at   TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (org_id, kind)
);

CREATE TABLE robot_deliveries (
    id         BIGSERIAL PRIMARY KEY,
    org_id     BIGINT NOT NULL REFERENCES orgs (id),
    kind       TEXT NOT NULL CHECK (kind IN ('wecom', 'dingtalk')),
    message    JSONB NOT NULL,
    link       TEXT NOT NULL DEFAULT '',
    locale     TEXT NOT NULL DEFAULT 'zh-CN',
    dedupe_key TEXT NOT NULL UNIQUE,
    attempts   INT NOT NULL DEFAULT 0,
    next_at    TIMESTAMPTZ NOT NULL DEFAULT now(),
    sent_at    TIMESTAMPTZ,
    failed_at  TIMESTAMPTZ,
    error      TEXT NOT NULL DEFAULT '',
    created_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX robot_deliveries_due ON robot_deliveries (next_at) WHERE sent_at IS NULL AND failed_at IS NULL;
CREATE INDEX robot_deliveries_org ON robot_deliveries (org_id, id DESC);
