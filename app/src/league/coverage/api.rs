//! The coverage dashboard's server function: the viewer's area, per district or street,
//! over the last twelve weeks, with what each street could still found.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use super::model::Figures;
use crate::error::AppError;
use crate::orgs::model::Tree;
use crate::ui::charts::Chart;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CoverageRowView {
    /// The district (drills into its streets) or the street.
    pub label: String,
    /// Set for a district row: the link's district.
    pub district: Option<String>,
    pub figures: Figures,
    pub rate: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ToFoundView {
    pub district: String,
    pub street: String,
    /// (name, credit code, young employees, League members).
    pub firms: Vec<(String, String, i32, i32)>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CoverageView {
    pub tree: Tree,
    /// The district drilled into (empty: the viewer's whole area).
    pub district: String,
    /// The viewer sees the whole city and may go back up from a district.
    pub city: bool,
    pub total: Figures,
    pub rate: String,
    pub rows: Vec<CoverageRowView>,
    pub charts: Vec<Chart>,
    pub to_found: Vec<ToFoundView>,
}

/// Coverage of the viewer's area in a tree (`party`, `league`; platform admins and admins
/// of the tree's area committees): the whole city by district, or one district
/// (`district`) or the viewer's own district street by street; a district outside the
/// viewer's area is forbidden.
#[server(endpoint = "coverage")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all))]
pub async fn coverage(tree: String, district: String) -> Result<CoverageView, AppError> {
    use crate::auth::session;
    let tree = Tree::parse(&tree).unwrap_or(Tree::League);
    let mut conn = session::pool()?.acquire().await?;
    let actor = session::require_actor(&mut conn).await?;
    let coverage = super::flow::coverage(&mut conn, &actor, tree, &district).await?;
    Ok(CoverageView::from(coverage))
}

#[cfg(feature = "ssr")]
impl From<super::flow::Coverage> for CoverageView {
    fn from(c: super::flow::Coverage) -> Self {
        use super::model::percent;
        let by_district = c.by_district;
        let rows: Vec<CoverageRowView> = c
            .rows
            .into_iter()
            .map(|(label, f)| CoverageRowView {
                district: by_district.then(|| label.clone()),
                label,
                rate: percent(f.rate()),
                figures: f,
            })
            .collect();
        let charts = coverage_charts(&rows, &c.weeks, by_district);
        CoverageView {
            tree: c.tree,
            district: c.district,
            city: c.city,
            rate: percent(c.total.rate()),
            total: c.total,
            rows,
            charts,
            to_found: c
                .to_found
                .into_iter()
                .map(|(s, firms)| ToFoundView {
                    district: s.district,
                    street: s.street,
                    firms,
                })
                .collect(),
        }
    }
}

/// The rate by district or street, and over the weeks.
#[cfg(feature = "ssr")]
fn coverage_charts(
    rows: &[CoverageRowView],
    weeks: &[(chrono::NaiveDate, Figures)],
    by_district: bool,
) -> Vec<Chart> {
    use crate::ui::charts::{Series, Word};
    vec![
        Chart::new(
            if by_district {
                Word::CoverageByDistrict
            } else {
                Word::CoverageByStreet
            },
            Chart::texts(rows.iter().map(|r| r.label.clone())),
            Series::Percents {
                name: Word::Coverage,
                values: rows.iter().map(|r| r.figures.rate()).collect(),
                over_time: false,
            },
        ),
        Chart::new(
            Word::CoverageOverTime,
            Chart::texts(weeks.iter().map(|(w, _)| w.format("%m-%d").to_string())),
            Series::Percents {
                name: Word::Coverage,
                values: weeks.iter().map(|(_, f)| f.rate()).collect(),
                over_time: true,
            },
        ),
    ]
}
