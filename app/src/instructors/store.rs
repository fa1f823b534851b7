//! Instructors' assignments: adding one once, ending one, and reading them by target and
//! by instructor.

use chrono::{DateTime, Utc};
use sqlx::PgConnection;

use super::model::Target;
use crate::error::AppError;
use crate::ids::{ApplicationId, OrgId, UserId};

/// A live assignment as the target's page lists it.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct AssignedRow {
    pub id: i64,
    pub instructor_id: UserId,
    pub name: String,
    pub phone: Option<String>,
    pub assigned_at: DateTime<Utc>,
}

/// A live assignment of one instructor with what its target needs for the next action.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct FollowedRow {
    pub id: i64,
    pub org_id: Option<OrgId>,
    pub application_id: Option<ApplicationId>,
    /// The organization's name, or the applying enterprise's.
    pub name: String,
    /// An application's state and when it last changed, and the organization founded from
    /// it.
    pub state: Option<String>,
    pub updated_at: Option<DateTime<Utc>>,
    pub founded: Option<OrgId>,
}

fn ids(target: Target) -> (Option<OrgId>, Option<ApplicationId>) {
    match target {
        Target::Org(o) => (Some(o), None),
        Target::Application(a) => (None, Some(a)),
    }
}

/// Names `instructor` for `target` unless they follow it already; whether this added it.
pub async fn assign(
    conn: &mut PgConnection,
    instructor: UserId,
    target: Target,
    by: UserId,
) -> Result<bool, AppError> {
    let (org, application) = ids(target);
    let done = sqlx::query(
        "INSERT INTO instructor_assignments (instructor_id, org_id, application_id, assigned_by)
         VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING",
    )
    .bind(instructor)
    .bind(org)
    .bind(application)
    .bind(by)
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// The target of a live assignment, locked.
pub async fn target_of(conn: &mut PgConnection, id: i64) -> Result<Option<Target>, AppError> {
    let row: Option<(Option<OrgId>, Option<ApplicationId>)> = sqlx::query_as(
        "SELECT org_id, application_id FROM instructor_assignments
         WHERE id = $1 AND ended_at IS NULL FOR UPDATE",
    )
    .bind(id)
    .fetch_optional(conn)
    .await?;
    Ok(row.and_then(|r| match r {
        (Some(o), None) => Some(Target::Org(o)),
        (None, Some(a)) => Some(Target::Application(a)),
        _ => None,
    }))
}

/// Ends a live assignment; whether there was one.
pub async fn end(conn: &mut PgConnection, id: i64, by: UserId) -> Result<bool, AppError> {
    let done = sqlx::query(
        "UPDATE instructor_assignments SET ended_at = now(), ended_by = $2
         WHERE id = $1 AND ended_at IS NULL",
    )
    .bind(id)
    .bind(by)
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// The instructors following `target` now, the longest first.
pub async fn of_target(
    conn: &mut PgConnection,
    target: Target,
) -> Result<Vec<AssignedRow>, AppError> {
    let (org, application) = ids(target);
    Ok(sqlx::query_as(
        "SELECT a.id, a.instructor_id, u.display_name AS name, u.phone, a.assigned_at
         FROM instructor_assignments a JOIN users u ON u.id = a.instructor_id
         WHERE a.ended_at IS NULL
           AND (a.org_id = $1 OR a.application_id = $2)
         ORDER BY a.assigned_at, a.id",
    )
    .bind(org)
    .bind(application)
    .fetch_all(conn)
    .await?)
}

/// What `instructor` follows now.
pub async fn following(
    conn: &mut PgConnection,
    instructor: UserId,
) -> Result<Vec<FollowedRow>, AppError> {
    Ok(sqlx::query_as(
        "SELECT a.id, a.org_id, a.application_id,
                COALESCE(o.name, f.enterprise_name) AS name,
                f.state, f.updated_at, f.org_id AS founded
         FROM instructor_assignments a
         LEFT JOIN orgs o ON o.id = a.org_id
         LEFT JOIN founding_applications f ON f.id = a.application_id
         WHERE a.instructor_id = $1 AND a.ended_at IS NULL
         ORDER BY a.id",
    )
    .bind(instructor)
    .fetch_all(conn)
    .await?)
}

/// The name of what `target` is: the organization's, or the applying enterprise's.
pub async fn target_name(conn: &mut PgConnection, target: Target) -> Result<String, AppError> {
    let (org, application) = ids(target);
    Ok(sqlx::query_scalar(
        "SELECT COALESCE((SELECT name FROM orgs WHERE id = $1),
                         (SELECT enterprise_name FROM founding_applications WHERE id = $2), '')",
    )
    .bind(org)
    .bind(application)
    .fetch_one(conn)
    .await?)
}

/// Whether the organization has held any meeting (its first one ends the founding's
/// follow-up).
pub async fn held_any(conn: &mut PgConnection, org: OrgId) -> Result<bool, AppError> {
    Ok(sqlx::query_scalar(
        "SELECT EXISTS (SELECT 1 FROM meetings m JOIN meeting_attendance a ON a.meeting_id = m.id
                        WHERE m.org_id = $1)",
    )
    .bind(org)
    .fetch_one(conn)
    .await?)
}
