//! Server functions for the branch calendar: a month of a branch's due items and meetings,
//! and the address of the viewer's calendar feed.

use crate::ids::OrgId;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use super::model::DueState;
use crate::error::AppError;
use crate::org_life::meetings::model::MeetingKind;
use crate::orgs::model::Tree;

/// An item a branch must hold, as the calendar shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DueItemView {
    pub kind: MeetingKind,
    /// The item's period, as "2026-10-01 – 2026-12-31".
    pub period: String,
    /// The theme day's date.
    pub on: Option<String>,
    pub state: DueState,
    /// A meeting of this kind is scheduled in the period.
    pub scheduled: bool,
}

/// A meeting on the calendar.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MeetingView {
    pub id: i64,
    pub kind: MeetingKind,
    pub title: String,
    /// "2026-11-26 19:00–20:30", Asia/Shanghai.
    pub when: String,
    pub place: String,
    pub online_link: String,
    pub expected: i64,
    /// Its day, "2026-11-26", Asia/Shanghai.
    pub day: String,
}

/// A month of the branch calendar.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CalendarView {
    /// The branch shown; none when the viewer has no branch.
    pub org: Option<(OrgId, String, Tree)>,
    /// The viewer's branches, to switch between.
    pub branches: Vec<(OrgId, String)>,
    pub month: String,
    pub prev: String,
    pub next: String,
    pub items: Vec<DueItemView>,
    /// The month's meetings.
    pub meetings: Vec<MeetingView>,
    /// The viewer runs the branch (its secretary, committee or admins above).
    pub can_schedule: bool,
    /// The meetings of the next 60 days the viewer is expected at, in any branch.
    pub mine: Vec<MeetingView>,
    /// Today, Asia/Shanghai (the browser's clock is not asked).
    pub today: String,
}

/// The items a branch must hold in a month's periods (the month, its quarter, its year),
/// with where each stands. `org` 0 is the viewer's first branch; `month` empty is this month.
/// For the branch's members and those who manage it.
#[server(endpoint = "life_calendar")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all))]
pub async fn life_calendar(org: OrgId, month: String) -> Result<CalendarView, AppError> {
    use crate::auth::session;
    use crate::error::Msg;
    let today = crate::time::day_of(chrono::Utc::now());
    let span = super::model::calendar_month(&month, today)
        .ok_or_else(|| AppError::invalid("month", Msg::BadRequest))?;
    let mut conn = session::pool()?.acquire().await?;
    let actor = session::require_actor(&mut conn).await?;
    let calendar = super::flow::calendar(&mut conn, &actor, org, span, today).await?;
    Ok(calendar.into())
}

#[cfg(feature = "ssr")]
impl From<super::store::CalendarMeetingRow> for MeetingView {
    fn from(m: super::store::CalendarMeetingRow) -> Self {
        use crate::org_life::meetings::model::meeting_when;
        MeetingView {
            id: m.id,
            kind: m.kind,
            title: m.title,
            when: meeting_when(m.starts_at, m.ends_at),
            day: crate::time::day_of(m.starts_at).to_string(),
            place: m.place,
            online_link: m.online_link,
            expected: m.expected,
        }
    }
}

#[cfg(feature = "ssr")]
impl From<super::model::CalendarItem> for DueItemView {
    fn from(c: super::model::CalendarItem) -> Self {
        let i = c.item;
        DueItemView {
            kind: i.kind,
            period: format!("{} – {}", i.span.start, i.span.end),
            on: i.on.map(|d| d.to_string()),
            state: c.state,
            scheduled: c.scheduled,
        }
    }
}

#[cfg(feature = "ssr")]
impl From<super::flow::Calendar> for CalendarView {
    fn from(c: super::flow::Calendar) -> Self {
        use super::model::{month_label, neighbour_months};
        let (prev, next) = neighbour_months(c.month);
        let mut view = CalendarView {
            org: None,
            branches: c.branches,
            month: month_label(c.month.start),
            prev,
            next,
            items: vec![],
            meetings: vec![],
            can_schedule: false,
            mine: c.mine.into_iter().map(MeetingView::from).collect(),
            today: c.today.to_string(),
        };
        if let Some(b) = c.branch {
            view.items = b.items.into_iter().map(DueItemView::from).collect();
            view.meetings = b.meetings.into_iter().map(MeetingView::from).collect();
            view.can_schedule = b.can_schedule;
            view.org = Some((b.org.id, b.org.name, b.org.tree));
        }
        view
    }
}

/// The address of the viewer's calendar feed (made on first use); `renew` makes a new
/// secret so that the old address stops working.
#[server(endpoint = "calendar_feed")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all, fields(renew)))]
pub async fn calendar_feed(renew: bool) -> Result<String, AppError> {
    use crate::auth::session;
    let mut conn = session::pool()?.acquire().await?;
    let actor = session::require_actor(&mut conn).await?;
    super::flow::feed_address(&mut conn, &actor, renew).await
}
