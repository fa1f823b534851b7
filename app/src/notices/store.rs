//! SQL for messages to members.

use sqlx::{PgConnection, Row};

use super::api::NoticeView;
use crate::error::AppError;

/// Reminds every current member of the branch at `branch_path` (and its groups) who has not
/// completed the item. One reminder per member, item and Asia/Shanghai day, however often
/// it is sent. Returns how many members were reminded now.
pub async fn remind_required(
    conn: &mut PgConnection,
    branch_path: &crate::orgs::model::OrgPath,
    item_id: i64,
    title: &str,
    day: chrono::NaiveDate,
) -> Result<u64, AppError> {
    Ok(sqlx::query(
        "INSERT INTO notifications (user_id, kind, title, link, dedupe_key)
         SELECT DISTINCT m.user_id, 'study_reminder', $3, '/study/' || $2, 'remind:' || $2 || ':' || $4
         FROM memberships m JOIN orgs b ON b.id = m.org_id
         WHERE b.path <@ $1::ltree AND m.ended_at IS NULL
           AND NOT EXISTS (SELECT 1 FROM study_progress p
                           WHERE p.user_id = m.user_id AND p.item_id = $2 AND p.completed_at IS NOT NULL)
         ON CONFLICT (user_id, dedupe_key) DO NOTHING",
    )
    .bind(branch_path.to_string())
    .bind(item_id)
    .bind(title)
    .bind(day.to_string())
    .execute(conn)
    .await?
    .rows_affected())
}

/// The member's latest messages, newest first.
pub async fn recent(conn: &mut PgConnection, user_id: i64) -> Result<Vec<NoticeView>, AppError> {
    let rows = sqlx::query(
        "SELECT id, kind, title, body, link, read_at IS NOT NULL AS read,
                to_char(created_at AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM-DD HH24:MI') AS at
         FROM notifications WHERE user_id = $1 ORDER BY created_at DESC, id DESC LIMIT 50",
    )
    .bind(user_id)
    .fetch_all(conn)
    .await?;
    Ok(rows
        .iter()
        .map(|r| NoticeView {
            id: r.get("id"),
            kind: r.get("kind"),
            title: r.get("title"),
            body: r.get("body"),
            link: r.get("link"),
            read: r.get("read"),
            at: r.get("at"),
        })
        .collect())
}

/// The unread messages of the claim's user; none when its session is no longer live.
pub async fn unread(
    conn: &mut PgConnection,
    claim: &crate::auth::model::Claim,
) -> Result<i64, AppError> {
    Ok(sqlx::query_scalar(&format!(
        "SELECT count(*) FROM notifications WHERE user_id = $1 AND read_at IS NULL AND {}",
        crate::auth::store::live_session_sql("$1", "$2", "$3")
    ))
    .bind(claim.user_id)
    .bind(&claim.session_id)
    .bind(claim.epoch)
    .fetch_one(conn)
    .await?)
}

pub async fn mark_all_read(conn: &mut PgConnection, user_id: i64) -> Result<(), AppError> {
    sqlx::query("UPDATE notifications SET read_at = now() WHERE user_id = $1 AND read_at IS NULL")
        .bind(user_id)
        .execute(conn)
        .await?;
    Ok(())
}
