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
