//! The secret evaluation's use cases on the server: casting a sealed ballot, and turning the
//! sealed ballots into counters once the ballot has closed (see `ballot.rs` for why).

use sqlx::PgConnection;

use super::ballot::BallotKey;
use super::model::Grade;
use crate::error::AppError;

/// The ballot key the server was configured with.
pub fn ballot_key() -> Result<BallotKey, AppError> {
    leptos::prelude::use_context::<BallotKey>()
        .ok_or_else(|| AppError::internal("no ballot key configured"))
}

/// Seals a voter's checked ballot and keeps it with their "has voted" mark.
pub async fn cast(
    conn: &mut PgConnection,
    key: &BallotKey,
    evaluation: i64,
    voter: i64,
    ballot: &[(i64, Grade)],
) -> Result<(), AppError> {
    super::evaluation_store::cast(conn, evaluation, voter, &key.seal(evaluation, ballot)).await
}

/// Tallies an evaluation that has closed, once: in the caller's transaction, with the
/// evaluation locked, every sealed ballot is opened, counted and deleted. True when this
/// call tallied it. A ballot that does not open (another key) stops the tally, and nothing
/// is lost: the ballots stay until the right key is configured.
pub async fn tally_if_closed(
    conn: &mut PgConnection,
    key: &BallotKey,
    evaluation: i64,
) -> Result<bool, AppError> {
    use super::evaluation_store as store;
    if !store::lock_untallied(conn, evaluation).await? {
        return Ok(false);
    }
    let mut grades = Vec::new();
    for sealed in store::sealed_ballots(conn, evaluation).await? {
        let ballot = key.open(evaluation, &sealed).ok_or_else(|| {
            AppError::internal(format!(
                "a sealed ballot of evaluation {evaluation} does not open with the configured key"
            ))
        })?;
        grades.extend(ballot);
    }
    store::finish_tally(conn, evaluation, &super::model::tally(&grades)).await?;
    tracing::info!(evaluation, "evaluation tallied");
    Ok(true)
}
