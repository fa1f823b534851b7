-- Mobile members (流动党员): a member working here whose relationship stays with a home
-- organization elsewhere takes part in a branch's activities and study; `mobile_home` names
-- that organization. They pay dues at home, and are counted apart from the branch's own.
ALTER TABLE memberships ADD COLUMN mobile_home TEXT
    CHECK (mobile_home IS NULL OR length(mobile_home) BETWEEN 2 AND 200);

-- A transfer in is the relationship moving here, or a mobile member's certificate
-- (流动党员活动证), with which the relationship and the dues stay at home.
ALTER TABLE transfers_in ADD COLUMN kind TEXT NOT NULL DEFAULT 'transfer' CHECK (kind IN ('transfer', 'mobile'));
ALTER TABLE transfers_in ALTER COLUMN dues_paid_to DROP NOT NULL;
ALTER TABLE transfers_in ADD CONSTRAINT transfers_in_dues CHECK (kind = 'mobile' OR dues_paid_to IS NOT NULL);
