-- Warnings to a branch before a period ends and escalations to its superior after it, one
-- row per branch, item, period and stage: the key makes each go out once, even when two
-- processes run the job at the same time.
CREATE TABLE life_alerts (
    org_id       BIGINT NOT NULL REFERENCES orgs (id),
    kind         TEXT NOT NULL,
    period_start DATE NOT NULL,
    stage        TEXT NOT NULL CHECK (stage IN ('warned', 'escalated')),
    at           TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (org_id, kind, period_start, stage)
);
