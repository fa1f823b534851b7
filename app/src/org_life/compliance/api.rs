//! The superior's compliance page: the branches below an organization by on-time rate, their
//! overdue items, and the branches without organization life for six months.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::error::AppError;
use crate::ids::{MeetingId, OrgId};
use crate::org_life::meetings::model::MeetingKind;
use crate::orgs::model::Tree;
use crate::ui::charts::Chart;

/// A branch's organization life over the past year.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BranchComplianceView {
    pub id: OrgId,
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

/// A branch's record waiting for the superior's review.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WaitingRecordView {
    pub meeting_id: MeetingId,
    pub title: String,
    pub branch: String,
    /// Days since it was submitted (Asia/Shanghai days).
    pub days: i64,
}

/// The superior's view of the branches below an organization.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ComplianceView {
    pub org_id: OrgId,
    pub org_name: String,
    /// The organizations the viewer oversees, to switch between.
    pub orgs: Vec<(OrgId, String)>,
    /// Lowest on-time rate first.
    pub branches: Vec<BranchComplianceView>,
    pub average: Option<u32>,
    pub idle: usize,
    pub chart: Option<Chart>,
    /// Records submitted below and waiting for review, longest first.
    pub waiting: Vec<WaitingRecordView>,
}

/// The branches under an organization the viewer administers (`org` 0: the first one), with
/// their on-time rate, overdue items and six-month flag.
#[server(endpoint = "life_compliance")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all, fields(org)))]
pub async fn life_compliance(org: OrgId) -> Result<ComplianceView, AppError> {
    use crate::auth::session;
    let mut conn = session::pool()?.acquire().await?;
    let actor = session::require_actor(&mut conn).await?;
    let today = crate::time::day_of(chrono::Utc::now());
    let overview = super::flow::overview(&mut conn, &actor, org, today).await?;
    Ok(ComplianceView::from(overview))
}

#[cfg(feature = "ssr")]
impl From<(super::store::BranchRow, super::model::Compliance)> for BranchComplianceView {
    fn from((b, c): (super::store::BranchRow, super::model::Compliance)) -> Self {
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
    }
}

#[cfg(feature = "ssr")]
impl From<super::flow::Overview> for ComplianceView {
    fn from(o: super::flow::Overview) -> Self {
        use super::model::{average_rate, rate_buckets};
        use crate::ui::charts::{Series, Word};
        let branches: Vec<BranchComplianceView> = o
            .branches
            .into_iter()
            .map(BranchComplianceView::from)
            .collect();
        let rated: Vec<u32> = branches.iter().filter_map(|b| b.rate).collect();
        let chart = (!rated.is_empty()).then(|| {
            let (labels, counts): (Vec<String>, Vec<i64>) =
                rate_buckets(&rated).into_iter().unzip();
            Chart::new(
                Word::Compliance,
                Chart::texts(labels),
                Series::Bars {
                    name: Word::Branches,
                    values: counts,
                },
            )
        });
        ComplianceView {
            org_id: o.org.id,
            org_name: o.org.name,
            orgs: o.overseen,
            idle: branches.iter().filter(|b| b.idle).count(),
            average: average_rate(&rated),
            branches,
            chart,
            waiting: o
                .waiting
                .into_iter()
                .map(|(w, days)| WaitingRecordView {
                    meeting_id: w.meeting_id,
                    title: w.title,
                    branch: w.branch,
                    days,
                })
                .collect(),
        }
    }
}
