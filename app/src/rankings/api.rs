//! Server functions for the 排行 tab: member boards by scope and period with "my rank",
//! organization boards, and the privacy switch.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use super::model::{ChartView, OrgBoardRow, Period, ScopeChoice};
use crate::error::AppError;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BoardRow {
    pub rank: u32,
    /// "匿名成员" for a member who asked for it, outside their branch.
    pub name: String,
    pub points: i32,
    pub me: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
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
    /// The member's own charts, and the branch's for those who run it.
    pub charts: Vec<ChartView>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrgBoardView {
    pub scope: String,
    pub period: Period,
    pub scopes: Vec<ScopeChoice>,
    pub rows: Vec<OrgBoardRow>,
    pub chart: Option<ChartView>,
}

/// A member board: `scope` is `platform`, `org:<id>` (one of the viewer's) or empty (their
/// branch); `period` is day, week, month, year or all (empty: week); pages of 50. A page
/// past the end is empty.
#[server(endpoint = "member_board")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all))]
pub async fn member_board(scope: String, period: String, page: i64) -> Result<BoardView, AppError> {
    use super::model::{NEIGHBOURS, PAGE_SIZE, choose, parse_period};
    use crate::auth::session;
    let period = parse_period(&period)?;
    let mut conn = session::pool()?.acquire().await?;
    let actor = session::require_actor(&mut conn).await?;
    let choices = super::store::scope_choices(&mut conn, &actor).await?;
    let (scope, path) = choose(&choices, &scope)?;
    let key = period.key(chrono::Utc::now());
    let page = page.clamp(1, 1_000_000);
    let anonymous_name = crate::i18n::use_t().anonymous_member;
    let (total, rows) = super::store::board_page(
        &mut conn,
        path.as_ref(),
        &key,
        actor.user_id,
        (page - 1) * PAGE_SIZE,
        PAGE_SIZE,
        anonymous_name,
    )
    .await?;
    let mine = super::store::around_me(
        &mut conn,
        path.as_ref(),
        &key,
        actor.user_id,
        NEIGHBOURS,
        anonymous_name,
    )
    .await?;
    let mut charts = super::store::my_charts(&mut conn, actor.user_id).await?;
    if let Some(p) = &path
        && actor.can_manage(p)
        && super::store::is_branch(&mut conn, p.id()).await?
    {
        charts.extend(super::store::branch_charts(&mut conn, p.id()).await?);
    }
    Ok(BoardView {
        charts,
        scope,
        period,
        scopes: choices.into_iter().map(|(c, _)| c).collect(),
        total,
        page,
        pages: (total + PAGE_SIZE - 1) / PAGE_SIZE,
        rows,
        mine,
        anonymous: super::store::anonymous(&mut conn, actor.user_id).await?,
    })
}

/// The organizations directly under one of the viewer's organizations, compared fairly:
/// points per member (a general branch adds the average of its branches'), ties broken by
/// the weakest week, with 参学率 beside.
#[server(endpoint = "org_board")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all))]
pub async fn org_board(scope: String, period: String) -> Result<OrgBoardView, AppError> {
    use super::model::{choose, parse_period};
    use crate::auth::session;
    let period = parse_period(&period)?;
    let mut conn = session::pool()?.acquire().await?;
    let actor = session::require_actor(&mut conn).await?;
    // Organization boards compare organizations under one: the platform has none above it.
    let choices: Vec<_> = super::store::scope_choices(&mut conn, &actor)
        .await?
        .into_iter()
        .filter(|(_, p)| p.is_some())
        .collect();
    if choices.is_empty() {
        return Err(AppError::Forbidden);
    }
    let scope_key = if scope.trim().is_empty() {
        // The nearest organization above the viewer's branch: its branches are the peers.
        choices
            .get(1)
            .or(choices.first())
            .map(|(c, _)| c.key.clone())
            .unwrap_or_default()
    } else {
        scope
    };
    let (scope, path) = choose(&choices, &scope_key)?;
    let Some(path) = path else {
        return Err(AppError::invalid(
            "scope",
            crate::error::Msg::BoardScopeUnknown,
        ));
    };
    let now = chrono::Utc::now();
    let weeks = super::model::week_keys(period, now);
    let figures = super::store::org_figures(&mut conn, &path, &period.key(now), &weeks).await?;
    let rows = super::model::org_board(path.id(), &figures);
    let chart = (!rows.is_empty()).then(|| super::store::orgs_chart(&rows));
    Ok(OrgBoardView {
        scope,
        period,
        scopes: choices.into_iter().map(|(c, _)| c).collect(),
        rows,
        chart,
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
