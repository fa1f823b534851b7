-- Instructors (指导员/联络员): a person a committee names to follow a branch or a founding
-- application (and, through it, the organization founded from it). Ended, never deleted.
CREATE TABLE instructor_assignments (
    id             BIGSERIAL PRIMARY KEY,
    instructor_id  BIGINT NOT NULL REFERENCES users (id),
    org_id         BIGINT REFERENCES orgs (id),
    application_id BIGINT REFERENCES founding_applications (id),
    assigned_by    BIGINT NOT NULL REFERENCES users (id),
    assigned_at    TIMESTAMPTZ NOT NULL DEFAULT now(),
    ended_by       BIGINT REFERENCES users (id),
    ended_at       TIMESTAMPTZ,
    CHECK ((org_id IS NULL) <> (application_id IS NULL)),
    CHECK ((ended_at IS NULL) = (ended_by IS NULL))
);
CREATE UNIQUE INDEX instructor_assignments_org_live
    ON instructor_assignments (instructor_id, org_id) WHERE ended_at IS NULL AND org_id IS NOT NULL;
CREATE UNIQUE INDEX instructor_assignments_application_live
    ON instructor_assignments (instructor_id, application_id) WHERE ended_at IS NULL AND application_id IS NOT NULL;
CREATE INDEX instructor_assignments_of ON instructor_assignments (instructor_id) WHERE ended_at IS NULL;
