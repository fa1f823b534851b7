//! Server functions for organization life: the branch calendar of due items.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use super::model::{DueState, MeetingKind};
use crate::error::AppError;
use crate::orgs::model::Tree;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DueItemView {
    pub kind: MeetingKind,
    /// The item's period, as "2026-10-01 – 2026-12-31".
    pub period: String,
    /// The theme day's date.
    pub on: Option<String>,
    pub state: DueState,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CalendarView {
    /// The branch shown; none when the viewer has no branch.
    pub org: Option<(i64, String, Tree)>,
    /// The viewer's branches, to switch between.
    pub branches: Vec<(i64, String)>,
    pub month: String,
    pub prev: String,
    pub next: String,
    pub items: Vec<DueItemView>,
}

/// The items a branch must hold in a month's periods (the month, its quarter, its year),
/// with where each stands. `org` 0 is the viewer's first branch; `month` empty is this month.
/// For the branch's members and those who manage it.
#[server(endpoint = "life_calendar")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all))]
pub async fn life_calendar(org: i64, month: String) -> Result<CalendarView, AppError> {
    use super::model::{Frequency, due_items, due_state, parse_month, span_of};
    use crate::auth::session;
    use crate::error::Msg;
    let today = crate::points::model::day_of(chrono::Utc::now());
    let span = if month.trim().is_empty() {
        span_of(Frequency::Monthly, today)
    } else {
        parse_month(&month).ok_or_else(|| AppError::invalid("month", Msg::BadRequest))?
    };
    let mut conn = session::pool()?.acquire().await?;
    let actor = session::require_actor(&mut conn).await?;
    let branches = super::store::my_branches(&mut conn, actor.user_id).await?;
    let org_id = if org == 0 {
        branches.first().map(|b| b.0)
    } else {
        Some(org)
    };
    let fmt = |d: chrono::NaiveDate| d.format("%Y-%m").to_string();
    let prev = fmt(span.start.pred_opt().unwrap_or(span.start));
    let next = fmt(span.end.succ_opt().unwrap_or(span.end));
    let mut view = CalendarView {
        org: None,
        branches: branches.clone(),
        month: fmt(span.start),
        prev,
        next,
        items: vec![],
    };
    let Some(org_id) = org_id else {
        return Ok(view);
    };
    let o = crate::orgs::store::org(&mut conn, org_id)
        .await?
        .ok_or(AppError::NotFound)?;
    if !branches.iter().any(|b| b.0 == org_id) && !actor.can_manage(&o.path) {
        return Err(AppError::Forbidden);
    }
    if !o.kind.is_branch() {
        return Err(AppError::invalid("org", Msg::KindNotAllowedHere));
    }
    let reqs = super::store::requirements(&mut conn, o.tree).await?;
    let theme = super::store::theme_day(&mut conn, org_id).await?;
    view.items = due_items(&reqs, span.start, span.end, theme)
        .into_iter()
        .map(|i| DueItemView {
            kind: i.kind,
            period: format!("{} – {}", i.span.start, i.span.end),
            on: i.on.map(|d| d.to_string()),
            state: due_state(i.span, today),
        })
        .collect();
    view.org = Some((o.id, o.name, o.tree));
    Ok(view)
}
