//! SQL for the enterprise ledger: the merge of an imported sheet, and the ledger list.

use crate::ids::UserId;
use sqlx::{PgConnection, Row};

use super::model::{DuplicateGroup, LedgerEntry, LedgerRow};
use crate::error::AppError;

/// What a merge did to the ledger.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MergeCounts {
    pub added: u32,
    pub updated: u32,
    pub retired: u32,
    pub unchanged: u32,
}

/// Merges a parsed sheet into the ledger in one statement: new credit codes are added;
/// rows that differ are updated, their old values kept in the history; deregistered ones
/// are retired (status), never deleted. Returns the counts.
pub async fn merge(
    conn: &mut PgConnection,
    rows: &[LedgerRow],
    file_name: &str,
    by: UserId,
) -> Result<MergeCounts, AppError> {
    let import_id: i64 = sqlx::query_scalar(
        "INSERT INTO ledger_imports (file_name, added, updated, retired, unchanged, by_user)
         VALUES ($1, 0, 0, 0, 0, $2) RETURNING id",
    )
    .bind(file_name)
    .bind(by)
    .fetch_one(&mut *conn)
    .await?;
    let col = |f: fn(&LedgerRow) -> String| rows.iter().map(f).collect::<Vec<String>>();
    let num = |f: fn(&LedgerRow) -> i32| rows.iter().map(f).collect::<Vec<i32>>();
    let status: Vec<String> = rows
        .iter()
        .map(|r| {
            if r.deregistered {
                "deregistered"
            } else {
                "operating"
            }
            .to_owned()
        })
        .collect();
    let row = sqlx::query(
        "WITH incoming AS (
             SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[],
                                  $7::int[], $8::int[], $9::int[], $10::int[], $11::text[])
                 AS x (name, name_key, credit_code, district, street, address,
                       employees, young_employees, party_members, league_members, status)),
         old AS (
             SELECT e.* FROM enterprises e JOIN incoming i ON i.credit_code = e.credit_code),
         differs AS (
             SELECT o.id, o.status AS old_status, i.status AS new_status, to_jsonb(o) AS before
             FROM old o JOIN incoming i ON i.credit_code = o.credit_code
             WHERE o.merged_into IS NULL
               AND (o.name, o.district, o.street, o.address, o.employees, o.young_employees,
                    o.party_members, o.league_members, o.status)
                   IS DISTINCT FROM
                   (i.name, i.district, i.street, i.address, i.employees, i.young_employees,
                    i.party_members, i.league_members, i.status)),
         history AS (
             INSERT INTO enterprise_history (enterprise_id, import_id, before)
             SELECT id, $12, before FROM differs),
         upsert AS (
             INSERT INTO enterprises (name, name_key, credit_code, district, street, address,
                                      employees, young_employees, party_members, league_members, status)
             SELECT name, name_key, credit_code, district, street, address,
                    employees, young_employees, party_members, league_members, status FROM incoming
             ON CONFLICT (credit_code) DO UPDATE SET
                 name = EXCLUDED.name, name_key = EXCLUDED.name_key, district = EXCLUDED.district,
                 street = EXCLUDED.street, address = EXCLUDED.address, employees = EXCLUDED.employees,
                 young_employees = EXCLUDED.young_employees, party_members = EXCLUDED.party_members,
                 league_members = EXCLUDED.league_members, status = EXCLUDED.status, updated_at = now()
             WHERE enterprises.merged_into IS NULL
               AND (enterprises.name, enterprises.district, enterprises.street, enterprises.address,
                    enterprises.employees, enterprises.young_employees, enterprises.party_members,
                    enterprises.league_members, enterprises.status)
                   IS DISTINCT FROM
                   (EXCLUDED.name, EXCLUDED.district, EXCLUDED.street, EXCLUDED.address,
                    EXCLUDED.employees, EXCLUDED.young_employees, EXCLUDED.party_members,
                    EXCLUDED.league_members, EXCLUDED.status)
             RETURNING (xmax = 0) AS inserted)
         SELECT (SELECT count(*) FROM upsert WHERE inserted) AS added,
                (SELECT count(*) FROM differs) AS updated,
                (SELECT count(*) FROM differs WHERE old_status = 'operating' AND new_status = 'deregistered') AS retired",
    )
    .bind(col(|r| r.name.clone()))
    .bind(col(|r| r.name_key.clone()))
    .bind(col(|r| r.credit_code.clone()))
    .bind(col(|r| r.district.clone()))
    .bind(col(|r| r.street.clone()))
    .bind(col(|r| r.address.clone()))
    .bind(num(|r| r.employees))
    .bind(num(|r| r.young_employees))
    .bind(num(|r| r.party_members))
    .bind(num(|r| r.league_members))
    .bind(&status)
    .bind(import_id)
    .fetch_one(&mut *conn)
    .await?;
    let added: i64 = row.get("added");
    let updated: i64 = row.get("updated");
    let retired: i64 = row.get("retired");
    let unchanged = rows.len() as i64 - added - updated;
    sqlx::query(
        "UPDATE ledger_imports SET added = $2, updated = $3, retired = $4, unchanged = $5 WHERE id = $1",
    )
    .bind(import_id)
    .bind(added as i32)
    .bind(updated as i32)
    .bind(retired as i32)
    .bind(unchanged as i32)
    .execute(conn)
    .await?;
    Ok(MergeCounts {
        added: added as u32,
        updated: updated as u32,
        retired: retired as u32,
        unchanged: unchanged as u32,
    })
}

/// Filters for the ledger list.
pub struct LedgerQuery<'a> {
    /// Only the firms this scope covers.
    pub scope: &'a super::model::LedgerScope,
    pub q: &'a str,
    pub district: &'a str,
    /// `with_org`, `without_org`, `eligible` (could found, has none), `deregistered`, or "".
    pub filter: &'a str,
    pub limit: i64,
    pub offset: i64,
}

/// A page of the ledger, and how many rows match.
pub async fn ledger(
    conn: &mut PgConnection,
    f: &LedgerQuery<'_>,
) -> Result<(i64, Vec<LedgerEntry>), AppError> {
    let pattern = format!("%{}%", f.q.replace(['%', '_', '\\'], ""));
    let rows = sqlx::query(&format!(
        "WITH matched AS (
             SELECT e.*, {HAS_LEAGUE_ORG} AS has_org
             FROM enterprises e
             WHERE e.status <> 'merged'
               AND ($1 = '%%' OR e.name ILIKE $1 OR e.credit_code = upper($2))
               AND ($3 = '' OR e.district = $3)
               AND ($7 OR e.id = ANY ($8) OR EXISTS (
                   SELECT 1 FROM unnest($9::text[], $10::text[], $11::text[]) AS a (level, district, street)
                   WHERE a.level = 'city'
                      OR (a.level = 'district' AND a.district = e.district)
                      OR (a.level = 'street' AND a.district = e.district AND a.street = e.street))))
         SELECT m.*, count(*) OVER () AS total FROM matched m
         WHERE CASE $4
                 WHEN 'with_org' THEN m.has_org
                 WHEN 'without_org' THEN NOT m.has_org AND m.status = 'operating'
                 WHEN 'eligible' THEN NOT m.has_org AND m.status = 'operating'
                                      AND (m.league_members >= 3 OR m.young_employees >= 1)
                 WHEN 'deregistered' THEN m.status = 'deregistered'
                 ELSE true END
         ORDER BY m.district, m.street, m.name LIMIT $5 OFFSET $6"
    ))
    .bind(&pattern)
    .bind(f.q.trim())
    .bind(f.district)
    .bind(f.filter)
    .bind(f.limit)
    .bind(f.offset)
    .bind(f.scope.all)
    .bind(&f.scope.firms)
    .bind(f.scope.areas.iter().map(|a| a.level.as_str()).collect::<Vec<_>>())
    .bind(f.scope.areas.iter().map(|a| a.district.as_str()).collect::<Vec<_>>())
    .bind(f.scope.areas.iter().map(|a| a.street.as_str()).collect::<Vec<_>>())
    .fetch_all(conn)
    .await?;
    let total = rows.first().map(|r| r.get::<i64, _>("total")).unwrap_or(0);
    Ok((
        total,
        rows.iter()
            .map(|r| LedgerEntry {
                firm: LedgerRow {
                    name: r.get("name"),
                    name_key: r.get("name_key"),
                    credit_code: r.get("credit_code"),
                    district: r.get("district"),
                    street: r.get("street"),
                    address: r.get("address"),
                    employees: r.get("employees"),
                    young_employees: r.get("young_employees"),
                    party_members: r.get("party_members"),
                    league_members: r.get("league_members"),
                    deregistered: r.get::<String, _>("status") == "deregistered",
                },
                has_org: r.get("has_org"),
            })
            .collect(),
    ))
}

/// The districts in the ledger, for the filter.
pub async fn districts(conn: &mut PgConnection) -> Result<Vec<String>, AppError> {
    Ok(sqlx::query_scalar(
        "SELECT DISTINCT district FROM enterprises WHERE district <> '' ORDER BY district",
    )
    .fetch_all(conn)
    .await?)
}

/// Probable duplicates: operating enterprises that share a normalised name under different
/// credit codes, largest groups first, leaving out groups an admin kept apart as they were.
pub async fn probable_duplicates(
    conn: &mut PgConnection,
    limit: i64,
) -> Result<Vec<DuplicateGroup>, AppError> {
    let rows = sqlx::query(
        "SELECT e.name_key, array_agg(e.name ORDER BY e.id) AS names,
                array_agg(e.credit_code ORDER BY e.id) AS codes,
                array_agg(e.district ORDER BY e.id) AS districts,
                array_agg(e.street ORDER BY e.id) AS streets
         FROM enterprises e WHERE e.status = 'operating' AND e.name_key <> ''
         GROUP BY e.name_key
         HAVING count(*) > 1
            AND NOT EXISTS (SELECT 1 FROM ledger_kept_apart k
                            WHERE k.name_key = e.name_key
                              AND k.codes = array_agg(e.credit_code ORDER BY e.credit_code))
         ORDER BY count(*) DESC, e.name_key LIMIT $1",
    )
    .bind(limit)
    .fetch_all(conn)
    .await?;
    Ok(rows
        .iter()
        .map(|r| {
            let names: Vec<String> = r.get("names");
            let codes: Vec<String> = r.get("codes");
            let districts: Vec<String> = r.get("districts");
            let streets: Vec<String> = r.get("streets");
            DuplicateGroup {
                name_key: r.get("name_key"),
                firms: names
                    .into_iter()
                    .zip(codes)
                    .zip(districts)
                    .zip(streets)
                    .map(|(((n, c), d), s)| (n, c, d, s))
                    .collect(),
            }
        })
        .collect())
}

/// Merges the operating enterprises named `name_key` into the one with credit code `keep`
/// (see `api::merge_duplicates`); returns how many were merged.
pub async fn merge_group(
    conn: &mut PgConnection,
    name_key: &str,
    keep: &str,
    by: UserId,
) -> Result<u32, AppError> {
    use crate::error::Msg;
    let rows: Vec<(i64, String)> = sqlx::query_as(
        "SELECT id, credit_code FROM enterprises
         WHERE name_key = $1 AND name_key <> '' AND status = 'operating' ORDER BY id FOR UPDATE",
    )
    .bind(name_key)
    .fetch_all(&mut *conn)
    .await?;
    let Some(kept) = rows.iter().find(|(_, c)| c == keep).map(|(id, _)| *id) else {
        return Err(AppError::invalid("keep", Msg::ApplicationHandled));
    };
    let merged: Vec<i64> = rows
        .iter()
        .map(|(id, _)| *id)
        .filter(|id| *id != kept)
        .collect();
    if merged.is_empty() {
        return Err(AppError::Conflict(Msg::ApplicationHandled));
    }
    sqlx::query(
        "WITH o AS (UPDATE orgs SET enterprise_id = $1 WHERE enterprise_id = ANY ($2)),
              a AS (UPDATE founding_applications SET enterprise_id = $1 WHERE enterprise_id = ANY ($2)),
              j AS (UPDATE enterprises SET joint_org_id = COALESCE(joint_org_id,
                        (SELECT joint_org_id FROM enterprises WHERE id = ANY ($2)
                         AND joint_org_id IS NOT NULL LIMIT 1)), updated_at = now()
                    WHERE id = $1),
              m AS (INSERT INTO ledger_merges (kept_id, merged_id, by_user)
                    SELECT $1, x, $3 FROM unnest($2::bigint[]) AS x),
              earlier AS (UPDATE enterprises SET merged_into = $1 WHERE merged_into = ANY ($2))
         UPDATE enterprises SET status = 'merged', merged_into = $1, joint_org_id = NULL, updated_at = now()
         WHERE id = ANY ($2)",
    )
    .bind(kept)
    .bind(&merged)
    .bind(by)
    .execute(conn)
    .await?;
    Ok(merged.len() as u32)
}

/// Records the current group named `name_key` as different enterprises.
pub async fn keep_apart(
    conn: &mut PgConnection,
    name_key: &str,
    by: UserId,
) -> Result<(), AppError> {
    let done = sqlx::query(
        "INSERT INTO ledger_kept_apart (name_key, codes, by_user)
         SELECT $1, array_agg(credit_code ORDER BY credit_code), $2 FROM enterprises
         WHERE name_key = $1 AND name_key <> '' AND status = 'operating'
         HAVING count(*) > 1
         ON CONFLICT (name_key) DO UPDATE SET codes = EXCLUDED.codes, by_user = EXCLUDED.by_user,
                                              created_at = now()",
    )
    .bind(name_key)
    .bind(by)
    .execute(conn)
    .await?;
    if done.rows_affected() == 0 {
        return Err(AppError::NotFound);
    }
    Ok(())
}

/// The areas whose applications and coverage the actor sees: the whole city for platform
/// admins, else the area of each area committee they administer that is not under another
/// one they administer (a district's admin has the district, not each of its streets, and
/// so reviews at the district's level only).
pub async fn areas_of(
    conn: &mut PgConnection,
    actor: &crate::auth::model::Actor,
) -> Result<Vec<super::model::Area>, AppError> {
    areas_in(conn, actor, crate::orgs::model::Tree::League).await
}

/// The areas of a tree's area committees the actor administers (see `areas_of`).
pub async fn areas_in(
    conn: &mut PgConnection,
    actor: &crate::auth::model::Actor,
    tree: crate::orgs::model::Tree,
) -> Result<Vec<super::model::Area>, AppError> {
    use super::model::{Area, AreaLevel};
    if actor.is_platform_admin() {
        return Ok(vec![Area::city()]);
    }
    let rows = sqlx::query(
        "SELECT area_level, district, street, path::text AS path FROM orgs
         WHERE area_level IS NOT NULL AND tree = $1",
    )
    .bind(tree)
    .fetch_all(conn)
    .await?;
    let held: Vec<(crate::orgs::model::OrgPath, Area)> = rows
        .iter()
        .filter_map(|r| {
            let path = crate::orgs::model::OrgPath::parse(r.get("path"))?;
            let area = Area {
                level: AreaLevel::parse(r.get("area_level"))?,
                district: r.get("district"),
                street: r.get("street"),
            };
            actor.can_administer(&path).then_some((path, area))
        })
        .collect();
    Ok(held
        .iter()
        .filter(|(p, _)| !held.iter().any(|(q, _)| q != p && p.is_within(q)))
        .map(|(_, a)| a.clone())
        .collect())
}

/// The part of the ledger `actor` may read (see `model::LedgerScope`).
pub async fn ledger_scope(
    conn: &mut PgConnection,
    actor: &crate::auth::model::Actor,
) -> Result<super::model::LedgerScope, AppError> {
    use crate::auth::model::Role;
    if actor.is_platform_admin() {
        return Ok(super::model::LedgerScope::everything());
    }
    let administered: Vec<String> = actor
        .grants
        .iter()
        .filter(|g| g.role == Role::OrgAdmin)
        .filter_map(|g| g.path.as_ref().map(|p| p.to_string()))
        .collect();
    let firms: Vec<i64> = sqlx::query_scalar(
        "SELECT DISTINCT o.enterprise_id FROM orgs o
         WHERE o.enterprise_id IS NOT NULL AND o.path <@ ANY ($1::ltree[])",
    )
    .bind(&administered)
    .fetch_all(&mut *conn)
    .await?;
    Ok(super::model::LedgerScope {
        all: false,
        areas: areas_of(conn, actor).await?,
        firms,
    })
}

/// Whether an enterprise has a League organization, as SQL over `e` (an `enterprises` row):
/// one of its own, or the (League) joint branch it joined. A Party organization of the firm
/// does not count: the firm is still one the League can found in, and not covered.
pub const HAS_LEAGUE_ORG: &str = "(e.joint_org_id IS NOT NULL OR EXISTS (SELECT 1 FROM orgs o
     WHERE o.enterprise_id = e.id AND o.tree = 'league'))";
