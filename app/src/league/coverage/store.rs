//! SQL for coverage of either tree: the live figures per street, the weekly snapshots, and
//! the enterprises each street could still help found an organization.

use chrono::NaiveDate;
use sqlx::{PgConnection, Row};

use super::model::{Figures, StreetFigures};
use crate::error::AppError;
use crate::orgs::model::Tree;

/// An enterprise has a Party organization: its own, or the joint branch it belongs to.
pub const HAS_PARTY_ORG: &str = "(e.party_joint_org_id IS NOT NULL OR EXISTS (SELECT 1 FROM orgs o
     WHERE o.enterprise_id = e.id AND o.tree = 'party'))";

/// In a tree: the test of having an organization, that of being able to found one (the
/// League: see `founding::model`; the Party: one member founds or joins a joint branch),
/// and the members it counts.
fn tree_sql(tree: Tree) -> (&'static str, &'static str, &'static str) {
    match tree {
        Tree::League => (
            crate::league::ledger::store::HAS_LEAGUE_ORG,
            "(e.league_members >= 3 OR e.young_employees >= 1)",
            "e.league_members",
        ),
        Tree::Party => (HAS_PARTY_ORG, "(e.party_members >= 1)", "e.party_members"),
    }
}

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

/// Each street's figures in a tree now, from the ledger.
pub async fn live(conn: &mut PgConnection, tree: Tree) -> Result<Vec<StreetFigures>, AppError> {
    let (has, eligible, _) = tree_sql(tree);
    let rows = sqlx::query(&format!(
        "SELECT e.district, e.street, count(*) AS enterprises,
                count(*) FILTER (WHERE {has}) AS covered,
                count(*) FILTER (WHERE NOT {has} AND {eligible}) AS eligible
         FROM enterprises e WHERE e.status = 'operating'
         GROUP BY e.district, e.street ORDER BY e.district, e.street"
    ))
    .fetch_all(conn)
    .await?;
    Ok(rows.iter().map(figures).collect())
}

/// Writes this week's rows of a tree from the live ledger (again and again during the
/// week; the last write stands). Two processes doing it at once write the same figures.
pub async fn snapshot(
    conn: &mut PgConnection,
    tree: Tree,
    week: NaiveDate,
) -> Result<u64, AppError> {
    let (has, eligible, _) = tree_sql(tree);
    let done = sqlx::query(&format!(
        "INSERT INTO coverage_snapshots (week, tree, district, street, enterprises, covered, eligible)
         SELECT $1, $2, e.district, e.street, count(*),
                count(*) FILTER (WHERE {has}),
                count(*) FILTER (WHERE NOT {has} AND {eligible})
         FROM enterprises e WHERE e.status = 'operating'
         GROUP BY e.district, e.street
         ON CONFLICT (week, tree, district, street) DO UPDATE SET
             enterprises = EXCLUDED.enterprises, covered = EXCLUDED.covered,
             eligible = EXCLUDED.eligible, taken_at = now()"
    ))
    .bind(week)
    .bind(tree)
    .execute(conn)
    .await?;
    Ok(done.rows_affected())
}

/// A tree's snapshots of the weeks from `since` on, per street, oldest week first.
pub async fn weeks(
    conn: &mut PgConnection,
    tree: Tree,
    since: NaiveDate,
) -> Result<Vec<(NaiveDate, StreetFigures)>, AppError> {
    let rows = sqlx::query(
        "SELECT week, district, street, enterprises::bigint AS enterprises,
                covered::bigint AS covered, eligible::bigint AS eligible
         FROM coverage_snapshots WHERE week >= $1 AND tree = $2 ORDER BY week, district, street",
    )
    .bind(since)
    .bind(tree)
    .fetch_all(conn)
    .await?;
    Ok(rows.iter().map(|r| (r.get("week"), figures(r))).collect())
}

/// The enterprises of a street that could found an organization of a tree and have none,
/// most young employees first: (name, credit code, young employees, the tree's members).
pub async fn to_found(
    conn: &mut PgConnection,
    tree: Tree,
    (district, street): (&str, &str),
    limit: i64,
) -> Result<Vec<(String, String, i32, i32)>, AppError> {
    let (has, eligible, members) = tree_sql(tree);
    Ok(sqlx::query_as(&format!(
        "SELECT e.name, e.credit_code, e.young_employees, {members} FROM enterprises e
         WHERE e.status = 'operating' AND e.district = $1 AND e.street = $2
           AND NOT {has} AND {eligible}
         ORDER BY e.young_employees DESC, e.name LIMIT $3"
    ))
    .bind(district)
    .bind(street)
    .bind(limit)
    .fetch_all(conn)
    .await?)
}
