//! SQL for compliance: the top organizations, the branches in a subtree with their
//! meetings and records, and the alerts (a warning before a period ends, an escalation
//! after) that go out once each.

use std::collections::HashMap;

use chrono::{DateTime, NaiveDate, Utc};
use sqlx::{PgConnection, Row};

use super::model::HeldMeeting;
use crate::error::AppError;
use crate::ids::{MeetingId, OrgId};
use crate::org_life::calendar::model::DueItem;
use crate::org_life::meetings::model::MeetingKind;
use crate::orgs::model::{OrgPath, Tree};

/// A branch as compliance sees it.
pub struct BranchRow {
    pub id: OrgId,
    pub name: String,
    pub tree: Tree,
    pub parent_id: Option<OrgId>,
    pub theme_day: u32,
    pub founded_on: chrono::NaiveDate,
}

/// The branches under `under` (all of them without), by name.
pub async fn branches(
    conn: &mut PgConnection,
    under: Option<&OrgPath>,
) -> Result<Vec<BranchRow>, AppError> {
    let rows = sqlx::query(
        "SELECT id, name, tree, parent_id, theme_day, founded_on FROM orgs
         WHERE kind IN ('branch', 'joint_branch') AND ($1::ltree IS NULL OR path <@ $1::ltree)
         ORDER BY name, id",
    )
    .bind(under.map(|p| p.to_string()))
    .fetch_all(conn)
    .await?;
    Ok(rows
        .iter()
        .map(|r| BranchRow {
            id: r.get("id"),
            name: r.get("name"),
            tree: Tree::parse(r.get("tree")).unwrap_or(Tree::Party),
            parent_id: r.get("parent_id"),
            theme_day: r.get::<i32, _>("theme_day").clamp(1, 31) as u32,
            founded_on: r.get("founded_on"),
        })
        .collect())
}

/// The meetings of branches from `from` on, held or to come: kind, Asia/Shanghai day,
/// whether anyone's attendance was recorded and whether the record was accepted.
pub async fn meetings_since(
    conn: &mut PgConnection,
    org_ids: &[OrgId],
    from: NaiveDate,
) -> Result<HashMap<OrgId, Vec<HeldMeeting>>, AppError> {
    let rows = sqlx::query(
        "SELECT m.org_id, m.kind, (m.starts_at AT TIME ZONE 'Asia/Shanghai')::date AS day,
                EXISTS (SELECT 1 FROM meeting_attendance a WHERE a.meeting_id = m.id) AS held,
                EXISTS (SELECT 1 FROM meeting_records r WHERE r.meeting_id = m.id AND r.state = 'accepted') AS accepted
         FROM meetings m WHERE m.org_id = ANY ($1) AND m.starts_at >= $2::date - interval '1 day'",
    )
    .bind(org_ids)
    .bind(from)
    .fetch_all(conn)
    .await?;
    let mut out: HashMap<OrgId, Vec<HeldMeeting>> = HashMap::new();
    for r in &rows {
        if let Some(kind) = MeetingKind::parse(r.get("kind")) {
            out.entry(r.get("org_id")).or_default().push(HeldMeeting {
                kind,
                day: r.get("day"),
                held: r.get("held"),
                accepted: r.get("accepted"),
            });
        }
    }
    Ok(out)
}

/// Records that an alert went out; false when it had already (by this process or another:
/// the second insert waits for the first and then does nothing).
pub async fn record_alert(
    conn: &mut PgConnection,
    org_id: OrgId,
    item: &DueItem,
    stage: &str,
) -> Result<bool, AppError> {
    let row = sqlx::query(
        "INSERT INTO life_alerts (org_id, kind, period_start, stage) VALUES ($1, $2, $3, $4)
         ON CONFLICT DO NOTHING RETURNING 1",
    )
    .bind(org_id)
    .bind(item.kind.as_str())
    .bind(item.span.start)
    .bind(stage)
    .fetch_optional(conn)
    .await?;
    Ok(row.is_some())
}

/// Per branch: the meetings held (attendance recorded) that started between `from`
/// (included) and `until` (excluded), and how many of their records the superior accepted.
pub async fn records_between(
    conn: &mut PgConnection,
    org_ids: &[OrgId],
    from: NaiveDate,
    until: NaiveDate,
) -> Result<HashMap<OrgId, (i64, i64)>, AppError> {
    let rows: Vec<(OrgId, i64, i64)> = sqlx::query_as(
        "SELECT m.org_id, count(*), count(*) FILTER (WHERE r.state = 'accepted')
         FROM meetings m LEFT JOIN meeting_records r ON r.meeting_id = m.id
         WHERE m.org_id = ANY ($1) AND m.starts_at <= now()
           AND EXISTS (SELECT 1 FROM meeting_attendance a WHERE a.meeting_id = m.id)
           AND (m.starts_at AT TIME ZONE 'Asia/Shanghai')::date >= $2
           AND (m.starts_at AT TIME ZONE 'Asia/Shanghai')::date < $3
         GROUP BY m.org_id",
    )
    .bind(org_ids)
    .bind(from)
    .bind(until)
    .fetch_all(conn)
    .await?;
    Ok(rows.into_iter().map(|(o, h, a)| (o, (h, a))).collect())
}

/// A branch's meeting record submitted for review and not reviewed yet.
#[derive(sqlx::FromRow)]
pub struct WaitingRow {
    pub meeting_id: MeetingId,
    pub title: String,
    pub branch: String,
    pub submitted_at: DateTime<Utc>,
}

/// The records submitted by the branches strictly below `under` and waiting for review,
/// the longest waiting first.
pub async fn waiting_records(
    conn: &mut PgConnection,
    under: &OrgPath,
) -> Result<Vec<WaitingRow>, AppError> {
    Ok(sqlx::query_as(
        "SELECT m.id AS meeting_id, m.title, o.name AS branch, r.updated_at AS submitted_at
         FROM meeting_records r
         JOIN meetings m ON m.id = r.meeting_id
         JOIN orgs o ON o.id = m.org_id
         WHERE r.state = 'submitted' AND o.path <@ $1::ltree AND o.path <> $1::ltree
         ORDER BY r.updated_at, m.id",
    )
    .bind(under.to_string())
    .fetch_all(conn)
    .await?)
}

/// Per branch of `org_ids`, when its oldest record still waiting for review was submitted.
pub async fn oldest_waiting(
    conn: &mut PgConnection,
    org_ids: &[OrgId],
) -> Result<HashMap<OrgId, chrono::DateTime<chrono::Utc>>, AppError> {
    let rows: Vec<(OrgId, chrono::DateTime<chrono::Utc>)> = sqlx::query_as(
        "SELECT m.org_id, min(r.updated_at) FROM meetings m
         JOIN meeting_records r ON r.meeting_id = m.id
         WHERE m.org_id = ANY ($1) AND r.state = 'submitted'
         GROUP BY m.org_id",
    )
    .bind(org_ids)
    .fetch_all(conn)
    .await?;
    Ok(rows.into_iter().collect())
}
