-- Weekly coverage of the ledger (覆盖率): per street and week (the Monday of the Asia/Shanghai
-- week), the operating enterprises, those with an organization, and those eligible to found
-- one that have none. The current week's rows are refreshed by the hourly job; past weeks
-- stay as they were.
CREATE TABLE coverage_snapshots (
    week        DATE NOT NULL,
    district    TEXT NOT NULL,
    street      TEXT NOT NULL,
    enterprises INT NOT NULL CHECK (enterprises >= 0),
    covered     INT NOT NULL CHECK (covered >= 0),
    eligible    INT NOT NULL CHECK (eligible >= 0),
    taken_at    TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (week, district, street)
);
