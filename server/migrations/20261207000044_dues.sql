-- Dues (党费/团费): rate tables as versioned data per tree, each member's base declared once
-- a year, and payments of one or more months. Money in integer fen.

-- The branch's dues officer (党费收缴员) collects and records dues for one branch.
ALTER TABLE role_grants DROP CONSTRAINT role_grants_role_check;
ALTER TABLE role_grants ADD CONSTRAINT role_grants_role_check
    CHECK (role IN ('secretary', 'committee_member', 'org_admin', 'platform_admin', 'dues_officer'));

-- A version of a tree's rates, in force from the first day of a month until the next
-- version. `rates` is the model's RateTable as JSON. A month's amount is computed from the
-- version in force in that month, so a new version never alters a past month.
CREATE TABLE dues_rate_tables (
    id         BIGSERIAL PRIMARY KEY,
    tree       TEXT NOT NULL CHECK (tree IN ('party', 'league')),
    valid_from DATE NOT NULL CHECK (EXTRACT(DAY FROM valid_from) = 1),
    rates      JSONB NOT NULL,
    created_by BIGINT REFERENCES users (id),
    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    UNIQUE (tree, valid_from)
);

-- The Party's rules on dues of 2008: employed members a share of the monthly income after
-- tax and social insurance by bracket, retired members 0.5% up to 5,000 yuan and 1% above,
-- students and members without income a fixed 0.2 to 1 yuan.
INSERT INTO dues_rate_tables (tree, valid_from, rates) VALUES ('party', DATE '2008-04-01', '{
  "employed": [{"up_to": 300000, "rate": {"share": 50}}, {"up_to": 500000, "rate": {"share": 100}},
               {"up_to": 1000000, "rate": {"share": 150}}, {"up_to": null, "rate": {"share": 200}}],
  "retired": [{"up_to": 500000, "rate": {"share": 50}}, {"up_to": null, "rate": {"share": 100}}],
  "fixed_min": 20, "fixed_max": 100
}');
-- The League's: a small fixed amount a month. A starting table that the platform admin
-- replaces with a new version when the League sets other figures.
INSERT INTO dues_rate_tables (tree, valid_from, rates) VALUES ('league', DATE '2016-01-01', '{
  "employed": [{"up_to": null, "rate": {"fixed": 50}}],
  "retired": [{"up_to": null, "rate": {"fixed": 50}}],
  "fixed_min": 20, "fixed_max": 20
}');

-- A member's base for a year: the category and, for employed and retired members, the
-- monthly income (fen); for students and members without income, the fixed monthly amount
-- chosen in the table's range. `extra` is given voluntarily each month. Declared once a
-- year; a correction (by the dues officer or above, with a reason) replaces the current
-- declaration and is kept beside it.
CREATE TABLE dues_bases (
    id          BIGSERIAL PRIMARY KEY,
    user_id     BIGINT NOT NULL REFERENCES users (id),
    tree        TEXT NOT NULL CHECK (tree IN ('party', 'league')),
    year        INT NOT NULL CHECK (year BETWEEN 2000 AND 2100),
    category    TEXT NOT NULL CHECK (category IN ('employed', 'retired', 'student', 'no_income')),
    base        BIGINT NOT NULL CHECK (base >= 0),
    extra       BIGINT NOT NULL DEFAULT 0 CHECK (extra >= 0),
    declared_by BIGINT NOT NULL REFERENCES users (id),
    declared_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    replaces    BIGINT UNIQUE REFERENCES dues_bases (id),
    reason      TEXT,
    CHECK ((replaces IS NULL) = (reason IS NULL))
);
-- One first declaration per member, tree and year: a second is a conflict.
CREATE UNIQUE INDEX dues_bases_once ON dues_bases (user_id, tree, year) WHERE replaces IS NULL;
CREATE TRIGGER dues_bases_append_only BEFORE UPDATE OR DELETE ON dues_bases
    FOR EACH ROW EXECUTE FUNCTION refuse_ledger_change();

-- A payment of one or more consecutive months. Paid online it waits for the branch to
-- confirm (`pending`) unless a payment provider has confirmed it; recorded by the dues
-- officer (cash or bank transfer) it is paid at once. What was paid never changes: a
-- pending payment is confirmed or declined, a paid one is reversed with a reason, each
-- once, and the months it held become free again.
CREATE TABLE dues_payments (
    id          BIGSERIAL PRIMARY KEY,
    user_id     BIGINT NOT NULL REFERENCES users (id),
    tree        TEXT NOT NULL CHECK (tree IN ('party', 'league')),
    org_id      BIGINT NOT NULL REFERENCES orgs (id),
    first_month DATE NOT NULL CHECK (EXTRACT(DAY FROM first_month) = 1),
    months      INT NOT NULL CHECK (months BETWEEN 1 AND 12),
    amount      BIGINT NOT NULL CHECK (amount > 0),
    method      TEXT NOT NULL CHECK (method IN ('online', 'cash', 'bank')),
    recorded_by BIGINT NOT NULL REFERENCES users (id),
    recorded_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    state       TEXT NOT NULL CHECK (state IN ('pending', 'paid', 'declined', 'reversed')),
    settled_by  BIGINT REFERENCES users (id),
    settled_at  TIMESTAMPTZ,
    reason      TEXT,
    receipt_no  TEXT UNIQUE
);
CREATE INDEX dues_payments_user ON dues_payments (user_id, tree, first_month);
CREATE INDEX dues_payments_org ON dues_payments (org_id, state);

-- Only the state moves, forward and once: pending to paid or declined, paid to reversed.
-- A payment gets its receipt number when it is paid: DF (党费) or TF (团费), the year, the id.
CREATE FUNCTION dues_payment_moves() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        RAISE EXCEPTION 'dues payments are kept';
    END IF;
    IF TG_OP = 'UPDATE' AND (
        (NEW.id, NEW.user_id, NEW.tree, NEW.org_id, NEW.first_month, NEW.months, NEW.amount,
         NEW.method, NEW.recorded_by, NEW.recorded_at)
        IS DISTINCT FROM
        (OLD.id, OLD.user_id, OLD.tree, OLD.org_id, OLD.first_month, OLD.months, OLD.amount,
         OLD.method, OLD.recorded_by, OLD.recorded_at)
        OR NOT ((OLD.state = 'pending' AND NEW.state IN ('paid', 'declined'))
                OR (OLD.state = 'paid' AND NEW.state = 'reversed'))) THEN
        RAISE EXCEPTION 'a dues payment only moves from pending to paid or declined, or from paid to reversed';
    END IF;
    IF NEW.state = 'paid' AND NEW.receipt_no IS NULL THEN
        NEW.receipt_no := CASE NEW.tree WHEN 'party' THEN 'DF' ELSE 'TF' END
                          || to_char(COALESCE(NEW.settled_at, now()) AT TIME ZONE 'Asia/Shanghai', 'YYYY')
                          || '-' || lpad(NEW.id::text, 6, '0');
    END IF;
    RETURN NEW;
END
$$;
CREATE TRIGGER dues_payments_moves BEFORE INSERT OR UPDATE OR DELETE ON dues_payments
    FOR EACH ROW EXECUTE FUNCTION dues_payment_moves();

-- Each month a payment holds, with its amount. A month is held by one live payment at most
-- (a pending or paid one): a month cannot be paid twice, even by two requests at once.
CREATE TABLE dues_months (
    payment_id BIGINT NOT NULL REFERENCES dues_payments (id),
    user_id    BIGINT NOT NULL REFERENCES users (id),
    tree       TEXT NOT NULL CHECK (tree IN ('party', 'league')),
    month      DATE NOT NULL CHECK (EXTRACT(DAY FROM month) = 1),
    amount     BIGINT NOT NULL CHECK (amount > 0),
    live       BOOLEAN NOT NULL DEFAULT true,
    PRIMARY KEY (payment_id, month)
);
CREATE UNIQUE INDEX dues_months_once ON dues_months (user_id, tree, month) WHERE live;
CREATE FUNCTION dues_month_frees() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' OR (NEW.payment_id, NEW.user_id, NEW.tree, NEW.month, NEW.amount)
                            IS DISTINCT FROM (OLD.payment_id, OLD.user_id, OLD.tree, OLD.month, OLD.amount)
                        OR NOT (OLD.live AND NOT NEW.live) THEN
        RAISE EXCEPTION 'a paid month only becomes free again';
    END IF;
    RETURN NEW;
END
$$;
CREATE TRIGGER dues_months_free BEFORE UPDATE OR DELETE ON dues_months
    FOR EACH ROW EXECUTE FUNCTION dues_month_frees();
