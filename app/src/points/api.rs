//! Server functions for the 积分 tab: today's progress per rule, totals, the ledger history;
//! and for platform admins, the rules and their versions.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use super::model::{CapPeriod, RuleCode};
use crate::error::AppError;

/// One rule's row on the 积分 tab: what it gives, and what has been earned against its cap
/// in the current period.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ProgressRow {
    pub code: RuleCode,
    pub points: i32,
    pub cap_period: CapPeriod,
    pub cap: Option<i32>,
    pub earned: i32,
    /// The rule's further day and week caps, with what has been earned against each.
    pub day_cap: Option<(i32, i32)>,
    pub week_cap: Option<(i32, i32)>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PointsView {
    /// Today, this week, this month, this year, all time.
    pub totals: [i32; 5],
    pub rows: Vec<ProgressRow>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LedgerView {
    pub id: i64,
    pub code: RuleCode,
    pub version: i32,
    pub points: i32,
    pub source_kind: String,
    pub source_id: String,
    /// The title of the item or quiz that earned it, when it has one.
    pub source_title: Option<String>,
    /// Asia/Shanghai, `2026-11-23 09:30`.
    pub at: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LedgerPage {
    pub rows: Vec<LedgerView>,
    /// Pass as `before` for the next page; `None` on the last page.
    pub next: Option<i64>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RuleView {
    pub code: RuleCode,
    pub version: i32,
    pub points: i32,
    pub cap_period: CapPeriod,
    pub cap: Option<i32>,
    pub day_cap: Option<i32>,
    pub week_cap: Option<i32>,
    pub effective_from: String,
}

/// The size of one page of the ledger history.
pub const LEDGER_PAGE: i64 = 20;

/// The 积分 tab's summary. Opening it counts as the day's first sign-in, if it is.
#[server(endpoint = "my_points")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all))]
pub async fn my_points() -> Result<PointsView, AppError> {
    use crate::auth::session;
    let now = chrono::Utc::now();
    let mut tx = session::begin().await?;
    let actor = session::require_actor(&mut tx).await?;
    super::store::award_sign_in(&mut tx, actor.user_id, now).await?;
    let rules = super::store::rules_at(&mut tx, now).await?;
    let progress = super::store::cap_progress(&mut tx, actor.user_id, now).await?;
    let totals = super::store::totals(&mut tx, actor.user_id, now).await?;
    tx.commit().await?;
    let keys = super::model::period_keys(now);
    let rows = RuleCode::ALL
        .into_iter()
        .filter_map(|code| rules.iter().find(|r| r.code == code))
        .map(|r| {
            let earned_in = |key: &str| {
                progress
                    .iter()
                    .find(|(c, k, _)| c == r.code.as_str() && k == key)
                    .map(|(_, _, e)| *e)
                    .unwrap_or(0)
            };
            let (today, week) = (earned_in(&keys[0]), earned_in(&keys[1]));
            ProgressRow {
                code: r.code,
                points: r.points,
                cap_period: r.cap_period,
                cap: r.cap,
                earned: if r.cap_period == CapPeriod::Week {
                    week
                } else {
                    today
                },
                day_cap: r
                    .day_cap
                    .filter(|_| r.cap_period != CapPeriod::Day)
                    .map(|c| (today, c)),
                week_cap: r
                    .week_cap
                    .filter(|_| r.cap_period != CapPeriod::Week)
                    .map(|c| (week, c)),
            }
        })
        .collect();
    Ok(PointsView { totals, rows })
}

/// A page of the caller's ledger, newest first.
#[server(endpoint = "my_ledger")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all))]
pub async fn my_ledger(before: Option<i64>) -> Result<LedgerPage, AppError> {
    use crate::auth::session;
    let mut conn = session::pool()?.acquire().await?;
    let actor = session::require_actor(&mut conn).await?;
    let mut rows =
        super::store::ledger_page(&mut conn, actor.user_id, before, LEDGER_PAGE + 1).await?;
    let more = rows.len() as i64 > LEDGER_PAGE;
    rows.truncate(LEDGER_PAGE as usize);
    let next = if more {
        rows.last().map(|r| r.id)
    } else {
        None
    };
    Ok(LedgerPage { rows, next })
}

/// Every version of every rule, newest first: platform admins only.
#[server(endpoint = "point_rules")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all))]
pub async fn point_rules() -> Result<Vec<RuleView>, AppError> {
    use crate::auth::session;
    let mut conn = session::pool()?.acquire().await?;
    let actor = session::require_actor(&mut conn).await?;
    if !actor.is_platform_admin() {
        return Err(AppError::Forbidden);
    }
    let shanghai = crate::time::shanghai();
    Ok(super::store::all_rules(&mut conn)
        .await?
        .into_iter()
        .map(|r| RuleView {
            code: r.code,
            version: r.version,
            points: r.points,
            cap_period: r.cap_period,
            cap: r.cap,
            day_cap: r.day_cap,
            week_cap: r.week_cap,
            effective_from: r
                .effective_from
                .with_timezone(&shanghai)
                .format("%Y-%m-%d")
                .to_string(),
        })
        .collect())
}

/// Changes a rule by adding a version that applies from the start of `from` (a date,
/// Asia/Shanghai, today or later); points earned before keep their version. The further
/// day and week caps, when not sent, stay as they were; sent empty, there is none.
#[server(endpoint = "add_rule_version")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all))]
pub async fn add_rule_version(
    code: String,
    points: String,
    cap: String,
    from: String,
    day_cap: Option<String>,
    week_cap: Option<String>,
) -> Result<(), AppError> {
    use crate::auth::session;
    use crate::error::{Msg, field_ok};
    let mut tx = session::begin().await?;
    let actor = session::require_actor(&mut tx).await?;
    if !actor.is_platform_admin() {
        return Err(AppError::Forbidden);
    }
    let code = RuleCode::parse(&code).ok_or_else(|| AppError::BadRequest("code".into()))?;
    let today = crate::time::day_of(chrono::Utc::now());
    let mut errors = Vec::new();
    let points = field_ok(
        &mut errors,
        "points",
        super::model::parse_points(&points, code),
    );
    let cap = field_ok(&mut errors, "cap", super::model::parse_cap(&cap));
    let day_cap = day_cap.map(|c| field_ok(&mut errors, "day_cap", super::model::parse_cap(&c)));
    let week_cap = week_cap.map(|c| field_ok(&mut errors, "week_cap", super::model::parse_cap(&c)));
    let from = field_ok(
        &mut errors,
        "from",
        super::model::parse_start_day(&from, today),
    );
    AppError::check(errors)?;
    let (Some(points), Some(cap), Some(from)) = (points, cap, from) else {
        return Err(AppError::internal("checked fields missing"));
    };
    let current = super::store::latest_rule(&mut tx, code).await?;
    if current.as_ref().is_some_and(|r| r.effective_from >= from) {
        return Err(AppError::invalid("from", Msg::RuleStartTooEarly));
    }
    let kept = |sent: Option<Option<Option<i32>>>, now: fn(&super::model::Rule) -> Option<i32>| {
        sent.flatten()
            .unwrap_or_else(|| current.as_ref().and_then(now))
    };
    let version = super::store::NewRuleVersion {
        code,
        points,
        cap,
        day_cap: kept(day_cap, |r| r.day_cap),
        week_cap: kept(week_cap, |r| r.week_cap),
        from,
        by: Some(actor.user_id),
    };
    super::store::add_rule_version(&mut tx, &version).await?;
    tx.commit().await?;
    tracing::info!(
        code = code.as_str(),
        points,
        by = actor.user_id,
        "point rule version added"
    );
    Ok(())
}
