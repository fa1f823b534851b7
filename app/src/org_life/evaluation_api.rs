//! Server functions for the annual member evaluation (民主评议): opening the secret ballot,
//! voting once, the tallies once it has closed, and confirming the results into each
//! member's record.

use std::collections::HashMap;

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use super::model::{BallotState, Grade};
use crate::error::AppError;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TallyView {
    pub member: i64,
    pub name: String,
    /// Votes per grade, in `Grade::ALL` order.
    pub votes: [u32; 4],
    pub leading: Option<Grade>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BallotView {
    pub id: i64,
    pub state: BallotState,
    pub opens: String,
    pub closes: String,
    pub confirmed: bool,
    /// The members to grade: (id, name).
    pub roll: Vec<(i64, String)>,
    pub voted: usize,
    pub on_roll: bool,
    pub has_voted: bool,
    /// Only once the ballot has closed.
    pub tallies: Vec<TallyView>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EvaluationView {
    pub org_id: i64,
    pub org_name: String,
    pub year: i32,
    pub organizer: bool,
    pub ballot: Option<BallotView>,
    /// The viewer's confirmed results: (year, organization, grade).
    pub my_results: Vec<(i32, String, Grade)>,
}

/// This year's evaluation of a branch (`org` 0: the viewer's first branch), for its
/// members and those who run it.
#[server(endpoint = "evaluation")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all, fields(org)))]
pub async fn evaluation(org: i64) -> Result<EvaluationView, AppError> {
    use super::evaluation_store as store;
    use super::model::ballot_state;
    use crate::auth::session;
    let mut tx = session::begin().await?;
    let conn = &mut *tx;
    let actor = session::require_actor(conn).await?;
    let branches = super::store::my_branches(conn, actor.user_id).await?;
    let org = if org == 0 {
        branches.first().map(|b| b.0).ok_or(AppError::NotFound)?
    } else {
        org
    };
    let o = crate::orgs::store::org(conn, org)
        .await?
        .ok_or(AppError::NotFound)?;
    let organizer = actor.can_manage(&o.path);
    if !organizer && !branches.iter().any(|b| b.0 == org) {
        return Err(AppError::Forbidden);
    }
    let now = chrono::Utc::now();
    let year = chrono::Datelike::year(&crate::time::day_of(now));
    let when = crate::time::local_minute;
    let ballot = match store::of_year(conn, o.id, year).await? {
        None => None,
        Some(e) => {
            let state = ballot_state(e.opens_at, e.closes_at, now);
            if state == BallotState::Closed {
                let key = super::evaluation_flow::ballot_key()?;
                super::evaluation_flow::tally_if_closed(conn, &key, e.id).await?;
            }
            let roll = store::roll(conn, e.id).await?;
            let me = roll.iter().find(|r| r.0 == actor.user_id);
            let names: HashMap<i64, String> = roll.iter().map(|r| (r.0, r.1.clone())).collect();
            let tallies = if state == BallotState::Closed {
                store::tallies(conn, e.id)
                    .await?
                    .into_iter()
                    .map(|t| TallyView {
                        member: t.member,
                        name: names.get(&t.member).cloned().unwrap_or_default(),
                        leading: t.leading(),
                        votes: t.votes,
                    })
                    .collect()
            } else {
                vec![]
            };
            Some(BallotView {
                id: e.id,
                state,
                opens: when(e.opens_at),
                closes: when(e.closes_at),
                confirmed: e.confirmed_at.is_some(),
                voted: roll.iter().filter(|r| r.2).count(),
                on_roll: me.is_some(),
                has_voted: me.is_some_and(|r| r.2),
                roll: roll.into_iter().map(|r| (r.0, r.1)).collect(),
                tallies,
            })
        }
    };
    let my_results = store::results_of(conn, actor.user_id)
        .await?
        .into_iter()
        .filter_map(|(y, name, g)| Some((y, name, Grade::parse(&g)?)))
        .collect();
    tx.commit().await?;
    Ok(EvaluationView {
        org_id: o.id,
        org_name: o.name,
        year,
        organizer,
        ballot,
        my_results,
    })
}

/// Opens this year's secret ballot of a branch for `days` (1 to 14), with its current
/// members on the roll; for those who run the branch. The members are told.
#[server(endpoint = "open_evaluation")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all, fields(org)))]
pub async fn open_evaluation(org: i64, days: String) -> Result<i64, AppError> {
    use crate::auth::session;
    use crate::error::Msg;
    let days = days
        .trim()
        .parse::<i64>()
        .ok()
        .filter(|d| (1..=14).contains(d))
        .ok_or_else(|| AppError::invalid("days", Msg::EvaluationDays))?;
    let mut tx = session::begin().await?;
    let actor = session::require_actor(&mut tx).await?;
    let o = super::meeting_flow::managed_org(&mut tx, &actor, org, true).await?;
    let now = chrono::Utc::now();
    let year = chrono::Datelike::year(&crate::time::day_of(now));
    let (id, roll) = super::evaluation_store::open(
        &mut tx,
        o.id,
        year,
        now + chrono::Duration::days(days),
        actor.user_id,
    )
    .await?;
    crate::notices::store::notify(
        &mut tx,
        &roll,
        &crate::notices::model::Message::EvaluationOpened {
            org: o.name.clone(),
        },
        &format!("/orglife/evaluation?org={}", o.id),
        &format!("evaluation:{id}"),
    )
    .await?;
    tx.commit().await?;
    Ok(id)
}

/// Casts the viewer's ballot: every member on the roll (themselves included) graded once,
/// while the ballot is open, one ballot per voter. The ballot is kept sealed until the
/// close and then only counted (see `ballot.rs`), so nobody can tell who voted what.
#[server(endpoint = "cast_ballot")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all, fields(evaluation)))]
pub async fn cast_ballot(evaluation: i64, grades: HashMap<String, String>) -> Result<(), AppError> {
    use super::evaluation_store as store;
    use super::model::{ballot_state, parse_ballot};
    use crate::auth::session;
    use crate::error::Msg;
    let mut tx = session::begin().await?;
    let actor = session::require_actor(&mut tx).await?;
    let e = store::by_id(&mut tx, evaluation)
        .await?
        .ok_or(AppError::NotFound)?;
    let roll = store::roll(&mut tx, e.id).await?;
    if !roll.iter().any(|r| r.0 == actor.user_id) {
        return Err(AppError::Forbidden);
    }
    if ballot_state(e.opens_at, e.closes_at, chrono::Utc::now()) != BallotState::Open {
        return Err(AppError::invalid("", Msg::BallotClosed));
    }
    let ids: Vec<i64> = roll.iter().map(|r| r.0).collect();
    let ballot = parse_ballot(&grades, &ids).map_err(|m| AppError::invalid("", m))?;
    let key = super::evaluation_flow::ballot_key()?;
    super::evaluation_flow::cast(&mut tx, &key, e.id, actor.user_id, &ballot).await?;
    tx.commit().await?;
    Ok(())
}

/// Confirms a closed ballot's results: each member's leading grade (a tie goes to the lower
/// grade) is kept in their record. For those who run the branch; once.
#[server(endpoint = "confirm_evaluation")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all, fields(evaluation)))]
pub async fn confirm_evaluation(evaluation: i64) -> Result<(), AppError> {
    use super::evaluation_store as store;
    use super::model::ballot_state;
    use crate::auth::session;
    use crate::error::Msg;
    let mut tx = session::begin().await?;
    let actor = session::require_actor(&mut tx).await?;
    let e = store::by_id(&mut tx, evaluation)
        .await?
        .ok_or(AppError::NotFound)?;
    let o = crate::orgs::store::org(&mut tx, e.org_id)
        .await?
        .ok_or(AppError::NotFound)?;
    if !actor.can_manage(&o.path) {
        return Err(AppError::Forbidden);
    }
    if ballot_state(e.opens_at, e.closes_at, chrono::Utc::now()) != BallotState::Closed {
        return Err(AppError::invalid("", Msg::EvaluationNotClosed));
    }
    let key = super::evaluation_flow::ballot_key()?;
    super::evaluation_flow::tally_if_closed(&mut tx, &key, e.id).await?;
    let results: Vec<(i64, Grade)> = store::tallies(&mut tx, e.id)
        .await?
        .into_iter()
        .filter_map(|t| Some((t.member, t.leading()?)))
        .collect();
    if !store::confirm(&mut tx, &e, &results, actor.user_id).await? {
        return Err(AppError::Conflict(Msg::Duplicate));
    }
    tx.commit().await?;
    Ok(())
}
