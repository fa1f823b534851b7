//! Which meetings and required items may be due a reminder, the marks that a reminder went
//! (so that it goes once, whichever server gets there first), and the messages themselves.

use chrono::{DateTime, NaiveDate, Utc};
use sqlx::PgConnection;

use crate::error::AppError;
use crate::ids::UserId;
use crate::notices::model::Message;

/// A meeting starting within the day ahead that has not had its hour's reminder.
#[derive(Debug, sqlx::FromRow)]
pub struct SoonRow {
    pub id: i64,
    pub org_id: crate::ids::OrgId,
    pub title: String,
    pub starts_at: DateTime<Utc>,
    pub created_at: DateTime<Utc>,
}

pub async fn meetings_soon(
    conn: &mut PgConnection,
    now: DateTime<Utc>,
) -> Result<Vec<SoonRow>, AppError> {
    Ok(sqlx::query_as(
        "SELECT m.id, m.org_id, m.title, m.starts_at, m.created_at FROM meetings m
         WHERE m.starts_at > $1 AND m.starts_at <= $1 + interval '24 hours'
           AND NOT EXISTS (SELECT 1 FROM meeting_reminders r
                           WHERE r.meeting_id = m.id AND r.starts_at = m.starts_at AND r.lead = '1h')
         ORDER BY m.starts_at",
    )
    .bind(now)
    .fetch_all(conn)
    .await?)
}

/// Marks a meeting's reminder of `lead` for its start as gone: `false` when it had gone
/// already (another server, or an earlier run).
pub async fn mark_meeting(
    conn: &mut PgConnection,
    meeting: i64,
    lead: &str,
    starts_at: DateTime<Utc>,
) -> Result<bool, AppError> {
    let done = sqlx::query(
        "INSERT INTO meeting_reminders (meeting_id, lead, starts_at) VALUES ($1, $2, $3)
         ON CONFLICT DO NOTHING",
    )
    .bind(meeting)
    .bind(lead)
    .bind(starts_at)
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Tells those expected at a meeting, except those excused, with `message`; answers who
/// was told now.
pub async fn remind_expected(
    conn: &mut PgConnection,
    meeting: i64,
    message: &Message,
    dedupe: &str,
) -> Result<Vec<UserId>, AppError> {
    Ok(sqlx::query_scalar(
        "INSERT INTO notifications (user_id, kind, title, message, link, dedupe_key)
         SELECT e.user_id, $2, '', $3, '/orglife/meeting/' || $1, $4
         FROM meeting_expected e
         WHERE e.meeting_id = $1
           AND NOT EXISTS (SELECT 1 FROM meeting_leaves l
                           WHERE l.meeting_id = e.meeting_id AND l.user_id = e.user_id AND l.state = 'approved')
         ON CONFLICT (user_id, dedupe_key) DO NOTHING
         RETURNING user_id",
    )
    .bind(meeting)
    .bind(message.kind())
    .bind(sqlx::types::Json(message))
    .bind(dedupe)
    .fetch_all(conn)
    .await?)
}

/// A published required item due within the days ahead that has not been reminded of for
/// its due date.
#[derive(Debug, sqlx::FromRow)]
pub struct DueRow {
    pub id: i64,
    pub title: String,
    pub due_on: NaiveDate,
}

pub async fn items_due(
    conn: &mut PgConnection,
    today: NaiveDate,
    days: i64,
) -> Result<Vec<DueRow>, AppError> {
    Ok(sqlx::query_as(
        "SELECT i.id, i.title, i.due_on FROM study_items i
         WHERE i.status = 'published' AND i.required
           AND i.due_on BETWEEN $1 AND $1 + $2::int
           AND NOT EXISTS (SELECT 1 FROM study_reminders r WHERE r.item_id = i.id AND r.due_on = i.due_on)
         ORDER BY i.due_on, i.id",
    )
    .bind(today)
    .bind(days as i32)
    .fetch_all(conn)
    .await?)
}

/// Marks an item's reminder for its due date as gone: `false` when it had gone already.
pub async fn mark_item(
    conn: &mut PgConnection,
    item: i64,
    due_on: NaiveDate,
) -> Result<bool, AppError> {
    let done = sqlx::query(
        "INSERT INTO study_reminders (item_id, due_on) VALUES ($1, $2) ON CONFLICT DO NOTHING",
    )
    .bind(item)
    .bind(due_on)
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Tells each current member of an item's audience (its organization's subtree, or everyone
/// for a platform item) who has not finished it; answers who was told now.
pub async fn remind_audience(
    conn: &mut PgConnection,
    item: i64,
    message: &Message,
    dedupe: &str,
) -> Result<Vec<UserId>, AppError> {
    Ok(sqlx::query_scalar(
        "INSERT INTO notifications (user_id, kind, title, message, link, dedupe_key)
         SELECT DISTINCT m.user_id, $2, '', $3, '/study/' || $1, $4
         FROM study_items i
         JOIN memberships m ON m.ended_at IS NULL
         JOIN orgs b ON b.id = m.org_id
         WHERE i.id = $1
           AND (i.scope_org_id IS NULL
                OR b.path <@ (SELECT s.path FROM orgs s WHERE s.id = i.scope_org_id))
           AND NOT EXISTS (SELECT 1 FROM study_progress p
                           WHERE p.user_id = m.user_id AND p.item_id = $1 AND p.completed_at IS NOT NULL)
         ON CONFLICT (user_id, dedupe_key) DO NOTHING
         RETURNING user_id",
    )
    .bind(item)
    .bind(message.kind())
    .bind(sqlx::types::Json(message))
    .bind(dedupe)
    .fetch_all(conn)
    .await?)
}
