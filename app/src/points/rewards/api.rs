//! Rewards for points: the member's list with their balance, redeeming and cancelling; an
//! organization's offers and the redemptions of them for its admins.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use super::model::{RedemptionState, RewardForm, RewardKind};
use crate::error::AppError;
use crate::ids::OrgId;

/// A reward as a list shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RewardView {
    pub id: i64,
    pub org: String,
    pub kind: RewardKind,
    pub title: String,
    pub description: String,
    pub cost: i32,
    /// Left in stock.
    pub stock: i32,
    pub per_member: i32,
    /// Asia/Shanghai days, both included.
    pub opens: String,
    pub closes: String,
    /// Whether it is open now.
    pub open: bool,
    /// How many the reader holds (not cancelled).
    pub mine: i64,
    /// Redeemed by anyone, not cancelled.
    pub taken: i64,
}

/// A redemption as its member or its organization lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RedemptionView {
    pub id: i64,
    pub title: String,
    pub name: String,
    pub phone: Option<String>,
    pub cost: i32,
    pub state: RedemptionState,
    /// Asia/Shanghai minute.
    pub at: String,
}

/// `/points/rewards`: the balance, what is offered to the member, what they redeemed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MemberRewardsView {
    pub balance: i64,
    pub offered: Vec<RewardView>,
    pub mine: Vec<RedemptionView>,
    /// Pass as `before` for the next page of `mine`; `None` on the last page.
    pub next: Option<i64>,
}

/// An organization's offers and their redemptions, for its admins.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrgRewardsView {
    pub org_id: OrgId,
    pub org: String,
    pub rewards: Vec<RewardView>,
    pub redemptions: Vec<RedemptionView>,
    /// Pass as `before` for the next page of `redemptions`.
    pub next: Option<i64>,
}

#[cfg(feature = "ssr")]
impl RewardView {
    fn of(r: super::store::RewardRow, now: chrono::DateTime<chrono::Utc>) -> Self {
        let last = r.closes_at - chrono::Duration::seconds(1);
        Self {
            id: r.id,
            org: r.org_name,
            kind: r.kind,
            title: r.title,
            description: r.description,
            cost: r.cost,
            stock: r.stock,
            per_member: r.per_member,
            opens: crate::time::day_of(r.opens_at).to_string(),
            closes: crate::time::day_of(last).to_string(),
            open: r.opens_at <= now && now < r.closes_at,
            mine: r.mine,
            taken: r.taken,
        }
    }
}

#[cfg(feature = "ssr")]
impl From<super::store::RedemptionRow> for RedemptionView {
    fn from(r: super::store::RedemptionRow) -> Self {
        Self {
            id: r.id,
            title: r.title,
            name: r.name,
            phone: r.phone,
            cost: r.cost,
            state: r.state,
            at: crate::time::local_minute(r.created_at),
        }
    }
}

#[server(endpoint = "my_rewards")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all))]
pub async fn my_rewards(before: Option<i64>) -> Result<MemberRewardsView, AppError> {
    use crate::auth::session;
    let mut conn = session::pool()?.acquire().await?;
    let actor = session::require_actor(&mut conn).await?;
    let now = chrono::Utc::now();
    let m = super::flow::for_member(&mut conn, &actor, before, now).await?;
    Ok(MemberRewardsView {
        balance: m.balance,
        offered: m
            .offered
            .into_iter()
            .map(|r| RewardView::of(r, now))
            .collect(),
        mine: m.mine.into_iter().map(Into::into).collect(),
        next: m.next,
    })
}

/// Redeems one of `reward`; the redemption's id.
#[server(endpoint = "redeem_reward")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all))]
pub async fn redeem_reward(reward: i64) -> Result<i64, AppError> {
    use crate::auth::session;
    let mut tx = session::pool()?.begin().await?;
    let actor = session::require_actor(&mut tx).await?;
    let id = super::flow::redeem(&mut tx, &actor, reward, chrono::Utc::now()).await?;
    tx.commit().await?;
    Ok(id)
}

/// Moves a redemption to `state` (`issued`, `collected` or `cancelled`).
#[server(endpoint = "set_redemption_state")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all))]
pub async fn set_redemption_state(redemption: i64, state: String) -> Result<(), AppError> {
    use crate::auth::session;
    use crate::error::Msg;
    let to = RedemptionState::parse(state.trim())
        .ok_or_else(|| AppError::invalid("state", Msg::BadRequest))?;
    let mut tx = session::pool()?.begin().await?;
    let actor = session::require_actor(&mut tx).await?;
    super::flow::set_state(&mut tx, &actor, redemption, to, chrono::Utc::now()).await?;
    tx.commit().await?;
    Ok(())
}

#[server(endpoint = "org_rewards")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all))]
pub async fn org_rewards(org: OrgId, before: Option<i64>) -> Result<OrgRewardsView, AppError> {
    use crate::auth::session;
    let mut conn = session::pool()?.acquire().await?;
    let actor = session::require_actor(&mut conn).await?;
    let now = chrono::Utc::now();
    let o = super::flow::of_org(&mut conn, &actor, org, before).await?;
    Ok(OrgRewardsView {
        org_id: o.org.id,
        org: o.org.name,
        rewards: o
            .rewards
            .into_iter()
            .map(|r| RewardView::of(r, now))
            .collect(),
        redemptions: o.redemptions.into_iter().map(Into::into).collect(),
        next: o.next,
    })
}

/// Offers a reward from `org`; the reward's id.
#[server(endpoint = "offer_reward")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all))]
pub async fn offer_reward(
    org: OrgId,
    #[server(flatten)] form: RewardForm,
) -> Result<i64, AppError> {
    use crate::auth::session;
    let mut tx = session::pool()?.begin().await?;
    let actor = session::require_actor(&mut tx).await?;
    let id = super::flow::offer(&mut tx, &actor, org, &form, chrono::Utc::now()).await?;
    tx.commit().await?;
    Ok(id)
}
