//! Coverage of a viewer's area in one tree as one use case: which streets they may see, the rows by
//! district or street, twelve weeks of history, and the streets with most left to found.

use sqlx::PgConnection;

use super::model::{Figures, FirmToFound, StreetFigures, roll_up, total, weekly};
use crate::auth::model::Actor;
use crate::error::AppError;
use crate::league::ledger::model::{AreaLevel, in_areas};
use crate::orgs::model::Tree;

/// How many streets the page lists with the enterprises they could still found.
const STREETS_TO_FOUND: usize = 10;
const FIRMS_PER_STREET: i64 = 20;

/// What a viewer's coverage page holds, before it is shaped into views and charts.
pub struct Coverage {
    pub tree: Tree,
    pub district: String,
    pub city: bool,
    /// The rows are districts (the whole city), else streets.
    pub by_district: bool,
    pub rows: Vec<(String, Figures)>,
    pub total: Figures,
    pub weeks: Vec<(chrono::NaiveDate, Figures)>,
    /// (street, its enterprises that could found an organization).
    pub to_found: Vec<(StreetFigures, Vec<FirmToFound>)>,
}

/// Coverage of the viewer's area (platform admins and admins of area committees): the whole
/// city by district, or one district (`district`, or the viewer's own) street by street; a
/// district outside the viewer's area is forbidden.
pub async fn coverage(
    conn: &mut PgConnection,
    actor: &Actor,
    tree: Tree,
    district: &str,
) -> Result<Coverage, AppError> {
    let areas = crate::league::ledger::store::areas_in(conn, actor, tree).await?;
    if areas.is_empty() {
        return Err(AppError::Forbidden);
    }
    let district = district.trim().to_owned();
    let city = areas.iter().any(|a| a.level == AreaLevel::City);
    if !district.is_empty() && !city && !areas.iter().any(|a| a.district == district) {
        return Err(AppError::Forbidden);
    }
    let wanted = |s: &StreetFigures| {
        in_areas(&areas, &s.district, &s.street) && (district.is_empty() || s.district == district)
    };
    let streets: Vec<StreetFigures> = super::store::live(conn, tree)
        .await?
        .into_iter()
        .filter(|s| wanted(s))
        .collect();
    let by_district = city && district.is_empty();
    let rows = if by_district {
        roll_up(&streets, |s| s.district.clone())
    } else {
        roll_up(&streets, |s| format!("{} {}", s.district, s.street))
    };
    let all = total(&streets);
    let this_week = crate::time::week_start(crate::time::day_of(chrono::Utc::now()));
    let since = this_week - chrono::Days::new(7 * 11);
    let weeks = weekly(
        super::store::weeks(conn, tree, since).await?,
        wanted,
        this_week,
        all.clone(),
    );
    let mut open: Vec<StreetFigures> = streets
        .into_iter()
        .filter(|s| s.figures.eligible > 0)
        .collect();
    open.sort_by_key(|s| std::cmp::Reverse(s.figures.eligible));
    let mut to_found = Vec::new();
    for s in open.into_iter().take(STREETS_TO_FOUND) {
        let place = (s.district.as_str(), s.street.as_str());
        let firms = super::store::to_found(conn, tree, place, FIRMS_PER_STREET).await?;
        to_found.push((s, firms));
    }
    Ok(Coverage {
        tree,
        district,
        city,
        by_district,
        rows,
        total: all,
        weeks,
        to_found,
    })
}

/// An area committee's coverage at the end of a period and of the one before: the live
/// ledger for a period not yet ended, else the snapshot of the week it ended in (none when
/// no snapshot was taken then).
pub struct AreaCoverage {
    pub tree: Tree,
    pub now: Option<Figures>,
    pub before: Option<Figures>,
}

/// The coverage of `org`'s area (none when it stands for no area) on the last days of two
/// periods, `ends` (this one's, the one before's).
pub async fn area_compared(
    conn: &mut PgConnection,
    org: &crate::orgs::store::Org,
    ends: (chrono::NaiveDate, chrono::NaiveDate),
    today: chrono::NaiveDate,
) -> Result<Option<AreaCoverage>, AppError> {
    let Some(area) = crate::league::founding::store::org_area(conn, org.id).await? else {
        return Ok(None);
    };
    let areas = [area];
    let mut on = async |day: chrono::NaiveDate| -> Result<Option<Figures>, AppError> {
        let streets: Vec<StreetFigures> = if day >= today {
            super::store::live(conn, org.tree).await?
        } else {
            let week = crate::time::week_start(day);
            super::store::weeks(conn, org.tree, week)
                .await?
                .into_iter()
                .filter(|(w, _)| *w == week)
                .map(|(_, s)| s)
                .collect()
        };
        let mine: Vec<StreetFigures> = streets
            .into_iter()
            .filter(|s| in_areas(&areas, &s.district, &s.street))
            .collect();
        Ok((!mine.is_empty()).then(|| total(&mine)))
    };
    let now = on(ends.0).await?;
    let before = on(ends.1).await?;
    Ok(Some(AreaCoverage {
        tree: org.tree,
        now,
        before,
    }))
}
