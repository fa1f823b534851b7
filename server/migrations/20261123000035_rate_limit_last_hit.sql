-- When a counter last counted, for limits whose wait grows after each failure.
ALTER TABLE rate_limits ADD COLUMN last_hit TIMESTAMPTZ NOT NULL DEFAULT now();
