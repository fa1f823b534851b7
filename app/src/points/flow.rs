//! The points use cases, one function each: a member's summary on the 积分 tab, and for
//! platform admins the rules and a new version of one. The only place in points that
//! sequences store calls.

use std::collections::HashSet;
use std::sync::{Arc, Mutex};

use chrono::{DateTime, NaiveDate, Utc};
use sqlx::PgConnection;

use super::model::{Rule, RuleChange, Standing};
use crate::auth::model::{Actor, Claim};
use crate::error::AppError;
use crate::ids::UserId;

/// The day's first sign-in point (signing in, or opening 积分 or 我的): once per member
/// and Asia/Shanghai day. The ledger's key makes it idempotent; the server also remembers
/// (`known`, see [`AwardedToday`]) who it has found already awarded today, so that opening
/// those pages again asks the database nothing. Only an award seen in the ledger is remembered,
/// never one made in a transaction that might still roll back (the caller's). Says whether
/// it went to the ledger: a point awarded now, or by a request at the same moment, is then
/// missing from what the caller read before.
pub async fn sign_in_point(
    conn: &mut PgConnection,
    user_id: UserId,
    at: DateTime<Utc>,
    known: Option<&AwardedToday>,
) -> Result<bool, AppError> {
    let day = crate::time::day_of(at);
    if known.is_some_and(|k| k.has(day, user_id)) {
        return Ok(false);
    }
    // Its own transaction (a savepoint inside the caller's), so that the pages that award
    // it can read without one.
    let mut tx = sqlx::Connection::begin(&mut *conn).await?;
    let outcome = super::store::award_sign_in(&mut tx, user_id, at).await?;
    tx.commit().await?;
    if let Some(known) = known
        && outcome == super::store::Outcome::Duplicate
    {
        known.add(day, user_id);
    }
    Ok(true)
}

/// The members whose sign-in point of one day a server has seen in the ledger, kept with
/// its router and handed to each request's context. Emptied when the day changes, so it
/// holds at most one day's members.
#[derive(Clone, Debug, Default)]
pub struct AwardedToday(Arc<Mutex<(NaiveDate, HashSet<UserId>)>>);

impl AwardedToday {
    fn has(&self, day: NaiveDate, user_id: UserId) -> bool {
        self.0
            .lock()
            .is_ok_and(|a| a.0 == day && a.1.contains(&user_id))
    }

    fn add(&self, day: NaiveDate, user_id: UserId) {
        if let Ok(mut a) = self.0.lock() {
            if a.0 != day {
                *a = (day, HashSet::new());
            }
            a.1.insert(user_id);
        }
    }
}

/// The 积分 page of a claim's user, read with the viewer in one statement: totals, each
/// rule's standing, and one page of the ledger below `before` (`limit` rows). `None` when the
/// session is no longer live (then nothing is awarded). Opening it counts as the day's first
/// sign-in; until the server has seen that point in the ledger, the page is read again after
/// the award so that it shows it (also when a request at the same moment awarded it).
pub async fn my_points(
    conn: &mut PgConnection,
    claim: &Claim,
    at: DateTime<Utc>,
    before: Option<i64>,
    limit: i64,
) -> Result<Option<((Actor, i64), PointsOverview)>, AppError> {
    let mut page = super::store::points_page(conn, claim, at, before, limit).await?;
    if page.viewer.is_none() {
        return Ok(None);
    }
    let known = leptos::prelude::use_context::<AwardedToday>();
    if sign_in_point(conn, claim.user_id, at, known.as_ref()).await? {
        page = super::store::points_page(conn, claim, at, before, limit).await?;
    }
    let Some(viewer) = page.viewer else {
        return Ok(None);
    };
    let overview = PointsOverview {
        totals: page.totals,
        standings: super::model::standings(&page.rules, &page.earned, at),
        ledger: page.ledger,
    };
    Ok(Some((viewer, overview)))
}

/// What the 积分 page shows.
pub struct PointsOverview {
    /// Today, this week, this month, this year, all time.
    pub totals: [i32; 5],
    pub standings: Vec<Standing>,
    /// Newest first.
    pub ledger: Vec<super::store::LedgerRow>,
}

/// Every version of every rule, newest first: platform admins only.
pub async fn rules(conn: &mut PgConnection, actor: &Actor) -> Result<Vec<Rule>, AppError> {
    if !actor.is_platform_admin() {
        return Err(AppError::Forbidden);
    }
    super::store::all_rules(conn).await
}

/// Adds a version of a rule from the start of its day on, after the current version;
/// platform admins only. Told in this order: who may, which rule, the fields, the start.
/// Returns the new version.
pub async fn add_rule_version(
    conn: &mut PgConnection,
    actor: &Actor,
    change: Option<RuleChange>,
) -> Result<Rule, AppError> {
    if !actor.is_platform_admin() {
        return Err(AppError::Forbidden);
    }
    let change = change.ok_or_else(|| AppError::BadRequest("code".into()))?;
    let terms = change.terms.map_err(AppError::Invalid)?;
    let current = super::store::latest_rule(conn, change.code).await?;
    let (day_cap, week_cap) = terms
        .caps_after(current.as_ref())
        .map_err(|m| AppError::invalid("from", m))?;
    let version = super::store::NewRuleVersion {
        code: change.code,
        points: terms.points,
        cap: terms.cap,
        day_cap,
        week_cap,
        from: terms.from,
        by: Some(actor.user_id),
    };
    super::store::add_rule_version(conn, &version).await
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::orgs::store::test_support::add_user;
    use crate::time::day_of;
    use chrono::TimeZone;
    use sqlx::PgPool;

    /// The member's points of all time: one per sign-in point here.
    async fn sign_ins(pool: &PgPool, user: UserId) -> i32 {
        let mut c = pool.acquire().await.unwrap();
        super::super::store::totals(&mut c, user, Utc::now())
            .await
            .unwrap()[4]
    }

    /// The server's memory of the day's sign-in points never stands in for the ledger: an
    /// award that rolls back is not remembered, one is remembered only once it is seen in
    /// the ledger, and a new day awards again and forgets the last.
    #[sqlx::test(migrations = "../server/migrations")]
    async fn a_sign_in_point_is_remembered_only_once_it_is_in_the_ledger(pool: PgPool) {
        let mut c = pool.acquire().await.unwrap();
        let user = add_user(&mut c, "13800000002").await;
        let known = AwardedToday::default();
        let first = Utc.with_ymd_and_hms(2026, 12, 6, 2, 0, 0).unwrap();
        let next = first + chrono::Duration::days(1);

        let mut tx = pool.begin().await.unwrap();
        sign_in_point(&mut tx, user, first, Some(&known))
            .await
            .unwrap();
        tx.rollback().await.unwrap();
        assert_eq!(sign_ins(&pool, user).await, 0);
        assert!(!known.has(day_of(first), user), "a rolled-back award");

        sign_in_point(&mut c, user, first, Some(&known))
            .await
            .unwrap();
        assert_eq!(sign_ins(&pool, user).await, 1);
        assert!(!known.has(day_of(first), user), "made now, not yet seen");
        sign_in_point(&mut c, user, first, Some(&known))
            .await
            .unwrap();
        assert!(known.has(day_of(first), user), "seen in the ledger");
        sign_in_point(&mut c, user, first, Some(&known))
            .await
            .unwrap();
        assert_eq!(sign_ins(&pool, user).await, 1, "once a day");

        sign_in_point(&mut c, user, next, Some(&known))
            .await
            .unwrap();
        assert_eq!(sign_ins(&pool, user).await, 2, "the next day awards again");
        sign_in_point(&mut c, user, next, Some(&known))
            .await
            .unwrap();
        assert!(known.has(day_of(next), user));
        assert!(
            !known.has(day_of(first), user),
            "the day before is forgotten"
        );
    }
}
