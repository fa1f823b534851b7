//! SQL for meetings: scheduling one (its place kept free of double bookings) and changing
//! it, a branch's roster to choose attendees from, a meeting's particulars, who is
//! expected, leave and attendance.

use chrono::{DateTime, Utc};
use sqlx::PgConnection;

use super::model::{Attendees, NewMeeting};
use crate::error::{AppError, Msg};
use crate::ids::{MeetingId, OrgId, UserId};

/// A meeting with everything its page needs.
#[derive(sqlx::FromRow)]
pub struct MeetingRow {
    pub id: MeetingId,
    pub org_id: OrgId,
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

/// A meeting by id.
pub async fn meeting(
    conn: &mut PgConnection,
    id: MeetingId,
) -> Result<Option<MeetingRow>, AppError> {
    Ok(sqlx::query_as(
        "SELECT id, org_id, kind, title, starts_at, ends_at, place, online_link, agenda, chair,
                recorder, code_secret
         FROM meetings WHERE id = $1",
    )
    .bind(id)
    .fetch_optional(conn)
    .await?)
}

/// Is the user expected at the meeting?
pub async fn is_expected(
    conn: &mut PgConnection,
    meeting_id: MeetingId,
    user_id: UserId,
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
pub async fn counts(
    conn: &mut PgConnection,
    meeting_id: MeetingId,
) -> Result<(i64, i64), AppError> {
    Ok(sqlx::query_as(
        "SELECT (SELECT count(*) FROM meeting_expected WHERE meeting_id = $1),
                (SELECT count(*) FROM meeting_attendance WHERE meeting_id = $1)",
    )
    .bind(meeting_id)
    .fetch_one(conn)
    .await?)
}

/// One expected attendee with their leave and attendance.
#[derive(Clone, sqlx::FromRow)]
pub struct AttendeeRow {
    pub user_id: UserId,
    #[sqlx(rename = "display_name")]
    pub name: String,
    #[sqlx(rename = "state")]
    pub leave_state: Option<String>,
    pub leave_reason: String,
    /// 'code' or 'manual' when present.
    pub how: Option<String>,
    pub manual_reason: String,
}

/// Everyone expected at a meeting, by name.
pub async fn attendees(
    conn: &mut PgConnection,
    meeting_id: MeetingId,
) -> Result<Vec<AttendeeRow>, AppError> {
    Ok(sqlx::query_as(
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
    .await?)
}

/// Asks for leave, or changes the reason of a request not answered yet. Refused once the
/// request was answered.
pub async fn ask_leave(
    conn: &mut PgConnection,
    meeting_id: MeetingId,
    user_id: UserId,
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
    meeting_id: MeetingId,
    user_id: UserId,
    approve: bool,
    by: UserId,
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
    meeting_id: MeetingId,
    user_id: UserId,
    manual: Option<(&str, UserId)>,
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
    org_id: OrgId,
    m: &NewMeeting,
    except: Option<MeetingId>,
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
        return Err(AppError::invalid("place", Msg::MeetingRoomTaken));
    }
    Ok(())
}

/// Changes a meeting's particulars (not its kind or who is expected); returns who is
/// expected, to tell them.
pub async fn change(
    conn: &mut PgConnection,
    id: MeetingId,
    m: &NewMeeting,
) -> Result<Vec<UserId>, AppError> {
    let org_id: OrgId = sqlx::query_scalar("SELECT org_id FROM meetings WHERE id = $1")
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
    org_id: OrgId,
    m: &NewMeeting,
    attendees: &Attendees,
    by: UserId,
) -> Result<(MeetingId, Vec<UserId>), AppError> {
    keep_place(conn, org_id, m, None).await?;
    let id: MeetingId = sqlx::query_scalar(
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
    let (committee, chosen): (bool, Option<Vec<UserId>>) = match attendees {
        Attendees::Branch => (false, None),
        Attendees::Committee => (true, None),
        Attendees::Chosen(ids) => (false, Some(ids.clone())),
    };
    let expected: Vec<UserId> = sqlx::query_scalar(
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
        return Err(AppError::invalid("attendees", Msg::NoAttendees));
    }
    Ok((id, expected))
}

/// The branch's current members by name, for choosing attendees.
pub async fn roster(
    conn: &mut PgConnection,
    org_id: OrgId,
) -> Result<Vec<(UserId, String)>, AppError> {
    Ok(sqlx::query_as(
        "SELECT u.id, u.display_name FROM memberships m JOIN users u ON u.id = m.user_id
         WHERE m.org_id = $1 AND m.ended_at IS NULL ORDER BY u.display_name, u.id",
    )
    .bind(org_id)
    .fetch_all(conn)
    .await?)
}
