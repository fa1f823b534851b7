//! The server side of a meeting's functions: who may see a meeting and in what role, and
//! the save of its record against a version.

use super::model::{CheckInWindow, RecordState};
use crate::error::AppError;

/// The organization `org_id` if the actor runs it (its secretary, committee or an admin
/// above); with `branch`, it must also be a branch.
pub async fn managed_org(
    conn: &mut sqlx::PgConnection,
    actor: &crate::auth::model::Actor,
    org_id: i64,
    branch: bool,
) -> Result<crate::orgs::store::Org, AppError> {
    let o = crate::orgs::store::org(conn, org_id)
        .await?
        .ok_or(AppError::NotFound)?;
    if !actor.can_manage(&o.path) {
        return Err(AppError::Forbidden);
    }
    if branch && !o.kind.is_branch() {
        return Err(AppError::invalid(
            "org",
            crate::error::Msg::KindNotAllowedHere,
        ));
    }
    Ok(o)
}

/// The meeting, its branch and what the viewer may do, or why they may not see it: the
/// expected attendees, the branch's members, those who run the branch and the admins above.
pub struct Access {
    pub actor: crate::auth::model::Actor,
    pub meeting: super::meeting_store::Meeting,
    pub org: crate::orgs::store::Org,
    pub expected: bool,
    pub organizer: bool,
    pub superior: bool,
}

pub async fn access(conn: &mut sqlx::PgConnection, meeting_id: i64) -> Result<Access, AppError> {
    use crate::auth::session;
    let actor = session::require_actor(conn).await?;
    let meeting = super::meeting_store::meeting(conn, meeting_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let org = crate::orgs::store::org(conn, meeting.org_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let expected = super::meeting_store::is_expected(conn, meeting_id, actor.user_id).await?;
    let organizer = actor.can_manage(&org.path);
    let superior = org.path.parent().is_some_and(|p| actor.can_administer(&p));
    let member = super::store::my_branches(conn, actor.user_id)
        .await?
        .iter()
        .any(|b| b.0 == org.id);
    if !(expected || organizer || member) {
        return Err(AppError::Forbidden);
    }
    Ok(Access {
        actor,
        meeting,
        org,
        expected,
        organizer,
        superior,
    })
}

/// As [`access`], for those who run the branch only.
pub async fn organizer_access(
    conn: &mut sqlx::PgConnection,
    meeting_id: i64,
) -> Result<Access, AppError> {
    let a = access(conn, meeting_id).await?;
    if a.organizer {
        Ok(a)
    } else {
        Err(AppError::Forbidden)
    }
}

/// Saves new minutes and resolutions (`change`) or, without a change, submits the stored
/// record for review; either only against the version the editor loaded.
pub async fn write_minutes(
    meeting: i64,
    version: i32,
    change: Option<(String, String)>,
) -> Result<i32, AppError> {
    use super::meeting_store as store;
    use super::model::{MINUTES_MAX_CHARS, check_save};
    use crate::auth::session;
    use crate::error::{FieldError, Msg};
    let submit = change.is_none();
    let change = change.map(|(m, r)| (m.trim().to_owned(), r.trim().to_owned()));
    if let Some((minutes, resolutions)) = &change {
        let errors: Vec<FieldError> = [("minutes", minutes), ("resolutions", resolutions)]
            .into_iter()
            .filter(|(_, v)| v.chars().count() > MINUTES_MAX_CHARS)
            .map(|(field, _)| FieldError::new(field, Msg::TooLong))
            .collect();
        if !errors.is_empty() {
            return Err(AppError::Invalid(errors));
        }
    }
    let mut tx = session::begin().await?;
    let a = organizer_access(&mut tx, meeting).await?;
    if super::model::check_in_window(a.meeting.starts_at, chrono::Utc::now())
        == CheckInWindow::TooEarly
    {
        return Err(AppError::invalid("", Msg::NotYetHeld));
    }
    let current = store::lock_record(&mut tx, meeting, a.actor.user_id).await?;
    check_save(current.state, current.version, version).map_err(AppError::Conflict)?;
    if submit && current.minutes.is_empty() {
        return Err(AppError::invalid("minutes", Msg::RecordEmpty));
    }
    let next = match change {
        Some((minutes, resolutions)) => store::Record {
            version: current.version + 1,
            minutes,
            resolutions,
            state: current.state,
        },
        None => store::Record {
            version: current.version + 1,
            state: RecordState::Submitted,
            ..current
        },
    };
    let action = if submit { "submit" } else { "save" };
    store::write_record(&mut tx, meeting, &next, action, "", a.actor.user_id).await?;
    if submit && let Some(parent) = a.org.parent_id {
        let reviewers = crate::notices::store::holders(&mut tx, parent, false).await?;
        crate::notices::store::notify(
            &mut tx,
            &reviewers,
            &crate::notices::model::Message::RecordSubmitted {
                org: a.org.name.clone(),
                title: a.meeting.title.clone(),
            },
            &format!("/orglife/meeting/{meeting}"),
            &format!("meeting:{meeting}:submitted:{}", next.version),
        )
        .await?;
    }
    tx.commit().await?;
    Ok(next.version)
}
