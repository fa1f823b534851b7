//! Rewards' SQL: offers, the member's list and balance, and redemptions with their locks.
//! Locks are always taken in one order (the redemption, the reward, the member's wallet),
//! so that redemptions and cancellations at once never wait on each other in a circle.

use chrono::{DateTime, NaiveDate, Utc};
use sqlx::PgConnection;

use super::model::{RedemptionState, RewardKind, RewardOffer};
use crate::error::AppError;
use crate::ids::{OrgId, UserId};

/// Stores an offer of `org`; its window runs from `opens_at` to `closes_at`.
pub async fn offer(
    conn: &mut PgConnection,
    org: OrgId,
    o: &RewardOffer,
    (opens_at, closes_at): (DateTime<Utc>, DateTime<Utc>),
    by: UserId,
) -> Result<i64, AppError> {
    Ok(sqlx::query_scalar(
        "INSERT INTO rewards (org_id, kind, title, description, cost, stock, per_member,
                              opens_at, closes_at, created_by)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id",
    )
    .bind(org)
    .bind(o.kind)
    .bind(&o.title)
    .bind(&o.description)
    .bind(o.cost)
    .bind(o.stock)
    .bind(o.per_member)
    .bind(opens_at)
    .bind(closes_at)
    .bind(by)
    .fetch_one(conn)
    .await?)
}

/// A reward as listed, with how many the reader has redeemed of it (not cancelled).
#[derive(Debug, sqlx::FromRow)]
pub struct RewardRow {
    pub id: i64,
    pub org_id: OrgId,
    pub org_name: String,
    pub kind: RewardKind,
    pub title: String,
    pub description: String,
    pub cost: i32,
    pub stock: i32,
    pub per_member: i32,
    pub opens_at: DateTime<Utc>,
    pub closes_at: DateTime<Utc>,
    pub mine: i64,
    /// Redemptions not cancelled, of every member.
    pub taken: i64,
}

const REWARD_COLUMNS: &str = "w.id, w.org_id, o.name AS org_name, w.kind, w.title, w.description,
    w.cost, w.stock, w.per_member, w.opens_at, w.closes_at,
    (SELECT count(*) FROM redemptions d WHERE d.reward_id = w.id AND d.user_id = $1 AND d.state <> 'cancelled') AS mine,
    (SELECT count(*) FROM redemptions d WHERE d.reward_id = w.id AND d.state <> 'cancelled') AS taken";

/// The rewards offered to `user` (by an organization they belong to or one above it) that
/// have not closed by `now`, closing soonest first.
pub async fn offered_to(
    conn: &mut PgConnection,
    user: UserId,
    now: DateTime<Utc>,
    limit: i64,
) -> Result<Vec<RewardRow>, AppError> {
    Ok(sqlx::query_as(&format!(
        "SELECT {REWARD_COLUMNS} FROM rewards w JOIN orgs o ON o.id = w.org_id
         WHERE w.org_id IN (SELECT scope_id FROM member_scopes WHERE user_id = $1)
           AND w.closes_at > $2
         ORDER BY w.closes_at, w.id LIMIT $3"
    ))
    .bind(user)
    .bind(now)
    .bind(limit)
    .fetch_all(conn)
    .await?)
}

/// The rewards `org` has offered, newest first (`user` is the reader, for `mine`).
pub async fn of_org(
    conn: &mut PgConnection,
    org: OrgId,
    user: UserId,
    limit: i64,
) -> Result<Vec<RewardRow>, AppError> {
    Ok(sqlx::query_as(&format!(
        "SELECT {REWARD_COLUMNS} FROM rewards w JOIN orgs o ON o.id = w.org_id
         WHERE w.org_id = $2 ORDER BY w.id DESC LIMIT $3"
    ))
    .bind(user)
    .bind(org)
    .bind(limit)
    .fetch_all(conn)
    .await?)
}

/// A member's points earned (all time, less deductions) less their points spent.
pub async fn balance(conn: &mut PgConnection, user: UserId) -> Result<i64, AppError> {
    Ok(sqlx::query_scalar(
        "SELECT COALESCE((SELECT points FROM point_totals WHERE user_id = $1 AND period = 'all'), 0)::bigint
              - COALESCE((SELECT spent FROM point_wallets WHERE user_id = $1), 0)::bigint",
    )
    .bind(user)
    .fetch_one(conn)
    .await?)
}

/// A reward locked for redeeming or for returning one to its stock.
#[derive(Debug, sqlx::FromRow)]
pub struct LockedReward {
    pub cost: i32,
    pub stock: i32,
    pub per_member: i32,
    pub opens_at: DateTime<Utc>,
    pub closes_at: DateTime<Utc>,
    /// Whether it is offered to the member asking (their organization or one above it).
    pub offered: bool,
}

pub async fn lock_reward(
    conn: &mut PgConnection,
    id: i64,
    user: UserId,
) -> Result<Option<LockedReward>, AppError> {
    Ok(sqlx::query_as(
        "SELECT cost, stock, per_member, opens_at, closes_at,
                org_id IN (SELECT scope_id FROM member_scopes WHERE user_id = $2) AS offered
         FROM rewards WHERE id = $1 FOR UPDATE",
    )
    .bind(id)
    .bind(user)
    .fetch_optional(conn)
    .await?)
}

/// Locks the member's wallet (made when missing) and reads their balance and how many of
/// `reward` they hold (not cancelled).
pub async fn lock_wallet(
    conn: &mut PgConnection,
    user: UserId,
    reward: i64,
) -> Result<(i64, i32), AppError> {
    sqlx::query("INSERT INTO point_wallets (user_id) VALUES ($1) ON CONFLICT DO NOTHING")
        .bind(user)
        .execute(&mut *conn)
        .await?;
    sqlx::query("SELECT 1 FROM point_wallets WHERE user_id = $1 FOR UPDATE")
        .bind(user)
        .execute(&mut *conn)
        .await?;
    let balance = balance(conn, user).await?;
    let mine: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM redemptions WHERE reward_id = $1 AND user_id = $2 AND state <> 'cancelled'",
    )
    .bind(reward)
    .bind(user)
    .fetch_one(conn)
    .await?;
    Ok((balance, i32::try_from(mine).unwrap_or(i32::MAX)))
}

/// Records a redemption under the locks taken: one from the stock, the cost spent, and the
/// spending in the ledger (under no rule, so that the boards keep counting points earned).
pub async fn redeem(
    conn: &mut PgConnection,
    reward: i64,
    user: UserId,
    cost: i32,
    (now, day): (DateTime<Utc>, NaiveDate),
) -> Result<i64, AppError> {
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO redemptions (reward_id, user_id, cost, created_at) VALUES ($1, $2, $3, $4) RETURNING id",
    )
    .bind(reward)
    .bind(user)
    .bind(cost)
    .bind(now)
    .fetch_one(&mut *conn)
    .await?;
    sqlx::query("UPDATE rewards SET stock = stock - 1 WHERE id = $1")
        .bind(reward)
        .execute(&mut *conn)
        .await?;
    sqlx::query("UPDATE point_wallets SET spent = spent + $2 WHERE user_id = $1")
        .bind(user)
        .bind(cost)
        .execute(&mut *conn)
        .await?;
    spending_entry(conn, user, -cost, ("redemption", id), (now, day)).await?;
    Ok(id)
}

async fn spending_entry(
    conn: &mut PgConnection,
    user: UserId,
    points: i32,
    (kind, id): (&str, i64),
    (now, day): (DateTime<Utc>, NaiveDate),
) -> Result<(), AppError> {
    sqlx::query(
        "INSERT INTO point_ledger (user_id, rule_id, points, source_kind, source_id, idempotency_key, day, created_at)
         VALUES ($1, NULL, $2, $3, $4::text, $3 || ':' || $4::text, $5, $6)",
    )
    .bind(user)
    .bind(points)
    .bind(kind)
    .bind(id)
    .bind(day)
    .bind(now)
    .execute(conn)
    .await?;
    Ok(())
}

/// A redemption locked for a change of state.
#[derive(Debug, sqlx::FromRow)]
pub struct LockedRedemption {
    pub reward_id: i64,
    pub user_id: UserId,
    pub cost: i32,
    pub state: RedemptionState,
    pub org_id: OrgId,
    pub title: String,
}

pub async fn lock_redemption(
    conn: &mut PgConnection,
    id: i64,
) -> Result<Option<LockedRedemption>, AppError> {
    Ok(sqlx::query_as(
        "SELECT d.reward_id, d.user_id, d.cost, d.state, w.org_id, w.title
         FROM redemptions d JOIN rewards w ON w.id = d.reward_id
         WHERE d.id = $1 FOR UPDATE OF d",
    )
    .bind(id)
    .fetch_optional(conn)
    .await?)
}

/// Moves a locked redemption to `state`.
pub async fn set_state(
    conn: &mut PgConnection,
    id: i64,
    state: RedemptionState,
    by: UserId,
) -> Result<(), AppError> {
    sqlx::query(
        "UPDATE redemptions SET state = $2, changed_at = now(), changed_by = $3 WHERE id = $1",
    )
    .bind(id)
    .bind(state)
    .bind(by)
    .execute(conn)
    .await?;
    Ok(())
}

/// Gives back a cancelled redemption: its reward locked and one returned to the stock, the
/// member's wallet locked and the cost returned, and the refund in the ledger.
pub async fn refund(
    conn: &mut PgConnection,
    id: i64,
    r: &LockedRedemption,
    (now, day): (DateTime<Utc>, NaiveDate),
) -> Result<(), AppError> {
    sqlx::query("UPDATE rewards SET stock = stock + 1 WHERE id = $1")
        .bind(r.reward_id)
        .execute(&mut *conn)
        .await?;
    sqlx::query("UPDATE point_wallets SET spent = spent - $2 WHERE user_id = $1")
        .bind(r.user_id)
        .bind(r.cost)
        .execute(&mut *conn)
        .await?;
    spending_entry(conn, r.user_id, r.cost, ("refund", id), (now, day)).await
}

/// A redemption as its member or its organization lists it.
#[derive(Debug, sqlx::FromRow)]
pub struct RedemptionRow {
    pub id: i64,
    pub reward_id: i64,
    pub title: String,
    pub name: String,
    pub phone: Option<String>,
    pub cost: i32,
    pub state: RedemptionState,
    pub created_at: DateTime<Utc>,
}

const REDEMPTION_COLUMNS: &str =
    "d.id, d.reward_id, w.title, u.display_name AS name, u.phone, d.cost, d.state, d.created_at
    FROM redemptions d JOIN rewards w ON w.id = d.reward_id JOIN users u ON u.id = d.user_id";

/// A member's redemptions, newest first, before the one with id `before` if given.
pub async fn of_member(
    conn: &mut PgConnection,
    user: UserId,
    before: Option<i64>,
    limit: i64,
) -> Result<Vec<RedemptionRow>, AppError> {
    Ok(sqlx::query_as(&format!(
        "SELECT {REDEMPTION_COLUMNS} WHERE d.user_id = $1 AND ($2::bigint IS NULL OR d.id < $2)
         ORDER BY d.id DESC LIMIT $3"
    ))
    .bind(user)
    .bind(before)
    .bind(limit)
    .fetch_all(conn)
    .await?)
}

/// The redemptions of an organization's rewards, newest first, before `before` if given.
pub async fn of_rewards_of(
    conn: &mut PgConnection,
    org: OrgId,
    before: Option<i64>,
    limit: i64,
) -> Result<Vec<RedemptionRow>, AppError> {
    Ok(sqlx::query_as(&format!(
        "SELECT {REDEMPTION_COLUMNS} WHERE w.org_id = $1 AND ($2::bigint IS NULL OR d.id < $2)
         ORDER BY d.id DESC LIMIT $3"
    ))
    .bind(org)
    .bind(before)
    .bind(limit)
    .fetch_all(conn)
    .await?)
}
