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
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrgBoardView {
    pub scope: String,
    pub period: Period,
    pub scopes: Vec<ScopeChoice>,
    pub rows: Vec<OrgBoardRow>,
    pub chart: Option<ChartView>,
    /// The organization whose branches the viewer may rate, when they administer it.
    pub rate_org: Option<i64>,
}

/// A member board: `scope` is `platform`, `org:<id>` (one of the viewer's) or empty (their
/// branch); `period` is day, week, month, year or all (empty: week); pages of 50. A page
/// past the end is empty.
#[server(endpoint = "member_board")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all))]
pub async fn member_board(scope: String, period: String, page: i64) -> Result<BoardView, AppError> {
    use super::model::{NEIGHBOURS, PAGE_SIZE, choose, parse_period, scope_id_of};
    use crate::auth::session;
    let period = parse_period(&period)?;
    let mut conn = session::pool()?.acquire().await?;
    let user = session::require_claim().await?;
    let key = period.key(chrono::Utc::now());
    let page = page.clamp(1, 1_000_000);
    let offset = (page - 1) * PAGE_SIZE;
    // A scope named in the request: the viewer and that scope's facts in one round trip,
    // the facts used only once the viewer is found to see the scope.
    let ((actor, choices), facts) = match scope_id_of(&scope) {
        Some(sid) => {
            let (v, f) =
                super::store::viewer_with_facts(&mut conn, &user, sid, &key, offset, PAGE_SIZE)
                    .await?
                    .ok_or(AppError::Unauthenticated)?;
            (v, Some(f))
        }
        None => (
            super::store::viewer(&mut conn, &user)
                .await?
                .ok_or(AppError::Unauthenticated)?,
            None,
        ),
    };
    let (scope, path) = choose(&choices, &scope)?;
    let anonymous_name = crate::i18n::use_t().anonymous_member;
    let board = super::store::member_board(
        &mut conn,
        path.as_ref(),
        &key,
        actor.user_id,
        offset,
        PAGE_SIZE,
        NEIGHBOURS,
        anonymous_name,
        facts,
    )
    .await?;
    Ok(BoardView {
        scope,
        period,
        scopes: choices.into_iter().map(|(c, _)| c).collect(),
        total: board.total,
        page,
        pages: (board.total + PAGE_SIZE - 1) / PAGE_SIZE,
        rows: board.rows,
        mine: board.mine,
        anonymous: board.anonymous,
    })
}

/// The member's charts (points a day, points by rule this month), and, when `scope` is a
/// branch the viewer runs, the branch's (participation by week, members by points). Apart
/// from the board, so that paging a board does not redraw them.
#[server(endpoint = "board_charts")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all))]
pub async fn board_charts(scope: String) -> Result<Vec<ChartView>, AppError> {
    use crate::auth::session;
    let mut conn = session::pool()?.acquire().await?;
    let user = session::require_claim().await?;
    let (actor, choices) = super::store::viewer(&mut conn, &user)
        .await?
        .ok_or(AppError::Unauthenticated)?;
    let (_, path) = super::model::choose(&choices, &scope)?;
    let mut charts = super::store::my_charts(&mut conn, actor.user_id).await?;
    if let Some(p) = &path
        && actor.can_manage(p)
        && super::store::is_branch(&mut conn, p.id()).await?
    {
        charts.extend(super::store::branch_charts(&mut conn, p.id()).await?);
    }
    Ok(charts)
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
    let user = session::require_claim().await?;
    let (actor, choices) = super::store::viewer(&mut conn, &user)
        .await?
        .ok_or(AppError::Unauthenticated)?;
    // Organization boards compare organizations under one: the platform has none above it.
    let choices: Vec<_> = choices.into_iter().filter(|(_, p)| p.is_some()).collect();
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
    let board = super::store::org_board_rows(&mut conn, &path, &period.key(now), &weeks).await?;
    let rows = board.to_vec();
    let rate_org = actor.can_administer(&path).then(|| path.id());
    let chart = (!rows.is_empty()).then(|| super::store::orgs_chart(&rows));
    Ok(OrgBoardView {
        scope,
        period,
        scopes: choices.into_iter().map(|(c, _)| c).collect(),
        rows,
        chart,
        rate_org,
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

/// A branch's rating as its superior sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RatingRow {
    pub id: i64,
    pub name: String,
    /// Component scores, 0 to 100 (`None`: not measured).
    pub participation: Option<u32>,
    pub per_member: Option<u32>,
    pub meetings: Option<u32>,
    pub records: Option<u32>,
    pub transfers: Option<u32>,
    pub score: u32,
    pub computed_stars: u8,
    pub stars: u8,
    pub status: String,
    pub reason: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RatingsView {
    pub org_id: i64,
    pub org_name: String,
    pub period: String,
    pub rows: Vec<RatingRow>,
    /// Components and their weights. A branch with nothing to measure in a component (no
    /// meetings due, no records, no transfer steps) shows "—" there, and the weights of the
    /// others count in full.
    pub weights: Vec<(super::model::Component, i32)>,
    pub chart: Option<ChartView>,
}

/// The superior's rating page: `org` is an organization the caller administers; `period`
/// a quarter (2026-Q4) or a year (empty: this quarter).
#[server(endpoint = "star_ratings")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all, fields(org)))]
pub async fn star_ratings(org: i64, period: String) -> Result<RatingsView, AppError> {
    use crate::auth::session;
    let mut conn = session::pool()?.acquire().await?;
    let actor = session::require_actor(&mut conn).await?;
    let o = session::administered_org(&mut conn, &actor, org).await?;
    let period = super::model::parse_rating_period(&period, chrono::Utc::now())?;
    let rows = super::store::ratings(&mut conn, o.id, &period.to_string()).await?;
    let weights = super::store::rating_weights(&mut conn).await?;
    let chart = (!rows.is_empty()).then(|| super::store::stars_chart(&rows));
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
pub async fn compute_ratings(org: i64, period: String) -> Result<u32, AppError> {
    use super::model::{
        Component, old_enough, participation, per_member_tenths, rate_with_quotas, rating_score,
        relative,
    };
    use crate::auth::session;
    let mut tx = session::begin().await?;
    let actor = session::require_actor(&mut tx).await?;
    let o = session::administered_org(&mut tx, &actor, org).await?;
    let period = super::model::parse_rating_period(&period, chrono::Utc::now())?;
    let weights = super::store::rating_weights(&mut tx).await?;
    let inputs: Vec<_> = super::store::rating_inputs(&mut tx, &o.path, &period.month_keys())
        .await?
        .into_iter()
        .filter(|i| old_enough(i.founded_on, period.end()))
        .collect();
    let per_member: Vec<i64> = inputs
        .iter()
        .map(|i| per_member_tenths(i.points, i.members))
        .collect();
    let best = per_member.iter().copied().max().unwrap_or(0);
    let parts: Vec<(u32, u32)> = inputs
        .iter()
        .zip(&per_member)
        .map(|(i, pm)| {
            (
                participation(i.participants, i.members),
                relative(*pm, best),
            )
        })
        .collect();
    let life = crate::org_life::compliance_store::life_components(
        &mut tx,
        &o.path,
        period.start(),
        period.end(),
    )
    .await?;
    let life_of = |id: i64| life.get(&id).copied().unwrap_or((None, None));
    let transfers = crate::transfers::store::handled_in_time_by_branch(
        &mut tx,
        &o.path,
        period.start(),
        period.end(),
        crate::time::day_of(chrono::Utc::now()),
    )
    .await?;
    let transfers_of = |id: i64| transfers.get(&id).copied().flatten();
    let scores: Vec<u32> = parts
        .iter()
        .zip(&inputs)
        .map(|((p, m), i)| {
            let (meetings, records) = life_of(i.org_id);
            rating_score(
                &weights,
                &[
                    (Component::Participation, Some(*p)),
                    (Component::PerMember, Some(*m)),
                    (Component::Meetings, meetings),
                    (Component::Records, records),
                    (Component::Transfers, transfers_of(i.org_id)),
                ],
            )
        })
        .collect();
    let stars = rate_with_quotas(&scores);
    let key = period.to_string();
    for (i, input) in inputs.iter().enumerate() {
        super::store::save_computed(
            &mut tx,
            &super::store::NewRating {
                superior_id: o.id,
                org_id: input.org_id,
                period: &key,
                participation: parts[i].0,
                per_member: parts[i].1,
                score: scores[i],
                stars: stars[i].count(),
                meetings: life_of(input.org_id).0,
                records: life_of(input.org_id).1,
                transfers: transfers_of(input.org_id),
            },
            actor.user_id,
        )
        .await?;
    }
    tx.commit().await?;
    Ok(inputs.len() as u32)
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
    if status == "published" {
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
pub async fn publish_ratings(org: i64, period: String) -> Result<u32, AppError> {
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
