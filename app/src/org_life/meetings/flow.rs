//! Meetings' use cases on the server: who may see a meeting and in what role, scheduling
//! and changing one, the meeting's page, leave, check-in with the rotating code and
//! attendance marked by hand.

use chrono::{DateTime, Utc};
use sqlx::PgConnection;

use super::model::{
    Attendees, CheckInRefusal, CheckInWindow, MeetingForm, NewMeeting, attendance_open, changeable,
    check_in_window, check_lead_time, check_leave, leave_open, meeting_month,
};
use super::store::{self, AttendeeRow, MeetingRow};
use crate::auth::model::Actor;
use crate::error::{AppError, Msg};
use crate::ids::{MeetingId, OrgId, UserId};
use crate::notices::model::Message;
use crate::notices::store::{holders, notify};
use crate::org_life::records::store::{self as records, AttachmentRow, ChangeRow, RecordRow};
use crate::orgs::store::Org;

/// The organization `org_id` if the actor runs it (its secretary, committee or an admin
/// above); with `branch`, it must also be a branch.
pub async fn managed_org(
    conn: &mut PgConnection,
    actor: &Actor,
    org_id: OrgId,
    branch: bool,
) -> Result<Org, AppError> {
    let o = crate::orgs::store::org(conn, org_id)
        .await?
        .ok_or(AppError::NotFound)?;
    if !actor.can_manage(&o.path) {
        return Err(AppError::Forbidden);
    }
    if branch && !o.kind.is_branch() {
        return Err(AppError::invalid("org", Msg::KindNotAllowedHere));
    }
    Ok(o)
}

/// The branch's secretaries and committee members, who run its meetings.
pub async fn organizers(conn: &mut PgConnection, org_id: OrgId) -> Result<Vec<UserId>, AppError> {
    holders(conn, org_id, true).await
}

/// The meeting, its branch and what the viewer may do there.
pub struct Access {
    pub meeting: MeetingRow,
    pub org: Org,
    pub expected: bool,
    pub organizer: bool,
    pub superior: bool,
}

/// A meeting as the actor may see it, or why they may not: the expected attendees, the
/// branch's members, those who run the branch and the admins above.
pub async fn access(
    conn: &mut PgConnection,
    actor: &Actor,
    meeting_id: MeetingId,
) -> Result<Access, AppError> {
    let meeting = store::meeting(conn, meeting_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let org = crate::orgs::store::org(conn, meeting.org_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let expected = store::is_expected(conn, meeting_id, actor.user_id).await?;
    let organizer = actor.can_manage(&org.path);
    let superior = org.path.parent().is_some_and(|p| actor.can_administer(&p));
    let member = crate::org_life::calendar::store::my_branches(conn, actor.user_id)
        .await?
        .iter()
        .any(|b| b.0 == org.id);
    if !(expected || organizer || member) {
        return Err(AppError::Forbidden);
    }
    Ok(Access {
        meeting,
        org,
        expected,
        organizer,
        superior,
    })
}

/// As [`access`], for those who run the branch only.
pub async fn organizer_access(
    conn: &mut PgConnection,
    actor: &Actor,
    meeting_id: MeetingId,
) -> Result<Access, AppError> {
    let a = access(conn, actor, meeting_id).await?;
    if a.organizer {
        Ok(a)
    } else {
        Err(AppError::Forbidden)
    }
}

/// Schedules a checked meeting of a branch the actor runs, expecting `attendees`, and tells
/// everyone expected. Returns the meeting and the calendar of its month.
pub async fn schedule(
    conn: &mut PgConnection,
    actor: &Actor,
    org: OrgId,
    meeting: &NewMeeting,
    attendees: &Attendees,
) -> Result<(MeetingId, String), AppError> {
    let o = managed_org(conn, actor, org, true).await?;
    let (id, expected) = store::schedule(conn, o.id, meeting, attendees, actor.user_id).await?;
    let link = format!(
        "/orglife?org={}&month={}",
        o.id,
        meeting_month(meeting.starts)
    );
    notify(
        conn,
        &expected,
        &Message::MeetingScheduled {
            org: o.name.clone(),
            title: meeting.title.clone(),
        },
        &link,
        &format!("meeting:{id}:scheduled"),
    )
    .await?;
    let place = if meeting.place.is_empty() {
        meeting.online_link.clone()
    } else {
        meeting.place.clone()
    };
    let group = Message::MeetingPlanned {
        org: o.name.clone(),
        title: meeting.title.clone(),
        when: crate::time::local_minute(meeting.starts),
        place,
    };
    let dedupe = format!("meeting:{id}:scheduled");
    crate::notices::robots::store::queue(conn, o.id, &group, &link, &dedupe).await?;
    Ok((id, link))
}

/// The branch a scheduling form is for (`org` 0: the actor's first branch), if the actor
/// runs it, and its members to choose attendees from.
pub async fn schedule_options(
    conn: &mut PgConnection,
    actor: &Actor,
    org: OrgId,
) -> Result<(Org, Vec<(UserId, String)>), AppError> {
    let org = if org.0 == 0 {
        crate::org_life::calendar::store::my_branches(conn, actor.user_id)
            .await?
            .first()
            .map(|b| b.0)
            .ok_or(AppError::NotFound)?
    } else {
        org
    };
    let o = managed_org(conn, actor, org, true).await?;
    let members = store::roster(conn, o.id).await?;
    Ok((o, members))
}

/// Changes a meeting that has not started, as `form` says (its kind stays), checked as when
/// scheduling; everyone expected is told.
pub async fn change(
    conn: &mut PgConnection,
    actor: &Actor,
    meeting: MeetingId,
    form: MeetingForm,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    let a = organizer_access(conn, actor, meeting).await?;
    if !changeable(a.meeting.starts_at, now) {
        return Err(AppError::Conflict(Msg::MeetingStarted));
    }
    let changed = MeetingForm {
        kind: a.meeting.kind.clone(),
        ..form
    }
    .parse()
    .map_err(AppError::Invalid)?;
    check_lead_time(changed.starts, now).map_err(|m| AppError::invalid("starts", m))?;
    let expected = store::change(conn, meeting, &changed).await?;
    notify(
        conn,
        &expected,
        &Message::MeetingChanged {
            title: changed.title.clone(),
            when: crate::time::local_minute(changed.starts),
        },
        &format!("/orglife/meeting/{meeting}"),
        &format!("meeting:{meeting}:changed:{}", now.timestamp_millis()),
    )
    .await?;
    Ok(())
}

/// A meeting as its page shows it to the actor at `now`.
pub struct Detail {
    pub access: Access,
    /// The organizer may still change it.
    pub can_change: bool,
    pub window: CheckInWindow,
    pub leave_open: bool,
    /// Attendance and the record may be written.
    pub started: bool,
    /// The actor's own line, when they are expected.
    pub mine: Option<AttendeeRow>,
    pub expected_count: i64,
    pub present_count: i64,
    pub leave_count: i64,
    /// Every expected attendee; for those who run or review the meeting only.
    pub attendees: Vec<AttendeeRow>,
    pub record: RecordRow,
    /// Every change of the record; for those who run or review the meeting only.
    pub history: Vec<ChangeRow>,
    pub attachments: Vec<AttachmentRow>,
    /// The check-in code as the organizer's screen first shows it, until check-in closes.
    pub code: Option<Code>,
}

/// A meeting's page: particulars, the actor's leave and check-in, and for those who run or
/// review it, every attendee and the record's history.
pub async fn detail(
    conn: &mut PgConnection,
    actor: &Actor,
    meeting: MeetingId,
    now: DateTime<Utc>,
) -> Result<Detail, AppError> {
    let a = access(conn, actor, meeting).await?;
    let sees_all = a.organizer || a.superior;
    let people = store::attendees(conn, meeting).await?;
    let record = records::record(conn, meeting).await?;
    let attachments = records::attachments(conn, meeting).await?;
    let history = if sees_all {
        records::history(conn, meeting).await?
    } else {
        vec![]
    };
    let start = a.meeting.starts_at;
    let window = check_in_window(start, now);
    let expected_count = people.len() as i64;
    let present_count = people.iter().filter(|p| p.how.is_some()).count() as i64;
    let code = (a.organizer && window != CheckInWindow::Closed)
        .then(|| code_at(&a.meeting, window, now, expected_count, present_count));
    Ok(Detail {
        can_change: a.organizer && changeable(start, now),
        window,
        leave_open: leave_open(start, now),
        started: attendance_open(start, now),
        mine: people.iter().find(|p| p.user_id == actor.user_id).cloned(),
        expected_count,
        present_count,
        leave_count: people
            .iter()
            .filter(|p| p.leave_state.as_deref() == Some("approved"))
            .count() as i64,
        attendees: if sees_all { people } else { vec![] },
        access: a,
        record,
        history,
        attachments,
        code,
    })
}

/// Asks for leave from a meeting the actor is expected at, until the deadline; the branch's
/// organizers are told.
pub async fn ask_leave(
    conn: &mut PgConnection,
    actor: &Actor,
    meeting: MeetingId,
    reason: &str,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    let a = access(conn, actor, meeting).await?;
    check_leave(a.expected, a.meeting.starts_at, now).map_err(|m| AppError::invalid("", m))?;
    store::ask_leave(conn, meeting, actor.user_id, reason).await?;
    let to = organizers(conn, a.org.id).await?;
    notify(
        conn,
        &to,
        &Message::LeaveAsked {
            title: a.meeting.title.clone(),
        },
        &format!("/orglife/meeting/{meeting}"),
        &format!("meeting:{meeting}:leave:{}", actor.user_id),
    )
    .await
}

/// Approves or declines a member's pending leave; the member is told.
pub async fn answer_leave(
    conn: &mut PgConnection,
    actor: &Actor,
    meeting: MeetingId,
    member: UserId,
    approve: bool,
) -> Result<(), AppError> {
    let a = organizer_access(conn, actor, meeting).await?;
    if !store::answer_leave(conn, meeting, member, approve, actor.user_id).await? {
        return Err(AppError::Conflict(Msg::LeaveAnswered));
    }
    notify(
        conn,
        &[member],
        &Message::LeaveAnswered {
            title: a.meeting.title.clone(),
            approved: approve,
        },
        &format!("/orglife/meeting/{meeting}"),
        &format!("meeting:{meeting}:leave_answered"),
    )
    .await
}

/// The check-in code on the organizer's screen at a moment.
pub struct Code {
    pub window: CheckInWindow,
    /// Empty outside the window.
    pub code: String,
    /// The QR code of the check-in link with the code, as SVG; empty outside the window.
    pub qr_svg: String,
    pub seconds_left: i64,
    pub present: i64,
    pub expected: i64,
}

/// The code of a meeting at `now`, while check-in is open; for those who run the branch.
pub async fn check_in_code(
    conn: &mut PgConnection,
    actor: &Actor,
    meeting: MeetingId,
    now: DateTime<Utc>,
) -> Result<Code, AppError> {
    let a = organizer_access(conn, actor, meeting).await?;
    let window = check_in_window(a.meeting.starts_at, now);
    let (expected, present) = store::counts(conn, meeting).await?;
    Ok(code_at(&a.meeting, window, now, expected, present))
}

/// The code on the organizer's screen at `now`: its digits and the QR code of the check-in
/// link while check-in is open, how long they last, and who has checked in.
fn code_at(
    meeting: &MeetingRow,
    window: CheckInWindow,
    now: DateTime<Utc>,
    expected: i64,
    present: i64,
) -> Code {
    use super::code::{code_for, qr_svg};
    use super::model::{code_seconds_left, code_slot};
    let (code, qr_svg) = if window == CheckInWindow::Open {
        let code = code_for(&meeting.code_secret, code_slot(now));
        let link = format!(
            "{}/orglife/meeting/{}?code={code}",
            crate::league::founding::flow::origin(),
            meeting.id
        );
        let qr = qr_svg(&link);
        (code, qr)
    } else {
        (String::new(), String::new())
    };
    Code {
        window,
        code,
        qr_svg,
        seconds_left: code_seconds_left(now),
        present,
        expected,
    }
}

/// Checks the actor in with a typed code (six digits): expected, inside the window, the
/// current code (or the previous one for a few seconds), once, with a few wrong tries
/// allowed. Awards the meeting's points once.
pub async fn check_in(
    conn: &mut PgConnection,
    actor: &Actor,
    meeting: MeetingId,
    typed: &str,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    use super::code::code_for;
    use super::model::{CODE_TRIES, CODE_TRIES_WINDOW_SECONDS};
    use crate::auth::session;
    use crate::points::model::RuleCode;
    let a = access(conn, actor, meeting).await?;
    let tries = format!("checkin:{meeting}:{}", actor.user_id);
    session::limit_failures(conn, &tries, CODE_TRIES, CODE_TRIES_WINDOW_SECONDS).await?;
    let verdict = super::model::check_in(a.expected, a.meeting.starts_at, now, typed, |slot| {
        code_for(&a.meeting.code_secret, slot)
    });
    if let Err(refusal) = verdict {
        if refusal == CheckInRefusal::WrongCode {
            // Counted outside the transaction, which the refusal rolls back.
            let mut other = session::pool()?.acquire().await?;
            session::count_failure(&mut other, &tries, CODE_TRIES_WINDOW_SECONDS).await?;
        }
        return Err(AppError::invalid("code", refusal.msg()));
    }
    let user = actor.user_id;
    if !store::attend(conn, meeting, user, None).await? {
        return Err(AppError::Conflict(Msg::CheckInTwice));
    }
    crate::points::store::award_once(
        conn,
        user,
        RuleCode::MeetingAttend,
        (crate::points::model::PointSource::Meeting, meeting.0),
        now,
    )
    .await?;
    Ok(())
}

/// Marks an expected member present by hand with a reason (no points); for those who run
/// the branch, from the opening of check-in on.
pub async fn mark_attendance(
    conn: &mut PgConnection,
    actor: &Actor,
    meeting: MeetingId,
    member: UserId,
    reason: &str,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    let a = organizer_access(conn, actor, meeting).await?;
    if !attendance_open(a.meeting.starts_at, now) {
        return Err(AppError::invalid("", Msg::NotYetHeld));
    }
    if !store::is_expected(conn, meeting, member).await? {
        return Err(AppError::invalid("", Msg::NotExpected));
    }
    if !store::attend(conn, meeting, member, Some((reason, actor.user_id))).await? {
        return Err(AppError::Conflict(Msg::Duplicate));
    }
    Ok(())
}
