-- One table for both trees. `path` holds the ids from the root down, itself included
-- (1.5.23), so that a subtree is `path <@ '1.5'`. `parent_id` and `path` are kept in step
-- by the store in one transaction; a check ties the path's last label to the id.
CREATE TABLE orgs (
    id            BIGSERIAL PRIMARY KEY,
    tree          TEXT NOT NULL CHECK (tree IN ('party', 'league')),
    kind          TEXT NOT NULL CHECK (kind IN ('industry_committee', 'committee', 'general_branch',
                                               'branch', 'joint_branch', 'group')),
    name          TEXT NOT NULL CHECK (length(name) BETWEEN 2 AND 60),
    parent_id     BIGINT REFERENCES orgs (id),
    path          LTREE NOT NULL UNIQUE,
    enterprise_id BIGINT REFERENCES enterprises (id),
    created_at    TIMESTAMPTZ NOT NULL DEFAULT now(),
    CHECK (subpath(path, -1)::text = id::text),
    CHECK ((parent_id IS NULL) = (nlevel(path) = 1))
);
CREATE INDEX orgs_path_gist ON orgs USING gist (path);
CREATE INDEX orgs_parent ON orgs (parent_id);
CREATE INDEX orgs_name_trgm ON orgs USING gin (name gin_trgm_ops);
