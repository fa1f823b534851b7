//! Instructors' use cases: a committee names or ends an instructor for a branch or a
//! founding application; an instructor reads what they follow, most pressing first.

use chrono::NaiveDate;
use sqlx::PgConnection;

use super::model::{Followed, NextAction, Target, branch_next, work_order};
use crate::auth::model::{Actor, Login};
use crate::error::{AppError, Msg};
use crate::ids::{ApplicationId, OrgId, UserId};
use crate::league::founding::model::AppState;

/// The target a form names, or `Invalid` when it names none or both.
pub fn target(org: Option<OrgId>, application: Option<ApplicationId>) -> Result<Target, AppError> {
    Target::of(org, application).ok_or_else(|| AppError::invalid("instructor", Msg::BadRequest))
}

/// The actor may name instructors for `target`: an organization they administer, or an
/// application in an area they review. `NotFound` when there is no such target.
async fn may_name(conn: &mut PgConnection, actor: &Actor, target: Target) -> Result<(), AppError> {
    match target {
        Target::Org(org) => {
            crate::auth::session::administered_org(conn, actor, org).await?;
        }
        Target::Application(id) => {
            // As the review page: an application outside the actor's areas is not found.
            let app = crate::league::founding::store::application(conn, id, false)
                .await?
                .ok_or(AppError::NotFound)?;
            let areas = crate::league::ledger::store::areas_of(conn, actor).await?;
            if !crate::league::ledger::model::in_areas(&areas, &app.district, &app.street) {
                return Err(AppError::NotFound);
            }
        }
    }
    Ok(())
}

/// Names the person signing in as `login` instructor of `target`; naming someone twice
/// keeps one assignment. Returns whether this named them.
pub async fn assign(
    conn: &mut PgConnection,
    actor: &Actor,
    target: Target,
    login: &str,
) -> Result<bool, AppError> {
    may_name(conn, actor, target).await?;
    let login = Login::parse(login).map_err(|m| AppError::invalid("instructor", m))?;
    let user = crate::orgs::store::find_user(conn, &login)
        .await?
        .ok_or_else(|| AppError::invalid("instructor", Msg::UserUnknown))?;
    let added = super::store::assign(conn, user, target, actor.user_id).await?;
    if added {
        let name = super::store::target_name(conn, target).await?;
        let message = crate::notices::model::Message::InstructorNamed { name };
        let dedupe = match target {
            Target::Org(o) => format!("instructor:org:{o}"),
            Target::Application(a) => format!("instructor:application:{a}"),
        };
        // Named again after being removed: the earlier message stands for both.
        crate::notices::store::notify(conn, &[user], &message, "/me/following", &dedupe).await?;
    }
    Ok(added)
}

/// Ends an assignment, for those who may name instructors for its target.
pub async fn end(conn: &mut PgConnection, actor: &Actor, id: i64) -> Result<(), AppError> {
    let target = super::store::target_of(conn, id)
        .await?
        .ok_or(AppError::NotFound)?;
    may_name(conn, actor, target).await?;
    super::store::end(conn, id, actor.user_id).await?;
    Ok(())
}

/// The instructors of `target`, for those who may name them.
pub async fn of_target(
    conn: &mut PgConnection,
    actor: &Actor,
    target: Target,
) -> Result<Vec<super::store::AssignedRow>, AppError> {
    may_name(conn, actor, target).await?;
    super::store::of_target(conn, target).await
}

/// What `user` follows on `today`, in work order.
pub async fn following(
    conn: &mut PgConnection,
    user: UserId,
    today: NaiveDate,
) -> Result<Vec<Followed>, AppError> {
    let mut out = vec![];
    for r in super::store::following(conn, user).await? {
        let (target, (next, branch)) = match (r.org_id, r.application_id) {
            (Some(org), _) => (Target::Org(org), org_next(conn, org, today).await?),
            (None, Some(app)) => (
                Target::Application(app),
                application_next(conn, &r, today).await?,
            ),
            _ => continue,
        };
        out.push(Followed {
            assignment: r.id,
            target,
            name: r.name,
            branch,
            next,
        });
    }
    work_order(&mut out, today);
    Ok(out)
}

/// The most pressing next action among the branches under `org`, with the branch's name
/// when it is not `org` itself.
async fn org_next(
    conn: &mut PgConnection,
    org: OrgId,
    today: NaiveDate,
) -> Result<(NextAction, Option<String>), AppError> {
    let Some(o) = crate::orgs::store::org(conn, org).await? else {
        return Ok((NextAction::UpToDate, None));
    };
    let states = crate::org_life::compliance::flow::branch_states(conn, &o.path, today).await?;
    Ok(states
        .into_iter()
        .map(|facts| {
            let below = (facts.id != org).then(|| facts.name.clone());
            (branch_next(&facts, today), below)
        })
        .min_by(|a, b| super::model::pressing(&a.0, &b.0, today))
        .unwrap_or((NextAction::UpToDate, None)))
}

/// An application's next action: its review, the applicant's answer, or once approved the
/// new organization's first meeting (then that organization's own next action).
async fn application_next(
    conn: &mut PgConnection,
    r: &super::store::FollowedRow,
    today: NaiveDate,
) -> Result<(NextAction, Option<String>), AppError> {
    let since = r.updated_at.map(crate::time::day_of).unwrap_or(today);
    let state = r.state.as_deref().and_then(AppState::parse);
    Ok(match (state, r.founded) {
        (Some(AppState::Reviewing), _) => (NextAction::Review { since }, None),
        (Some(AppState::NeedsInfo), _) => (NextAction::AwaitingApplicant { since }, None),
        (Some(AppState::Approved), Some(org)) => {
            if super::store::held_any(conn, org).await? {
                org_next(conn, org, today).await?
            } else {
                (NextAction::FirstMeeting { org, since }, None)
            }
        }
        _ => (NextAction::UpToDate, None),
    })
}
