//! The coverage dashboard's server function: the viewer's area, per district or street,
//! over the last twelve weeks, with what each street could still found.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use super::coverage::Figures;
use crate::error::AppError;
use crate::rankings::model::ChartView;

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

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CoverageView {
    /// The district drilled into (empty: the viewer's whole area).
    pub district: String,
    /// The viewer sees the whole city and may go back up from a district.
    pub city: bool,
    pub total: Figures,
    pub rate: String,
    pub rows: Vec<CoverageRowView>,
    pub charts: Vec<ChartView>,
    pub to_found: Vec<ToFoundView>,
}

/// Coverage of the viewer's area (platform admins and admins of area committees): the
/// whole city by district, or one district (`district`) or the viewer's own district or
/// street by street; a district outside the viewer's area is forbidden.
#[server(endpoint = "league_coverage")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all))]
pub async fn league_coverage(district: String) -> Result<CoverageView, AppError> {
    use super::coverage::{percent, roll_up, total};
    use super::model::{AreaLevel, in_areas};
    use crate::auth::session;
    use crate::rankings::charts::percents;
    let mut conn = session::pool()?.acquire().await?;
    let actor = session::require_actor(&mut conn).await?;
    let areas = super::store::areas_of(&mut conn, &actor).await?;
    if areas.is_empty() {
        return Err(AppError::Forbidden);
    }
    let district = district.trim().to_owned();
    let city = areas.iter().any(|a| a.level == AreaLevel::City);
    if !district.is_empty() && !city && !areas.iter().any(|a| a.district == district) {
        return Err(AppError::Forbidden);
    }
    let wanted =
        |d: &str, s: &str| in_areas(&areas, d, s) && (district.is_empty() || d == district);
    let streets: Vec<_> = super::coverage_store::live(&mut conn)
        .await?
        .into_iter()
        .filter(|s| wanted(&s.district, &s.street))
        .collect();
    let by_district = city && district.is_empty();
    let rows: Vec<CoverageRowView> = if by_district {
        roll_up(&streets, |s| s.district.clone())
            .into_iter()
            .map(|(d, f)| CoverageRowView {
                label: d.clone(),
                district: Some(d),
                rate: percent(f.rate()),
                figures: f,
            })
            .collect()
    } else {
        roll_up(&streets, |s| format!("{} {}", s.district, s.street))
            .into_iter()
            .map(|(label, f)| CoverageRowView {
                label,
                district: None,
                rate: percent(f.rate()),
                figures: f,
            })
            .collect()
    };
    let all = total(&streets);

    // Twelve weeks, the last one live.
    let today = crate::time::day_of(chrono::Utc::now());
    let this_week = crate::time::week_start(today);
    let since = this_week - chrono::Days::new(7 * 11);
    let mut weeks: Vec<(chrono::NaiveDate, Figures)> = Vec::new();
    for (week, s) in super::coverage_store::weeks(&mut conn, since).await? {
        if !wanted(&s.district, &s.street) || week == this_week {
            continue;
        }
        match weeks.last_mut() {
            Some((w, f)) if *w == week => f.add(&s.figures),
            _ => weeks.push((week, s.figures)),
        }
    }
    weeks.push((this_week, all.clone()));

    let t = crate::i18n::use_t();
    let labels: Vec<String> = rows.iter().map(|r| r.label.clone()).collect();
    let rates: Vec<Option<f64>> = rows.iter().map(|r| r.figures.rate()).collect();
    let week_labels: Vec<String> = weeks
        .iter()
        .map(|(w, _)| w.format("%m-%d").to_string())
        .collect();
    let week_rates: Vec<Option<f64>> = weeks.iter().map(|(_, f)| f.rate()).collect();
    let bar_title = if by_district {
        t.coverage_by_district
    } else {
        t.coverage_by_street
    };
    let charts = vec![
        percents(bar_title, t.coverage_rate, &labels, &rates, false),
        percents(
            t.coverage_over_time,
            t.coverage_rate,
            &week_labels,
            &week_rates,
            true,
        ),
    ];

    let mut open: Vec<_> = streets.iter().filter(|s| s.figures.eligible > 0).collect();
    open.sort_by_key(|s| std::cmp::Reverse(s.figures.eligible));
    let mut to_found = Vec::new();
    for s in open.into_iter().take(10) {
        to_found.push(ToFoundView {
            district: s.district.clone(),
            street: s.street.clone(),
            firms: super::coverage_store::to_found(&mut conn, &s.district, &s.street, 20).await?,
        });
    }
    Ok(CoverageView {
        district,
        city,
        rate: percent(all.rate()),
        total: all,
        rows,
        charts,
        to_found,
    })
}
