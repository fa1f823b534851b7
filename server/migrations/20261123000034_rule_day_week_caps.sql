-- Further caps over a day and a week for any rule, so that points per meeting, per notice
-- and per special quiz are also bounded by what a member can earn from them in a day and a
-- week, however many are held.
ALTER TABLE point_rules
    ADD COLUMN day_cap  INT CHECK (day_cap > 0),
    ADD COLUMN week_cap INT CHECK (week_cap > 0);

-- A new version of those three rules from now on, with the caps (the versions in force
-- are closed; a rule with a version already planned for later is left to its admin).
WITH closed AS (
    UPDATE point_rules SET effective_to = now()
    WHERE code IN ('meeting_attend', 'notice_ack', 'special_quiz')
      AND effective_from <= now() AND effective_to IS NULL
    RETURNING code, version, points, cap_period, cap
)
INSERT INTO point_rules (code, version, points, cap_period, cap, day_cap, week_cap, effective_from)
SELECT code, version + 1, points, cap_period, cap,
       CASE code WHEN 'meeting_attend' THEN 10 WHEN 'notice_ack' THEN 3 ELSE 10 END,
       CASE code WHEN 'meeting_attend' THEN 20 WHEN 'notice_ack' THEN 10 ELSE 20 END,
       now()
FROM closed;
