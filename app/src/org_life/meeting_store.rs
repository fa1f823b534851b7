//! SQL for one meeting: its particulars, who is expected, leave, attendance, and its record
//! with the history of every change.

use chrono::{DateTime, Utc};
use sqlx::{PgConnection, Row};

use super::model::RecordState;
use crate::error::{AppError, Msg};

/// A meeting with everything its page needs.
pub struct Meeting {
    pub id: i64,
    pub org_id: i64,
    pub kind: String,
    pub title: String,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    pub place: String,
    pub online_link: String,
    pub agenda: String,
    pub chair: String,
    pub recorder: String,
    pub code_secret: Vec<u8>,
}

pub async fn meeting(conn: &mut PgConnection, id: i64) -> Result<Option<Meeting>, AppError> {
    let row = sqlx::query(
        "SELECT id, org_id, kind, title, starts_at, ends_at, place, online_link, agenda, chair,
                recorder, code_secret
         FROM meetings WHERE id = $1",
    )
    .bind(id)
    .fetch_optional(conn)
    .await?;
    Ok(row.map(|r| Meeting {
        id: r.get("id"),
        org_id: r.get("org_id"),
        kind: r.get("kind"),
        title: r.get("title"),
        starts_at: r.get("starts_at"),
        ends_at: r.get("ends_at"),
        place: r.get("place"),
        online_link: r.get("online_link"),
        agenda: r.get("agenda"),
        chair: r.get("chair"),
        recorder: r.get("recorder"),
        code_secret: r.get("code_secret"),
    }))
}

pub async fn is_expected(
    conn: &mut PgConnection,
    meeting_id: i64,
    user_id: i64,
) -> Result<bool, AppError> {
    Ok(sqlx::query_scalar(
        "SELECT EXISTS (SELECT 1 FROM meeting_expected WHERE meeting_id = $1 AND user_id = $2)",
    )
    .bind(meeting_id)
    .bind(user_id)
    .fetch_one(conn)
    .await?)
}

/// How many are expected and how many are present (the organizer's screen asks every few
/// seconds, so only counts).
pub async fn counts(conn: &mut PgConnection, meeting_id: i64) -> Result<(i64, i64), AppError> {
    Ok(sqlx::query_as(
        "SELECT (SELECT count(*) FROM meeting_expected WHERE meeting_id = $1),
                (SELECT count(*) FROM meeting_attendance WHERE meeting_id = $1)",
    )
    .bind(meeting_id)
    .fetch_one(conn)
    .await?)
}

/// One expected attendee with their leave and attendance.
pub struct Attendee {
    pub user_id: i64,
    pub name: String,
    pub leave_state: Option<String>,
    pub leave_reason: String,
    /// 'code' or 'manual' when present.
    pub how: Option<String>,
    pub manual_reason: String,
}

pub async fn attendees(
    conn: &mut PgConnection,
    meeting_id: i64,
) -> Result<Vec<Attendee>, AppError> {
    let rows = sqlx::query(
        "SELECT e.user_id, u.display_name, l.state, coalesce(l.reason, '') AS leave_reason,
                a.how, coalesce(a.reason, '') AS manual_reason
         FROM meeting_expected e
         JOIN users u ON u.id = e.user_id
         LEFT JOIN meeting_leaves l ON l.meeting_id = e.meeting_id AND l.user_id = e.user_id
         LEFT JOIN meeting_attendance a ON a.meeting_id = e.meeting_id AND a.user_id = e.user_id
         WHERE e.meeting_id = $1
         ORDER BY u.display_name, e.user_id",
    )
    .bind(meeting_id)
    .fetch_all(conn)
    .await?;
    Ok(rows
        .iter()
        .map(|r| Attendee {
            user_id: r.get("user_id"),
            name: r.get("display_name"),
            leave_state: r.get("state"),
            leave_reason: r.get("leave_reason"),
            how: r.get("how"),
            manual_reason: r.get("manual_reason"),
        })
        .collect())
}

/// Asks for leave, or changes the reason of a request not answered yet. Refused once the
/// request was answered.
pub async fn ask_leave(
    conn: &mut PgConnection,
    meeting_id: i64,
    user_id: i64,
    reason: &str,
) -> Result<(), AppError> {
    let done = sqlx::query(
        "INSERT INTO meeting_leaves (meeting_id, user_id, reason) VALUES ($1, $2, $3)
         ON CONFLICT (meeting_id, user_id) DO UPDATE SET reason = EXCLUDED.reason, asked_at = now()
         WHERE meeting_leaves.state = 'asked'",
    )
    .bind(meeting_id)
    .bind(user_id)
    .bind(reason)
    .execute(conn)
    .await?;
    if done.rows_affected() == 0 {
        return Err(AppError::Conflict(Msg::LeaveAnswered));
    }
    Ok(())
}

/// Answers a pending request; false when there was none pending.
pub async fn answer_leave(
    conn: &mut PgConnection,
    meeting_id: i64,
    user_id: i64,
    approve: bool,
    by: i64,
) -> Result<bool, AppError> {
    let done = sqlx::query(
        "UPDATE meeting_leaves SET state = $3, answered_by = $4, answered_at = now()
         WHERE meeting_id = $1 AND user_id = $2 AND state = 'asked'",
    )
    .bind(meeting_id)
    .bind(user_id)
    .bind(if approve { "approved" } else { "declined" })
    .bind(by)
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Records a member as present; false when they already were (the primary key makes a
/// second, concurrent check-in wait for the first and then do nothing).
pub async fn attend(
    conn: &mut PgConnection,
    meeting_id: i64,
    user_id: i64,
    manual: Option<(&str, i64)>,
) -> Result<bool, AppError> {
    let row = sqlx::query(
        "INSERT INTO meeting_attendance (meeting_id, user_id, how, reason, marked_by)
         VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING RETURNING 1",
    )
    .bind(meeting_id)
    .bind(user_id)
    .bind(if manual.is_some() { "manual" } else { "code" })
    .bind(manual.map(|m| m.0).unwrap_or(""))
    .bind(manual.map(|m| m.1))
    .fetch_optional(conn)
    .await?;
    Ok(row.is_some())
}

/// A meeting's record as stored.
pub struct Record {
    pub version: i32,
    pub minutes: String,
    pub resolutions: String,
    pub state: RecordState,
}

fn record_from(r: &sqlx::postgres::PgRow) -> Record {
    Record {
        version: r.get("version"),
        minutes: r.get("minutes"),
        resolutions: r.get("resolutions"),
        state: RecordState::parse(r.get("state")).unwrap_or(RecordState::Draft),
    }
}

/// The record, version 0 and empty when nobody has written it yet.
pub async fn record(conn: &mut PgConnection, meeting_id: i64) -> Result<Record, AppError> {
    let row = sqlx::query(
        "SELECT version, minutes, resolutions, state FROM meeting_records WHERE meeting_id = $1",
    )
    .bind(meeting_id)
    .fetch_optional(conn)
    .await?;
    Ok(row.as_ref().map(record_from).unwrap_or(Record {
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
    meeting_id: i64,
    by: i64,
) -> Result<Record, AppError> {
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
    meeting_id: i64,
    rec: &Record,
    action: &str,
    reason: &str,
    by: i64,
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
pub struct Change {
    pub version: i32,
    pub action: String,
    pub reason: String,
    pub by: String,
    pub at: DateTime<Utc>,
}

pub async fn history(conn: &mut PgConnection, meeting_id: i64) -> Result<Vec<Change>, AppError> {
    let rows = sqlx::query(
        "SELECT h.version, h.action, h.reason, u.display_name, h.at
         FROM meeting_record_history h JOIN users u ON u.id = h.by_user
         WHERE h.meeting_id = $1 ORDER BY h.id DESC",
    )
    .bind(meeting_id)
    .fetch_all(conn)
    .await?;
    Ok(rows
        .iter()
        .map(|r| Change {
            version: r.get("version"),
            action: r.get("action"),
            reason: r.get("reason"),
            by: r.get("display_name"),
            at: r.get("at"),
        })
        .collect())
}

/// The branch's secretaries and committee members, who run its meetings.
pub async fn organizers(conn: &mut PgConnection, org_id: i64) -> Result<Vec<i64>, AppError> {
    crate::notices::store::holders(conn, org_id, true).await
}

/// A meeting of a branch with its attendance and record, for the export.
pub struct RecordLine {
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
    org_id: i64,
    from: DateTime<Utc>,
    until: DateTime<Utc>,
) -> Result<Vec<RecordLine>, AppError> {
    let rows = sqlx::query(
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
    .await?;
    Ok(rows
        .iter()
        .map(|r| RecordLine {
            starts_at: r.get("starts_at"),
            ends_at: r.get("ends_at"),
            kind: r.get("kind"),
            title: r.get("title"),
            place: r.get("place"),
            chair: r.get("chair"),
            recorder: r.get("recorder"),
            expected: r.get("expected"),
            present: r.get("present"),
            on_leave: r.get("on_leave"),
            absent: r.get("absent"),
            state: r.get("state"),
            minutes: r.get("minutes"),
            resolutions: r.get("resolutions"),
        })
        .collect())
}

/// An attachment of a meeting's record.
pub struct Attachment {
    pub upload: crate::uploads::store::Upload,
    pub kind: String,
}

pub async fn attachments(
    conn: &mut PgConnection,
    meeting_id: i64,
) -> Result<Vec<Attachment>, AppError> {
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
        .map(|r| Attachment {
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
    meeting_id: i64,
    upload: uuid::Uuid,
    kind: &str,
    by: i64,
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
    meeting_id: i64,
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
