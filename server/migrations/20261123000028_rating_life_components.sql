-- The star rating's organization-life components, measured now that meetings exist:
-- meetings held on time, and records accepted by the superior.
ALTER TABLE star_ratings ADD COLUMN meetings INT, ADD COLUMN records INT;
