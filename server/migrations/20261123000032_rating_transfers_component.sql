-- The star rating's last component, measured now that transfers exist: the share of the
-- transfer steps a branch held that it acted on within ten days.
ALTER TABLE star_ratings ADD COLUMN transfers INT;
