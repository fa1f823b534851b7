//! Server functions for a meeting's record (minutes): saving it against a version,
//! submitting it, the superior's review, and attaching files to it.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use super::model::{RecordChange, RecordState};
use crate::error::AppError;
use crate::ids::MeetingId;

/// One change of a record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChangeView {
    pub version: i32,
    pub action: RecordChange,
    pub reason: String,
    pub by: String,
    pub at: String,
}

/// A file attached to a record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AttachmentView {
    pub id: String,
    /// notice, sign_in, photo or other.
    pub kind: String,
    pub file_name: String,
    pub url: String,
    pub size: i64,
}

/// A meeting's record with its history (for those who run or review the meeting) and its
/// attachments.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RecordView {
    pub version: i32,
    pub minutes: String,
    pub resolutions: String,
    pub state: RecordState,
    pub history: Vec<ChangeView>,
    pub attachments: Vec<AttachmentView>,
}

#[cfg(feature = "ssr")]
impl From<super::store::ChangeRow> for ChangeView {
    fn from(c: super::store::ChangeRow) -> Self {
        ChangeView {
            version: c.version,
            action: c.action,
            reason: c.reason,
            by: c.by,
            at: crate::time::local_minute(c.at),
        }
    }
}

#[cfg(feature = "ssr")]
impl From<super::store::AttachmentRow> for AttachmentView {
    fn from(a: super::store::AttachmentRow) -> Self {
        AttachmentView {
            id: a.upload.id.to_string(),
            kind: a.kind,
            url: a.upload.url(),
            file_name: a.upload.file_name,
            size: a.upload.size,
        }
    }
}

#[cfg(feature = "ssr")]
impl RecordView {
    /// The record with its history and attachments.
    pub fn of(
        record: super::store::RecordRow,
        history: Vec<super::store::ChangeRow>,
        attachments: Vec<super::store::AttachmentRow>,
    ) -> Self {
        RecordView {
            version: record.version,
            minutes: record.minutes,
            resolutions: record.resolutions,
            state: record.state,
            history: history.into_iter().map(ChangeView::from).collect(),
            attachments: attachments.into_iter().map(AttachmentView::from).collect(),
        }
    }
}

/// Saves the minutes against the version the editor loaded; a save by someone else since is
/// a conflict, never overwritten. For those who run the branch, once the meeting started.
#[server(endpoint = "save_minutes")]
#[cfg_attr(
    feature = "ssr",
    tracing::instrument(skip_all, fields(meeting, version))
)]
pub async fn save_minutes(
    meeting: MeetingId,
    version: i32,
    minutes: String,
    resolutions: String,
) -> Result<i32, AppError> {
    use crate::auth::session;
    let change = super::model::parse_minutes(&minutes, &resolutions).map_err(AppError::Invalid)?;
    let mut tx = session::begin().await?;
    let actor = session::require_actor(&mut tx).await?;
    let now = chrono::Utc::now();
    let version = super::flow::save_minutes(&mut tx, &actor, meeting, version, change, now).await?;
    tx.commit().await?;
    Ok(version)
}

/// Submits the saved record, at the version the viewer saw, to the superior for review.
#[server(endpoint = "submit_minutes")]
#[cfg_attr(
    feature = "ssr",
    tracing::instrument(skip_all, fields(meeting, version))
)]
pub async fn submit_minutes(meeting: MeetingId, version: i32) -> Result<i32, AppError> {
    use crate::auth::session;
    let mut tx = session::begin().await?;
    let actor = session::require_actor(&mut tx).await?;
    let now = chrono::Utc::now();
    let version = super::flow::submit_minutes(&mut tx, &actor, meeting, version, now).await?;
    tx.commit().await?;
    Ok(version)
}

/// The superior accepts a submitted record or sends it back with a reason; the branch's
/// organizers are told.
#[server(endpoint = "review_minutes")]
#[cfg_attr(
    feature = "ssr",
    tracing::instrument(skip_all, fields(meeting, accept))
)]
pub async fn review_minutes(
    meeting: MeetingId,
    accept: bool,
    reason: String,
) -> Result<(), AppError> {
    use crate::auth::session;
    let reason = super::model::parse_review_reason(accept, &reason)
        .map_err(|m| AppError::invalid("reason", m))?;
    let mut tx = session::begin().await?;
    let actor = session::require_actor(&mut tx).await?;
    super::flow::review(&mut tx, &actor, meeting, accept, &reason).await?;
    tx.commit().await?;
    Ok(())
}

/// Attaches one's own uploaded file (PDF or image) to a meeting's record as its notice,
/// sign-in sheet, a photo or other; for those who run the branch, while the record can
/// still be changed.
#[server(endpoint = "attach_file")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all, fields(meeting)))]
pub async fn attach_file(meeting: MeetingId, upload: String, kind: String) -> Result<(), AppError> {
    use crate::auth::session;
    use crate::error::Msg;
    if !super::model::is_attachment_kind(&kind) {
        return Err(AppError::invalid("kind", Msg::BadRequest));
    }
    let mut tx = session::begin().await?;
    let actor = session::require_actor(&mut tx).await?;
    super::flow::attach(&mut tx, &actor, meeting, &upload, &kind).await?;
    tx.commit().await?;
    Ok(())
}

/// Takes an attachment off a meeting's record, while it can still be changed.
#[server(endpoint = "detach_file")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all, fields(meeting)))]
pub async fn detach_file(meeting: MeetingId, upload: String) -> Result<(), AppError> {
    use crate::auth::session;
    let id = uuid::Uuid::parse_str(upload.trim()).map_err(|_| AppError::NotFound)?;
    let mut tx = session::begin().await?;
    let actor = session::require_actor(&mut tx).await?;
    super::flow::detach(&mut tx, &actor, meeting, id).await?;
    tx.commit().await?;
    Ok(())
}
