-- Organization life: how often each item is required, per tree (data, so that an
-- installation can follow its own rules), and each branch's fixed theme day of the month.
CREATE TABLE life_requirements (
    tree  TEXT NOT NULL CHECK (tree IN ('party', 'league')),
    kind  TEXT NOT NULL CHECK (kind IN ('general_meeting', 'committee_meeting', 'group_meeting',
                                        'lesson', 'secretary_lesson', 'theme_day', 'life_meeting',
                                        'evaluation')),
    every TEXT NOT NULL CHECK (every IN ('month', 'quarter', 'year')),
    PRIMARY KEY (tree, kind)
);
INSERT INTO life_requirements (tree, kind, every)
SELECT t, k, e FROM (VALUES ('party'), ('league')) trees (t)
CROSS JOIN (VALUES ('general_meeting', 'quarter'), ('committee_meeting', 'month'),
                   ('group_meeting', 'month'), ('lesson', 'quarter'), ('secretary_lesson', 'year'),
                   ('theme_day', 'month'), ('life_meeting', 'year'), ('evaluation', 'year')) items (k, e);

ALTER TABLE orgs ADD COLUMN theme_day INT NOT NULL DEFAULT 15 CHECK (theme_day BETWEEN 1 AND 31);
