//! SQL for notices (通知) to acknowledge: sending to a subtree's members, the member's list,
//! acknowledging once, and who has and has not acknowledged.

use chrono::{DateTime, Utc};
use sqlx::PgConnection;

use crate::error::AppError;
use crate::ids::{OrgId, UserId};
use crate::orgs::model::OrgPath;

/// Sends a notice to every current member of the organizations under `path` (itself
/// included). Returns the notice and its recipients.
pub async fn send(
    conn: &mut PgConnection,
    org_id: OrgId,
    path: &OrgPath,
    title: &str,
    body: &str,
    ack_by: DateTime<Utc>,
    by: UserId,
) -> Result<(i64, Vec<UserId>), AppError> {
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO org_notices (org_id, title, body, ack_by, sent_by) VALUES ($1, $2, $3, $4, $5)
         RETURNING id",
    )
    .bind(org_id)
    .bind(title)
    .bind(body)
    .bind(ack_by)
    .bind(by)
    .fetch_one(&mut *conn)
    .await?;
    let users: Vec<UserId> = sqlx::query_scalar(
        "INSERT INTO notice_recipients (notice_id, user_id)
         SELECT DISTINCT $1::bigint, m.user_id FROM memberships m JOIN orgs o ON o.id = m.org_id
         WHERE m.ended_at IS NULL AND o.path <@ $2::ltree
         ON CONFLICT DO NOTHING RETURNING user_id",
    )
    .bind(id)
    .bind(path.to_string())
    .fetch_all(conn)
    .await?;
    Ok((id, users))
}

/// A notice as stored.
#[derive(sqlx::FromRow)]
pub struct NoticeRow {
    pub id: i64,
    pub org_id: OrgId,
    pub org_name: String,
    pub title: String,
    pub body: String,
    pub ack_by: DateTime<Utc>,
    pub sent_at: DateTime<Utc>,
    pub sender: String,
}

const NOTICE_COLUMNS: &str =
    "n.id, n.org_id, o.name AS org_name, n.title, n.body, n.ack_by, n.sent_at,
     u.display_name AS sender";

/// A notice by id.
pub async fn notice(conn: &mut PgConnection, id: i64) -> Result<Option<NoticeRow>, AppError> {
    Ok(sqlx::query_as(&format!(
        "SELECT {NOTICE_COLUMNS} FROM org_notices n JOIN orgs o ON o.id = n.org_id
         JOIN users u ON u.id = n.sent_by WHERE n.id = $1"
    ))
    .bind(id)
    .fetch_optional(conn)
    .await?)
}

/// A notice a member received, with when they acknowledged it.
#[derive(sqlx::FromRow)]
pub struct ReceivedRow {
    #[sqlx(flatten)]
    pub notice: NoticeRow,
    pub acked_at: Option<DateTime<Utc>>,
}

/// The member's notices, newest first, with when they acknowledged each.
pub async fn received(
    conn: &mut PgConnection,
    user_id: UserId,
) -> Result<Vec<ReceivedRow>, AppError> {
    Ok(sqlx::query_as(&format!(
        "SELECT {NOTICE_COLUMNS}, r.acked_at FROM notice_recipients r
         JOIN org_notices n ON n.id = r.notice_id JOIN orgs o ON o.id = n.org_id
         JOIN users u ON u.id = n.sent_by
         WHERE r.user_id = $1 ORDER BY n.id DESC LIMIT 100"
    ))
    .bind(user_id)
    .fetch_all(conn)
    .await?)
}

/// A notice sent, with how many received and acknowledged it.
#[derive(sqlx::FromRow)]
pub struct SentRow {
    #[sqlx(flatten)]
    pub notice: NoticeRow,
    pub total: i64,
    pub acked: i64,
}

/// Notices sent by the organizations under the given paths, newest first, with how many
/// received and acknowledged each.
pub async fn sent(conn: &mut PgConnection, paths: &[String]) -> Result<Vec<SentRow>, AppError> {
    Ok(sqlx::query_as(&format!(
        "SELECT {NOTICE_COLUMNS},
                (SELECT count(*) FROM notice_recipients r WHERE r.notice_id = n.id) AS total,
                (SELECT count(*) FROM notice_recipients r WHERE r.notice_id = n.id AND r.acked_at IS NOT NULL) AS acked
         FROM org_notices n JOIN orgs o ON o.id = n.org_id JOIN users u ON u.id = n.sent_by
         WHERE o.path <@ ANY ($1::ltree[]) ORDER BY n.id DESC LIMIT 100"
    ))
    .bind(paths)
    .fetch_all(conn)
    .await?)
}

/// Whether the user received the notice, and when they acknowledged it.
pub async fn receipt(
    conn: &mut PgConnection,
    notice_id: i64,
    user_id: UserId,
) -> Result<Option<Option<DateTime<Utc>>>, AppError> {
    Ok(sqlx::query_scalar(
        "SELECT acked_at FROM notice_recipients WHERE notice_id = $1 AND user_id = $2",
    )
    .bind(notice_id)
    .bind(user_id)
    .fetch_optional(conn)
    .await?)
}

/// Acknowledges once; false when already acknowledged.
pub async fn acknowledge(
    conn: &mut PgConnection,
    notice_id: i64,
    user_id: UserId,
    at: DateTime<Utc>,
) -> Result<bool, AppError> {
    let done = sqlx::query(
        "UPDATE notice_recipients SET acked_at = $3
         WHERE notice_id = $1 AND user_id = $2 AND acked_at IS NULL",
    )
    .bind(notice_id)
    .bind(user_id)
    .bind(at)
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Every recipient by name, with when they acknowledged.
pub async fn recipients(
    conn: &mut PgConnection,
    notice_id: i64,
) -> Result<Vec<(String, Option<DateTime<Utc>>)>, AppError> {
    Ok(sqlx::query_as(
        "SELECT u.display_name, r.acked_at FROM notice_recipients r JOIN users u ON u.id = r.user_id
         WHERE r.notice_id = $1 ORDER BY r.acked_at IS NOT NULL, r.acked_at, u.display_name",
    )
    .bind(notice_id)
    .fetch_all(conn)
    .await?)
}
