-- A founding application whose credit code is not in the ledger but whose name is: the
-- ledger firm is only suggested to the reviewers (never attached by the match itself), so
-- that an application with a made-up code cannot borrow a real firm's facts or block the
-- firm's own application.
ALTER TABLE founding_applications ADD COLUMN name_match_id BIGINT REFERENCES enterprises (id);
