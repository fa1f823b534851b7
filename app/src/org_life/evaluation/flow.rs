//! The secret evaluation's use cases on the server: this year's evaluation of a branch as
//! a member or organizer sees it, opening the ballot, casting a sealed ballot, turning the
//! sealed ballots into counters once the ballot has closed (see `ballot.rs` for why), and
//! confirming the results.

use crate::ids::{OrgId, UserId};
use std::collections::HashMap;

use chrono::{DateTime, Utc};
use sqlx::PgConnection;

use super::ballot::BallotKey;
use super::model::{BallotState, Grade, Tally, ballot_state, parse_ballot};
use super::store::{self, EvaluationRow};
use crate::auth::model::Actor;
use crate::error::{AppError, Msg};
use crate::orgs::store::Org;

/// The ballot key the server was configured with.
pub fn ballot_key() -> Result<BallotKey, AppError> {
    leptos::prelude::use_context::<BallotKey>()
        .ok_or_else(|| AppError::internal("no ballot key configured"))
}

/// This year's evaluation of a branch as the actor sees it.
pub struct Evaluation {
    pub org: Org,
    pub year: i32,
    /// The actor runs the branch.
    pub organizer: bool,
    pub ballot: Option<Ballot>,
    /// The actor's confirmed results: (year, organization, grade).
    pub my_results: Vec<(i32, String, Grade)>,
}

/// A branch's ballot of the year.
pub struct Ballot {
    pub row: EvaluationRow,
    pub state: BallotState,
    /// The members to grade: (id, name, has voted).
    pub roll: Vec<(UserId, String, bool)>,
    /// The actor is on the roll, and has voted.
    pub on_roll: bool,
    pub has_voted: bool,
    /// Votes per member graded; only once the ballot has closed.
    pub tallies: Vec<Tally>,
}

/// This year's evaluation of a branch (`org` 0: the actor's first branch), for its members
/// and those who run it; a closed ballot not yet tallied is tallied first.
pub async fn this_year(
    conn: &mut PgConnection,
    actor: &Actor,
    org: OrgId,
    now: DateTime<Utc>,
) -> Result<Evaluation, AppError> {
    let branches = crate::org_life::calendar::store::my_branches(conn, actor.user_id).await?;
    let org =
        crate::org_life::calendar::model::branch_shown(org, &branches).ok_or(AppError::NotFound)?;
    let o = crate::orgs::store::org(conn, org)
        .await?
        .ok_or(AppError::NotFound)?;
    let organizer = actor.can_manage(&o.path);
    if !organizer && !branches.iter().any(|b| b.0 == org) {
        return Err(AppError::Forbidden);
    }
    let year = chrono::Datelike::year(&crate::time::day_of(now));
    let ballot = match store::of_year(conn, o.id, year).await? {
        None => None,
        Some(e) => Some(ballot(conn, actor, e, now).await?),
    };
    let my_results = store::results_of(conn, actor.user_id)
        .await?
        .into_iter()
        .filter_map(|(y, name, g)| Some((y, name, Grade::parse(&g)?)))
        .collect();
    Ok(Evaluation {
        org: o,
        year,
        organizer,
        ballot,
        my_results,
    })
}

/// A ballot with its roll, and its tallies once it has closed.
async fn ballot(
    conn: &mut PgConnection,
    actor: &Actor,
    e: EvaluationRow,
    now: DateTime<Utc>,
) -> Result<Ballot, AppError> {
    let state = ballot_state(e.opens_at, e.closes_at, now);
    let closed = state == BallotState::Closed;
    if closed {
        tally_if_closed(conn, &ballot_key()?, e.id).await?;
    }
    let roll = store::roll(conn, e.id).await?;
    let me = roll.iter().find(|r| r.0 == actor.user_id);
    let (on_roll, has_voted) = (me.is_some(), me.is_some_and(|r| r.2));
    let tallies = if closed {
        store::tallies(conn, e.id).await?
    } else {
        vec![]
    };
    Ok(Ballot {
        row: e,
        state,
        roll,
        on_roll,
        has_voted,
        tallies,
    })
}

/// Opens this year's secret ballot of a branch the actor runs until `days` from now, with
/// its current members on the roll; the members are told. Returns the evaluation.
pub async fn open(
    conn: &mut PgConnection,
    actor: &Actor,
    org: OrgId,
    days: i64,
    now: DateTime<Utc>,
) -> Result<i64, AppError> {
    let o = crate::org_life::meetings::flow::managed_org(conn, actor, org, true).await?;
    let year = chrono::Datelike::year(&crate::time::day_of(now));
    let closes = now + chrono::Duration::days(days);
    let (id, roll) = store::open(conn, o.id, year, closes, actor.user_id).await?;
    crate::notices::store::notify(
        conn,
        &roll,
        &crate::notices::model::Message::EvaluationOpened {
            org: o.name.clone(),
        },
        &format!("/orglife/evaluation?org={}", o.id),
        &format!("evaluation:{id}"),
    )
    .await?;
    Ok(id)
}

/// Casts the actor's ballot: every member on the roll (themselves included) graded once,
/// while the ballot is open, one ballot per voter. The ballot is sealed and kept with the
/// voter's "has voted" mark, nothing else.
pub async fn cast_ballot(
    conn: &mut PgConnection,
    actor: &Actor,
    evaluation: i64,
    grades: &HashMap<String, String>,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    let e = store::by_id(conn, evaluation)
        .await?
        .ok_or(AppError::NotFound)?;
    let roll = store::roll(conn, e.id).await?;
    if !roll.iter().any(|r| r.0 == actor.user_id) {
        return Err(AppError::Forbidden);
    }
    if ballot_state(e.opens_at, e.closes_at, now) != BallotState::Open {
        return Err(AppError::invalid("", Msg::BallotClosed));
    }
    let ids: Vec<UserId> = roll.iter().map(|r| r.0).collect();
    let ballot = parse_ballot(grades, &ids).map_err(|m| AppError::invalid("", m))?;
    let sealed = ballot_key()?.seal(e.id, &ballot);
    store::cast(conn, e.id, actor.user_id, &sealed).await
}

/// Confirms a closed ballot's results for a branch the actor runs: each member's leading
/// grade (a tie goes to the lower grade) is kept in their record. Once.
pub async fn confirm(
    conn: &mut PgConnection,
    actor: &Actor,
    evaluation: i64,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    let e = store::by_id(conn, evaluation)
        .await?
        .ok_or(AppError::NotFound)?;
    let o = crate::orgs::store::org(conn, e.org_id)
        .await?
        .ok_or(AppError::NotFound)?;
    if !actor.can_manage(&o.path) {
        return Err(AppError::Forbidden);
    }
    if ballot_state(e.opens_at, e.closes_at, now) != BallotState::Closed {
        return Err(AppError::invalid("", Msg::EvaluationNotClosed));
    }
    tally_if_closed(conn, &ballot_key()?, e.id).await?;
    let results: Vec<(UserId, Grade)> = store::tallies(conn, e.id)
        .await?
        .into_iter()
        .filter_map(|t| Some((t.member, t.leading()?)))
        .collect();
    if !store::confirm(conn, &e, &results, actor.user_id).await? {
        return Err(AppError::Conflict(Msg::Duplicate));
    }
    Ok(())
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
