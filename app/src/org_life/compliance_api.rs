//! The superior's compliance page: the branches below an organization by on-time rate, their
//! overdue items, and the branches without organization life for six months.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use super::model::MeetingKind;
use crate::error::AppError;
use crate::orgs::model::Tree;
use crate::rankings::model::ChartView;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BranchComplianceView {
    pub id: i64,
    pub name: String,
    pub tree: Tree,
    /// On-time rate in percent over the past year; none when nothing fell due yet.
    pub rate: Option<u32>,
    pub due: u32,
    pub on_time: u32,
    /// The overdue items, latest first: kind and period.
    pub overdue: Vec<(MeetingKind, String)>,
    pub last_held: Option<String>,
    /// Six months without organization life.
    pub idle: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ComplianceView {
    pub org_id: i64,
    pub org_name: String,
    /// The organizations the viewer oversees, to switch between.
    pub orgs: Vec<(i64, String)>,
    /// Lowest on-time rate first.
    pub branches: Vec<BranchComplianceView>,
    pub average: Option<u32>,
    pub idle: usize,
    pub chart: Option<ChartView>,
}

/// The branches under an organization the viewer administers (`org` 0: the first one), with
/// their on-time rate, overdue items and six-month flag.
#[server(endpoint = "life_compliance")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all, fields(org)))]
pub async fn life_compliance(org: i64) -> Result<ComplianceView, AppError> {
    use super::compliance_store as store;
    use super::model::compliance;
    use crate::auth::model::Role;
    use crate::auth::session;
    let mut conn = session::pool()?.acquire().await?;
    let actor = session::require_actor(&mut conn).await?;
    let mut overseen: Vec<(i64, String)> = vec![];
    for g in &actor.grants {
        if let (Role::OrgAdmin, Some(p)) = (g.role, &g.path)
            && let Some(o) = crate::orgs::store::org(&mut conn, p.id()).await?
        {
            overseen.push((o.id, o.name));
        }
    }
    if actor.is_platform_admin() {
        let roots: Vec<(i64, String)> =
            sqlx::query_as("SELECT id, name FROM orgs WHERE parent_id IS NULL ORDER BY tree, id")
                .fetch_all(&mut *conn)
                .await?;
        overseen.extend(roots);
    }
    let org = if org == 0 {
        overseen.first().map(|o| o.0).ok_or(AppError::Forbidden)?
    } else {
        org
    };
    let o = session::administered_org(&mut conn, &actor, org).await?;
    let today = crate::time::day_of(chrono::Utc::now());
    let reqs = store::requirements_by_tree(&mut conn).await?;
    let all = store::branches(&mut conn, Some(&o.path)).await?;
    let ids: Vec<i64> = all.iter().map(|b| b.id).collect();
    let meetings =
        store::meetings_since(&mut conn, &ids, today - chrono::Duration::days(400)).await?;
    let mut branches: Vec<BranchComplianceView> = all
        .into_iter()
        .map(|b| {
            let c = compliance(
                reqs.get(&b.tree).map(Vec::as_slice).unwrap_or(&[]),
                b.theme_day,
                meetings.get(&b.id).map(Vec::as_slice).unwrap_or(&[]),
                today,
            );
            BranchComplianceView {
                id: b.id,
                name: b.name,
                tree: b.tree,
                rate: c.rate(),
                due: c.due,
                on_time: c.on_time,
                overdue: c
                    .overdue
                    .iter()
                    .rev()
                    .map(|i| (i.kind, format!("{} – {}", i.span.start, i.span.end)))
                    .collect(),
                last_held: c.last_held.map(|d| d.to_string()),
                idle: c.idle,
            }
        })
        .collect();
    branches.sort_by_key(|b| (b.rate.is_none(), b.rate, b.name.clone()));
    let rated: Vec<u32> = branches.iter().filter_map(|b| b.rate).collect();
    let average = (!rated.is_empty()).then(|| rated.iter().sum::<u32>() / rated.len() as u32);
    let t = crate::i18n::use_t();
    let chart = (!rated.is_empty()).then(|| {
        let buckets = [(0, 59), (60, 79), (80, 99), (100, 100)];
        let labels: Vec<String> = buckets
            .iter()
            .map(|(lo, hi)| {
                if lo == hi {
                    format!("{lo}%")
                } else {
                    format!("{lo}–{hi}%")
                }
            })
            .collect();
        let counts: Vec<i64> = buckets
            .iter()
            .map(|(lo, hi)| rated.iter().filter(|r| (*lo..=*hi).contains(*r)).count() as i64)
            .collect();
        crate::rankings::charts::bars(t.compliance_chart, t.compliance_branches, &labels, &counts)
    });
    Ok(ComplianceView {
        org_id: o.id,
        org_name: o.name,
        orgs: overseen,
        idle: branches.iter().filter(|b| b.idle).count(),
        branches,
        average,
        chart,
    })
}
