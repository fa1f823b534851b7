CREATE TABLE invitations (
    id         BIGSERIAL PRIMARY KEY,
    code       TEXT NOT NULL UNIQUE,
    org_id     BIGINT NOT NULL REFERENCES orgs (id),
    status     TEXT NOT NULL,
    expires_at TIMESTAMPTZ NOT NULL,
    max_uses   INT NOT NULL CHECK (max_uses > 0),
    used       INT NOT NULL DEFAULT 0 CHECK (used >= 0 AND used <= max_uses),
    created_by BIGINT REFERENCES users (id),
    created_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX invitations_org ON invitations (org_id);
