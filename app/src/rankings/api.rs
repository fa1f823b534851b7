//! Server functions for the 排行 tab: member boards by scope and period with "my rank",
//! organization boards, and the privacy switch.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use super::model::{BoardRow, OrgBoardRow, Period, RatingRow, ScopeChoice};
use crate::error::AppError;
use crate::ids::OrgId;
use crate::ui::charts::Chart;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BoardView {
    pub scope: String,
    pub period: Period,
    pub scopes: Vec<ScopeChoice>,
    pub total: i64,
    pub page: i64,
    pub pages: i64,
    pub rows: Vec<BoardRow>,
    /// The viewer and the neighbours around them (empty when not on this board).
    pub mine: Vec<BoardRow>,
    pub anonymous: bool,
    /// The viewer's charts, and their branch's when the scope is a branch they run.
    pub charts: Vec<Chart>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OrgBoardView {
    pub scope: String,
    pub period: Period,
    pub scopes: Vec<ScopeChoice>,
    pub rows: Vec<OrgBoardRow>,
    pub chart: Option<Chart>,
    /// The organization whose branches the viewer may rate, when they administer it.
    pub rate_org: Option<OrgId>,
}

/// A member board: `scope` is `platform`, `org:<id>` (one of the viewer's) or empty (their
/// branch); `period` is day, week, month, year or all (empty: week); pages of 50. A page
/// past the end is empty. With the charts beside it, so that the page asks once.
#[server(endpoint = "member_board")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all))]
pub async fn member_board(scope: String, period: String, page: i64) -> Result<BoardView, AppError> {
    use super::model::PAGE_SIZE;
    use crate::auth::session;
    let period = super::model::parse_period(&period)?;
    let page = page.clamp(1, 1_000_000);
    let mut conn = session::pool()?.acquire().await?;
    let user = session::require_claim().await?;
    let b = super::flow::member_board(&mut conn, &user, &scope, period, page).await?;
    Ok(BoardView {
        scope: b.scope,
        period,
        scopes: b.scopes,
        total: b.parts.total,
        page,
        pages: (b.parts.total + PAGE_SIZE - 1) / PAGE_SIZE,
        rows: b.parts.rows,
        mine: b.parts.mine,
        anonymous: b.parts.anonymous,
        charts: b.charts,
    })
}

/// The organizations directly under one of the viewer's organizations, compared fairly:
/// points per member (a general branch adds the average of its branches'), ties broken by
/// the weakest week, with 参学率 beside.
#[server(endpoint = "org_board")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all))]
pub async fn org_board(scope: String, period: String) -> Result<OrgBoardView, AppError> {
    use crate::auth::session;
    let period = super::model::parse_period(&period)?;
    let mut conn = session::pool()?.acquire().await?;
    let user = session::require_claim().await?;
    let b = super::flow::org_board(&mut conn, &user, &scope, period).await?;
    let chart = (!b.rows.is_empty()).then(|| super::flow::orgs_chart(&b.rows));
    Ok(OrgBoardView {
        scope: b.scope,
        period,
        scopes: b.scopes,
        rows: b.rows,
        chart,
        rate_org: b.rate_org,
    })
}

/// Appear as 匿名成员 on boards outside the member's branch, or not.
#[server(endpoint = "set_rank_anonymous")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all))]
pub async fn set_rank_anonymous(anonymous: Option<String>) -> Result<bool, AppError> {
    use crate::auth::session;
    let mut conn = session::pool()?.acquire().await?;
    let actor = session::require_actor(&mut conn).await?;
    let on = anonymous.is_some();
    super::store::set_anonymous(&mut conn, actor.user_id, on).await?;
    Ok(on)
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RatingsView {
    pub org_id: OrgId,
    pub org_name: String,
    pub period: String,
    pub rows: Vec<RatingRow>,
    /// Components and their weights. A branch with nothing to measure in a component (no
    /// meetings due, no records, no transfer steps) shows "—" there, and the weights of the
    /// others count in full.
    pub weights: Vec<(super::model::Component, i32)>,
    pub chart: Option<Chart>,
}

/// The superior's rating page: `org` is an organization the caller administers; `period`
/// a quarter (2026-Q4) or a year (empty: this quarter).
#[server(endpoint = "star_ratings")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all, fields(org)))]
pub async fn star_ratings(org: OrgId, period: String) -> Result<RatingsView, AppError> {
    use crate::auth::session;
    let mut conn = session::pool()?.acquire().await?;
    let actor = session::require_actor(&mut conn).await?;
    let o = session::administered_org(&mut conn, &actor, org).await?;
    let period = super::model::parse_rating_period(&period, chrono::Utc::now())?;
    let rows = super::store::ratings(&mut conn, o.id, &period.to_string()).await?;
    let weights = super::store::rating_weights(&mut conn).await?;
    let chart = (!rows.is_empty()).then(|| super::flow::stars_chart(&rows));
    Ok(RatingsView {
        org_id: o.id,
        org_name: o.name,
        period: period.to_string(),
        rows,
        weights,
        chart,
    })
}

/// Computes the ratings of the branches under `org` for a period from the platform's data:
/// the weighted components, stars by the score lines and within the quotas, only for
/// branches founded six months before the period ends. Published ratings stay as they are.
#[server(endpoint = "compute_ratings")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all, fields(org)))]
pub async fn compute_ratings(org: OrgId, period: String) -> Result<u32, AppError> {
    use crate::auth::session;
    let mut tx = session::begin().await?;
    let actor = session::require_actor(&mut tx).await?;
    let o = session::administered_org(&mut tx, &actor, org).await?;
    let period = super::model::parse_rating_period(&period, chrono::Utc::now())?;
    let n = super::flow::compute_ratings(&mut tx, &actor, &o, &period).await?;
    tx.commit().await?;
    Ok(n)
}

/// Confirms a computed rating, or adjusts its stars (0 for rectification, 2 to 5) with a
/// reason.
#[server(endpoint = "confirm_rating")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all, fields(id)))]
pub async fn confirm_rating(id: i64, stars: String, reason: String) -> Result<(), AppError> {
    use crate::auth::session;
    use crate::error::Msg;
    let stars: u8 = match stars.trim().parse() {
        Ok(s @ (0 | 2..=5)) => s,
        _ => return Err(AppError::invalid("stars", Msg::StarsInvalid)),
    };
    let reason: String = reason.trim().chars().take(200).collect();
    let mut tx = session::begin().await?;
    let actor = session::require_actor(&mut tx).await?;
    let (superior, status, computed) = super::store::rating_for_update(&mut tx, id)
        .await?
        .ok_or(AppError::NotFound)?;
    session::administered_org(&mut tx, &actor, superior).await?;
    if status == super::model::RatingStatus::Published {
        return Err(AppError::Conflict(Msg::RatingPublished));
    }
    let adjusted = stars != computed;
    if adjusted && reason.is_empty() {
        return Err(AppError::invalid("reason", Msg::ReasonRequired));
    }
    super::store::confirm(&mut tx, id, stars, &reason, adjusted, actor.user_id).await?;
    tx.commit().await?;
    Ok(())
}

/// Publishes the confirmed ratings under `org` for a period; refused while any is still
/// unconfirmed.
#[server(endpoint = "publish_ratings")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all, fields(org)))]
pub async fn publish_ratings(org: OrgId, period: String) -> Result<u32, AppError> {
    use crate::auth::session;
    let mut tx = session::begin().await?;
    let actor = session::require_actor(&mut tx).await?;
    let o = session::administered_org(&mut tx, &actor, org).await?;
    let period = super::model::parse_rating_period(&period, chrono::Utc::now())?;
    let n = super::store::publish(&mut tx, o.id, &period.to_string(), actor.user_id)
        .await?
        .ok_or(AppError::Conflict(crate::error::Msg::RatingsUnconfirmed))?;
    tx.commit().await?;
    Ok(n as u32)
}
