-- Coverage of both trees: the weekly snapshots per tree (the League's rows so far), area
-- committees in each tree (one per area and tree), and the Party joint branch a small
-- enterprise belongs to (its Party organization, though not one of its own).
ALTER TABLE coverage_snapshots ADD COLUMN tree TEXT NOT NULL DEFAULT 'league' CHECK (tree IN ('party', 'league'));
ALTER TABLE coverage_snapshots DROP CONSTRAINT coverage_snapshots_pkey;
ALTER TABLE coverage_snapshots ADD PRIMARY KEY (week, tree, district, street);

DROP INDEX orgs_area;
CREATE UNIQUE INDEX orgs_area ON orgs (tree, area_level, district, street) WHERE area_level IS NOT NULL;

ALTER TABLE enterprises ADD COLUMN party_joint_org_id BIGINT REFERENCES orgs (id);
