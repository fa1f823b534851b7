//! The committee's dashboard: an organization's figures over a month or a quarter, with
//! the change since the one before, each as a chart with its table.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use super::model::{Compared, Measure};
use crate::error::AppError;
use crate::ids::OrgId;
use crate::ui::charts::Chart;

/// A measure over the subtree now and in the period before.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MeasureView {
    pub measure: Measure,
    pub compared: Compared,
    pub link: String,
}

/// An area committee's coverage of its area (覆盖率) at the period's end against the end of
/// the one before, with the enterprises behind the rate now.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CoverageTile {
    pub tree: crate::orgs::model::Tree,
    pub compared: Compared,
    pub covered: i64,
    pub enterprises: i64,
    pub link: String,
}

/// An organization's dashboard for a period.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DashboardView {
    pub org_id: OrgId,
    pub org_name: String,
    /// The organizations the viewer oversees, to switch between.
    pub orgs: Vec<(OrgId, String)>,
    pub period: String,
    pub previous: String,
    /// Periods to choose: the last six months and the last four quarters.
    pub periods: Vec<String>,
    pub branches: usize,
    pub members: i64,
    pub measures: Vec<MeasureView>,
    /// A chart per measure with something to measure, over the weakest branches, and the
    /// stars published.
    pub charts: Vec<Chart>,
    /// The quarter whose published stars are shown.
    pub rating_period: String,
    /// For an area committee: the coverage of its area.
    pub coverage: Option<CoverageTile>,
}

/// The dashboard of an organization the viewer administers (`org` 0: the first one) for a
/// period (`2026-11`, `2026-Q4`; empty: this month).
#[server(endpoint = "dashboard")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all, fields(org)))]
pub async fn dashboard(org: OrgId, period: String) -> Result<DashboardView, AppError> {
    use crate::auth::session;
    let mut conn = session::pool()?.acquire().await?;
    let actor = session::require_actor(&mut conn).await?;
    let today = crate::time::day_of(chrono::Utc::now());
    let period = super::flow::parse_period(&period, today)?;
    let d = super::flow::dashboard(&mut conn, &actor, org, period, today).await?;
    Ok(DashboardView::new(d, today))
}

#[cfg(feature = "ssr")]
impl DashboardView {
    fn new(d: super::flow::Dashboard, today: chrono::NaiveDate) -> Self {
        use super::model::ReportPeriod;
        let measures = Measure::ALL
            .into_iter()
            .map(|m| MeasureView {
                measure: m,
                compared: Compared {
                    now: m.total(&d.branches),
                    before: m.total(&d.before),
                },
                link: m.link(d.org.id),
            })
            .collect();
        let mut periods: Vec<String> = (0..6)
            .scan(ReportPeriod::month_of(today), |p, _| {
                let this = *p;
                *p = p.previous();
                Some(this.to_string())
            })
            .collect();
        periods.extend((0..4).scan(ReportPeriod::quarter_of(today), |p, _| {
            let this = *p;
            *p = p.previous();
            Some(this.to_string())
        }));
        // A period asked for by its address, older than these, is shown as chosen too.
        let chosen = d.period.to_string();
        if !periods.contains(&chosen) {
            periods.push(chosen);
        }
        let mut charts: Vec<Chart> = Measure::ALL
            .into_iter()
            .map(|m| super::flow::weakest_chart(&d.branches, m))
            .filter(|c| !c.labels.is_empty())
            .collect();
        if d.stars.iter().any(|n| *n > 0) {
            charts.push(super::flow::stars_chart(d.stars));
        }
        DashboardView {
            org_id: d.org.id,
            org_name: d.org.name,
            orgs: d.overseen,
            period: d.period.to_string(),
            previous: d.period.previous().to_string(),
            periods,
            branches: d.branches.len(),
            members: d.branches.iter().map(|b| b.members).sum(),
            measures,
            charts,
            rating_period: d.period.rating_key(),
            coverage: d.coverage.map(|c| CoverageTile {
                tree: c.tree,
                compared: Compared {
                    now: c.now.as_ref().and_then(|f| f.rate()),
                    before: c.before.as_ref().and_then(|f| f.rate()),
                },
                covered: c.now.as_ref().map_or(0, |f| f.covered),
                enterprises: c.now.as_ref().map_or(0, |f| f.enterprises),
                link: format!("/league/coverage?tree={}", c.tree.as_str()),
            }),
        }
    }
}
