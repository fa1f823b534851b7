//! The dashboard's and the exports' SQL: each branch's figures over a period, the star
//! ratings published for it, and the export sheets read a page at a time (keyset, never the
//! whole table at once).

use chrono::NaiveDate;
use sqlx::PgConnection;

use super::model::{BranchFigures, Cell, ReportPeriod};
use crate::error::AppError;
use crate::ids::OrgId;
use crate::orgs::model::OrgPath;

/// A branch's own figures over a period, before organization life is added (see the flow).
#[derive(sqlx::FromRow)]
pub struct BranchRow {
    pub org_id: OrgId,
    pub name: String,
    pub members: i64,
    pub participants: i64,
    pub points: i64,
    pub study_secs: i64,
    pub quiz_takers: i64,
    pub dues_owing: i64,
    pub dues_paid: i64,
    pub dev_steps: i64,
}

impl BranchRow {
    pub fn with_life(
        self,
        meetings: Option<u32>,
        records: Option<u32>,
        transfers: Option<u32>,
    ) -> BranchFigures {
        BranchFigures {
            org_id: self.org_id,
            name: self.name,
            members: self.members,
            participants: self.participants,
            points: self.points,
            study_secs: self.study_secs,
            quiz_takers: self.quiz_takers,
            dues_owing: self.dues_owing,
            dues_paid: self.dues_paid,
            dev_steps: self.dev_steps,
            meetings,
            records,
            transfers,
        }
    }
}

/// The branches under `root` (itself when it is one) with their own members (not mobile
/// ones), and over `period`: the members who studied, the points earned there, the seconds
/// studied and the members who handed in a quiz.
pub async fn branches(
    conn: &mut PgConnection,
    root: &OrgPath,
    period: ReportPeriod,
) -> Result<Vec<BranchRow>, AppError> {
    let (from, until) = bounds(period);
    Ok(sqlx::query_as(
        "WITH b AS (
             SELECT o.id, o.name FROM orgs o
             WHERE o.path <@ $1::ltree AND o.kind IN ('branch', 'joint_branch')
         ), own AS (
             SELECT m.org_id, m.user_id, m.status FROM memberships m JOIN b ON b.id = m.org_id
             WHERE m.ended_at IS NULL AND m.mobile_home IS NULL
         ), owing AS (
             SELECT own.org_id, own.user_id,
                    (SELECT count(DISTINCT dm.month) FROM dues_months dm
                     JOIN dues_payments dp ON dp.id = dm.payment_id
                     WHERE dm.user_id = own.user_id AND dm.live AND dp.state = 'paid'
                       AND dm.month >= $3 AND dm.month < $4) AS months_paid
             FROM own WHERE own.status IN ('full', 'probationary', 'league_member')
         )
         SELECT b.id AS org_id, b.name,
                (SELECT count(*) FROM own WHERE own.org_id = b.id) AS members,
                (SELECT count(DISTINCT p.user_id) FROM branch_participants p
                 WHERE p.org_id = b.id AND p.period = ANY ($2)) AS participants,
                COALESCE((SELECT sum(t.points) FROM branch_point_totals t
                          WHERE t.org_id = b.id AND t.period = ANY ($2)), 0)::bigint AS points,
                COALESCE((SELECT sum(s.secs) FROM own JOIN study_time s ON s.user_id = own.user_id
                          WHERE own.org_id = b.id AND s.day >= $3 AND s.day < $4), 0)::bigint AS study_secs,
                (SELECT count(DISTINCT a.user_id) FROM own JOIN quiz_attempts a ON a.user_id = own.user_id
                 WHERE own.org_id = b.id AND a.submitted_at >= $5 AND a.submitted_at < $6) AS quiz_takers,
                (SELECT count(*) FROM owing WHERE owing.org_id = b.id) AS dues_owing,
                (SELECT count(*) FROM owing WHERE owing.org_id = b.id AND owing.months_paid >= $7) AS dues_paid,
                (SELECT count(*) FROM development_cases c JOIN development_steps s ON s.case_id = c.id
                 WHERE c.org_id = b.id AND s.on_date >= $3 AND s.on_date < $4) AS dev_steps
         FROM b ORDER BY convert_to(b.name, 'UTF8'), b.id",
    )
    .bind(root.to_string())
    .bind(period.month_keys())
    .bind(from)
    .bind(until)
    .bind(crate::time::start_of(from))
    .bind(crate::time::start_of(until))
    .bind(period.month_keys().len() as i64)
    .fetch_all(conn)
    .await?)
}

fn bounds(period: ReportPeriod) -> (NaiveDate, NaiveDate) {
    (period.start(), period.end())
}

/// The stars of the ratings published for `rating_key` of the branches under `root`.
pub async fn published_stars(
    conn: &mut PgConnection,
    root: &OrgPath,
    rating_key: &str,
) -> Result<Vec<u8>, AppError> {
    let stars: Vec<i32> = sqlx::query_scalar(
        "SELECT r.stars FROM star_ratings r JOIN orgs o ON o.id = r.org_id
         WHERE o.path <@ $1::ltree AND r.period = $2 AND r.status = 'published'",
    )
    .bind(root.to_string())
    .bind(rating_key)
    .fetch_all(conn)
    .await?;
    Ok(stars.into_iter().map(|s| s as u8).collect())
}

/// One page of a sheet's rows after the key `after`, each with its key (the next page
/// starts after the last one).
pub type Page = Vec<(i64, Vec<Cell>)>;

/// Study per member over the period: name, branch, hours, days studied, items finished.
pub async fn study_page(
    conn: &mut PgConnection,
    root: &OrgPath,
    period: ReportPeriod,
    after: i64,
    limit: i64,
) -> Result<Page, AppError> {
    let (from, until) = bounds(period);
    let rows: Vec<(i64, String, String, i64, i64, i64)> = sqlx::query_as(
        "SELECT m.id, u.display_name, o.name,
                COALESCE((SELECT sum(s.secs) FROM study_time s
                          WHERE s.user_id = m.user_id AND s.day >= $2 AND s.day < $3), 0)::bigint,
                (SELECT count(*) FROM study_time s
                 WHERE s.user_id = m.user_id AND s.day >= $2 AND s.day < $3 AND s.secs > 0),
                (SELECT count(*) FROM study_progress p
                 WHERE p.user_id = m.user_id AND p.completed_at >= $4 AND p.completed_at < $5)
         FROM memberships m JOIN orgs o ON o.id = m.org_id JOIN users u ON u.id = m.user_id
         WHERE o.path <@ $1::ltree AND m.ended_at IS NULL AND m.id > $6
         ORDER BY m.id LIMIT $7",
    )
    .bind(root.to_string())
    .bind(from)
    .bind(until)
    .bind(crate::time::start_of(from))
    .bind(crate::time::start_of(until))
    .bind(after)
    .bind(limit)
    .fetch_all(conn)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(key, name, branch, secs, days, done)| {
            let hours = (secs as f64 / 360.0).round() / 10.0;
            (
                key,
                vec![
                    Cell::Text(name),
                    Cell::Text(branch),
                    Cell::Number(hours),
                    Cell::Number(days as f64),
                    Cell::Number(done as f64),
                ],
            )
        })
        .collect())
}

#[derive(sqlx::FromRow)]
struct RosterRow {
    key: i64,
    name: String,
    phone: Option<String>,
    org: String,
    status: String,
    since: String,
    mobile_home: Option<String>,
}

#[derive(sqlx::FromRow)]
struct TransferRow {
    key: i64,
    name: String,
    from_org: String,
    to_org: String,
    status: String,
    started: String,
    closed: Option<String>,
    days: i32,
}

/// The members under `root` now: name, phone, organization, status, since, mobile home.
pub async fn roster_page(
    conn: &mut PgConnection,
    root: &OrgPath,
    after: i64,
    limit: i64,
) -> Result<Page, AppError> {
    let rows: Vec<RosterRow> = sqlx::query_as(
            "SELECT m.id AS key, u.display_name AS name, u.phone, o.name AS org, m.status,
                    to_char(m.started_at AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM-DD') AS since, m.mobile_home
             FROM memberships m JOIN orgs o ON o.id = m.org_id JOIN users u ON u.id = m.user_id
             WHERE o.path <@ $1::ltree AND m.ended_at IS NULL AND m.id > $2
             ORDER BY m.id LIMIT $3",
        )
        .bind(root.to_string())
        .bind(after)
        .bind(limit)
        .fetch_all(conn)
        .await?;
    Ok(rows
        .into_iter()
        .map(
            |RosterRow {
                 key,
                 name,
                 phone,
                 org,
                 status,
                 since,
                 mobile_home: home,
             }| {
                let status = crate::orgs::model::MemberStatus::parse(&status)
                    .map(|s| s.label(crate::i18n::Locale::ZhCn.strings()).to_owned())
                    .unwrap_or(status);
                (
                    key,
                    vec![
                        Cell::Text(name),
                        Cell::Text(phone.unwrap_or_default()),
                        Cell::Text(org),
                        Cell::Text(status),
                        Cell::Text(since),
                        Cell::Text(home.unwrap_or_default()),
                    ],
                )
            },
        )
        .collect())
}

/// The transfers out of or into `root`'s subtree started in the period: number, member,
/// from, to, state, started, closed, days open.
pub async fn transfers_page(
    conn: &mut PgConnection,
    root: &OrgPath,
    period: ReportPeriod,
    after: i64,
    limit: i64,
) -> Result<Page, AppError> {
    let (from, until) = bounds(period);
    let rows: Vec<TransferRow> = sqlx::query_as(
        "SELECT t.id AS key, u.display_name AS name, f.name AS from_org,
                    COALESCE(d.name, t.outside_name, '') AS to_org, t.status,
                    to_char(t.created_at AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM-DD') AS started,
                    to_char(t.closed_at AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM-DD') AS closed,
                    ((COALESCE(t.closed_at, now()) AT TIME ZONE 'Asia/Shanghai')::date
                     - (t.created_at AT TIME ZONE 'Asia/Shanghai')::date)::int AS days
             FROM transfers t JOIN users u ON u.id = t.user_id JOIN orgs f ON f.id = t.from_org
             LEFT JOIN orgs d ON d.id = t.to_org
             WHERE (f.path <@ $1::ltree OR d.path <@ $1::ltree)
               AND t.created_at >= $2 AND t.created_at < $3 AND t.id > $4
             ORDER BY t.id LIMIT $5",
    )
    .bind(root.to_string())
    .bind(crate::time::start_of(from))
    .bind(crate::time::start_of(until))
    .bind(after)
    .bind(limit)
    .fetch_all(conn)
    .await?;
    Ok(rows
        .into_iter()
        .map(
            |TransferRow {
                 key,
                 name,
                 from_org: from,
                 to_org: to,
                 status,
                 started,
                 closed,
                 days,
             }| {
                let status = crate::transfers::model::Status::parse(&status)
                    .map(|s| s.label(crate::i18n::Locale::ZhCn.strings()).to_owned())
                    .unwrap_or(status);
                (
                    key,
                    vec![
                        Cell::Number(key as f64),
                        Cell::Text(name),
                        Cell::Text(from),
                        Cell::Text(to),
                        Cell::Text(status),
                        Cell::Text(started),
                        Cell::Text(closed.unwrap_or_default()),
                        Cell::Number(f64::from(days)),
                    ],
                )
            },
        )
        .collect())
}

/// The star ratings of the period's quarter under `root`: branch, score, stars, state.
pub async fn ratings_page(
    conn: &mut PgConnection,
    root: &OrgPath,
    period: ReportPeriod,
    after: i64,
    limit: i64,
) -> Result<Page, AppError> {
    let rows: Vec<(i64, String, i32, i32, String)> = sqlx::query_as(
        "SELECT r.id, o.name, r.score, r.stars, r.status
         FROM star_ratings r JOIN orgs o ON o.id = r.org_id
         WHERE o.path <@ $1::ltree AND r.period = $2 AND r.id > $3
         ORDER BY r.id LIMIT $4",
    )
    .bind(root.to_string())
    .bind(period.rating_key())
    .bind(after)
    .bind(limit)
    .fetch_all(conn)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(key, name, score, stars, status)| {
            let status = crate::rankings::model::RatingStatus::parse(&status)
                .map(|s| s.label(crate::i18n::Locale::ZhCn.strings()).to_owned())
                .unwrap_or(status);
            (
                key,
                vec![
                    Cell::Text(name),
                    Cell::Number(f64::from(score)),
                    Cell::Number(f64::from(stars)),
                    Cell::Text(status),
                ],
            )
        })
        .collect())
}

/// The organization the export is for, when it exists.
pub async fn org_name(conn: &mut PgConnection, org: OrgId) -> Result<Option<String>, AppError> {
    Ok(sqlx::query_scalar("SELECT name FROM orgs WHERE id = $1")
        .bind(org)
        .fetch_optional(conn)
        .await?)
}
