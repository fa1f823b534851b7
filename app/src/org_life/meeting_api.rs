//! Server functions for one meeting: its page, leave, check-in with the rotating code,
//! attendance by hand, and the record (minutes) with its review.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use super::model::{CheckInWindow, LeaveState, MeetingKind, RecordState};
use crate::error::AppError;
#[cfg(feature = "ssr")]
use crate::notices::model::Message;
use crate::orgs::model::Tree;

/// An expected attendee, as the organizer and the superior see them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AttendeeView {
    pub user_id: i64,
    pub name: String,
    /// Present: `Some(None)` by code, `Some(Some(reason))` marked by hand.
    pub present: Option<Option<String>>,
    pub leave: Option<(LeaveState, String)>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChangeView {
    pub version: i32,
    pub action: String,
    pub reason: String,
    pub by: String,
    pub at: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AttachmentView {
    pub id: String,
    /// notice, sign_in, photo or other.
    pub kind: String,
    pub file_name: String,
    pub url: String,
    pub size: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RecordView {
    pub version: i32,
    pub minutes: String,
    pub resolutions: String,
    pub state: RecordState,
    pub history: Vec<ChangeView>,
    pub attachments: Vec<AttachmentView>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MeetingDetailView {
    pub id: i64,
    pub org_id: i64,
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
}

/// A meeting's page: particulars, the viewer's leave and check-in, and for those who run
/// or review it, every attendee and the record with its history.
#[server(endpoint = "meeting_detail")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all, fields(id)))]
pub async fn meeting_detail(id: i64) -> Result<MeetingDetailView, AppError> {
    use super::meeting_store as store;
    use super::model::{check_in_window, leave_open};
    use crate::auth::session;
    let mut conn = session::pool()?.acquire().await?;
    let a = super::meeting_flow::access(&mut conn, id).await?;
    let m = &a.meeting;
    let now = chrono::Utc::now();
    let shanghai = crate::time::shanghai();
    let (s, e) = (
        m.starts_at.with_timezone(&shanghai),
        m.ends_at.with_timezone(&shanghai),
    );
    let people = store::attendees(&mut conn, id).await?;
    let mine = people.iter().find(|p| p.user_id == a.actor.user_id);
    let leave_of = |p: &store::Attendee| {
        p.leave_state
            .as_deref()
            .and_then(LeaveState::parse)
            .map(|st| (st, p.leave_reason.clone()))
    };
    let rec = store::record(&mut conn, id).await?;
    let attachments = store::attachments(&mut conn, id).await?;
    let history = if a.organizer || a.superior {
        store::history(&mut conn, id).await?
    } else {
        vec![]
    };
    let fmt = crate::time::local_minute;
    let window = check_in_window(m.starts_at, now);
    Ok(MeetingDetailView {
        id,
        org_id: a.org.id,
        org_name: a.org.name.clone(),
        tree: a.org.tree,
        kind: MeetingKind::parse(&m.kind).unwrap_or(MeetingKind::GeneralMeeting),
        title: m.title.clone(),
        when: format!("{}–{}", s.format("%Y-%m-%d %H:%M"), e.format("%H:%M")),
        month: s.format("%Y-%m").to_string(),
        place: m.place.clone(),
        online_link: m.online_link.clone(),
        agenda: m.agenda.clone(),
        chair: m.chair.clone(),
        recorder: m.recorder.clone(),
        starts_input: s.format("%Y-%m-%dT%H:%M").to_string(),
        ends_input: e.format("%Y-%m-%dT%H:%M").to_string(),
        can_change: a.organizer && now < m.starts_at,
        window,
        leave_open: leave_open(m.starts_at, now),
        started: window != CheckInWindow::TooEarly,
        expected: a.expected,
        my_leave: mine.and_then(leave_of),
        checked_in: mine.is_some_and(|p| p.how.is_some()),
        organizer: a.organizer,
        superior: a.superior,
        expected_count: people.len() as i64,
        present_count: people.iter().filter(|p| p.how.is_some()).count() as i64,
        leave_count: people
            .iter()
            .filter(|p| p.leave_state.as_deref() == Some("approved"))
            .count() as i64,
        attendees: if a.organizer || a.superior {
            people
                .iter()
                .map(|p| AttendeeView {
                    user_id: p.user_id,
                    name: p.name.clone(),
                    present: p
                        .how
                        .as_deref()
                        .map(|how| (how == "manual").then(|| p.manual_reason.clone())),
                    leave: leave_of(p),
                })
                .collect()
        } else {
            vec![]
        },
        record: RecordView {
            version: rec.version,
            minutes: rec.minutes,
            resolutions: rec.resolutions,
            state: rec.state,
            history: history
                .into_iter()
                .map(|c| ChangeView {
                    version: c.version,
                    action: c.action,
                    reason: c.reason,
                    by: c.by,
                    at: fmt(c.at),
                })
                .collect(),
            attachments: attachments
                .into_iter()
                .map(|a| AttachmentView {
                    id: a.upload.id.to_string(),
                    kind: a.kind,
                    url: a.upload.url(),
                    file_name: a.upload.file_name,
                    size: a.upload.size,
                })
                .collect(),
        },
    })
}

/// Asks for leave from a meeting one is expected at, until 20 minutes before the start;
/// the branch's organizers are told.
#[server(endpoint = "ask_leave")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all, fields(meeting)))]
pub async fn ask_leave(meeting: i64, reason: String) -> Result<(), AppError> {
    use crate::auth::session;
    use crate::error::Msg;
    let reason = super::model::parse_reason(&reason)
        .ok_or_else(|| AppError::invalid("reason", Msg::LeaveReasonInvalid))?;
    let mut tx = session::begin().await?;
    let a = super::meeting_flow::access(&mut tx, meeting).await?;
    if !a.expected {
        return Err(AppError::invalid("", Msg::NotExpected));
    }
    if !super::model::leave_open(a.meeting.starts_at, chrono::Utc::now()) {
        return Err(AppError::invalid("", Msg::LeaveClosed));
    }
    super::meeting_store::ask_leave(&mut tx, meeting, a.actor.user_id, &reason).await?;
    let organizers = super::meeting_store::organizers(&mut tx, a.org.id).await?;
    crate::notices::store::notify(
        &mut tx,
        &organizers,
        &Message::LeaveAsked {
            title: a.meeting.title.clone(),
        },
        &format!("/orglife/meeting/{meeting}"),
        &format!("meeting:{meeting}:leave:{}", a.actor.user_id),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Approves or declines a member's leave; for those who run the branch. The member is told.
#[server(endpoint = "answer_leave")]
#[cfg_attr(
    feature = "ssr",
    tracing::instrument(skip_all, fields(meeting, member))
)]
pub async fn answer_leave(meeting: i64, member: i64, approve: bool) -> Result<(), AppError> {
    use crate::auth::session;
    use crate::error::Msg;
    let mut tx = session::begin().await?;
    let a = super::meeting_flow::organizer_access(&mut tx, meeting).await?;
    if !super::meeting_store::answer_leave(&mut tx, meeting, member, approve, a.actor.user_id)
        .await?
    {
        return Err(AppError::Conflict(Msg::LeaveAnswered));
    }
    crate::notices::store::notify(
        &mut tx,
        &[member],
        &Message::LeaveAnswered {
            title: a.meeting.title.clone(),
            approved: approve,
        },
        &format!("/orglife/meeting/{meeting}"),
        &format!("meeting:{meeting}:leave_answered"),
    )
    .await?;
    tx.commit().await?;
    Ok(())
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

/// The current check-in code of a meeting; only for those who run the branch.
#[server(endpoint = "check_in_code")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all, fields(meeting)))]
pub async fn check_in_code(meeting: i64) -> Result<CodeView, AppError> {
    use super::code::{code_for, qr_svg};
    use super::model::{check_in_window, code_seconds_left, code_slot};
    use crate::auth::session;
    let mut conn = session::pool()?.acquire().await?;
    let a = super::meeting_flow::organizer_access(&mut conn, meeting).await?;
    let now = chrono::Utc::now();
    let window = check_in_window(a.meeting.starts_at, now);
    let (expected, present) = super::meeting_store::counts(&mut conn, meeting).await?;
    let (code, qr) = if window == CheckInWindow::Open {
        let code = code_for(&a.meeting.code_secret, code_slot(now));
        let link = format!(
            "{}/orglife/meeting/{meeting}?code={code}",
            crate::league::founding_flow::origin()
        );
        let qr = qr_svg(&link);
        (code, qr)
    } else {
        (String::new(), String::new())
    };
    Ok(CodeView {
        code,
        qr_svg: qr,
        seconds_left: code_seconds_left(now),
        window,
        present,
        expected,
    })
}

/// Checks the viewer in with the code on the organizer's screen: expected, inside the
/// window, the current code (or the previous one for a few seconds), once. Awards the
/// meeting's points once.
#[server(endpoint = "check_in")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all, fields(meeting)))]
pub async fn check_in(meeting: i64, code: String) -> Result<(), AppError> {
    use super::code::code_for;
    use crate::auth::session;
    use crate::error::Msg;
    use crate::points::model::RuleCode;
    use crate::points::store::award_once;
    let typed = super::model::parse_code(&code)
        .ok_or_else(|| AppError::invalid("code", Msg::CheckInCodeFormat))?;
    use super::model::{CODE_TRIES, CODE_TRIES_WINDOW_SECONDS, CheckInRefusal};
    let mut tx = session::begin().await?;
    let a = super::meeting_flow::access(&mut tx, meeting).await?;
    let tries = format!("checkin:{meeting}:{}", a.actor.user_id);
    session::limit_failures(&mut tx, &tries, CODE_TRIES, CODE_TRIES_WINDOW_SECONDS).await?;
    let now = chrono::Utc::now();
    let verdict = super::model::check_in(a.expected, a.meeting.starts_at, now, &typed, |slot| {
        code_for(&a.meeting.code_secret, slot)
    });
    if let Err(refusal) = verdict {
        if refusal == CheckInRefusal::WrongCode {
            // Counted outside the transaction, which the refusal rolls back.
            let mut conn = session::pool()?.acquire().await?;
            session::count_failure(&mut conn, &tries, CODE_TRIES_WINDOW_SECONDS).await?;
        }
        return Err(AppError::invalid("code", refusal.msg()));
    }
    let user = a.actor.user_id;
    if !super::meeting_store::attend(&mut tx, meeting, user, None).await? {
        return Err(AppError::Conflict(Msg::CheckInTwice));
    }
    award_once(
        &mut tx,
        user,
        RuleCode::MeetingAttend,
        ("meeting", meeting),
        now,
    )
    .await?;
    tx.commit().await?;
    tracing::info!(user, "checked in");
    Ok(())
}

/// Marks an expected member present by hand, with a reason (recorded as such; no points);
/// for those who run the branch, from the opening of check-in on.
#[server(endpoint = "mark_attendance")]
#[cfg_attr(
    feature = "ssr",
    tracing::instrument(skip_all, fields(meeting, member))
)]
pub async fn mark_attendance(meeting: i64, member: i64, reason: String) -> Result<(), AppError> {
    use crate::auth::session;
    use crate::error::Msg;
    let reason = super::model::parse_reason(&reason)
        .ok_or_else(|| AppError::invalid("reason", Msg::AttendanceReasonRequired))?;
    let mut tx = session::begin().await?;
    let a = super::meeting_flow::organizer_access(&mut tx, meeting).await?;
    let now = chrono::Utc::now();
    if super::model::check_in_window(a.meeting.starts_at, now) == CheckInWindow::TooEarly {
        return Err(AppError::invalid("", Msg::NotYetHeld));
    }
    if !super::meeting_store::is_expected(&mut tx, meeting, member).await? {
        return Err(AppError::invalid("", Msg::NotExpected));
    }
    if !super::meeting_store::attend(&mut tx, meeting, member, Some((&reason, a.actor.user_id)))
        .await?
    {
        return Err(AppError::Conflict(Msg::Duplicate));
    }
    tx.commit().await?;
    Ok(())
}

/// Saves the minutes against the version the editor loaded; a save by someone else since is
/// a conflict, never overwritten. For those who run the branch, once the meeting started.
#[server(endpoint = "save_minutes")]
#[cfg_attr(
    feature = "ssr",
    tracing::instrument(skip_all, fields(meeting, version))
)]
pub async fn save_minutes(
    meeting: i64,
    version: i32,
    minutes: String,
    resolutions: String,
) -> Result<i32, AppError> {
    super::meeting_flow::write_minutes(meeting, version, Some((minutes, resolutions))).await
}

/// Submits the saved record, at the version the viewer saw, to the superior for review.
#[server(endpoint = "submit_minutes")]
#[cfg_attr(
    feature = "ssr",
    tracing::instrument(skip_all, fields(meeting, version))
)]
pub async fn submit_minutes(meeting: i64, version: i32) -> Result<i32, AppError> {
    super::meeting_flow::write_minutes(meeting, version, None).await
}

/// The superior accepts a submitted record or sends it back with a reason; the branch's
/// organizers are told.
#[server(endpoint = "review_minutes")]
#[cfg_attr(
    feature = "ssr",
    tracing::instrument(skip_all, fields(meeting, accept))
)]
pub async fn review_minutes(meeting: i64, accept: bool, reason: String) -> Result<(), AppError> {
    use super::meeting_store as store;
    use crate::auth::session;
    use crate::error::Msg;
    let reason = reason.trim().to_owned();
    if !accept && super::model::parse_reason(&reason).is_none() {
        return Err(AppError::invalid("reason", Msg::ReturnReasonRequired));
    }
    if reason.chars().count() > 200 {
        return Err(AppError::invalid("reason", Msg::TooLong));
    }
    let mut tx = session::begin().await?;
    let a = super::meeting_flow::access(&mut tx, meeting).await?;
    if !a.superior {
        return Err(AppError::Forbidden);
    }
    let current = store::lock_record(&mut tx, meeting, a.actor.user_id).await?;
    if current.state != RecordState::Submitted {
        return Err(AppError::Conflict(Msg::RecordNotSubmitted));
    }
    let next = store::Record {
        version: current.version + 1,
        state: if accept {
            RecordState::Accepted
        } else {
            RecordState::Returned
        },
        ..current
    };
    let action = if accept { "accept" } else { "return" };
    store::write_record(&mut tx, meeting, &next, action, &reason, a.actor.user_id).await?;
    let organizers = store::organizers(&mut tx, a.org.id).await?;
    crate::notices::store::notify(
        &mut tx,
        &organizers,
        &Message::RecordReviewed {
            title: a.meeting.title.clone(),
            accepted: accept,
        },
        &format!("/orglife/meeting/{meeting}"),
        &format!("meeting:{meeting}:{action}:{}", next.version),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Attaches one's own uploaded file (PDF or image) to a meeting's record as its notice,
/// sign-in sheet, a photo or other; for those who run the branch, while the record can
/// still be changed.
#[server(endpoint = "attach_file")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all, fields(meeting)))]
pub async fn attach_file(meeting: i64, upload: String, kind: String) -> Result<(), AppError> {
    use crate::auth::session;
    use crate::error::Msg;
    use crate::uploads::model::Purpose;
    if !["notice", "sign_in", "photo", "other"].contains(&kind.as_str()) {
        return Err(AppError::invalid("kind", Msg::BadRequest));
    }
    let mut tx = session::begin().await?;
    let a = super::meeting_flow::organizer_access(&mut tx, meeting).await?;
    let rec = super::meeting_store::lock_record(&mut tx, meeting, a.actor.user_id).await?;
    if !rec.state.editable() {
        return Err(AppError::Conflict(Msg::RecordLocked));
    }
    let file =
        crate::uploads::store::own_upload(&mut tx, a.actor.user_id, &upload, Purpose::Attachment)
            .await?;
    super::meeting_store::attach(&mut tx, meeting, file.id, &kind, a.actor.user_id).await?;
    tx.commit().await?;
    Ok(())
}

/// Takes an attachment off a meeting's record, while it can still be changed.
#[server(endpoint = "detach_file")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all, fields(meeting)))]
pub async fn detach_file(meeting: i64, upload: String) -> Result<(), AppError> {
    use crate::auth::session;
    use crate::error::Msg;
    let id = uuid::Uuid::parse_str(upload.trim()).map_err(|_| AppError::NotFound)?;
    let mut tx = session::begin().await?;
    let a = super::meeting_flow::organizer_access(&mut tx, meeting).await?;
    let rec = super::meeting_store::lock_record(&mut tx, meeting, a.actor.user_id).await?;
    if !rec.state.editable() {
        return Err(AppError::Conflict(Msg::RecordLocked));
    }
    if !super::meeting_store::detach(&mut tx, meeting, id).await? {
        return Err(AppError::NotFound);
    }
    tx.commit().await?;
    Ok(())
}

pub use change::*;

/// One argument per form field; see `api::schedule`.
#[allow(clippy::too_many_arguments, reason = "one form field each")]
mod change {
    use leptos::prelude::*;

    use crate::error::AppError;

    /// Changes a meeting that has not started: title, times, place or link, agenda, chair
    /// and recorder, checked as when scheduling (the place not double-booked). Everyone
    /// expected is told.
    #[server(endpoint = "change_meeting")]
    #[cfg_attr(feature = "ssr", tracing::instrument(skip_all, fields(meeting)))]
    pub async fn change_meeting(
        meeting: i64,
        title: String,
        starts: String,
        ends: String,
        place: String,
        online_link: String,
        agenda: String,
        chair: String,
        recorder: String,
    ) -> Result<(), AppError> {
        use crate::auth::session;
        use crate::error::Msg;
        use crate::org_life::model::MeetingForm;
        let mut tx = session::begin().await?;
        let a = crate::org_life::meeting_flow::organizer_access(&mut tx, meeting).await?;
        if chrono::Utc::now() >= a.meeting.starts_at {
            return Err(AppError::Conflict(Msg::MeetingStarted));
        }
        let changed = MeetingForm {
            kind: a.meeting.kind.clone(),
            title,
            starts,
            ends,
            place,
            online_link,
            agenda,
            chair,
            recorder,
        }
        .parse()
        .map_err(AppError::Invalid)?;
        crate::org_life::model::check_lead_time(changed.starts, chrono::Utc::now())
            .map_err(|m| AppError::invalid("starts", m))?;
        let expected = crate::org_life::store::change(&mut tx, meeting, &changed).await?;
        crate::notices::store::notify(
            &mut tx,
            &expected,
            &crate::notices::model::Message::MeetingChanged {
                title: changed.title.clone(),
                when: crate::time::local_minute(changed.starts),
            },
            &format!("/orglife/meeting/{meeting}"),
            &format!(
                "meeting:{meeting}:changed:{}",
                chrono::Utc::now().timestamp_millis()
            ),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }
}
