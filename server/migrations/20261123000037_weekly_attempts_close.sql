-- A weekly quiz attempt closes with its week (its set's close), so that a sheet cannot be
-- kept open and filled in from colleagues' results after the week.
UPDATE quiz_attempts a SET deadline_at = s.closes_at
FROM quiz_sets s
WHERE a.set_id = s.id AND a.kind = 'weekly' AND a.deadline_at IS NULL;
