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
    /// A meeting of this kind is scheduled in the period.
    pub scheduled: bool,
}

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
pub async fn life_calendar(org: i64, month: String) -> Result<CalendarView, AppError> {
    use super::model::{Frequency, due_items, due_state, parse_month, span_of};
    use crate::auth::session;
    use crate::error::Msg;
    let today = crate::time::day_of(chrono::Utc::now());
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
        meetings: vec![],
        can_schedule: false,
        mine: vec![],
        today: today.to_string(),
    };
    let shanghai = crate::time::shanghai();
    let view_of = |m: super::store::MeetingRow| {
        let (s, e) = (
            m.starts_at.with_timezone(&shanghai),
            m.ends_at.with_timezone(&shanghai),
        );
        Some(MeetingView {
            id: m.id,
            kind: MeetingKind::parse(&m.kind)?,
            title: m.title,
            when: format!("{}–{}", s.format("%Y-%m-%d %H:%M"), e.format("%H:%M")),
            day: s.format("%Y-%m-%d").to_string(),
            place: m.place,
            online_link: m.online_link,
            expected: m.expected,
        })
    };
    view.mine = super::store::upcoming_for(&mut conn, actor.user_id, 60)
        .await?
        .into_iter()
        .filter_map(view_of)
        .collect();
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
    let year = span_of(Frequency::Yearly, span.start);
    let held = super::store::meetings(&mut conn, org_id, year.start, year.end).await?;
    let day = |t: chrono::DateTime<chrono::Utc>| t.with_timezone(&shanghai).date_naive();
    view.items = due_items(&reqs, span.start, span.end, theme)
        .into_iter()
        .map(|i| DueItemView {
            kind: i.kind,
            period: format!("{} – {}", i.span.start, i.span.end),
            on: i.on.map(|d| d.to_string()),
            state: due_state(i.span, today),
            scheduled: held.iter().any(|m| {
                m.kind == i.kind.as_str() && (i.span.start..=i.span.end).contains(&day(m.starts_at))
            }),
        })
        .collect();
    view.meetings = held
        .into_iter()
        .filter(|m| (span.start..=span.end).contains(&day(m.starts_at)))
        .filter_map(view_of)
        .collect();
    view.can_schedule = actor.can_manage(&o.path);
    view.org = Some((o.id, o.name, o.tree));
    Ok(view)
}

pub use schedule::*;

/// One argument per form field; the browser build's generated call trips the argument
/// count lint, which an attribute on the function does not reach.
#[allow(clippy::too_many_arguments, reason = "one form field each")]
mod schedule {
    use leptos::prelude::*;

    use crate::error::AppError;

    /// Schedules a meeting of a branch: its secretary, committee members and the admins
    /// above. Every current member is expected and told. Without JavaScript the browser
    /// goes back to the calendar of the meeting's month.
    #[server(endpoint = "schedule_meeting")]
    #[cfg_attr(feature = "ssr", tracing::instrument(skip_all, fields(org)))]
    pub async fn schedule_meeting(
        org: i64,
        kind: String,
        title: String,
        starts: String,
        ends: String,
        place: String,
        online_link: String,
        agenda: String,
        chair: String,
        recorder: String,
        attendees: String,
        members: Option<std::collections::HashMap<String, String>>,
    ) -> Result<i64, AppError> {
        use crate::auth::session;
        use crate::org_life::model::MeetingForm;
        let form = MeetingForm {
            kind,
            title,
            starts,
            ends,
            place,
            online_link,
            agenda,
            chair,
            recorder,
        };
        let meeting = form.parse().map_err(AppError::Invalid)?;
        crate::org_life::model::check_lead_time(meeting.starts, chrono::Utc::now())
            .map_err(|m| AppError::invalid("starts", m))?;
        let ticked: Vec<String> = members.unwrap_or_default().into_values().collect();
        let attendees = crate::org_life::model::Attendees::parse(&attendees, &ticked)
            .map_err(|m| AppError::invalid("attendees", m))?;
        let mut tx = session::begin().await?;
        let actor = session::require_actor(&mut tx).await?;
        let o = crate::org_life::meeting_flow::managed_org(&mut tx, &actor, org, true).await?;
        let (id, expected) =
            crate::org_life::store::schedule(&mut tx, o.id, &meeting, &attendees, actor.user_id)
                .await?;
        let month = meeting
            .starts
            .with_timezone(&crate::time::shanghai())
            .format("%Y-%m")
            .to_string();
        let link = format!("/orglife?org={}&month={month}", o.id);
        crate::notices::store::notify(
            &mut tx,
            &expected,
            &crate::notices::model::Message::MeetingScheduled {
                org: o.name.clone(),
                title: meeting.title.clone(),
            },
            &link,
            &format!("meeting:{id}:scheduled"),
        )
        .await?;
        tx.commit().await?;
        leptos_axum::redirect(&link);
        Ok(id)
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
    let secret = super::store::feed_secret(&mut conn, actor.user_id, renew).await?;
    Ok(format!(
        "{}/calendar/{secret}.ics",
        crate::league::founding_flow::origin()
    ))
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ScheduleOptionsView {
    pub org_id: i64,
    pub org_name: String,
    pub tree: Tree,
    /// The branch's members, to choose attendees from.
    pub members: Vec<(i64, String)>,
}

/// What the scheduling form needs: the branch, its tree (for the items' names) and its
/// members. For those who run the branch; `org` 0 is the viewer's first branch.
#[server(endpoint = "schedule_options")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all, fields(org)))]
pub async fn schedule_options(org: i64) -> Result<ScheduleOptionsView, AppError> {
    use crate::auth::session;
    let mut conn = session::pool()?.acquire().await?;
    let actor = session::require_actor(&mut conn).await?;
    let org = if org == 0 {
        super::store::my_branches(&mut conn, actor.user_id)
            .await?
            .first()
            .map(|b| b.0)
            .ok_or(AppError::NotFound)?
    } else {
        org
    };
    let o = super::meeting_flow::managed_org(&mut conn, &actor, org, true).await?;
    Ok(ScheduleOptionsView {
        members: super::store::roster(&mut conn, o.id).await?,
        org_id: o.id,
        org_name: o.name,
        tree: o.tree,
    })
}
