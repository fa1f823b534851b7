-- Roles scoped to an organization and its subtree; a platform admin's grant has no org.
CREATE TABLE role_grants (
    id         BIGSERIAL PRIMARY KEY,
    user_id    BIGINT NOT NULL REFERENCES users (id),
    role       TEXT NOT NULL CHECK (role IN ('secretary', 'committee_member', 'org_admin',
                                             'platform_admin')),
    org_id     BIGINT REFERENCES orgs (id),
    granted_by BIGINT REFERENCES users (id),
    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    CHECK ((role = 'platform_admin') = (org_id IS NULL))
);
CREATE UNIQUE INDEX role_grants_unique ON role_grants (user_id, role, COALESCE(org_id, 0));
CREATE INDEX role_grants_org ON role_grants (org_id);
