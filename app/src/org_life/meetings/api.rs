//! Server functions for meetings: scheduling and changing one, the scheduling form's
//! options, a meeting's page, leave, the rotating check-in code and checking in with it,
//! and attendance marked by hand.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use super::model::{CheckInWindow, LeaveState, MeetingForm, MeetingKind};
use crate::error::AppError;
use crate::ids::{MeetingId, OrgId, UserId};
use crate::org_life::records::api::RecordView;
use crate::orgs::model::Tree;

/// An expected attendee, as the organizer and the superior see them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AttendeeView {
    pub user_id: UserId,
    pub name: String,
    /// Present: `Some(None)` by code, `Some(Some(reason))` marked by hand.
    pub present: Option<Option<String>>,
    pub leave: Option<(LeaveState, String)>,
}

/// One meeting as its page shows it to the viewer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MeetingDetailView {
    pub id: MeetingId,
    pub org_id: OrgId,
    pub org_name: String,
    pub tree: Tree,
    pub kind: MeetingKind,
    pub title: String,
    /// "2026-11-26 19:00–20:30", Asia/Shanghai.
    pub when: String,
    pub month: String,
    pub place: String,
    pub online_link: String,
    pub agenda: String,
    pub chair: String,
    pub recorder: String,
    /// The times as the form's datetime-local fields want them, Asia/Shanghai.
    pub starts_input: String,
    pub ends_input: String,
    /// The organizer may still change it (it has not started).
    pub can_change: bool,
    pub window: CheckInWindow,
    pub leave_open: bool,
    /// Attendance and the record may be written: from the opening of check-in on.
    pub started: bool,
    /// The viewer is expected at it.
    pub expected: bool,
    pub my_leave: Option<(LeaveState, String)>,
    pub checked_in: bool,
    /// The viewer runs the branch (secretary, committee, the admins above).
    pub organizer: bool,
    /// The viewer reviews the record (an admin above the branch).
    pub superior: bool,
    pub expected_count: i64,
    pub present_count: i64,
    pub leave_count: i64,
    /// Every expected attendee; for the organizer and the superior only.
    pub attendees: Vec<AttendeeView>,
    pub record: RecordView,
    /// The check-in code for the organizer until check-in closes: the screen shows it with
    /// the page, then asks for the next one.
    pub code: Option<CodeView>,
}

/// The check-in code now on the organizer's screen.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CodeView {
    pub code: String,
    /// The QR code of the check-in link with the code, as SVG.
    pub qr_svg: String,
    pub seconds_left: i64,
    pub window: CheckInWindow,
    pub present: i64,
    pub expected: i64,
}

/// What the scheduling form needs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ScheduleOptionsView {
    pub org_id: OrgId,
    pub org_name: String,
    pub tree: Tree,
    /// The branch's members, to choose attendees from.
    pub members: Vec<(UserId, String)>,
}

/// Schedules a meeting of a branch: its secretary, committee members and the admins
/// above. Those chosen as attendees (`attendees`: the branch, its committee, or the
/// `members` ticked) are expected and told. Without JavaScript the browser goes back to the
/// calendar of the meeting's month.
#[server(endpoint = "schedule_meeting")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all, fields(org)))]
pub async fn schedule_meeting(
    org: OrgId,
    #[server(flatten)] form: MeetingForm,
    attendees: String,
    members: Option<std::collections::HashMap<String, String>>,
) -> Result<MeetingId, AppError> {
    use super::model::{Attendees, check_lead_time};
    use crate::auth::session;
    let meeting = form.parse().map_err(AppError::Invalid)?;
    check_lead_time(meeting.starts, chrono::Utc::now())
        .map_err(|m| AppError::invalid("starts", m))?;
    let ticked: Vec<String> = members.unwrap_or_default().into_values().collect();
    let attendees =
        Attendees::parse(&attendees, &ticked).map_err(|m| AppError::invalid("attendees", m))?;
    let mut tx = session::begin().await?;
    let actor = session::require_actor(&mut tx).await?;
    let (id, link) = super::flow::schedule(&mut tx, &actor, org, &meeting, &attendees).await?;
    tx.commit().await?;
    leptos_axum::redirect(&link);
    Ok(id)
}

/// Changes a meeting that has not started: title, times, place or link, agenda, chair
/// and recorder, checked as when scheduling (the place not double-booked); its kind stays.
/// Everyone expected is told.
#[server(endpoint = "change_meeting")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all, fields(meeting)))]
pub async fn change_meeting(
    meeting: MeetingId,
    #[server(flatten)] form: MeetingForm,
) -> Result<(), AppError> {
    use crate::auth::session;
    let mut tx = session::begin().await?;
    let actor = session::require_actor(&mut tx).await?;
    super::flow::change(&mut tx, &actor, meeting, form, chrono::Utc::now()).await?;
    tx.commit().await?;
    Ok(())
}

/// What the scheduling form needs: the branch, its tree (for the items' names) and its
/// members. For those who run the branch; `org` 0 is the viewer's first branch.
#[server(endpoint = "schedule_options")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all, fields(org)))]
pub async fn schedule_options(org: OrgId) -> Result<ScheduleOptionsView, AppError> {
    use crate::auth::session;
    let mut conn = session::pool()?.acquire().await?;
    let actor = session::require_actor(&mut conn).await?;
    let (o, members) = super::flow::schedule_options(&mut conn, &actor, org).await?;
    Ok(ScheduleOptionsView {
        members,
        org_id: o.id,
        org_name: o.name,
        tree: o.tree,
    })
}

/// A meeting's page: particulars, the viewer's leave and check-in, and for those who run
/// or review it, every attendee and the record with its history.
#[server(endpoint = "meeting_detail")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all, fields(id)))]
pub async fn meeting_detail(id: MeetingId) -> Result<MeetingDetailView, AppError> {
    use crate::auth::session;
    let mut conn = session::pool()?.acquire().await?;
    let actor = session::require_actor(&mut conn).await?;
    let detail = super::flow::detail(&mut conn, &actor, id, chrono::Utc::now()).await?;
    Ok(detail.into())
}

#[cfg(feature = "ssr")]
impl From<super::store::AttendeeRow> for AttendeeView {
    fn from(p: super::store::AttendeeRow) -> Self {
        AttendeeView {
            user_id: p.user_id,
            present: p
                .how
                .as_deref()
                .map(|how| (how == "manual").then(|| p.manual_reason.clone())),
            leave: leave_of(&p),
            name: p.name,
        }
    }
}

/// An attendee's leave request and its reason, if they asked.
#[cfg(feature = "ssr")]
fn leave_of(p: &super::store::AttendeeRow) -> Option<(LeaveState, String)> {
    p.leave_state
        .as_deref()
        .and_then(LeaveState::parse)
        .map(|st| (st, p.leave_reason.clone()))
}

#[cfg(feature = "ssr")]
impl From<super::flow::Detail> for MeetingDetailView {
    fn from(d: super::flow::Detail) -> Self {
        use super::model::{meeting_month, meeting_when};
        let (m, org) = (d.access.meeting, d.access.org);
        let shanghai = crate::time::shanghai();
        let input = |t: chrono::DateTime<chrono::Utc>| {
            t.with_timezone(&shanghai)
                .format("%Y-%m-%dT%H:%M")
                .to_string()
        };
        MeetingDetailView {
            id: m.id,
            org_id: org.id,
            org_name: org.name,
            tree: org.tree,
            kind: MeetingKind::parse(&m.kind).unwrap_or(MeetingKind::GeneralMeeting),
            when: meeting_when(m.starts_at, m.ends_at),
            month: meeting_month(m.starts_at),
            starts_input: input(m.starts_at),
            ends_input: input(m.ends_at),
            title: m.title,
            place: m.place,
            online_link: m.online_link,
            agenda: m.agenda,
            chair: m.chair,
            recorder: m.recorder,
            can_change: d.can_change,
            window: d.window,
            leave_open: d.leave_open,
            started: d.started,
            expected: d.access.expected,
            my_leave: d.mine.as_ref().and_then(leave_of),
            checked_in: d.mine.is_some_and(|p| p.how.is_some()),
            organizer: d.access.organizer,
            superior: d.access.superior,
            expected_count: d.expected_count,
            present_count: d.present_count,
            leave_count: d.leave_count,
            attendees: d.attendees.into_iter().map(AttendeeView::from).collect(),
            record: RecordView::of(d.record, d.history, d.attachments),
            code: d.code.map(CodeView::from),
        }
    }
}

/// Asks for leave from a meeting one is expected at, until 20 minutes before the start;
/// the branch's organizers are told.
#[server(endpoint = "ask_leave")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all, fields(meeting)))]
pub async fn ask_leave(meeting: MeetingId, reason: String) -> Result<(), AppError> {
    use crate::auth::session;
    use crate::error::Msg;
    let reason = super::model::parse_reason(&reason)
        .ok_or_else(|| AppError::invalid("reason", Msg::LeaveReasonInvalid))?;
    let mut tx = session::begin().await?;
    let actor = session::require_actor(&mut tx).await?;
    super::flow::ask_leave(&mut tx, &actor, meeting, &reason, chrono::Utc::now()).await?;
    tx.commit().await?;
    Ok(())
}

/// Approves or declines a member's leave; for those who run the branch. The member is told.
#[server(endpoint = "answer_leave")]
#[cfg_attr(
    feature = "ssr",
    tracing::instrument(skip_all, fields(meeting, member))
)]
pub async fn answer_leave(
    meeting: MeetingId,
    member: UserId,
    approve: bool,
) -> Result<(), AppError> {
    use crate::auth::session;
    let mut tx = session::begin().await?;
    let actor = session::require_actor(&mut tx).await?;
    super::flow::answer_leave(&mut tx, &actor, meeting, member, approve).await?;
    tx.commit().await?;
    Ok(())
}

/// The current check-in code of a meeting; only for those who run the branch.
#[server(endpoint = "check_in_code")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all, fields(meeting)))]
pub async fn check_in_code(meeting: MeetingId) -> Result<CodeView, AppError> {
    use crate::auth::session;
    let mut conn = session::pool()?.acquire().await?;
    let actor = session::require_actor(&mut conn).await?;
    let code = super::flow::check_in_code(&mut conn, &actor, meeting, chrono::Utc::now()).await?;
    Ok(code.into())
}

#[cfg(feature = "ssr")]
impl From<super::flow::Code> for CodeView {
    fn from(c: super::flow::Code) -> Self {
        CodeView {
            code: c.code,
            qr_svg: c.qr_svg,
            seconds_left: c.seconds_left,
            window: c.window,
            present: c.present,
            expected: c.expected,
        }
    }
}

/// Checks the viewer in with the code on the organizer's screen: expected, inside the
/// window, the current code (or the previous one for a few seconds), once. Awards the
/// meeting's points once.
#[server(endpoint = "check_in")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all, fields(meeting)))]
pub async fn check_in(meeting: MeetingId, code: String) -> Result<(), AppError> {
    use crate::auth::session;
    use crate::error::Msg;
    let typed = super::model::parse_code(&code)
        .ok_or_else(|| AppError::invalid("code", Msg::CheckInCodeFormat))?;
    let mut tx = session::begin().await?;
    let actor = session::require_actor(&mut tx).await?;
    super::flow::check_in(&mut tx, &actor, meeting, &typed, chrono::Utc::now()).await?;
    tx.commit().await?;
    tracing::info!(user = actor.user_id.0, "checked in");
    Ok(())
}

/// Marks an expected member present by hand, with a reason (recorded as such; no points);
/// for those who run the branch, from the opening of check-in on.
#[server(endpoint = "mark_attendance")]
#[cfg_attr(
    feature = "ssr",
    tracing::instrument(skip_all, fields(meeting, member))
)]
pub async fn mark_attendance(
    meeting: MeetingId,
    member: UserId,
    reason: String,
) -> Result<(), AppError> {
    use crate::auth::session;
    use crate::error::Msg;
    let reason = super::model::parse_reason(&reason)
        .ok_or_else(|| AppError::invalid("reason", Msg::AttendanceReasonRequired))?;
    let mut tx = session::begin().await?;
    let actor = session::require_actor(&mut tx).await?;
    let now = chrono::Utc::now();
    super::flow::mark_attendance(&mut tx, &actor, meeting, member, &reason, now).await?;
    tx.commit().await?;
    Ok(())
}
