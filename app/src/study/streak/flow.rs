//! A member's streak as of today.

use chrono::{DateTime, Utc};
use sqlx::PgConnection;

use super::model::{Streak, streak};
use crate::auth::model::Actor;
use crate::error::AppError;

/// The days read back: a run longer than this counts from its start within them.
pub const DAYS_READ: i64 = 400;

pub async fn of_member(
    conn: &mut PgConnection,
    actor: &Actor,
    now: DateTime<Utc>,
) -> Result<Streak, AppError> {
    let today = crate::time::day_of(now);
    let rules = super::store::rules(conn).await?;
    let activity = super::store::activity(
        conn,
        actor.user_id,
        today - chrono::Duration::days(DAYS_READ),
    )
    .await?;
    Ok(streak(&rules, &activity, today))
}
