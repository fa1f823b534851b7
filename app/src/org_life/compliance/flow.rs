//! Compliance's use cases on the server: the superior's page of the branches below an
//! organization, the star rating's organization-life components, and the alerts: each
//! branch is warned of the items ending within a week that nothing is held or scheduled
//! for, and the superior's admins are told of the items whose period ended without them.
//! Each alert goes out once, however many processes run it.

use crate::ids::OrgId;
use std::collections::HashMap;

use chrono::NaiveDate;
use sqlx::PgConnection;

use super::model::{
    Compliance, Counts, compliance, counted, escalations, held_on_time, warnings, worst_first,
};
use super::store::{
    BranchRow, WaitingRow, branches, meetings_since, record_alert, records_between, waiting_records,
};
use crate::auth::model::Actor;
use crate::error::AppError;
use crate::notices::model::{LifeItem, Message};
use crate::notices::store::{holders, notify};
use crate::org_life::calendar::model::{DueItem, Requirement};
use crate::orgs::model::{OrgPath, Tree};
use crate::orgs::store::Org;

/// How many days back a branch's meetings are read for its compliance and its alerts.
const LOOK_BACK_DAYS: i64 = 400;

/// The requirements of both trees.
pub async fn requirements_by_tree(
    conn: &mut PgConnection,
) -> Result<HashMap<Tree, Vec<Requirement>>, AppError> {
    let mut out = HashMap::new();
    for tree in [Tree::Party, Tree::League] {
        out.insert(
            tree,
            crate::org_life::calendar::store::requirements(conn, tree).await?,
        );
    }
    Ok(out)
}

/// The superior's page: the organization shown, those the actor oversees, and each
/// branch below with its compliance, lowest on-time rate first.
pub struct Overview {
    pub org: Org,
    /// The organizations the actor oversees, to switch between: (id, name).
    pub overseen: Vec<(OrgId, String)>,
    pub branches: Vec<(BranchRow, Compliance)>,
    /// The records submitted below and waiting for review, longest first, with the days
    /// they have waited.
    pub waiting: Vec<(WaitingRow, i64)>,
}

/// The branches under an organization the actor administers (`org` 0: the first one), with
/// their compliance on `today`.
pub async fn overview(
    conn: &mut PgConnection,
    actor: &Actor,
    org: OrgId,
    today: NaiveDate,
) -> Result<Overview, AppError> {
    let overseen = crate::orgs::flow::overseen(conn, actor).await?;
    let o = crate::orgs::flow::overseen_org(conn, actor, &overseen, org).await?;
    let reqs = requirements_by_tree(conn).await?;
    let all = branches(conn, Some(&o.path)).await?;
    let ids: Vec<OrgId> = all.iter().map(|b| b.id).collect();
    let meetings =
        meetings_since(conn, &ids, today - chrono::Duration::days(LOOK_BACK_DAYS)).await?;
    let mut rated: Vec<(BranchRow, Compliance)> = all
        .into_iter()
        .map(|b| {
            let c = compliance(
                reqs.get(&b.tree).map(Vec::as_slice).unwrap_or(&[]),
                b.theme_day,
                meetings.get(&b.id).map(Vec::as_slice).unwrap_or(&[]),
                today,
            );
            (b, c)
        })
        .collect();
    worst_first(&mut rated, |(_, c)| c.rate(), |(b, _)| b.name.as_str());
    let waiting = waiting_records(conn, &o.path)
        .await?
        .into_iter()
        .map(|w| {
            let days = (today - crate::time::day_of(w.submitted_at))
                .num_days()
                .max(0);
            (w, days)
        })
        .collect();
    Ok(Overview {
        org: o,
        overseen,
        branches: rated,
        waiting,
    })
}

/// The branches under `under` with the required items whose period ended within
/// `from..until` and that were not held in it, as they stood on `until`; branches with
/// none left out.
pub async fn missed_between(
    conn: &mut PgConnection,
    under: &OrgPath,
    from: NaiveDate,
    until: NaiveDate,
) -> Result<Vec<(BranchRow, Vec<DueItem>)>, AppError> {
    let reqs = requirements_by_tree(conn).await?;
    let all = branches(conn, Some(under)).await?;
    let ids: Vec<OrgId> = all.iter().map(|b| b.id).collect();
    let meetings =
        meetings_since(conn, &ids, until - chrono::Duration::days(LOOK_BACK_DAYS)).await?;
    Ok(all
        .into_iter()
        .filter_map(|b| {
            let c = compliance(
                reqs.get(&b.tree).map(Vec::as_slice).unwrap_or(&[]),
                b.theme_day,
                meetings.get(&b.id).map(Vec::as_slice).unwrap_or(&[]),
                until,
            );
            let missed: Vec<DueItem> = c
                .overdue
                .into_iter()
                .filter(|i| i.span.end >= from)
                .collect();
            (!missed.is_empty()).then_some((b, missed))
        })
        .collect())
}

/// What compliance knows on `today` of each branch under `under` (itself when it is one),
/// for its instructor.
pub async fn branch_states(
    conn: &mut PgConnection,
    under: &OrgPath,
    today: NaiveDate,
) -> Result<Vec<crate::instructors::model::BranchFacts>, AppError> {
    use crate::org_life::calendar::model::{covered, due_items};
    let reqs = requirements_by_tree(conn).await?;
    let all = branches(conn, Some(under)).await?;
    let ids: Vec<OrgId> = all.iter().map(|b| b.id).collect();
    let meetings =
        meetings_since(conn, &ids, today - chrono::Duration::days(LOOK_BACK_DAYS)).await?;
    let waiting = super::store::oldest_waiting(conn, &ids).await?;
    let none = vec![];
    Ok(all
        .iter()
        .map(|b| {
            let reqs = reqs.get(&b.tree).unwrap_or(&none);
            let held = meetings.get(&b.id).map(Vec::as_slice).unwrap_or(&[]);
            let c = compliance(reqs, b.theme_day, held, today);
            let scheduled = counted(held, Counts::Scheduled);
            let coming = due_items(reqs, today, today, b.theme_day)
                .into_iter()
                .filter(|i| !covered(i, &scheduled))
                .map(|i| (i.kind, i.span.end))
                .collect();
            crate::instructors::model::BranchFacts {
                id: b.id,
                name: b.name.clone(),
                tree: b.tree,
                founded_on: b.founded_on,
                overdue: c.overdue.iter().map(|i| (i.kind, i.span)).collect(),
                waiting_since: waiting.get(&b.id).map(|at| crate::time::day_of(*at)),
                last_held: c.last_held,
                coming,
            }
        })
        .collect())
}

/// Sends today's warnings and escalations; returns how many of each went out now.
pub async fn run_alerts(
    conn: &mut PgConnection,
    today: NaiveDate,
) -> Result<(usize, usize), AppError> {
    let reqs = requirements_by_tree(conn).await?;
    let all = branches(conn, None).await?;
    let ids: Vec<OrgId> = all.iter().map(|b| b.id).collect();
    let meetings =
        meetings_since(conn, &ids, today - chrono::Duration::days(LOOK_BACK_DAYS)).await?;
    let (mut warned, mut escalated) = (0, 0);
    let none = vec![];
    for b in &all {
        let reqs = reqs.get(&b.tree).unwrap_or(&none);
        let meetings = meetings.get(&b.id).map(Vec::as_slice).unwrap_or(&[]);
        let item = |i: &DueItem| LifeItem {
            kind: i.kind,
            tree: b.tree,
            start: i.span.start,
            end: i.span.end,
        };
        let key = |i: &DueItem, stage: &str| {
            format!("life:{}:{}:{}:{stage}", b.id, i.kind.as_str(), i.span.start)
        };
        let scheduled = counted(meetings, Counts::Scheduled);
        for due in warnings(reqs, b.theme_day, &scheduled, today) {
            if record_alert(conn, b.id, &due, "warned").await? {
                let to = holders(conn, b.id, true).await?;
                let message = Message::LifeWarning {
                    org: b.name.clone(),
                    item: item(&due),
                };
                let link = format!("/orglife?org={}", b.id);
                notify(conn, &to, &message, &link, &key(&due, "warned")).await?;
                warned += 1;
            }
        }
        let Some(parent) = b.parent_id else { continue };
        for due in escalations(reqs, b.theme_day, &counted(meetings, Counts::Held), today) {
            if record_alert(conn, b.id, &due, "escalated").await? {
                let to = holders(conn, parent, false).await?;
                let message = Message::LifeEscalation {
                    org: b.name.clone(),
                    item: item(&due),
                };
                notify(
                    conn,
                    &to,
                    &message,
                    "/orglife/compliance",
                    &key(&due, "escalated"),
                )
                .await?;
                escalated += 1;
            }
        }
    }
    Ok((warned, escalated))
}

/// The star rating's organization-life components of each branch under `under` for a
/// rating period (`from` included, `until` excluded): meetings held on time and records
/// accepted, in percent; none where nothing fell due or nothing was held.
pub async fn life_components(
    conn: &mut PgConnection,
    under: &OrgPath,
    from: NaiveDate,
    until: NaiveDate,
) -> Result<HashMap<OrgId, (Option<u32>, Option<u32>)>, AppError> {
    let today = crate::time::day_of(chrono::Utc::now());
    let reqs = requirements_by_tree(conn).await?;
    let all = branches(conn, Some(under)).await?;
    let ids: Vec<OrgId> = all.iter().map(|b| b.id).collect();
    let meetings = meetings_since(conn, &ids, from).await?;
    let records = records_between(conn, &ids, from, until).await?;
    let percent = |part: i64, whole: i64| (whole > 0).then(|| (part * 100 / whole) as u32);
    Ok(all
        .iter()
        .map(|b| {
            let (due, on_time) = held_on_time(
                reqs.get(&b.tree).map(Vec::as_slice).unwrap_or(&[]),
                b.theme_day,
                &counted(
                    meetings.get(&b.id).map(Vec::as_slice).unwrap_or(&[]),
                    Counts::Accepted,
                ),
                from,
                until,
                today,
            );
            let (held, accepted) = records.get(&b.id).copied().unwrap_or((0, 0));
            (
                b.id,
                (
                    percent(i64::from(on_time), i64::from(due)),
                    percent(accepted, held),
                ),
            )
        })
        .collect())
}
