-- Fixed-window counters for sign-in and sign-up attempts, shared by every server process.
CREATE TABLE rate_limits (
    key          TEXT NOT NULL,
    window_start TIMESTAMPTZ NOT NULL,
    hits         INT NOT NULL,
    PRIMARY KEY (key, window_start)
);
