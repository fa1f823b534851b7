//! The points use cases, one function each: a member's summary on the 积分 tab, and for
//! platform admins the rules and a new version of one. The only place in points that
//! sequences store calls.

use chrono::{DateTime, Utc};
use sqlx::PgConnection;

use super::model::{Rule, RuleChange, Standing};
use crate::auth::model::Actor;
use crate::error::AppError;

/// The caller's totals for the periods of `at` (day, week, month, year, all time) and the
/// standing of every rule in force. Opening the tab counts as the day's first sign-in, if
/// it is, before anything is read.
pub async fn my_points(
    conn: &mut PgConnection,
    actor: &Actor,
    at: DateTime<Utc>,
) -> Result<([i32; 5], Vec<Standing>), AppError> {
    super::store::award_sign_in(conn, actor.user_id, at).await?;
    let rules = super::store::rules_at(conn, at).await?;
    let earned = super::store::cap_progress(conn, actor.user_id, at).await?;
    let totals = super::store::totals(conn, actor.user_id, at).await?;
    Ok((totals, super::model::standings(&rules, &earned, at)))
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
