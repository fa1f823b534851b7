-- Notices (通知) from an organization to its subtree that members acknowledge (签阅): who
-- received each, and when they acknowledged it (in time before `ack_by` earns the point).
CREATE TABLE org_notices (
    id       BIGSERIAL PRIMARY KEY,
    org_id   BIGINT NOT NULL REFERENCES orgs (id),
    title    TEXT NOT NULL CHECK (length(title) BETWEEN 2 AND 60),
    body     TEXT NOT NULL CHECK (length(body) BETWEEN 1 AND 5000),
    ack_by   TIMESTAMPTZ NOT NULL,
    sent_by  BIGINT NOT NULL REFERENCES users (id),
    sent_at  TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX org_notices_org ON org_notices (org_id, sent_at DESC);

CREATE TABLE notice_recipients (
    notice_id BIGINT NOT NULL REFERENCES org_notices (id),
    user_id   BIGINT NOT NULL REFERENCES users (id),
    acked_at  TIMESTAMPTZ,
    PRIMARY KEY (notice_id, user_id)
);
CREATE INDEX notice_recipients_user ON notice_recipients (user_id, notice_id DESC);
