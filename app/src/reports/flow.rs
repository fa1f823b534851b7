//! The committee's dashboard and exports: who may see an organization's figures (its
//! admins and the platform's), and the figures of each branch below it over a period.

use chrono::NaiveDate;
use sqlx::PgConnection;

use super::model::{BranchFigures, ReportPeriod, star_counts};
use crate::auth::model::Actor;
use crate::error::{AppError, Msg};
use crate::ids::OrgId;
use crate::orgs::store::Org;
use crate::ui::charts::{Chart, Label, Series, Word};

/// A period from a request: empty means the month of `today`; a period that has not
/// begun is refused.
pub fn parse_period(input: &str, today: NaiveDate) -> Result<ReportPeriod, AppError> {
    let period = match input.trim() {
        "" => Some(ReportPeriod::month_of(today)),
        p => ReportPeriod::parse(p).filter(|p| p.start() <= today),
    };
    period.ok_or_else(|| AppError::invalid("period", Msg::ReportPeriodUnknown))
}

/// The dashboard of one organization for a period and the one before.
pub struct Dashboard {
    pub org: Org,
    /// The organizations the actor oversees, to switch between.
    pub overseen: Vec<(OrgId, String)>,
    pub period: ReportPeriod,
    pub branches: Vec<BranchFigures>,
    pub before: Vec<BranchFigures>,
    /// Branches by published stars: 5, 4, 3, 2, rectify.
    pub stars: [i64; 5],
    /// An area committee's coverage of its area, at this period's end and the one before's.
    pub coverage: Option<crate::league::coverage::flow::AreaCoverage>,
}

/// The dashboard of `org` (0: the first the actor oversees) for `period`.
pub async fn dashboard(
    conn: &mut PgConnection,
    actor: &Actor,
    org: OrgId,
    period: ReportPeriod,
    today: NaiveDate,
) -> Result<Dashboard, AppError> {
    let overseen = crate::orgs::flow::overseen(conn, actor).await?;
    let org = crate::orgs::flow::overseen_org(conn, actor, &overseen, org).await?;
    let branches = figures(conn, &org, period, today).await?;
    let before = figures(conn, &org, period.previous(), today).await?;
    let stars = super::store::published_stars(conn, &org.path, &period.rating_key()).await?;
    let ends = (period.end(), period.previous().end());
    let coverage = crate::league::coverage::flow::area_compared(conn, &org, ends, today).await?;
    Ok(Dashboard {
        org,
        overseen,
        period,
        branches,
        before,
        stars: star_counts(&stars),
        coverage,
    })
}

/// The organization whose sheets the actor exports: one they administer.
pub async fn exporting(
    conn: &mut PgConnection,
    actor: &Actor,
    org: OrgId,
) -> Result<Org, AppError> {
    crate::auth::session::administered_org(conn, actor, org).await
}

/// Each branch under `org` with its figures over `period`, organization life and transfers
/// measured as the star rating measures them.
pub async fn figures(
    conn: &mut PgConnection,
    org: &Org,
    period: ReportPeriod,
    today: NaiveDate,
) -> Result<Vec<BranchFigures>, AppError> {
    let (start, end) = (period.start(), period.end());
    let rows = super::store::branches(conn, &org.path, period).await?;
    let life =
        crate::org_life::compliance::flow::life_components(conn, &org.path, start, end).await?;
    let transfers =
        crate::transfers::store::handled_in_time_by_branch(conn, &org.path, start, end, today)
            .await?;
    Ok(rows
        .into_iter()
        .map(|r| {
            let (meetings, records) = life.get(&r.org_id).copied().unwrap_or((None, None));
            let moved = transfers.get(&r.org_id).copied().flatten();
            r.with_life(meetings, records, moved)
        })
        .collect())
}

/// At most this many branches are drawn in a measure's chart: the weakest.
const CHARTED: usize = 20;

/// A measure over the weakest branches (those with nothing to measure left out).
pub fn weakest_chart(branches: &[BranchFigures], m: super::model::Measure) -> Chart {
    let mut shown: Vec<BranchFigures> = branches
        .iter()
        .filter(|b| m.of(b).is_some())
        .cloned()
        .collect();
    super::model::weakest_first(&mut shown, m);
    shown.truncate(CHARTED);
    let labels = Chart::texts(shown.iter().map(|b| b.name.clone()));
    let values = shown.iter().map(|b| m.of(b)).collect();
    let name = Word::Measure(m);
    let series = if m.is_percent() {
        Series::Percents {
            name,
            values,
            over_time: false,
        }
    } else {
        Series::Decimals { name, values }
    };
    Chart::new(name, labels, series)
}

/// How many branches were published with each number of stars.
pub fn stars_chart(counts: [i64; 5]) -> Chart {
    Chart::new(
        Word::Stars,
        [5u8, 4, 3, 2, 0].into_iter().map(Label::Stars).collect(),
        Series::Bars {
            name: Word::Branches,
            values: counts.to_vec(),
        },
    )
}
