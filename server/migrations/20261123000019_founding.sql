-- League founding (一键入团): the League committees that stand for an area and review the
-- applications of its enterprises, the applications with their review history, the joint
-- branch an enterprise without its own organization belongs to, secretary invitations, and
-- the outbox of messages for enterprises.

-- A League committee that stands for a city, a district or a street. Applications are
-- reviewed by the street's, then the district's, then the city's.
ALTER TABLE orgs
    ADD COLUMN area_level TEXT CHECK (area_level IN ('city', 'district', 'street')),
    ADD COLUMN district   TEXT NOT NULL DEFAULT '',
    ADD COLUMN street     TEXT NOT NULL DEFAULT '';
CREATE UNIQUE INDEX orgs_area ON orgs (area_level, district, street) WHERE area_level IS NOT NULL;

-- An enterprise with too few League members to found its own branch joins its street's
-- joint branch: it has an organization, though not one of its own.
ALTER TABLE enterprises ADD COLUMN joint_org_id BIGINT REFERENCES orgs (id);

-- Applications from enterprises, tracked by the holder of a secret link (only its hash is
-- kept). `level` is the area level whose committee holds the application now.
CREATE TABLE founding_applications (
    id              BIGSERIAL PRIMARY KEY,
    token_hash      TEXT NOT NULL UNIQUE,
    enterprise_name TEXT NOT NULL,
    credit_code     TEXT NOT NULL,
    enterprise_id   BIGINT REFERENCES enterprises (id),
    matched_by      TEXT CHECK (matched_by IN ('code', 'name')),
    district        TEXT NOT NULL,
    street          TEXT NOT NULL,
    contact_name    TEXT NOT NULL,
    contact_phone   TEXT NOT NULL,
    young_employees INT NOT NULL CHECK (young_employees >= 0),
    league_members  INT NOT NULL CHECK (league_members >= 0),
    secretary_name  TEXT NOT NULL,
    secretary_phone TEXT NOT NULL,
    note            TEXT NOT NULL DEFAULT '',
    state           TEXT NOT NULL DEFAULT 'reviewing'
                    CHECK (state IN ('reviewing', 'needs_info', 'approved', 'rejected')),
    level           TEXT NOT NULL CHECK (level IN ('street', 'district', 'city')),
    org_id          BIGINT REFERENCES orgs (id),
    address         TEXT NOT NULL DEFAULT '',
    created_at      TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at      TIMESTAMPTZ NOT NULL DEFAULT now()
);
-- One open application per enterprise.
CREATE UNIQUE INDEX founding_applications_open ON founding_applications (credit_code)
    WHERE state IN ('reviewing', 'needs_info');
CREATE INDEX founding_applications_queue ON founding_applications (state, level, district, street);

-- Every step of an application: submitted, approved, rejected, asked (for more information),
-- answered, founded; who acted (none for the applicant) and why.
CREATE TABLE founding_events (
    id             BIGSERIAL PRIMARY KEY,
    application_id BIGINT NOT NULL REFERENCES founding_applications (id),
    level          TEXT,
    action         TEXT NOT NULL CHECK (action IN ('submitted', 'approved', 'rejected', 'asked',
                                                   'answered', 'founded', 'invited')),
    by_user        BIGINT REFERENCES users (id),
    message        TEXT NOT NULL DEFAULT '',
    created_at     TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX founding_events_application ON founding_events (application_id, id);

-- An invitation may make its user the secretary of the organization it places them in.
ALTER TABLE invitations ADD COLUMN grants_role TEXT CHECK (grants_role IN ('secretary'));

-- Invitations sent to enterprises of the ledger to apply, by link.
CREATE TABLE enterprise_invitations (
    id            BIGSERIAL PRIMARY KEY,
    code          TEXT NOT NULL UNIQUE,
    enterprise_id BIGINT NOT NULL REFERENCES enterprises (id),
    phone         TEXT NOT NULL DEFAULT '',
    by_user       BIGINT NOT NULL REFERENCES users (id),
    created_at    TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX enterprise_invitations_enterprise ON enterprise_invitations (enterprise_id);

-- Text messages for people outside the portal. With an SMS gateway configured they are sent
-- and marked; without one they wait here for admins to see, and links can be copied.
CREATE TABLE outbox (
    id         BIGSERIAL PRIMARY KEY,
    channel    TEXT NOT NULL CHECK (channel IN ('sms')),
    recipient  TEXT NOT NULL,
    body       TEXT NOT NULL,
    sent_at    TIMESTAMPTZ,
    error      TEXT NOT NULL DEFAULT '',
    created_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX outbox_created ON outbox (created_at DESC);
