//! Bulletins as kept: which committees still lack one for a period, adding one once, and
//! reading them back.

use sqlx::PgConnection;
use sqlx::types::Json;

use super::model::Bulletin;
use crate::error::AppError;
use crate::ids::OrgId;

/// The committees (of either tree) without a bulletin for `period`.
pub async fn missing(conn: &mut PgConnection, period: &str) -> Result<Vec<OrgId>, AppError> {
    Ok(sqlx::query_scalar(
        "SELECT o.id FROM orgs o
         WHERE o.kind IN ('committee', 'industry_committee')
           AND NOT EXISTS (SELECT 1 FROM bulletins b WHERE b.org_id = o.id AND b.period = $1)
         ORDER BY o.id",
    )
    .bind(period)
    .fetch_all(conn)
    .await?)
}

/// Keeps a bulletin unless one is kept for its committee and period already (another
/// server made it first); whether this one was kept.
pub async fn keep(
    conn: &mut PgConnection,
    org: OrgId,
    bulletin: &Bulletin,
) -> Result<bool, AppError> {
    let done = sqlx::query(
        "INSERT INTO bulletins (org_id, period, content) VALUES ($1, $2, $3)
         ON CONFLICT (org_id, period) DO NOTHING",
    )
    .bind(org)
    .bind(bulletin.period.to_string())
    .bind(Json(bulletin))
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// A committee's bulletins, latest period first: (id, period).
pub async fn list(conn: &mut PgConnection, org: OrgId) -> Result<Vec<(i64, String)>, AppError> {
    Ok(sqlx::query_as(
        "SELECT id, period FROM bulletins WHERE org_id = $1
         ORDER BY left(period, 4) DESC, made_at DESC, id DESC LIMIT 60",
    )
    .bind(org)
    .fetch_all(conn)
    .await?)
}

/// A bulletin and its committee.
pub async fn one(conn: &mut PgConnection, id: i64) -> Result<Option<(OrgId, Bulletin)>, AppError> {
    let row: Option<(OrgId, Json<Bulletin>)> =
        sqlx::query_as("SELECT org_id, content FROM bulletins WHERE id = $1")
            .bind(id)
            .fetch_optional(conn)
            .await?;
    Ok(row.map(|(org, Json(b))| (org, b)))
}
