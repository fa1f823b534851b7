-- The secret evaluation's ballots, sealed with a key that only the server's configuration
-- holds (see app/src/org_life/ballot.rs for the threat model). A ballot has no id, no
-- time and no voter; the counters are written only when the ballot closes, in the one
-- transaction that opens and deletes every sealed ballot of the evaluation.
CREATE TABLE evaluation_ballots (
    evaluation_id BIGINT NOT NULL REFERENCES evaluations (id),
    sealed        BYTEA NOT NULL
);
CREATE INDEX evaluation_ballots_evaluation ON evaluation_ballots (evaluation_id);

-- When the counters were made final; ballots that closed before this migration were
-- counted as they were cast.
ALTER TABLE evaluations ADD COLUMN tallied_at TIMESTAMPTZ;
UPDATE evaluations SET tallied_at = closes_at WHERE closes_at <= now();
