//! Records' use cases on the server: saving the minutes against the version the editor
//! loaded, submitting them to the superior, the superior's review, and the files attached
//! to the record.

use chrono::{DateTime, Utc};
use sqlx::PgConnection;

use super::model::{RecordChange, RecordState, check_save, reviewed};
use super::store::{self, RecordRow};
use crate::auth::model::Actor;
use crate::error::{AppError, Msg};
use crate::ids::MeetingId;
use crate::notices::model::Message;
use crate::notices::store::{holders, notify};
use crate::org_life::meetings::flow::{access, organizer_access, organizers};
use crate::org_life::meetings::model::attendance_open;

/// Saves checked minutes and resolutions as a new version, against the version the editor
/// loaded; for those who run the branch, once the meeting can have been held. Returns the
/// new version.
pub async fn save_minutes(
    conn: &mut PgConnection,
    actor: &Actor,
    meeting: MeetingId,
    version: i32,
    (minutes, resolutions): (String, String),
    now: DateTime<Utc>,
) -> Result<i32, AppError> {
    write(
        conn,
        actor,
        meeting,
        version,
        Some((minutes, resolutions)),
        now,
    )
    .await
}

/// Submits the saved record, at the version the submitter saw, to the superior for review;
/// the superior's admins are told. Returns the new version.
pub async fn submit_minutes(
    conn: &mut PgConnection,
    actor: &Actor,
    meeting: MeetingId,
    version: i32,
    now: DateTime<Utc>,
) -> Result<i32, AppError> {
    write(conn, actor, meeting, version, None, now).await
}

/// Saves new minutes and resolutions (`change`) or, without a change, submits the stored
/// record; either only against the version the editor loaded.
async fn write(
    conn: &mut PgConnection,
    actor: &Actor,
    meeting: MeetingId,
    version: i32,
    change: Option<(String, String)>,
    now: DateTime<Utc>,
) -> Result<i32, AppError> {
    let submit = change.is_none();
    let a = organizer_access(conn, actor, meeting).await?;
    if !attendance_open(a.meeting.starts_at, now) {
        return Err(AppError::invalid("", Msg::NotYetHeld));
    }
    let current = store::lock_record(conn, meeting, actor.user_id).await?;
    check_save(current.state, current.version, version).map_err(AppError::Conflict)?;
    if submit && current.minutes.is_empty() {
        return Err(AppError::invalid("minutes", Msg::RecordEmpty));
    }
    let next = match change {
        Some((minutes, resolutions)) => RecordRow {
            version: current.version + 1,
            minutes,
            resolutions,
            state: current.state,
        },
        None => RecordRow {
            version: current.version + 1,
            state: RecordState::Submitted,
            ..current
        },
    };
    let action = if submit {
        RecordChange::Submit
    } else {
        RecordChange::Save
    };
    store::write_record(conn, meeting, &next, action, "", actor.user_id).await?;
    if submit && let Some(parent) = a.org.parent_id {
        let reviewers = holders(conn, parent, false).await?;
        notify(
            conn,
            &reviewers,
            &Message::RecordSubmitted {
                org: a.org.name.clone(),
                title: a.meeting.title.clone(),
            },
            &format!("/orglife/meeting/{meeting}"),
            &format!("meeting:{meeting}:submitted:{}", next.version),
        )
        .await?;
    }
    Ok(next.version)
}

/// The superior accepts a submitted record or sends it back with a (checked) reason; the
/// branch's organizers are told.
pub async fn review(
    conn: &mut PgConnection,
    actor: &Actor,
    meeting: MeetingId,
    accept: bool,
    reason: &str,
) -> Result<(), AppError> {
    let a = access(conn, actor, meeting).await?;
    if !a.superior {
        return Err(AppError::Forbidden);
    }
    let current = store::lock_record(conn, meeting, actor.user_id).await?;
    let state = reviewed(current.state, accept).map_err(AppError::Conflict)?;
    let next = RecordRow {
        version: current.version + 1,
        state,
        ..current
    };
    let action = if accept {
        RecordChange::Accept
    } else {
        RecordChange::Return
    };
    store::write_record(conn, meeting, &next, action, reason, actor.user_id).await?;
    let to = organizers(conn, a.org.id).await?;
    notify(
        conn,
        &to,
        &Message::RecordReviewed {
            title: a.meeting.title.clone(),
            accepted: accept,
        },
        &format!("/orglife/meeting/{meeting}"),
        &format!("meeting:{meeting}:{}:{}", action.as_str(), next.version),
    )
    .await
}

/// Attaches one of the actor's own uploads to a meeting's record as `kind`; for those who
/// run the branch, while the record can still be changed.
pub async fn attach(
    conn: &mut PgConnection,
    actor: &Actor,
    meeting: MeetingId,
    upload: &str,
    kind: &str,
) -> Result<(), AppError> {
    use crate::uploads::model::Purpose;
    organizer_access(conn, actor, meeting).await?;
    let rec = store::lock_record(conn, meeting, actor.user_id).await?;
    if !rec.state.editable() {
        return Err(AppError::Conflict(Msg::RecordLocked));
    }
    let file =
        crate::uploads::store::own_upload(conn, actor.user_id, upload, Purpose::Attachment).await?;
    store::attach(conn, meeting, file.id, kind, actor.user_id).await
}

/// Takes an attachment off a meeting's record, while it can still be changed.
pub async fn detach(
    conn: &mut PgConnection,
    actor: &Actor,
    meeting: MeetingId,
    upload: uuid::Uuid,
) -> Result<(), AppError> {
    organizer_access(conn, actor, meeting).await?;
    let rec = store::lock_record(conn, meeting, actor.user_id).await?;
    if !rec.state.editable() {
        return Err(AppError::Conflict(Msg::RecordLocked));
    }
    if !store::detach(conn, meeting, upload).await? {
        return Err(AppError::NotFound);
    }
    Ok(())
}
