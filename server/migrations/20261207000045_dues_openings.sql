-- Where a member's dues record on the platform begins: paid up to a month as a transfer
-- letter from outside or the branch's paper book says. Without one, the record begins in
-- the month the person's first membership of the tree began. One per person and tree.
CREATE TABLE dues_openings (
    user_id     BIGINT NOT NULL REFERENCES users (id),
    tree        TEXT NOT NULL CHECK (tree IN ('party', 'league')),
    paid_up_to  DATE NOT NULL CHECK (EXTRACT(DAY FROM paid_up_to) = 1),
    recorded_by BIGINT REFERENCES users (id),
    source      TEXT NOT NULL CHECK (source IN ('letter', 'book')),
    created_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (user_id, tree)
);
CREATE TRIGGER dues_openings_append_only BEFORE UPDATE OR DELETE ON dues_openings
    FOR EACH ROW EXECUTE FUNCTION refuse_ledger_change();
