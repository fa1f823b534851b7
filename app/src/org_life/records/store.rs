//! SQL for meeting records (minutes): the record and every change of it, its attachments,
//! and a branch's meetings with attendance and record for the export.

use chrono::{DateTime, Utc};
use sqlx::{PgConnection, Row};

use super::model::{RecordChange, RecordState};
use crate::error::AppError;
use crate::ids::{MeetingId, OrgId, UserId};

/// A meeting's record as stored.
pub struct RecordRow {
    pub version: i32,
    pub minutes: String,
    pub resolutions: String,
    pub state: RecordState,
}

fn record_from(r: &sqlx::postgres::PgRow) -> RecordRow {
    RecordRow {
        version: r.get("version"),
        minutes: r.get("minutes"),
        resolutions: r.get("resolutions"),
        state: RecordState::parse(r.get("state")).unwrap_or(RecordState::Draft),
    }
}

/// The record, version 0 and empty when nobody has written it yet.
pub async fn record(conn: &mut PgConnection, meeting_id: MeetingId) -> Result<RecordRow, AppError> {
    let row = sqlx::query(
        "SELECT version, minutes, resolutions, state FROM meeting_records WHERE meeting_id = $1",
    )
    .bind(meeting_id)
    .fetch_optional(conn)
    .await?;
    Ok(row.as_ref().map(record_from).unwrap_or(RecordRow {
        version: 0,
        minutes: String::new(),
        resolutions: String::new(),
        state: RecordState::Draft,
    }))
}

/// The record locked for a change (created empty at version 0 first if needed), so that
/// two saves run one after the other and the second sees the first's version.
pub async fn lock_record(
    conn: &mut PgConnection,
    meeting_id: MeetingId,
    by: UserId,
) -> Result<RecordRow, AppError> {
    sqlx::query(
        "INSERT INTO meeting_records (meeting_id, version, updated_by) VALUES ($1, 0, $2)
         ON CONFLICT DO NOTHING",
    )
    .bind(meeting_id)
    .bind(by)
    .execute(&mut *conn)
    .await?;
    let row = sqlx::query(
        "SELECT version, minutes, resolutions, state FROM meeting_records
         WHERE meeting_id = $1 FOR UPDATE",
    )
    .bind(meeting_id)
    .fetch_one(conn)
    .await?;
    Ok(record_from(&row))
}

/// Writes the record as a new version and keeps the change in its history.
pub async fn write_record(
    conn: &mut PgConnection,
    meeting_id: MeetingId,
    rec: &RecordRow,
    action: RecordChange,
    reason: &str,
    by: UserId,
) -> Result<(), AppError> {
    sqlx::query(
        "UPDATE meeting_records SET version = $2, minutes = $3, resolutions = $4, state = $5,
                updated_by = $6, updated_at = now()
         WHERE meeting_id = $1",
    )
    .bind(meeting_id)
    .bind(rec.version)
    .bind(&rec.minutes)
    .bind(&rec.resolutions)
    .bind(rec.state.as_str())
    .bind(by)
    .execute(&mut *conn)
    .await?;
    sqlx::query(
        "INSERT INTO meeting_record_history (meeting_id, version, action, minutes, resolutions, reason, by_user)
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(meeting_id)
    .bind(rec.version)
    .bind(action)
    .bind(&rec.minutes)
    .bind(&rec.resolutions)
    .bind(reason)
    .bind(by)
    .execute(conn)
    .await?;
    Ok(())
}

/// One change of a record.
#[derive(sqlx::FromRow)]
pub struct ChangeRow {
    pub version: i32,
    pub action: RecordChange,
    pub reason: String,
    #[sqlx(rename = "display_name")]
    pub by: String,
    pub at: DateTime<Utc>,
}

/// Every change of a meeting's record, latest first.
pub async fn history(
    conn: &mut PgConnection,
    meeting_id: MeetingId,
) -> Result<Vec<ChangeRow>, AppError> {
    Ok(sqlx::query_as(
        "SELECT h.version, h.action, h.reason, u.display_name, h.at
         FROM meeting_record_history h JOIN users u ON u.id = h.by_user
         WHERE h.meeting_id = $1 ORDER BY h.id DESC",
    )
    .bind(meeting_id)
    .fetch_all(conn)
    .await?)
}

/// A meeting of a branch with its attendance and record, for the export.
#[derive(sqlx::FromRow)]
pub struct RecordLineRow {
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    pub kind: String,
    pub title: String,
    pub place: String,
    pub chair: String,
    pub recorder: String,
    pub expected: i64,
    pub present: i64,
    pub on_leave: i64,
    pub absent: String,
    pub state: String,
    pub minutes: String,
    pub resolutions: String,
}

/// A branch's meetings starting between `from` and `until` (excluded), in time order.
pub async fn record_lines(
    conn: &mut PgConnection,
    org_id: OrgId,
    from: DateTime<Utc>,
    until: DateTime<Utc>,
) -> Result<Vec<RecordLineRow>, AppError> {
    Ok(sqlx::query_as(
        "SELECT m.starts_at, m.ends_at, m.kind, m.title,
                CASE WHEN m.place = '' THEN m.online_link ELSE m.place END AS place, m.chair, m.recorder,
                (SELECT count(*) FROM meeting_expected e WHERE e.meeting_id = m.id) AS expected,
                (SELECT count(*) FROM meeting_attendance a WHERE a.meeting_id = m.id) AS present,
                (SELECT count(*) FROM meeting_leaves l WHERE l.meeting_id = m.id AND l.state = 'approved') AS on_leave,
                coalesce((SELECT string_agg(u.display_name || coalesce('（请假：' || l.reason || '）', ''), '；' ORDER BY u.display_name)
                          FROM meeting_expected e JOIN users u ON u.id = e.user_id
                          LEFT JOIN meeting_leaves l ON l.meeting_id = e.meeting_id AND l.user_id = e.user_id AND l.state = 'approved'
                          WHERE e.meeting_id = m.id AND m.starts_at <= now()
                            AND NOT EXISTS (SELECT 1 FROM meeting_attendance a WHERE a.meeting_id = m.id AND a.user_id = e.user_id)), '') AS absent,
                coalesce(r.state, '') AS state, coalesce(r.minutes, '') AS minutes, coalesce(r.resolutions, '') AS resolutions
         FROM meetings m LEFT JOIN meeting_records r ON r.meeting_id = m.id
         WHERE m.org_id = $1 AND m.starts_at >= $2 AND m.starts_at < $3
         ORDER BY m.starts_at, m.id",
    )
    .bind(org_id)
    .bind(from)
    .bind(until)
    .fetch_all(conn)
    .await?)
}

/// An attachment of a meeting's record.
pub struct AttachmentRow {
    pub upload: crate::uploads::store::Upload,
    pub kind: String,
}

/// The attachments of a meeting's record, in the order they were added.
pub async fn attachments(
    conn: &mut PgConnection,
    meeting_id: MeetingId,
) -> Result<Vec<AttachmentRow>, AppError> {
    let rows = sqlx::query(
        "SELECT u.id, u.user_id, u.file_name, u.ext, u.size, a.kind
         FROM meeting_attachments a JOIN uploads u ON u.id = a.upload_id
         WHERE a.meeting_id = $1 ORDER BY a.added_at, u.file_name",
    )
    .bind(meeting_id)
    .fetch_all(conn)
    .await?;
    Ok(rows
        .iter()
        .map(|r| AttachmentRow {
            upload: crate::uploads::store::Upload {
                id: r.get("id"),
                user_id: r.get("user_id"),
                purpose: crate::uploads::model::Purpose::Attachment,
                file_name: r.get("file_name"),
                ext: r.get("ext"),
                size: r.get("size"),
            },
            kind: r.get("kind"),
        })
        .collect())
}

/// Attaches an upload (once).
pub async fn attach(
    conn: &mut PgConnection,
    meeting_id: MeetingId,
    upload: uuid::Uuid,
    kind: &str,
    by: UserId,
) -> Result<(), AppError> {
    sqlx::query(
        "INSERT INTO meeting_attachments (meeting_id, upload_id, kind, added_by)
         VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING",
    )
    .bind(meeting_id)
    .bind(upload)
    .bind(kind)
    .bind(by)
    .execute(conn)
    .await?;
    Ok(())
}

/// Takes an attachment off the record; false when it was not on it.
pub async fn detach(
    conn: &mut PgConnection,
    meeting_id: MeetingId,
    upload: uuid::Uuid,
) -> Result<bool, AppError> {
    let done =
        sqlx::query("DELETE FROM meeting_attachments WHERE meeting_id = $1 AND upload_id = $2")
            .bind(meeting_id)
            .bind(upload)
            .execute(conn)
            .await?;
    Ok(done.rows_affected() == 1)
}
