//! SQL for coverage: the live figures per street, the weekly snapshots, and the enterprises
//! each street could still help found an organization.

use chrono::NaiveDate;
use sqlx::{PgConnection, Row};

use super::model::{Figures, StreetFigures};
use crate::error::AppError;

/// Operating, without an organization, and able to found one (see `model::founding`).
const ELIGIBLE: &str = "(e.league_members >= 3 OR e.young_employees >= 1)";

fn figures(r: &sqlx::postgres::PgRow) -> StreetFigures {
    StreetFigures {
        district: r.get("district"),
        street: r.get("street"),
        figures: Figures {
            enterprises: r.get("enterprises"),
            covered: r.get("covered"),
            eligible: r.get("eligible"),
        },
    }
}

/// Each street's figures now, from the ledger.
pub async fn live(conn: &mut PgConnection) -> Result<Vec<StreetFigures>, AppError> {
    let rows = sqlx::query(&format!(
        "SELECT e.district, e.street, count(*) AS enterprises,
                count(*) FILTER (WHERE {has}) AS covered,
                count(*) FILTER (WHERE NOT {has} AND {ELIGIBLE}) AS eligible
         FROM enterprises e WHERE e.status = 'operating'
         GROUP BY e.district, e.street ORDER BY e.district, e.street",
        has = crate::league::ledger::store::HAS_LEAGUE_ORG
    ))
    .fetch_all(conn)
    .await?;
    Ok(rows.iter().map(figures).collect())
}

/// Writes this week's rows from the live ledger (again and again during the week; the
/// last write stands). Two processes doing it at once write the same figures.
pub async fn snapshot(conn: &mut PgConnection, week: NaiveDate) -> Result<u64, AppError> {
    let done = sqlx::query(&format!(
        "INSERT INTO coverage_snapshots (week, district, street, enterprises, covered, eligible)
         SELECT $1, e.district, e.street, count(*),
                count(*) FILTER (WHERE {has}),
                count(*) FILTER (WHERE NOT {has} AND {ELIGIBLE})
         FROM enterprises e WHERE e.status = 'operating'
         GROUP BY e.district, e.street
         ON CONFLICT (week, district, street) DO UPDATE SET
             enterprises = EXCLUDED.enterprises, covered = EXCLUDED.covered,
             eligible = EXCLUDED.eligible, taken_at = now()",
        has = crate::league::ledger::store::HAS_LEAGUE_ORG
    ))
    .bind(week)
    .execute(conn)
    .await?;
    Ok(done.rows_affected())
}

/// The snapshots of the weeks from `since` on, per street, oldest week first.
pub async fn weeks(
    conn: &mut PgConnection,
    since: NaiveDate,
) -> Result<Vec<(NaiveDate, StreetFigures)>, AppError> {
    let rows = sqlx::query(
        "SELECT week, district, street, enterprises::bigint AS enterprises,
                covered::bigint AS covered, eligible::bigint AS eligible
         FROM coverage_snapshots WHERE week >= $1 ORDER BY week, district, street",
    )
    .bind(since)
    .fetch_all(conn)
    .await?;
    Ok(rows.iter().map(|r| (r.get("week"), figures(r))).collect())
}

/// The enterprises of a street that could found an organization and have none, most young
/// employees first: (name, credit code, young employees, League members).
pub async fn to_found(
    conn: &mut PgConnection,
    district: &str,
    street: &str,
    limit: i64,
) -> Result<Vec<(String, String, i32, i32)>, AppError> {
    Ok(sqlx::query_as(&format!(
        "SELECT e.name, e.credit_code, e.young_employees, e.league_members FROM enterprises e
         WHERE e.status = 'operating' AND e.district = $1 AND e.street = $2
           AND NOT {has} AND {ELIGIBLE}
         ORDER BY e.young_employees DESC, e.name LIMIT $3",
        has = crate::league::ledger::store::HAS_LEAGUE_ORG
    ))
    .bind(district)
    .bind(street)
    .bind(limit)
    .fetch_all(conn)
    .await?)
}
