//! SQL for organization life: the required frequencies of a tree, a branch's theme day, and
//! the branches a member belongs to.

use sqlx::{PgConnection, Row};

use super::model::{Frequency, MeetingKind, Requirement};
use crate::error::AppError;
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
pub async fn theme_day(conn: &mut PgConnection, org_id: i64) -> Result<u32, AppError> {
    let day: Option<i32> = sqlx::query_scalar("SELECT theme_day FROM orgs WHERE id = $1")
        .bind(org_id)
        .fetch_optional(conn)
        .await?;
    Ok(day.unwrap_or(15).clamp(1, 31) as u32)
}

/// The branches (and joint branches) a user is a current member of: (id, name).
pub async fn my_branches(
    conn: &mut PgConnection,
    user_id: i64,
) -> Result<Vec<(i64, String)>, AppError> {
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
pub struct MeetingRow {
    pub id: i64,
    pub kind: String,
    pub title: String,
    pub starts_at: chrono::DateTime<chrono::Utc>,
    pub ends_at: chrono::DateTime<chrono::Utc>,
    pub place: String,
    pub online_link: String,
    pub expected: i64,
}

/// Whose rooms a branch's meetings use: the nearest of the branch and the organizations
/// above it that has an enterprise (`e:<enterprise>`) or is a committee (`o:<committee>`),
/// else the branch itself. Two companies' "3 楼会议室" are different rooms.
const PLACE_SCOPE: &str = "(SELECT coalesce(
        (SELECT coalesce('e:' || a.enterprise_id, 'o:' || a.id) FROM orgs a
         WHERE a.path @> po.path AND (a.enterprise_id IS NOT NULL OR a.kind = 'committee')
         ORDER BY nlevel(a.path) DESC LIMIT 1),
        'o:' || po.id)
    FROM orgs po WHERE po.id = {org})";

/// Refuses a place already taken by another meeting of the same company at an overlapping
/// time, under a lock on the company's place held to the end of the transaction, so that
/// two secretaries cannot both book it.
async fn keep_place(
    conn: &mut PgConnection,
    org_id: i64,
    m: &super::model::NewMeeting,
    except: Option<i64>,
) -> Result<(), AppError> {
    if m.place.is_empty() {
        return Ok(());
    }
    let scope = |org: &str| PLACE_SCOPE.replace("{org}", org);
    let mine: String = sqlx::query_scalar(&format!("SELECT {}", scope("$1")))
        .bind(org_id)
        .fetch_one(&mut *conn)
        .await?;
    sqlx::query("SELECT pg_advisory_xact_lock(hashtext('meeting place ' || $1 || ' ' || $2))")
        .bind(&mine)
        .bind(&m.place)
        .execute(&mut *conn)
        .await?;
    let taken: bool = sqlx::query_scalar(&format!(
        "SELECT EXISTS (SELECT 1 FROM meetings m WHERE m.place = $1 AND m.starts_at < $3 AND m.ends_at > $2
                        AND m.id IS DISTINCT FROM $4 AND {} = $5)",
        scope("m.org_id")
    ))
    .bind(&m.place)
    .bind(m.starts)
    .bind(m.ends)
    .bind(except)
    .bind(&mine)
    .fetch_one(&mut *conn)
    .await?;
    if taken {
        return Err(AppError::invalid(
            "place",
            crate::error::Msg::MeetingRoomTaken,
        ));
    }
    Ok(())
}

/// Changes a meeting's particulars (not its kind or who is expected); returns who is
/// expected, to tell them.
pub async fn change(
    conn: &mut PgConnection,
    id: i64,
    m: &super::model::NewMeeting,
) -> Result<Vec<i64>, AppError> {
    let org_id: i64 = sqlx::query_scalar("SELECT org_id FROM meetings WHERE id = $1")
        .bind(id)
        .fetch_one(&mut *conn)
        .await?;
    keep_place(conn, org_id, m, Some(id)).await?;
    sqlx::query(
        "UPDATE meetings SET title = $2, starts_at = $3, ends_at = $4, place = $5, online_link = $6,
                             agenda = $7, chair = $8, recorder = $9
         WHERE id = $1",
    )
    .bind(id)
    .bind(&m.title)
    .bind(m.starts)
    .bind(m.ends)
    .bind(&m.place)
    .bind(&m.online_link)
    .bind(&m.agenda)
    .bind(&m.chair)
    .bind(&m.recorder)
    .execute(&mut *conn)
    .await?;
    Ok(
        sqlx::query_scalar("SELECT user_id FROM meeting_expected WHERE meeting_id = $1")
            .bind(id)
            .fetch_all(conn)
            .await?,
    )
}

/// Stores a meeting and expects every current member of the branch at it; a place already
/// taken at an overlapping time is a conflict (checked under a lock on the place, so that
/// two secretaries cannot both book it). Returns the meeting and who is expected.
pub async fn schedule(
    conn: &mut PgConnection,
    org_id: i64,
    m: &super::model::NewMeeting,
    attendees: &super::model::Attendees,
    by: i64,
) -> Result<(i64, Vec<i64>), AppError> {
    use super::model::Attendees;
    keep_place(conn, org_id, m, None).await?;
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO meetings (org_id, kind, title, starts_at, ends_at, place, online_link, agenda,
                               created_by, chair, recorder)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id",
    )
    .bind(org_id)
    .bind(m.kind.as_str())
    .bind(&m.title)
    .bind(m.starts)
    .bind(m.ends)
    .bind(&m.place)
    .bind(&m.online_link)
    .bind(&m.agenda)
    .bind(by)
    .bind(&m.chair)
    .bind(&m.recorder)
    .fetch_one(&mut *conn)
    .await?;
    // Only current members of the branch, whoever is chosen.
    let (committee, chosen): (bool, Option<Vec<i64>>) = match attendees {
        Attendees::Branch => (false, None),
        Attendees::Committee => (true, None),
        Attendees::Chosen(ids) => (false, Some(ids.clone())),
    };
    let expected: Vec<i64> = sqlx::query_scalar(
        "INSERT INTO meeting_expected (meeting_id, user_id)
         SELECT $1, m.user_id FROM memberships m WHERE m.org_id = $2 AND m.ended_at IS NULL
           AND (NOT $3 OR EXISTS (SELECT 1 FROM role_grants g WHERE g.user_id = m.user_id AND g.org_id = $2
                                  AND g.role IN ('secretary', 'committee_member')))
           AND ($4::bigint[] IS NULL OR m.user_id = ANY ($4))
         ON CONFLICT DO NOTHING RETURNING user_id",
    )
    .bind(id)
    .bind(org_id)
    .bind(committee)
    .bind(chosen)
    .fetch_all(&mut *conn)
    .await?;
    if expected.is_empty() {
        return Err(AppError::invalid(
            "attendees",
            crate::error::Msg::NoAttendees,
        ));
    }
    Ok((id, expected))
}

/// The branch's current members by name, for choosing attendees.
pub async fn roster(conn: &mut PgConnection, org_id: i64) -> Result<Vec<(i64, String)>, AppError> {
    Ok(sqlx::query_as(
        "SELECT u.id, u.display_name FROM memberships m JOIN users u ON u.id = m.user_id
         WHERE m.org_id = $1 AND m.ended_at IS NULL ORDER BY u.display_name, u.id",
    )
    .bind(org_id)
    .fetch_all(conn)
    .await?)
}

/// The meetings of the next `days` days a member is expected at, in any branch.
pub async fn upcoming_for(
    conn: &mut PgConnection,
    user_id: i64,
    days: i32,
) -> Result<Vec<MeetingRow>, AppError> {
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
    Ok(rows.iter().map(meeting_row).collect())
}

/// A branch's meetings starting between `from` and `to` (Asia/Shanghai days, included).
pub async fn meetings(
    conn: &mut PgConnection,
    org_id: i64,
    from: chrono::NaiveDate,
    to: chrono::NaiveDate,
) -> Result<Vec<MeetingRow>, AppError> {
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
    Ok(rows.iter().map(meeting_row).collect())
}

fn meeting_row(r: &sqlx::postgres::PgRow) -> MeetingRow {
    MeetingRow {
        id: r.get("id"),
        kind: r.get("kind"),
        title: r.get("title"),
        starts_at: r.get("starts_at"),
        ends_at: r.get("ends_at"),
        place: r.get("place"),
        online_link: r.get("online_link"),
        expected: r.get("expected"),
    }
}

/// The secret of a member's calendar feed, made on first use; `renew` replaces it, so that
/// the old address stops working.
pub async fn feed_secret(
    conn: &mut PgConnection,
    user_id: i64,
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
    Ok(sqlx::query_scalar(sql)
        .bind(user_id)
        .bind(&fresh)
        .fetch_one(conn)
        .await?)
}

/// The meetings of the member whose feed secret this is: from 90 days ago on.
pub async fn feed(
    conn: &mut PgConnection,
    secret: &str,
) -> Result<Option<Vec<super::ics::FeedEvent>>, AppError> {
    let user: Option<i64> =
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
            .map(|r| super::ics::FeedEvent {
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
