-- What makes a day of the study streak count, as versions in force from their first day
-- (Asia/Shanghai): at least this many verified study minutes, or the daily quiz; a freeze
-- at every so many days of a streak, up to a number held at once.
CREATE TABLE streak_rules (
    version        INTEGER PRIMARY KEY CHECK (version > 0),
    min_minutes    INTEGER NOT NULL CHECK (min_minutes BETWEEN 1 AND 240),
    quiz_counts    BOOLEAN NOT NULL,
    freeze_every   INTEGER NOT NULL CHECK (freeze_every BETWEEN 2 AND 365),
    max_freezes    INTEGER NOT NULL CHECK (max_freezes BETWEEN 0 AND 10),
    effective_from DATE NOT NULL UNIQUE
);
INSERT INTO streak_rules VALUES (1, 10, true, 7, 2, '2020-01-01');
