//! Server functions for the annual member evaluation (民主评议): opening the secret ballot,
//! voting once, the tallies once it has closed, and confirming the results into each
//! member's record.

use std::collections::HashMap;

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use super::model::{BallotState, Grade};
use crate::error::AppError;
use crate::ids::{OrgId, UserId};

/// One member's votes once the ballot has closed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TallyView {
    pub member: UserId,
    pub name: String,
    /// Votes per grade, in `Grade::ALL` order.
    pub votes: [u32; 4],
    pub leading: Option<Grade>,
}

/// A branch's ballot of the year.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BallotView {
    pub id: i64,
    pub state: BallotState,
    pub opens: String,
    pub closes: String,
    pub confirmed: bool,
    /// The members to grade: (id, name).
    pub roll: Vec<(UserId, String)>,
    pub voted: usize,
    pub on_roll: bool,
    pub has_voted: bool,
    /// Only once the ballot has closed.
    pub tallies: Vec<TallyView>,
}

/// This year's evaluation of a branch, and the viewer's own results.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EvaluationView {
    pub org_id: OrgId,
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
pub async fn evaluation(org: OrgId) -> Result<EvaluationView, AppError> {
    use crate::auth::session;
    let mut tx = session::begin().await?;
    let actor = session::require_actor(&mut tx).await?;
    let e = super::flow::this_year(&mut tx, &actor, org, chrono::Utc::now()).await?;
    tx.commit().await?;
    Ok(e.into())
}

#[cfg(feature = "ssr")]
impl From<super::flow::Ballot> for BallotView {
    fn from(b: super::flow::Ballot) -> Self {
        let when = crate::time::local_minute;
        let names: HashMap<UserId, String> = b.roll.iter().map(|r| (r.0, r.1.clone())).collect();
        BallotView {
            id: b.row.id,
            state: b.state,
            opens: when(b.row.opens_at),
            closes: when(b.row.closes_at),
            confirmed: b.row.confirmed_at.is_some(),
            voted: b.roll.iter().filter(|r| r.2).count(),
            on_roll: b.on_roll,
            has_voted: b.has_voted,
            roll: b.roll.into_iter().map(|r| (r.0, r.1)).collect(),
            tallies: b
                .tallies
                .into_iter()
                .map(|t| TallyView {
                    member: t.member,
                    name: names.get(&t.member).cloned().unwrap_or_default(),
                    leading: t.leading(),
                    votes: t.votes,
                })
                .collect(),
        }
    }
}

#[cfg(feature = "ssr")]
impl From<super::flow::Evaluation> for EvaluationView {
    fn from(e: super::flow::Evaluation) -> Self {
        EvaluationView {
            org_id: e.org.id,
            org_name: e.org.name,
            year: e.year,
            organizer: e.organizer,
            ballot: e.ballot.map(BallotView::from),
            my_results: e.my_results,
        }
    }
}

/// Opens this year's secret ballot of a branch for `days` (1 to 14), with its current
/// members on the roll; for those who run the branch. The members are told.
#[server(endpoint = "open_evaluation")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all, fields(org)))]
pub async fn open_evaluation(org: OrgId, days: String) -> Result<i64, AppError> {
    use crate::auth::session;
    use crate::error::Msg;
    let days = super::model::parse_ballot_days(&days)
        .ok_or_else(|| AppError::invalid("days", Msg::EvaluationDays))?;
    let mut tx = session::begin().await?;
    let actor = session::require_actor(&mut tx).await?;
    let id = super::flow::open(&mut tx, &actor, org, days, chrono::Utc::now()).await?;
    tx.commit().await?;
    Ok(id)
}

/// Casts the viewer's ballot: every member on the roll (themselves included) graded once,
/// while the ballot is open, one ballot per voter. The ballot is kept sealed until the
/// close and then only counted (see `ballot.rs`), so nobody can tell who voted what.
#[server(endpoint = "cast_ballot")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all, fields(evaluation)))]
pub async fn cast_ballot(evaluation: i64, grades: HashMap<String, String>) -> Result<(), AppError> {
    use crate::auth::session;
    let mut tx = session::begin().await?;
    let actor = session::require_actor(&mut tx).await?;
    let now = chrono::Utc::now();
    super::flow::cast_ballot(&mut tx, &actor, evaluation, &grades, now).await?;
    tx.commit().await?;
    Ok(())
}

/// Confirms a closed ballot's results: each member's leading grade (a tie goes to the lower
/// grade) is kept in their record. For those who run the branch; once.
#[server(endpoint = "confirm_evaluation")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all, fields(evaluation)))]
pub async fn confirm_evaluation(evaluation: i64) -> Result<(), AppError> {
    use crate::auth::session;
    let mut tx = session::begin().await?;
    let actor = session::require_actor(&mut tx).await?;
    super::flow::confirm(&mut tx, &actor, evaluation, chrono::Utc::now()).await?;
    tx.commit().await?;
    Ok(())
}
