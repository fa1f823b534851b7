//! The branch calendar's use cases on the server: a month of a branch's due items and
//! meetings with the viewer's own meetings to come, and the address of the viewer's
//! calendar feed.

use chrono::NaiveDate;
use sqlx::PgConnection;

use super::model::{CalendarItem, Frequency, Span, branch_shown, calendar_items, span_of};
use super::store::{self, CalendarMeetingRow};
use crate::auth::model::Actor;
use crate::error::{AppError, Msg};
use crate::ids::OrgId;
use crate::orgs::store::Org;

/// How many days ahead the viewer's own meetings are listed.
const MINE_DAYS: i32 = 60;

/// A month of the calendar as the viewer sees it.
pub struct Calendar {
    /// The viewer's branches, to switch between.
    pub branches: Vec<(OrgId, String)>,
    pub month: Span,
    pub today: NaiveDate,
    /// The meetings of the next 60 days the viewer is expected at, in any branch.
    pub mine: Vec<CalendarMeetingRow>,
    /// The branch shown; none when the viewer has no branch and asked for none.
    pub branch: Option<BranchMonth>,
}

/// A branch's month on the calendar.
pub struct BranchMonth {
    pub org: Org,
    /// The viewer runs the branch (its secretary, committee or admins above).
    pub can_schedule: bool,
    /// The items due in the periods the month touches, in date order.
    pub items: Vec<CalendarItem>,
    /// The month's meetings.
    pub meetings: Vec<CalendarMeetingRow>,
}

/// The items a branch must hold in a month's periods (the month, its quarter, its year),
/// with where each stands on `today`, and the month's meetings. `org` 0 is the viewer's
/// first branch. For the branch's members and those who manage it.
pub async fn calendar(
    conn: &mut PgConnection,
    actor: &Actor,
    org: OrgId,
    month: Span,
    today: NaiveDate,
) -> Result<Calendar, AppError> {
    let branches = store::my_branches(conn, actor.user_id).await?;
    let mine = store::upcoming_for(conn, actor.user_id, MINE_DAYS).await?;
    let branch = match branch_shown(org, &branches) {
        None => None,
        Some(org_id) => Some(branch_month(conn, actor, &branches, org_id, month, today).await?),
    };
    Ok(Calendar {
        branches,
        month,
        today,
        mine,
        branch,
    })
}

/// One branch's month, if the actor is a member or runs it.
async fn branch_month(
    conn: &mut PgConnection,
    actor: &Actor,
    branches: &[(OrgId, String)],
    org_id: OrgId,
    month: Span,
    today: NaiveDate,
) -> Result<BranchMonth, AppError> {
    let o = crate::orgs::store::org(conn, org_id)
        .await?
        .ok_or(AppError::NotFound)?;
    if !branches.iter().any(|b| b.0 == org_id) && !actor.can_manage(&o.path) {
        return Err(AppError::Forbidden);
    }
    if !o.kind.is_branch() {
        return Err(AppError::invalid("org", Msg::KindNotAllowedHere));
    }
    let reqs = store::requirements(conn, o.tree).await?;
    let theme = store::theme_day(conn, org_id).await?;
    // The year's meetings: an item of the quarter or the year is on the calendar when a
    // meeting of its kind is anywhere in its period.
    let year = span_of(Frequency::Yearly, month.start);
    let held = store::meetings(conn, org_id, year.start, year.end).await?;
    let day = |m: &CalendarMeetingRow| crate::time::day_of(m.starts_at);
    let kinds: Vec<_> = held.iter().map(|m| (m.kind, day(m))).collect();
    let items = calendar_items(&reqs, month, theme, &kinds, today);
    let meetings = held
        .into_iter()
        .filter(|m| month.contains(day(m)))
        .collect();
    Ok(BranchMonth {
        can_schedule: actor.can_manage(&o.path),
        org: o,
        items,
        meetings,
    })
}

/// The address of the actor's calendar feed (made on first use); `renew` makes a new
/// secret so that the old address stops working.
pub async fn feed_address(
    conn: &mut PgConnection,
    actor: &Actor,
    renew: bool,
) -> Result<String, AppError> {
    let secret = store::feed_secret(conn, actor.user_id, renew).await?;
    Ok(format!(
        "{}/calendar/{secret}.ics",
        crate::league::founding::flow::origin()
    ))
}
