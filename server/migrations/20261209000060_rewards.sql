-- 积分兑现: an organization offers rewards (an item, or a priority right such as a parking
-- place or a talent flat's waiting list) for points to the members of its subtree. Redeeming
-- one spends points and takes one from the stock in one transaction; the organization issues
-- it and marks it collected, or cancels it and the points come back.

CREATE TABLE rewards (
    id          BIGSERIAL PRIMARY KEY,
    org_id      BIGINT NOT NULL REFERENCES orgs (id),
    kind        TEXT NOT NULL CHECK (kind IN ('item', 'priority')),
    title       TEXT NOT NULL CHECK (length(title) BETWEEN 1 AND 60),
    description TEXT NOT NULL DEFAULT '' CHECK (length(description) <= 500),
    cost        INTEGER NOT NULL CHECK (cost > 0),
    stock       INTEGER NOT NULL CHECK (stock >= 0),
    per_member  INTEGER NOT NULL CHECK (per_member > 0),
    opens_at    TIMESTAMPTZ NOT NULL,
    closes_at   TIMESTAMPTZ NOT NULL,
    created_by  BIGINT NOT NULL REFERENCES users (id),
    created_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
    CHECK (closes_at > opens_at)
);
CREATE INDEX rewards_org ON rewards (org_id, closes_at DESC);

CREATE TABLE redemptions (
    id         BIGSERIAL PRIMARY KEY,
    reward_id  BIGINT NOT NULL REFERENCES rewards (id),
    user_id    BIGINT NOT NULL REFERENCES users (id),
    cost       INTEGER NOT NULL CHECK (cost > 0),
    state      TEXT NOT NULL DEFAULT 'requested'
               CHECK (state IN ('requested', 'issued', 'collected', 'cancelled')),
    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    changed_at TIMESTAMPTZ,
    changed_by BIGINT REFERENCES users (id)
);
CREATE INDEX redemptions_reward ON redemptions (reward_id, id DESC);
CREATE INDEX redemptions_user ON redemptions (user_id, id DESC);

-- What a member has spent: their balance is their all-time points less this. The row is
-- locked while redeeming, so that two redemptions at once never both pass the balance.
CREATE TABLE point_wallets (
    user_id BIGINT PRIMARY KEY REFERENCES users (id),
    spent   INTEGER NOT NULL DEFAULT 0 CHECK (spent >= 0)
);

-- Spending and refunds stand in the ledger beside the awards, under no rule: the boards and
-- the totals count points earned, not the balance.
ALTER TABLE point_ledger ALTER COLUMN rule_id DROP NOT NULL;
ALTER TABLE point_ledger ADD CONSTRAINT point_ledger_rule_or_spending
    CHECK (rule_id IS NOT NULL OR source_kind IN ('redemption', 'refund'));
