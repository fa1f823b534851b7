//! SQL for messages to members: who holds an organization's work, telling them (once per
//! key) and the list; the unread count is read with the viewer (`auth::store::actor`).

use sqlx::PgConnection;

use super::model::Message;
use crate::auth::model::Role;
use crate::error::AppError;
use crate::ids::{ItemId, OrgId, UserId};

/// The people asked to act for an organization: the nearest organization on the way up
/// from it (itself first) where someone can act. For branch work (`branch_work`) that is a
/// secretary or committee member there, else an admin there; otherwise an admin. Those
/// above may act on what is below them, so a step is never left with nobody to ask: when
/// the whole line up has nobody, the platform admins are asked.
pub async fn holders(
    conn: &mut PgConnection,
    org_id: OrgId,
    branch_work: bool,
) -> Result<Vec<UserId>, AppError> {
    let roles: Vec<&str> = if branch_work {
        vec![
            Role::Secretary.as_str(),
            Role::CommitteeMember.as_str(),
            Role::OrgAdmin.as_str(),
        ]
    } else {
        vec![Role::OrgAdmin.as_str()]
    };
    // Ranked by distance up (two steps a level), an admin one step after the branch's own
    // secretaries and committee members at the same level.
    Ok(sqlx::query_scalar(
        "WITH ranked AS (
             SELECT g.user_id,
                    2 * (nlevel(o.path) - nlevel(a.path))
                      + CASE WHEN $3 AND g.role = 'org_admin' THEN 1 ELSE 0 END AS rank
             FROM orgs o
             JOIN orgs a ON o.path <@ a.path
             JOIN role_grants g ON g.org_id = a.id AND g.role = ANY ($2)
             WHERE o.id = $1
         )
         SELECT DISTINCT user_id FROM ranked WHERE rank = (SELECT min(rank) FROM ranked)
         UNION
         SELECT user_id FROM role_grants
         WHERE role = 'platform_admin' AND NOT EXISTS (SELECT 1 FROM ranked)
         ORDER BY 1",
    )
    .bind(org_id)
    .bind(&roles)
    .bind(branch_work)
    .fetch_all(conn)
    .await?)
}

/// The names of `users`, as members see them, in the order given.
pub async fn names(conn: &mut PgConnection, users: &[UserId]) -> Result<Vec<String>, AppError> {
    Ok(sqlx::query_scalar(
        "SELECT u.display_name FROM unnest($1::bigint[]) WITH ORDINALITY AS x (id, n)
         JOIN users u ON u.id = x.id ORDER BY x.n",
    )
    .bind(users)
    .fetch_all(conn)
    .await?)
}

/// Tells each user once per key (`dedupe`, made per user): the message is kept as its key
/// and arguments, to be put into words when read.
pub async fn notify(
    conn: &mut PgConnection,
    users: &[UserId],
    message: &Message,
    link: &str,
    dedupe: &str,
) -> Result<(), AppError> {
    sqlx::query(
        "INSERT INTO notifications (user_id, kind, title, message, link, dedupe_key)
         SELECT u, $2, '', $3, $4, $5 || ':' || u FROM unnest($1::bigint[]) AS u
         ON CONFLICT (user_id, dedupe_key) DO NOTHING",
    )
    .bind(users)
    .bind(message.kind())
    .bind(sqlx::types::Json(message))
    .bind(link)
    .bind(dedupe)
    .execute(conn)
    .await?;
    Ok(())
}

/// Reminds every current member of the branch at `branch_path` (and its groups) who has not
/// completed the item. One reminder per member, item and Asia/Shanghai day, however often
/// it is sent. Returns how many members were reminded now.
pub async fn remind_required(
    conn: &mut PgConnection,
    branch_path: &crate::orgs::model::OrgPath,
    item_id: ItemId,
    title: &str,
    day: chrono::NaiveDate,
) -> Result<u64, AppError> {
    let message = Message::StudyReminder {
        title: title.to_owned(),
    };
    Ok(sqlx::query(
        "INSERT INTO notifications (user_id, kind, title, message, link, dedupe_key)
         SELECT DISTINCT m.user_id, 'study_reminder', '', $3, '/study/' || $2, 'remind:' || $2 || ':' || $4
         FROM memberships m JOIN orgs b ON b.id = m.org_id
         WHERE b.path <@ $1::ltree AND m.ended_at IS NULL
           AND NOT EXISTS (SELECT 1 FROM study_progress p
                           WHERE p.user_id = m.user_id AND p.item_id = $2 AND p.completed_at IS NOT NULL)
         ON CONFLICT (user_id, dedupe_key) DO NOTHING",
    )
    .bind(branch_path.to_string())
    .bind(item_id)
    .bind(sqlx::types::Json(&message))
    .bind(day.to_string())
    .execute(conn)
    .await?
    .rows_affected())
}

/// A message as stored: its key and arguments, or (from before messages were keys) its
/// written title.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct NoticeRow {
    pub id: i64,
    pub message: Option<sqlx::types::Json<Message>>,
    pub title: String,
    pub body: String,
    pub link: Option<String>,
    pub read: bool,
    pub created_at: chrono::DateTime<chrono::Utc>,
}

/// The member's latest messages, newest first.
pub async fn recent(conn: &mut PgConnection, user_id: UserId) -> Result<Vec<NoticeRow>, AppError> {
    Ok(sqlx::query_as(
        "SELECT id, message, title, body, link, read_at IS NOT NULL AS read, created_at
         FROM notifications WHERE user_id = $1 ORDER BY created_at DESC, id DESC LIMIT 50",
    )
    .bind(user_id)
    .fetch_all(conn)
    .await?)
}

pub async fn mark_all_read(conn: &mut PgConnection, user_id: UserId) -> Result<(), AppError> {
    sqlx::query("UPDATE notifications SET read_at = now() WHERE user_id = $1 AND read_at IS NULL")
        .bind(user_id)
        .execute(conn)
        .await?;
    Ok(())
}

/// A member's choices of how to be reached, and whether the account has a phone.
#[derive(Debug, Default, sqlx::FromRow)]
pub struct PrefsRow {
    pub sms_reminders: bool,
    pub quiet_from: Option<i16>,
    pub quiet_to: Option<i16>,
    pub has_phone: bool,
}

pub async fn prefs(conn: &mut PgConnection, user: UserId) -> Result<PrefsRow, AppError> {
    Ok(sqlx::query_as(
        "SELECT COALESCE(p.sms_reminders, false) AS sms_reminders, p.quiet_from, p.quiet_to,
                u.phone IS NOT NULL AS has_phone
         FROM users u LEFT JOIN notice_prefs p ON p.user_id = u.id WHERE u.id = $1",
    )
    .bind(user)
    .fetch_one(conn)
    .await?)
}

pub async fn set_prefs(
    conn: &mut PgConnection,
    user: UserId,
    sms_reminders: bool,
    quiet: Option<super::model::QuietHours>,
) -> Result<(), AppError> {
    sqlx::query(
        "INSERT INTO notice_prefs (user_id, sms_reminders, quiet_from, quiet_to) VALUES ($1, $2, $3, $4)
         ON CONFLICT (user_id) DO UPDATE SET sms_reminders = EXCLUDED.sms_reminders,
             quiet_from = EXCLUDED.quiet_from, quiet_to = EXCLUDED.quiet_to, updated_at = now()",
    )
    .bind(user)
    .bind(sms_reminders)
    .bind(quiet.map(|q| i16::from(q.from)))
    .bind(quiet.map(|q| i16::from(q.to)))
    .execute(conn)
    .await?;
    Ok(())
}

/// Of `users`, those who take reminders by text message: their phone, language and quiet
/// hours.
#[derive(Debug, sqlx::FromRow)]
pub struct SmsReader {
    pub phone: String,
    pub locale: String,
    pub quiet_from: Option<i16>,
    pub quiet_to: Option<i16>,
}

pub async fn sms_readers(
    conn: &mut PgConnection,
    users: &[UserId],
) -> Result<Vec<SmsReader>, AppError> {
    Ok(sqlx::query_as(
        "SELECT u.phone, u.locale, p.quiet_from, p.quiet_to
         FROM notice_prefs p JOIN users u ON u.id = p.user_id
         WHERE p.user_id = ANY ($1) AND p.sms_reminders AND u.phone IS NOT NULL
         ORDER BY u.id",
    )
    .bind(users)
    .fetch_all(conn)
    .await?)
}
