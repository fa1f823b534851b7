//! The robots' rows and their messages' outbox.

use chrono::{DateTime, Utc};
use sqlx::PgConnection;

use super::model::RobotKind;
use crate::error::AppError;
use crate::i18n::Locale;
use crate::ids::{OrgId, UserId};
use crate::notices::model::Message;

/// A robot as its organization's page shows it: the address without its key.
#[derive(Debug, sqlx::FromRow)]
pub struct RobotRow {
    pub kind: String,
    pub url: String,
    pub signed: bool,
    pub added_at: DateTime<Utc>,
}

pub async fn robots(conn: &mut PgConnection, org: OrgId) -> Result<Vec<RobotRow>, AppError> {
    Ok(sqlx::query_as(
        "SELECT kind, url, secret IS NOT NULL AS signed, added_at FROM org_robots
         WHERE org_id = $1 ORDER BY kind",
    )
    .bind(org)
    .fetch_all(conn)
    .await?)
}

pub async fn set_robot(
    conn: &mut PgConnection,
    org: OrgId,
    kind: RobotKind,
    url: &str,
    secret: Option<&str>,
    by: UserId,
) -> Result<(), AppError> {
    sqlx::query(
        "INSERT INTO org_robots (org_id, kind, url, secret, added_by) VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (org_id, kind) DO UPDATE
            SET url = EXCLUDED.url, secret = EXCLUDED.secret, added_by = EXCLUDED.added_by, added_at = now()",
    )
    .bind(org)
    .bind(kind.as_str())
    .bind(url)
    .bind(secret)
    .bind(by)
    .execute(conn)
    .await?;
    Ok(())
}

pub async fn remove_robot(
    conn: &mut PgConnection,
    org: OrgId,
    kind: RobotKind,
) -> Result<bool, AppError> {
    let done = sqlx::query("DELETE FROM org_robots WHERE org_id = $1 AND kind = $2")
        .bind(org)
        .bind(kind.as_str())
        .execute(conn)
        .await?;
    Ok(done.rows_affected() == 1)
}

/// Queues a message for each robot of an organization (none when it has none), once per
/// `dedupe` and robot. Answers how many were queued.
pub async fn queue(
    conn: &mut PgConnection,
    org: OrgId,
    message: &Message,
    link: &str,
    dedupe: &str,
) -> Result<u64, AppError> {
    Ok(sqlx::query(
        "INSERT INTO robot_deliveries (org_id, kind, message, link, locale, dedupe_key)
         SELECT r.org_id, r.kind, $2, $3, $4, $5 || ':' || r.kind FROM org_robots r WHERE r.org_id = $1
         ON CONFLICT (dedupe_key) DO NOTHING",
    )
    .bind(org)
    .bind(sqlx::types::Json(message))
    .bind(link)
    .bind(Locale::ZhCn.tag())
    .bind(dedupe)
    .execute(conn)
    .await?
    .rows_affected())
}

/// A message sent or waiting, for the organization's page.
#[derive(Debug, sqlx::FromRow)]
pub struct DeliveryRow {
    pub kind: String,
    pub message: sqlx::types::Json<Message>,
    pub attempts: i32,
    pub sent_at: Option<DateTime<Utc>>,
    pub failed_at: Option<DateTime<Utc>>,
    pub error: String,
    pub created_at: DateTime<Utc>,
}

pub async fn deliveries(
    conn: &mut PgConnection,
    org: OrgId,
    limit: i64,
) -> Result<Vec<DeliveryRow>, AppError> {
    Ok(sqlx::query_as(
        "SELECT kind, message, attempts, sent_at, failed_at, error, created_at FROM robot_deliveries
         WHERE org_id = $1 ORDER BY id DESC LIMIT $2",
    )
    .bind(org)
    .bind(limit)
    .fetch_all(conn)
    .await?)
}

/// A message due to be sent now, with its robot's address (none when the robot has been
/// removed since), locked for the caller's transaction: other servers skip it.
#[derive(Debug, sqlx::FromRow)]
pub struct DueRow {
    pub id: i64,
    pub kind: String,
    pub message: sqlx::types::Json<Message>,
    pub link: String,
    pub locale: String,
    pub attempts: i32,
    pub url: Option<String>,
    pub secret: Option<String>,
}

pub async fn next_due(conn: &mut PgConnection) -> Result<Option<DueRow>, AppError> {
    Ok(sqlx::query_as(
        "SELECT d.id, d.kind, d.message, d.link, d.locale, d.attempts, r.url, r.secret
         FROM robot_deliveries d LEFT JOIN org_robots r ON r.org_id = d.org_id AND r.kind = d.kind
         WHERE d.sent_at IS NULL AND d.failed_at IS NULL AND d.next_at <= now()
         ORDER BY d.next_at, d.id LIMIT 1 FOR UPDATE OF d SKIP LOCKED",
    )
    .fetch_optional(conn)
    .await?)
}

pub async fn mark_sent(conn: &mut PgConnection, id: i64) -> Result<(), AppError> {
    sqlx::query("UPDATE robot_deliveries SET sent_at = now(), attempts = attempts + 1, error = '' WHERE id = $1")
        .bind(id)
        .execute(conn)
        .await?;
    Ok(())
}

/// Counts a failed try: the message waits `wait_secs` for the next, or is given up.
pub async fn mark_failed(
    conn: &mut PgConnection,
    id: i64,
    error: &str,
    wait_secs: Option<i64>,
) -> Result<(), AppError> {
    sqlx::query(
        "UPDATE robot_deliveries SET attempts = attempts + 1, error = $2,
                next_at = now() + make_interval(secs => COALESCE($3, 0)),
                failed_at = CASE WHEN $3 IS NULL THEN now() END
         WHERE id = $1",
    )
    .bind(id)
    .bind(error)
    .bind(wait_secs.map(|s| s as f64))
    .execute(conn)
    .await?;
    Ok(())
}
