//! Rewards' use cases: an organization's admins offer one and move its redemptions on; a
//! member redeems one offered to them, or cancels their own before it is issued.

use chrono::{DateTime, Utc};
use sqlx::PgConnection;

use super::model::{RedeemFacts, RedemptionState, RewardForm, may_redeem};
use super::store::{self, LockedRedemption, RedemptionRow, RewardRow};
use crate::auth::model::Actor;
use crate::error::{AppError, Msg};
use crate::ids::OrgId;
use crate::notices::model::Message;

/// The most rewards a page lists, and redemptions a page of them (one more is read to
/// know whether another page follows).
pub const LISTED: i64 = 100;
pub const PAGE: i64 = 30;

/// A page of redemptions, newest first, and the id to pass as `before` for the next.
pub fn paged(mut rows: Vec<RedemptionRow>) -> (Vec<RedemptionRow>, Option<i64>) {
    let more = rows.len() as i64 > PAGE;
    rows.truncate(PAGE as usize);
    let next = more.then(|| rows.last().map(|r| r.id)).flatten();
    (rows, next)
}

/// Offers a reward from `org`, which the actor administers; its window runs from the start
/// of its first day to the end of its last (Asia/Shanghai).
pub async fn offer(
    conn: &mut PgConnection,
    actor: &Actor,
    org: OrgId,
    form: &RewardForm,
    now: DateTime<Utc>,
) -> Result<i64, AppError> {
    crate::auth::session::administered_org(conn, actor, org).await?;
    let offer = form
        .parse(crate::time::day_of(now))
        .map_err(AppError::Invalid)?;
    let window = crate::time::start_of(offer.opens)
        .zip(offer.closes.succ_opt().and_then(crate::time::start_of))
        .ok_or_else(|| AppError::invalid("closes", Msg::DateInvalid))?;
    let id = store::offer(conn, org, &offer, window, actor.user_id).await?;
    tracing::info!(reward = id, org = %org, by = %actor.user_id, "reward offered");
    Ok(id)
}

/// What a member sees: their balance, the rewards offered to them, their redemptions.
pub struct MemberRewards {
    pub balance: i64,
    pub offered: Vec<RewardRow>,
    pub mine: Vec<RedemptionRow>,
    pub next: Option<i64>,
}

pub async fn for_member(
    conn: &mut PgConnection,
    actor: &Actor,
    before: Option<i64>,
    now: DateTime<Utc>,
) -> Result<MemberRewards, AppError> {
    let rows = store::of_member(conn, actor.user_id, before, PAGE + 1).await?;
    let (mine, next) = paged(rows);
    Ok(MemberRewards {
        balance: store::balance(conn, actor.user_id).await?,
        offered: store::offered_to(conn, actor.user_id, now, LISTED).await?,
        mine,
        next,
    })
}

/// Redeems one of `reward` for the actor: offered to them, open, in stock, within their
/// limit and their balance, all read under the reward's and the wallet's locks, so that any
/// number of redemptions at once never pass the stock or the balance.
pub async fn redeem(
    conn: &mut PgConnection,
    actor: &Actor,
    reward: i64,
    now: DateTime<Utc>,
) -> Result<i64, AppError> {
    let locked = store::lock_reward(conn, reward, actor.user_id)
        .await?
        .filter(|r| r.offered)
        .ok_or(AppError::NotFound)?;
    let (balance, mine) = store::lock_wallet(conn, actor.user_id, reward).await?;
    let facts = RedeemFacts {
        opens_at: locked.opens_at,
        closes_at: locked.closes_at,
        cost: locked.cost,
        stock: locked.stock,
        per_member: locked.per_member,
        mine,
        balance,
    };
    may_redeem(&facts, now).map_err(|m| AppError::invalid("", m))?;
    let day = crate::time::day_of(now);
    let id = store::redeem(conn, reward, actor.user_id, locked.cost, (now, day)).await?;
    tracing::info!(redemption = id, reward, by = %actor.user_id, cost = locked.cost, "reward redeemed");
    Ok(id)
}

/// An organization's rewards and their redemptions, for its admins.
pub struct OrgRewards {
    pub org: crate::orgs::store::Org,
    pub rewards: Vec<RewardRow>,
    pub redemptions: Vec<RedemptionRow>,
    pub next: Option<i64>,
}

pub async fn of_org(
    conn: &mut PgConnection,
    actor: &Actor,
    org: OrgId,
    before: Option<i64>,
) -> Result<OrgRewards, AppError> {
    let found = crate::auth::session::administered_org(conn, actor, org).await?;
    let rows = store::of_rewards_of(conn, org, before, PAGE + 1).await?;
    let (redemptions, next) = paged(rows);
    Ok(OrgRewards {
        org: found,
        rewards: store::of_org(conn, org, actor.user_id, LISTED).await?,
        redemptions,
        next,
    })
}

/// Moves a redemption on: the reward's organization's admins issue it, mark it collected or
/// cancel it; its member may cancel it while it waits. A cancellation gives the points and
/// the stock back. The member is told when it is issued or cancelled by someone else.
pub async fn set_state(
    conn: &mut PgConnection,
    actor: &Actor,
    id: i64,
    to: RedemptionState,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    let r = store::lock_redemption(conn, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let own_cancel = r.user_id == actor.user_id
        && to == RedemptionState::Cancelled
        && r.state == RedemptionState::Requested;
    if !own_cancel {
        crate::auth::session::administered_org(conn, actor, r.org_id).await?;
    }
    if !r.state.may_become(to) {
        return Err(AppError::invalid("", Msg::RedemptionStepInvalid));
    }
    store::set_state(conn, id, to, actor.user_id).await?;
    if to == RedemptionState::Cancelled {
        store::lock_reward(conn, r.reward_id, r.user_id).await?;
        store::lock_wallet(conn, r.user_id, r.reward_id).await?;
        store::refund(conn, id, &r, (now, crate::time::day_of(now))).await?;
    }
    tell(conn, &r, id, to, actor).await?;
    tracing::info!(redemption = id, state = to.as_str(), by = %actor.user_id, "redemption moved");
    Ok(())
}

/// Tells the member of a step they did not take themselves.
async fn tell(
    conn: &mut PgConnection,
    r: &LockedRedemption,
    id: i64,
    to: RedemptionState,
    actor: &Actor,
) -> Result<(), AppError> {
    if r.user_id == actor.user_id {
        return Ok(());
    }
    let title = r.title.clone();
    let message = match to {
        RedemptionState::Issued => Message::RewardIssued { title },
        RedemptionState::Cancelled => Message::RewardCancelled { title },
        _ => return Ok(()),
    };
    let dedupe = format!("redemption:{id}:{}", to.as_str());
    crate::notices::store::notify(conn, &[r.user_id], &message, "/points/rewards", &dedupe).await?;
    Ok(())
}
