-- Rankings read the running totals. A member may appear as 匿名成员 outside their branch.
ALTER TABLE users ADD COLUMN rank_anonymous BOOLEAN NOT NULL DEFAULT false;

-- Boards: the top of a period, and "how many have more than me", from an index.
CREATE INDEX point_totals_board ON point_totals (period, points DESC, user_id);

-- Who earned study points (reading, watching, quizzes) in a branch in a period, counted in
-- the branch they belonged to on the day: the numerator of 参学率. Kept in the award's
-- transaction like the totals.
CREATE TABLE branch_participants (
    org_id  BIGINT NOT NULL REFERENCES orgs (id),
    period  TEXT NOT NULL,
    user_id BIGINT NOT NULL REFERENCES users (id),
    PRIMARY KEY (org_id, period, user_id)
);

INSERT INTO branch_participants (org_id, period, user_id)
SELECT DISTINCT b.org_id, p.period, l.user_id
FROM point_ledger l
JOIN point_rules r ON r.id = l.rule_id
CROSS JOIN LATERAL (VALUES (l.party_branch_id), (l.league_branch_id)) AS b (org_id)
CROSS JOIN LATERAL (VALUES
    ('d:' || to_char(l.day, 'YYYY-MM-DD')),
    ('w:' || to_char(l.day, 'IYYY-"W"IW')),
    ('m:' || to_char(l.day, 'YYYY-MM')),
    ('y:' || to_char(l.day, 'YYYY')),
    ('all')) AS p (period)
WHERE b.org_id IS NOT NULL AND l.points > 0
  AND r.code IN ('article_read', 'reading_time', 'video_watch', 'video_time',
                 'daily_quiz', 'weekly_quiz', 'special_quiz');
