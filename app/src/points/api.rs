//! Server functions for the 积分 tab: today's progress per rule, totals, the ledger history;
//! and for platform admins, the rules and their versions.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use super::model::{CapPeriod, PointSource, RuleCode};
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

/// The 积分 tab: totals and each rule's progress.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PointsView {
    /// Today, this week, this month, this year, all time.
    pub totals: [i32; 5],
    pub rows: Vec<ProgressRow>,
}

/// One award or deduction in the ledger history.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LedgerView {
    pub id: i64,
    /// The rule that gave or took the points; none for a reward's spending or refund.
    pub code: Option<RuleCode>,
    pub version: Option<i32>,
    pub points: i32,
    pub source_kind: PointSource,
    pub source_id: String,
    /// The title of the item or quiz that earned it, when it has one.
    pub source_title: Option<String>,
    /// Asia/Shanghai, `2026-11-23 09:30`.
    pub at: String,
}

/// One page of the ledger history, newest first.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LedgerPage {
    pub rows: Vec<LedgerView>,
    /// Pass as `before` for the next page; `None` on the last page.
    pub next: Option<i64>,
}

/// One version of a rule, as the rules page lists it.
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

#[cfg(feature = "ssr")]
impl From<super::store::LedgerRow> for LedgerView {
    fn from(r: super::store::LedgerRow) -> Self {
        Self {
            id: r.id,
            code: r.code,
            version: r.version,
            points: r.points,
            source_kind: r.source_kind,
            source_id: r.source_id,
            source_title: r.source_title,
            at: r.at,
        }
    }
}

#[cfg(feature = "ssr")]
impl From<super::model::Standing> for ProgressRow {
    fn from(s: super::model::Standing) -> Self {
        Self {
            code: s.rule.code,
            points: s.rule.points,
            cap_period: s.rule.cap_period,
            cap: s.rule.cap,
            earned: s.earned,
            day_cap: s.day_cap,
            week_cap: s.week_cap,
        }
    }
}

/// Dates as the rules page shows them: the day a version starts, Asia/Shanghai.
#[cfg(feature = "ssr")]
impl From<super::model::Rule> for RuleView {
    fn from(r: super::model::Rule) -> Self {
        Self {
            code: r.code,
            version: r.version,
            points: r.points,
            cap_period: r.cap_period,
            cap: r.cap,
            day_cap: r.day_cap,
            week_cap: r.week_cap,
            effective_from: r
                .effective_from
                .with_timezone(&crate::time::shanghai())
                .format("%Y-%m-%d")
                .to_string(),
        }
    }
}

/// The size of one page of the ledger history.
pub const LEDGER_PAGE: i64 = 20;

/// The 积分 tab: the summary and one page of the ledger, below `before`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PointsPageView {
    pub summary: PointsView,
    pub ledger: LedgerPage,
}

/// The 积分 tab, read with the viewer in one statement. Opening it counts as the day's first
/// sign-in, if it is.
#[server(endpoint = "points_page")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all))]
pub async fn points_page(before: Option<i64>) -> Result<PointsPageView, AppError> {
    use crate::auth::session;
    let bringing = session::Bringing::start();
    let now = chrono::Utc::now();
    let mut conn = session::pool()?.acquire().await?;
    let claim = session::require_claim().await?;
    let found = super::flow::my_points(&mut conn, &claim, now, before, LEDGER_PAGE + 1).await?;
    let (viewer, overview) = found.unzip();
    bringing.found(viewer)?;
    let overview = overview.ok_or(AppError::Unauthenticated)?;
    let mut rows = overview.ledger;
    let next = (rows.len() as i64 > LEDGER_PAGE).then(|| {
        rows.truncate(LEDGER_PAGE as usize);
        rows.last().map(|r| r.id)
    });
    Ok(PointsPageView {
        summary: PointsView {
            totals: overview.totals,
            rows: overview
                .standings
                .into_iter()
                .map(ProgressRow::from)
                .collect(),
        },
        ledger: LedgerPage {
            rows: rows.into_iter().map(LedgerView::from).collect(),
            next: next.flatten(),
        },
    })
}

/// Every version of every rule, newest first: platform admins only.
#[server(endpoint = "point_rules")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all))]
pub async fn point_rules() -> Result<Vec<RuleView>, AppError> {
    use crate::auth::session;
    let mut conn = session::pool()?.acquire().await?;
    let actor = session::require_actor(&mut conn).await?;
    let rules = super::flow::rules(&mut conn, &actor).await?;
    Ok(rules.into_iter().map(RuleView::from).collect())
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
    let mut tx = session::begin().await?;
    let actor = session::require_actor(&mut tx).await?;
    let change = super::model::RuleChange::parse(
        &code,
        &points,
        &cap,
        day_cap.as_deref(),
        week_cap.as_deref(),
        &from,
        crate::time::day_of(chrono::Utc::now()),
    );
    let rule = super::flow::add_rule_version(&mut tx, &actor, change).await?;
    tx.commit().await?;
    tracing::info!(
        code = rule.code.as_str(),
        points = rule.points,
        by = actor.user_id.0,
        "point rule version added"
    );
    Ok(())
}
