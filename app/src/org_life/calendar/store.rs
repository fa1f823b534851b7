//! SQL for the branch calendar: the required frequencies of a tree, a branch's theme day,
//! the branches a member belongs to, a branch's or a member's meetings, and the member's
//! calendar feed.

use sqlx::{PgConnection, Row};

use super::ics::FeedEvent;
use super::model::{Frequency, Requirement};
use crate::error::AppError;
use crate::ids::{OrgId, UserId};
use crate::org_life::meetings::model::MeetingKind;
use crate::orgs::model::Tree;

/// What a tree requires and how often.
pub async fn requirements(
    conn: &mut PgConnection,
    tree: Tree,
) -> Result<Vec<Requirement>, AppError> {
    let rows = sqlx::query("SELECT kind, every FROM life_requirements WHERE tree = $1")
        .bind(tree.as_str())
        .fetch_all(conn)
        .await?;
    Ok(rows
        .iter()
        .filter_map(|r| {
            Some(Requirement {
                kind: MeetingKind::parse(r.get("kind"))?,
                every: Frequency::parse(r.get("every"))?,
            })
        })
        .collect())
}

/// A branch's fixed theme day of the month.
pub async fn theme_day(conn: &mut PgConnection, org_id: OrgId) -> Result<u32, AppError> {
    let day: Option<i32> = sqlx::query_scalar("SELECT theme_day FROM orgs WHERE id = $1")
        .bind(org_id)
        .fetch_optional(conn)
        .await?;
    Ok(day.unwrap_or(15).clamp(1, 31) as u32)
}

/// The branches (and joint branches) a user is a current member of: (id, name).
pub async fn my_branches(
    conn: &mut PgConnection,
    user_id: UserId,
) -> Result<Vec<(OrgId, String)>, AppError> {
    Ok(sqlx::query_as(
        "SELECT o.id, o.name FROM memberships m JOIN orgs o ON o.id = m.org_id
         WHERE m.user_id = $1 AND m.ended_at IS NULL AND o.kind IN ('branch', 'joint_branch')
         ORDER BY o.tree = 'league', o.id",
    )
    .bind(user_id)
    .fetch_all(conn)
    .await?)
}

/// A meeting on the calendar.
pub struct CalendarMeetingRow {
    pub id: i64,
    pub kind: MeetingKind,
    pub title: String,
    pub starts_at: chrono::DateTime<chrono::Utc>,
    pub ends_at: chrono::DateTime<chrono::Utc>,
    pub place: String,
    pub online_link: String,
    pub expected: i64,
}

/// The meetings of the next `days` days a member is expected at, in any branch.
pub async fn upcoming_for(
    conn: &mut PgConnection,
    user_id: UserId,
    days: i32,
) -> Result<Vec<CalendarMeetingRow>, AppError> {
    let rows = sqlx::query(
        "SELECT m.id, m.kind, m.title, m.starts_at, m.ends_at, m.place, m.online_link,
                (SELECT count(*) FROM meeting_expected x WHERE x.meeting_id = m.id) AS expected
         FROM meeting_expected e JOIN meetings m ON m.id = e.meeting_id
         WHERE e.user_id = $1 AND m.ends_at > now() AND m.starts_at < now() + make_interval(days => $2)
         ORDER BY m.starts_at LIMIT 20",
    )
    .bind(user_id)
    .bind(days)
    .fetch_all(conn)
    .await?;
    Ok(rows.iter().filter_map(meeting_row).collect())
}

/// A branch's meetings starting between `from` and `to` (Asia/Shanghai days, included).
pub async fn meetings(
    conn: &mut PgConnection,
    org_id: OrgId,
    from: chrono::NaiveDate,
    to: chrono::NaiveDate,
) -> Result<Vec<CalendarMeetingRow>, AppError> {
    let rows = sqlx::query(
        "SELECT m.id, m.kind, m.title, m.starts_at, m.ends_at, m.place, m.online_link,
                (SELECT count(*) FROM meeting_expected e WHERE e.meeting_id = m.id) AS expected
         FROM meetings m
         WHERE m.org_id = $1 AND (m.starts_at AT TIME ZONE 'Asia/Shanghai')::date BETWEEN $2 AND $3
         ORDER BY m.starts_at",
    )
    .bind(org_id)
    .bind(from)
    .bind(to)
    .fetch_all(conn)
    .await?;
    Ok(rows.iter().filter_map(meeting_row).collect())
}

/// A meeting row; none for a kind this build does not know, which the calendar leaves out.
fn meeting_row(r: &sqlx::postgres::PgRow) -> Option<CalendarMeetingRow> {
    Some(CalendarMeetingRow {
        id: r.get("id"),
        kind: MeetingKind::parse(r.get("kind"))?,
        title: r.get("title"),
        starts_at: r.get("starts_at"),
        ends_at: r.get("ends_at"),
        place: r.get("place"),
        online_link: r.get("online_link"),
        expected: r.get("expected"),
    })
}

/// The secret of a member's calendar feed, made on first use; `renew` replaces it, so that
/// the old address stops working.
pub async fn feed_secret(
    conn: &mut PgConnection,
    user_id: UserId,
    renew: bool,
) -> Result<String, AppError> {
    use rand::Rng;
    const ALPHABET: &[u8] = b"abcdefghijklmnopqrstuvwxyz0123456789";
    let fresh: String = {
        let mut rng = rand::thread_rng();
        (0..32)
            .map(|_| ALPHABET[rng.gen_range(0..ALPHABET.len())] as char)
            .collect()
    };
    let sql = if renew {
        "INSERT INTO calendar_feeds (user_id, secret) VALUES ($1, $2)
         ON CONFLICT (user_id) DO UPDATE SET secret = EXCLUDED.secret, created_at = now()
         RETURNING secret"
    } else {
        "WITH made AS (
             INSERT INTO calendar_feeds (user_id, secret) VALUES ($1, $2)
             ON CONFLICT (user_id) DO NOTHING RETURNING secret)
         SELECT secret FROM made UNION ALL SELECT secret FROM calendar_feeds WHERE user_id = $1"
    };
    let made: Option<String> = sqlx::query_scalar(sql)
        .bind(user_id)
        .bind(&fresh)
        .fetch_optional(&mut *conn)
        .await?;
    match made {
        Some(secret) => Ok(secret),
        // Another request made it at the same time: the insert waited for it and did
        // nothing, and the statement's snapshot was taken before it; a new statement sees it.
        None => Ok(
            sqlx::query_scalar("SELECT secret FROM calendar_feeds WHERE user_id = $1")
                .bind(user_id)
                .fetch_one(conn)
                .await?,
        ),
    }
}

/// The meetings of the member whose feed secret this is: from 90 days ago on.
pub async fn feed(
    conn: &mut PgConnection,
    secret: &str,
) -> Result<Option<Vec<FeedEvent>>, AppError> {
    let user: Option<UserId> =
        sqlx::query_scalar("SELECT user_id FROM calendar_feeds WHERE secret = $1")
            .bind(secret)
            .fetch_optional(&mut *conn)
            .await?;
    let Some(user) = user else {
        return Ok(None);
    };
    let rows = sqlx::query(
        "SELECT m.id, m.title, o.name, m.starts_at, m.ends_at, m.place, m.online_link, m.created_at
         FROM meeting_expected e JOIN meetings m ON m.id = e.meeting_id JOIN orgs o ON o.id = m.org_id
         WHERE e.user_id = $1 AND m.starts_at > now() - interval '90 days'
         ORDER BY m.starts_at LIMIT 500",
    )
    .bind(user)
    .fetch_all(conn)
    .await?;
    Ok(Some(
        rows.iter()
            .map(|r| FeedEvent {
                id: r.get("id"),
                title: r.get("title"),
                org: r.get("name"),
                starts: r.get("starts_at"),
                ends: r.get("ends_at"),
                place: r.get("place"),
                link: r.get("online_link"),
                stamp: r.get("created_at"),
            })
            .collect(),
    ))
}
