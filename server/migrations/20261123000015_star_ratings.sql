-- Star ratings (对标定级) of branches: only branches founded six months before are rated.
ALTER TABLE orgs ADD COLUMN founded_on DATE;
UPDATE orgs SET founded_on = created_at::date;
ALTER TABLE orgs ALTER COLUMN founded_on SET NOT NULL, ALTER COLUMN founded_on SET DEFAULT current_date;

-- The weights of the score's components are data. Components the platform cannot measure
-- yet (meetings, records, transfers) are left out of the score and shown as "—".
CREATE TABLE rating_weights (
    component TEXT PRIMARY KEY CHECK (component IN ('participation', 'per_member', 'meetings',
                                                    'records', 'transfers')),
    weight    INT NOT NULL CHECK (weight BETWEEN 0 AND 100)
);
INSERT INTO rating_weights (component, weight) VALUES
    ('participation', 30), ('per_member', 20), ('meetings', 25), ('records', 15), ('transfers', 10);

-- One rating per branch and period (a quarter, 2026-Q4, or a year, 2026), computed from
-- the platform's data, confirmed or adjusted by the superior with a reason, then published.
CREATE TABLE star_ratings (
    id              BIGSERIAL PRIMARY KEY,
    superior_id     BIGINT NOT NULL REFERENCES orgs (id),
    org_id          BIGINT NOT NULL REFERENCES orgs (id),
    period          TEXT NOT NULL CHECK (period ~ '^[0-9]{4}(-Q[1-4])?$'),
    participation   INT,
    per_member      INT,
    score           INT NOT NULL CHECK (score BETWEEN 0 AND 100),
    computed_stars  INT NOT NULL CHECK (computed_stars IN (0, 2, 3, 4, 5)),
    stars           INT NOT NULL CHECK (stars IN (0, 2, 3, 4, 5)),
    status          TEXT NOT NULL DEFAULT 'computed' CHECK (status IN ('computed', 'confirmed', 'published')),
    reason          TEXT NOT NULL DEFAULT '',
    computed_at     TIMESTAMPTZ NOT NULL DEFAULT now(),
    published_at    TIMESTAMPTZ,
    UNIQUE (org_id, period)
);
CREATE INDEX star_ratings_superior ON star_ratings (superior_id, period);

-- Every change to a rating: computed, confirmed or adjusted (with the reason), published.
CREATE TABLE star_rating_history (
    id        BIGSERIAL PRIMARY KEY,
    rating_id BIGINT NOT NULL REFERENCES star_ratings (id),
    action    TEXT NOT NULL CHECK (action IN ('computed', 'confirmed', 'adjusted', 'published')),
    stars     INT NOT NULL,
    reason    TEXT NOT NULL DEFAULT '',
    by_user   BIGINT REFERENCES users (id),
    at        TIMESTAMPTZ NOT NULL DEFAULT now()
);
