//! SQL for messages to members: who holds an organization's work, telling them (once per
//! key) and the list; the unread count is read with the viewer (`auth::store::actor`).

use chrono::{DateTime, Utc};
use sqlx::{PgConnection, Row};

use super::model::{Channel, Message, ReminderKind};
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
    notify_new(conn, users, message, link, dedupe)
        .await
        .map(drop)
}

/// As [`notify`], answering those told now (not those told before under the same key).
pub async fn notify_new(
    conn: &mut PgConnection,
    users: &[UserId],
    message: &Message,
    link: &str,
    dedupe: &str,
) -> Result<Vec<UserId>, AppError> {
    Ok(sqlx::query_scalar(
        "INSERT INTO notifications (user_id, kind, title, message, link, dedupe_key)
         SELECT u, $2, '', $3, $4, $5 || ':' || u FROM unnest($1::bigint[]) AS u
         ON CONFLICT (user_id, dedupe_key) DO NOTHING
         RETURNING user_id",
    )
    .bind(users)
    .bind(message.kind())
    .bind(sqlx::types::Json(message))
    .bind(link)
    .bind(dedupe)
    .fetch_all(conn)
    .await?)
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

/// A member's choices of how to be reached: quiet hours, the e-mail address, whether the
/// account has a phone, and each (kind, channel) ticked.
#[derive(Debug, Default)]
pub struct PrefsRow {
    pub quiet_from: Option<i16>,
    pub quiet_to: Option<i16>,
    pub has_phone: bool,
    pub email: Option<String>,
    pub channels: Vec<(ReminderKind, Channel)>,
}

pub async fn prefs(conn: &mut PgConnection, user: UserId) -> Result<PrefsRow, AppError> {
    let r = sqlx::query(
        "SELECT p.quiet_from, p.quiet_to, u.phone IS NOT NULL AS has_phone, u.email,
                COALESCE((SELECT array_agg(c.channel || ':' || c.kind) FROM notice_channels c
                          WHERE c.user_id = u.id), '{}') AS channels
         FROM users u LEFT JOIN notice_prefs p ON p.user_id = u.id WHERE u.id = $1",
    )
    .bind(user)
    .fetch_one(conn)
    .await?;
    let ticked: Vec<String> = r.try_get("channels")?;
    Ok(PrefsRow {
        quiet_from: r.try_get("quiet_from")?,
        quiet_to: r.try_get("quiet_to")?,
        has_phone: r.try_get("has_phone")?,
        email: r.try_get("email")?,
        // Rows this build cannot read are left out.
        channels: ticked
            .iter()
            .filter_map(|t| super::model::parse_channels([t.as_str()]).ok())
            .flatten()
            .collect(),
    })
}

/// Sets a member's quiet hours, e-mail address and channels (all of them replaced).
pub async fn set_prefs(
    conn: &mut PgConnection,
    user: UserId,
    quiet: Option<super::model::QuietHours>,
    email: Option<&str>,
    channels: &[(ReminderKind, Channel)],
) -> Result<(), AppError> {
    sqlx::query(
        "INSERT INTO notice_prefs (user_id, quiet_from, quiet_to) VALUES ($1, $2, $3)
         ON CONFLICT (user_id) DO UPDATE SET
             quiet_from = EXCLUDED.quiet_from, quiet_to = EXCLUDED.quiet_to, updated_at = now()",
    )
    .bind(user)
    .bind(quiet.map(|q| i16::from(q.from)))
    .bind(quiet.map(|q| i16::from(q.to)))
    .execute(&mut *conn)
    .await?;
    sqlx::query("UPDATE users SET email = $2 WHERE id = $1")
        .bind(user)
        .bind(email)
        .execute(&mut *conn)
        .await?;
    sqlx::query("DELETE FROM notice_channels WHERE user_id = $1")
        .bind(user)
        .execute(&mut *conn)
        .await?;
    let (kinds, chans): (Vec<&str>, Vec<&str>) = channels
        .iter()
        .map(|(k, c)| (k.as_str(), c.as_str()))
        .unzip();
    sqlx::query(
        "INSERT INTO notice_channels (user_id, kind, channel)
         SELECT $1, k, c FROM unnest($2::text[], $3::text[]) AS t (k, c)",
    )
    .bind(user)
    .bind(&kinds)
    .bind(&chans)
    .execute(conn)
    .await?;
    Ok(())
}

/// Of `users`, those who take reminders of `kind` by a channel: their phone where they take
/// them by text message, their e-mail address where by e-mail, their language and quiet
/// hours.
#[derive(Debug, sqlx::FromRow)]
pub struct Reader {
    pub phone: Option<String>,
    pub email: Option<String>,
    pub locale: String,
    pub quiet_from: Option<i16>,
    pub quiet_to: Option<i16>,
}

pub async fn readers(
    conn: &mut PgConnection,
    users: &[UserId],
    kind: ReminderKind,
) -> Result<Vec<Reader>, AppError> {
    Ok(sqlx::query_as(
        "SELECT CASE WHEN bool_or(c.channel = 'sms') THEN u.phone END AS phone,
                CASE WHEN bool_or(c.channel = 'email') THEN u.email END AS email,
                u.locale, p.quiet_from, p.quiet_to
         FROM notice_channels c JOIN users u ON u.id = c.user_id
         LEFT JOIN notice_prefs p ON p.user_id = u.id
         WHERE c.user_id = ANY ($1) AND c.kind = $2
         GROUP BY u.id, p.quiet_from, p.quiet_to
         ORDER BY u.id",
    )
    .bind(users)
    .bind(kind.as_str())
    .fetch_all(conn)
    .await?)
}

/// How many e-mails were queued for `to` since `since` (the start of the reader's day).
pub async fn mails_since(
    conn: &mut PgConnection,
    to: &str,
    since: DateTime<Utc>,
) -> Result<i64, AppError> {
    Ok(sqlx::query_scalar(
        "SELECT count(*) FROM mail_outbox WHERE recipient = $1 AND created_at >= $2",
    )
    .bind(to)
    .bind(since)
    .fetch_one(conn)
    .await?)
}

/// Queues an e-mail of `message` (with a link into the portal) to `to`; with `digest`,
/// held for that day's digest, due at its time.
pub async fn queue_mail(
    conn: &mut PgConnection,
    to: &str,
    (message, link): (&Message, &str),
    locale: crate::i18n::Locale,
    digest: Option<(chrono::NaiveDate, DateTime<Utc>)>,
) -> Result<(), AppError> {
    sqlx::query(
        "INSERT INTO mail_outbox (recipient, message, link, locale, digest_day, next_at)
         VALUES ($1, $2, $3, $4, $5, COALESCE($6, now()))",
    )
    .bind(to)
    .bind(sqlx::types::Json(message))
    .bind(link)
    .bind(locale.tag())
    .bind(digest.map(|d| d.0))
    .bind(digest.map(|d| d.1))
    .execute(conn)
    .await?;
    Ok(())
}

/// An e-mail due to be sent, claimed for the caller's transaction: one message, or a day's
/// digest of several (`ids`, each message with its link).
#[derive(Debug)]
pub struct MailDue {
    pub ids: Vec<i64>,
    pub to: String,
    pub items: Vec<(Message, String)>,
    pub locale: crate::i18n::Locale,
    pub attempts: i32,
}

/// The oldest e-mail due now, locked so that another server skips it. A digest is claimed
/// by its first message only (so two servers never split one), then all of its messages.
pub async fn next_mail(conn: &mut PgConnection) -> Result<Option<MailDue>, AppError> {
    let Some(r) = sqlx::query(
        "SELECT id, recipient, digest_day, locale, attempts FROM mail_outbox o
         WHERE sent_at IS NULL AND failed_at IS NULL AND next_at <= now()
           AND (digest_day IS NULL
                OR id = (SELECT min(g.id) FROM mail_outbox g
                         WHERE g.recipient = o.recipient AND g.digest_day = o.digest_day
                           AND g.sent_at IS NULL AND g.failed_at IS NULL))
         ORDER BY next_at, id LIMIT 1 FOR UPDATE SKIP LOCKED",
    )
    .fetch_optional(&mut *conn)
    .await?
    else {
        return Ok(None);
    };
    let id: i64 = r.try_get("id")?;
    let to: String = r.try_get("recipient")?;
    let day: Option<chrono::NaiveDate> = r.try_get("digest_day")?;
    let rows = sqlx::query(
        "SELECT id, message, link FROM mail_outbox
         WHERE id = $1 OR (recipient = $2 AND digest_day = $3 AND sent_at IS NULL AND failed_at IS NULL)
         ORDER BY id FOR UPDATE",
    )
    .bind(id)
    .bind(&to)
    .bind(day)
    .fetch_all(&mut *conn)
    .await?;
    let mut due = MailDue {
        ids: vec![],
        to,
        items: vec![],
        locale: crate::i18n::Locale::parse(r.try_get("locale")?).unwrap_or_default(),
        attempts: r.try_get("attempts")?,
    };
    for row in rows {
        let sqlx::types::Json(message): sqlx::types::Json<Message> = row.try_get("message")?;
        due.ids.push(row.try_get("id")?);
        due.items.push((message, row.try_get("link")?));
    }
    Ok(Some(due))
}

/// Records e-mails as sent.
pub async fn mail_sent(conn: &mut PgConnection, ids: &[i64]) -> Result<(), AppError> {
    sqlx::query("UPDATE mail_outbox SET sent_at = now(), error = '' WHERE id = ANY ($1)")
        .bind(ids)
        .execute(conn)
        .await?;
    Ok(())
}

/// Records a failed try: tried again after `retry_in_secs`, or given up (`None`).
pub async fn mail_failed(
    conn: &mut PgConnection,
    ids: &[i64],
    error: &str,
    retry_in_secs: Option<i64>,
) -> Result<(), AppError> {
    sqlx::query(
        "UPDATE mail_outbox SET attempts = attempts + 1, error = $2,
             next_at = now() + make_interval(secs => COALESCE($3, 0)::float8),
             failed_at = CASE WHEN $3::bigint IS NULL THEN now() END
         WHERE id = ANY ($1)",
    )
    .bind(ids)
    .bind(error)
    .bind(retry_in_secs)
    .execute(conn)
    .await?;
    Ok(())
}

/// The latest e-mails, sent, waiting or failed, for the platform's admins.
#[derive(Debug, sqlx::FromRow)]
pub struct MailRow {
    pub recipient: String,
    pub attempts: i32,
    pub sent_at: Option<DateTime<Utc>>,
    pub failed_at: Option<DateTime<Utc>>,
    pub error: String,
    pub created_at: DateTime<Utc>,
}

pub async fn latest_mail(conn: &mut PgConnection, limit: i64) -> Result<Vec<MailRow>, AppError> {
    Ok(sqlx::query_as(
        "SELECT recipient, attempts, sent_at, failed_at, error, created_at FROM mail_outbox
         ORDER BY id DESC LIMIT $1",
    )
    .bind(limit)
    .fetch_all(conn)
    .await?)
}
