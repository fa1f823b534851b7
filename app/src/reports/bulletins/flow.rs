//! Bulletins: made by the job for every committee once a month or a quarter has ended,
//! and read by the committee's admins (and the platform's).

use chrono::NaiveDate;
use sqlx::PgConnection;

use super::model::{Bulletin, Inputs, Overdue, bulletin, due_periods};
use crate::auth::model::Actor;
use crate::error::AppError;
use crate::ids::OrgId;
use crate::orgs::store::Org;
use crate::reports::model::{ReportPeriod, star_counts};

/// Makes the bulletins due on `today` that no server has made yet; how many this one made.
pub async fn make_due(conn: &mut PgConnection, today: NaiveDate) -> Result<usize, AppError> {
    let mut made = 0;
    for period in due_periods(today) {
        for org in super::store::missing(conn, &period.to_string()).await? {
            let Some(org) = crate::orgs::store::org(conn, org).await? else {
                continue;
            };
            let b = make(conn, &org, period, today).await?;
            if super::store::keep(conn, org.id, &b).await? {
                made += 1;
            }
        }
    }
    Ok(made)
}

/// The bulletin of `org` for an ended `period`, made on `today`.
pub async fn make(
    conn: &mut PgConnection,
    org: &Org,
    period: ReportPeriod,
    today: NaiveDate,
) -> Result<Bulletin, AppError> {
    use crate::reports::flow::figures;
    let now = figures(conn, org, period, today).await?;
    let before = figures(conn, org, period.previous(), today).await?;
    let missed = crate::org_life::compliance::flow::missed_between(
        conn,
        &org.path,
        period.start(),
        period.end(),
    )
    .await?;
    let overdue = missed
        .into_iter()
        .map(|(b, items)| Overdue {
            branch: b.name,
            tree: b.tree,
            items: items
                .iter()
                .map(|i| (i.kind, i.span.start, i.span.end))
                .collect(),
        })
        .collect();
    let stars =
        crate::reports::store::published_stars(conn, &org.path, &period.rating_key()).await?;
    Ok(bulletin(Inputs {
        org_name: org.name.clone(),
        period,
        made_on: today,
        now: &now,
        before: &before,
        overdue,
        stars: star_counts(&stars),
    }))
}

/// The bulletins of `org` (0: the first the actor oversees), latest first.
pub struct Shelf {
    pub org: Org,
    pub overseen: Vec<(OrgId, String)>,
    pub bulletins: Vec<(i64, String)>,
}

pub async fn shelf(conn: &mut PgConnection, actor: &Actor, org: OrgId) -> Result<Shelf, AppError> {
    let overseen = crate::orgs::flow::overseen(conn, actor).await?;
    let org = crate::orgs::flow::overseen_org(conn, actor, &overseen, org).await?;
    let bulletins = super::store::list(conn, org.id).await?;
    Ok(Shelf {
        org,
        overseen,
        bulletins,
    })
}

/// A bulletin, for the admins of its committee.
pub async fn read(conn: &mut PgConnection, actor: &Actor, id: i64) -> Result<Bulletin, AppError> {
    let (org, b) = super::store::one(conn, id)
        .await?
        .ok_or(AppError::NotFound)?;
    crate::auth::session::administered_org(conn, actor, org).await?;
    Ok(b)
}
