//! Server functions for transfers: start, act on a step, withdraw, correct, letters, the
//! approvers' queues, the overdue board and letter verification. Each checks who asks.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use super::model::{Status, StepKind};
use crate::error::AppError;
use crate::orgs::model::Tree;

/// A transfer in a list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TransferSummary {
    pub id: i64,
    pub member: String,
    pub from: String,
    pub to: String,
    pub status: Status,
    pub step: Option<StepKind>,
    pub holder: String,
    pub days: i64,
    pub overdue: bool,
}

/// The 转接 page: the member's branches they could move from, their transfers, and the
/// counts of their queues when they approve.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TransfersHomeView {
    /// (tree, current branch name)
    pub branches: Vec<(Tree, String)>,
    pub mine: Vec<TransferSummary>,
    /// 待办, 未办结, 即将办理; `None` for a member who approves nothing.
    pub queue_counts: Option<[usize; 3]>,
    pub sees_overdue: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum StepState {
    Done,
    Current,
    Returned,
    /// Where a rejected or withdrawn transfer stopped.
    Stopped,
    Waiting,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StepView {
    pub seq: i32,
    pub kind: StepKind,
    pub holder: String,
    pub state: StepState,
    /// The viewer may act here now.
    pub mine: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EventView {
    pub at: String,
    pub who: String,
    pub action: String,
    pub reason: String,
    pub step: Option<StepKind>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LetterView {
    pub number: String,
    pub issuer: String,
    pub issued_on: String,
    pub valid_until: String,
    pub void: bool,
    pub expired: bool,
    pub verify_code: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TransferView {
    pub id: i64,
    pub member: String,
    pub member_status: String,
    pub tree: Tree,
    pub from: String,
    pub to: String,
    pub outside_address: String,
    pub reason: String,
    /// `2026-10`
    pub dues: String,
    pub status: Status,
    pub days: i64,
    pub overdue: bool,
    pub created_on: String,
    pub steps: Vec<StepView>,
    pub events: Vec<EventView>,
    pub letters: Vec<LetterView>,
    pub is_member: bool,
    pub can_withdraw: bool,
    pub can_resubmit: bool,
    pub can_reissue: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct QueuesView {
    pub todo: Vec<TransferSummary>,
    pub in_progress: Vec<TransferSummary>,
    pub coming: Vec<TransferSummary>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OverdueRow {
    pub org_id: i64,
    pub org: String,
    pub count: i64,
    pub oldest: String,
    pub days: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BranchOption {
    pub id: i64,
    pub name: String,
    pub above: String,
}

/// What a verification code says about its letter.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LetterCheck {
    pub letter: LetterView,
    pub member: String,
    pub from: String,
    pub to: String,
}

#[server(endpoint = "transfers_home")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all))]
pub async fn transfers_home() -> Result<TransfersHomeView, AppError> {
    use crate::auth::session;
    let mut conn = session::pool()?.acquire().await?;
    let actor = session::require_actor(&mut conn).await?;
    let mut branches = Vec::new();
    for tree in [Tree::Party, Tree::League] {
        if let Some(id) = super::store::current_branch(&mut conn, actor.user_id, tree).await?
            && let Some(org) = crate::orgs::store::org(&mut conn, id).await?
        {
            branches.push((tree, org.name));
        }
    }
    let today = super::flow::today();
    let mine = super::store::of_member(&mut conn, actor.user_id)
        .await?
        .into_iter()
        .map(|r| super::flow::summary(r, today))
        .collect();
    let queue_counts = if actor.manages_anything() {
        let q = super::store::queues(&mut conn, &actor).await?;
        Some([q[0].len(), q[1].len(), q[2].len()])
    } else {
        None
    };
    let sees_overdue = super::flow::sees_overdue(&actor);
    Ok(TransfersHomeView {
        branches,
        mine,
        queue_counts,
        sees_overdue,
    })
}

/// Branches of a tree whose names contain `query` (at least one character), for picking the
/// receiving organization.
#[server(endpoint = "search_receiving")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all))]
pub async fn search_receiving(tree: String, query: String) -> Result<Vec<BranchOption>, AppError> {
    use crate::auth::session;
    let mut conn = session::pool()?.acquire().await?;
    session::require_actor(&mut conn).await?;
    let tree =
        Tree::parse(&tree).ok_or_else(|| AppError::invalid("tree", crate::error::Msg::Required))?;
    let query: String = query.trim().chars().take(40).collect();
    if query.is_empty() {
        return Ok(Vec::new());
    }
    Ok(super::store::search_branches(&mut conn, tree, &query)
        .await?
        .into_iter()
        .map(|(id, name, above)| BranchOption { id, name, above })
        .collect())
}

/// Starts a transfer for the caller, or (`member` set) for a member of a branch the caller
/// manages. `to_org` is a branch id; empty with `outside_name` and `outside_address` for an
/// organization outside the platform (or when nothing was chosen, which asks for them).
#[server(endpoint = "start_transfer")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all))]
pub async fn start_transfer(
    tree: String,
    to_org: Option<String>,
    outside_name: String,
    outside_address: String,
    reason: String,
    dues: String,
    member: Option<String>,
) -> Result<i64, AppError> {
    use super::model::{Destination, parse_dues_month, parse_text, steps};
    use crate::auth::session;
    use crate::error::{FieldError, Msg, field_ok};
    let mut tx = session::begin().await?;
    let actor = session::require_actor(&mut tx).await?;
    let tree = Tree::parse(&tree).ok_or_else(|| AppError::invalid("tree", Msg::Required))?;
    let user_id = match member.as_deref().map(str::trim).filter(|m| !m.is_empty()) {
        None => actor.user_id,
        Some(m) => m
            .parse::<i64>()
            .map_err(|_| AppError::invalid("member", Msg::Required))?,
    };
    let from = super::store::current_branch(&mut tx, user_id, tree)
        .await?
        .ok_or_else(|| AppError::invalid("tree", Msg::TransferNoBranch))?;
    let from_chain = super::store::chain(&mut tx, from).await?;
    if user_id != actor.user_id {
        let branch = crate::orgs::store::org(&mut tx, from)
            .await?
            .ok_or(AppError::NotFound)?;
        if !actor.can_manage(&branch.path) {
            return Err(AppError::Forbidden);
        }
    }

    let mut errors: Vec<FieldError> = Vec::new();
    let reason = field_ok(&mut errors, "reason", parse_text(&reason, true));
    let dues = field_ok(
        &mut errors,
        "dues",
        parse_dues_month(&dues, super::flow::today()),
    );
    // Outside the platform (the choice's value is empty) and no choice at all arrive alike.
    let to_org = to_org.as_deref().unwrap_or("").trim();
    let (destination, to_id, outside) = if to_org.is_empty() {
        let name = outside_name.trim();
        let address = outside_address.trim();
        if name.is_empty() || address.is_empty() {
            errors.push(FieldError::new("to_org", Msg::TransferOutsideName));
        }
        if name.chars().count() > 200 || address.chars().count() > 200 {
            errors.push(FieldError::new("to_org", Msg::TooLong));
        }
        (
            Destination::Outside,
            None,
            Some((name.to_owned(), address.to_owned())),
        )
    } else {
        let id: i64 = to_org
            .parse()
            .map_err(|_| AppError::invalid("to_org", Msg::TransferNotABranch))?;
        let org = crate::orgs::store::org(&mut tx, id)
            .await?
            .filter(|o| o.tree == tree)
            .ok_or_else(|| AppError::invalid("to_org", Msg::TransferNotABranch))?;
        (
            Destination::Branch(super::store::chain(&mut tx, org.id).await?),
            Some(org.id),
            None,
        )
    };
    let steps = match steps(&from_chain, &destination) {
        Ok(s) => Some(s),
        Err(msg) => {
            errors.push(FieldError::new("to_org", msg));
            None
        }
    };
    let (Some(reason), Some(dues), Some(steps), true) = (reason, dues, steps, errors.is_empty())
    else {
        return Err(AppError::Invalid(errors));
    };
    let id = super::store::create(
        &mut tx,
        &super::store::NewTransfer {
            user_id,
            tree,
            from_org: from,
            to_org: to_id,
            outside: outside.as_ref().map(|(n, a)| (n.as_str(), a.as_str())),
            reason: &reason,
            dues_paid_to: dues,
            started_by: actor.user_id,
        },
        &steps,
    )
    .await?;
    super::flow::notify_holders(&mut tx, id, &steps[0]).await?;
    tx.commit().await?;
    Ok(id)
}

/// The transfer, for its member, whoever started it, and anyone who holds one of its steps
/// (including the admins above them).
#[server(endpoint = "transfer_detail")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all))]
pub async fn transfer_detail(id: i64) -> Result<TransferView, AppError> {
    use crate::auth::session;
    let mut conn = session::pool()?.acquire().await?;
    let actor = session::require_actor(&mut conn).await?;
    let t = super::store::transfer(&mut conn, id, false)
        .await?
        .ok_or(AppError::NotFound)?;
    let steps = super::store::steps(&mut conn, id).await?;
    let is_member = t.user_id == actor.user_id;
    let involved = steps.iter().any(|s| actor.can_manage(&s.holder_path));
    if !is_member && t.started_by != actor.user_id && !involved {
        return Err(AppError::NotFound);
    }
    let today = super::flow::today();
    let events = super::store::events(&mut conn, id).await?;
    let letters = super::store::letters(&mut conn, id).await?;
    let step_views = steps
        .iter()
        .enumerate()
        .map(|(i, s)| {
            let state = match (t.status, i.cmp(&t.current_step)) {
                (_, std::cmp::Ordering::Less) => StepState::Done,
                (Status::Completed, _) => StepState::Done,
                (Status::Open, std::cmp::Ordering::Equal) => StepState::Current,
                (Status::Returned, std::cmp::Ordering::Equal) => StepState::Returned,
                (Status::Rejected | Status::Withdrawn, std::cmp::Ordering::Equal) => {
                    StepState::Stopped
                }
                _ => StepState::Waiting,
            };
            StepView {
                seq: i as i32,
                kind: s.step.kind,
                holder: s.holder_name.clone(),
                state,
                mine: state == StepState::Current && super::flow::may_act(&actor, s),
            }
        })
        .collect();
    let current_kind = steps.get(t.current_step).map(|s| s.step.kind);
    let letter_issuer = steps
        .iter()
        .find(|s| s.step.kind.issues_letter())
        .filter(|s| super::flow::may_act(&actor, s));
    let open = t.status == Status::Open;
    Ok(TransferView {
        id: t.id,
        member: t.member.clone(),
        member_status: t.member_status.clone(),
        tree: t.tree,
        from: t.from_name.clone(),
        to: t.to_name.clone(),
        outside_address: t.outside_address.clone(),
        reason: t.reason.clone(),
        dues: t.dues_paid_to.format("%Y-%m").to_string(),
        status: t.status,
        days: if open {
            super::model::days_pending(t.step_since, today)
        } else {
            0
        },
        overdue: open && super::model::is_overdue(t.step_since, today),
        created_on: t.created_on.clone(),
        steps: step_views,
        events: events
            .into_iter()
            .map(|e| EventView {
                step: e
                    .seq
                    .and_then(|s| steps.get(s as usize))
                    .map(|s| s.step.kind),
                at: e.at,
                who: e.actor,
                action: e.action,
                reason: e.reason,
            })
            .collect(),
        letters: letters
            .iter()
            .map(|l| super::flow::letter_view(l, today))
            .collect(),
        is_member,
        can_withdraw: (is_member || t.started_by == actor.user_id)
            && t.status.is_open()
            && current_kind.is_some_and(|k| k.withdrawable_before()),
        can_resubmit: is_member && t.status == Status::Returned,
        can_reissue: open
            && letter_issuer.is_some()
            && letters.first().is_some_and(|l| !l.void)
            && current_kind.is_some_and(|k| k.needs_valid_letter() || k == StepKind::Receipt),
    })
}

/// The holder of the current step approves, rejects or returns it. `seq` is the step the
/// caller saw: if someone else handled it meanwhile, nothing changes and the caller is told.
/// Approving the sending committee's step issues the letter (valid `validity` days, 30 when
/// empty); approving the receiving branch's moves the membership, in the same transaction.
#[server(endpoint = "act_on_transfer")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all, fields(id)))]
pub async fn act_on_transfer(
    id: i64,
    seq: i32,
    action: String,
    reason: Option<String>,
    validity: Option<String>,
) -> Result<Status, AppError> {
    use super::model::{Action, letter_usable, next, valid_until};
    use crate::auth::session;
    use crate::error::Msg;
    let action =
        Action::parse(&action).ok_or_else(|| AppError::invalid("action", Msg::Required))?;
    let reason = super::model::parse_text(reason.as_deref().unwrap_or(""), false)
        .map_err(|m| AppError::invalid("reason", m))?;
    let mut tx = session::begin().await?;
    let actor = session::require_actor(&mut tx).await?;
    let t = super::store::transfer(&mut tx, id, true)
        .await?
        .ok_or(AppError::NotFound)?;
    let steps = super::store::steps(&mut tx, id).await?;
    let seq_u = usize::try_from(seq).map_err(|_| AppError::NotFound)?;
    let step = steps.get(seq_u).ok_or(AppError::NotFound)?;
    if !super::flow::may_act(&actor, step) {
        return Err(AppError::Forbidden);
    }
    let n = next(
        t.status,
        t.current_step,
        seq_u,
        steps.len(),
        action,
        &reason,
    )?;
    let today = super::flow::today();
    if action == Action::Approve {
        if step.step.kind.needs_valid_letter() {
            let letters = super::store::letters(&mut tx, id).await?;
            let letter = letters
                .first()
                .ok_or(AppError::Conflict(Msg::TransferNoLetter))?;
            letter_usable(today, letter.valid_until, letter.void).map_err(AppError::Conflict)?;
        }
        if step.step.kind.issues_letter() {
            let until = valid_until(today, validity.as_deref().unwrap_or(""))
                .map_err(|m| AppError::invalid("validity", m))?;
            super::flow::issue(&mut tx, id, step.step.holder, today, until).await?;
            super::store::event(&mut tx, id, Some(seq), actor.user_id, "letter", "").await?;
        }
        match step.step.kind {
            StepKind::ReceivingBranch => {
                let to = crate::orgs::store::org(&mut tx, t.to_org.ok_or(AppError::NotFound)?)
                    .await?
                    .ok_or(AppError::NotFound)?;
                crate::orgs::store::move_member(&mut tx, t.user_id, &to).await?;
            }
            StepKind::Receipt => {
                crate::orgs::store::leave(&mut tx, t.user_id, t.tree).await?;
            }
            _ => {}
        }
    }
    super::store::set_state(&mut tx, id, n.status, n.step).await?;
    super::store::event(
        &mut tx,
        id,
        Some(seq),
        actor.user_id,
        action.as_str(),
        &reason,
    )
    .await?;
    if n.status == Status::Open {
        super::flow::notify_holders(&mut tx, id, &steps[n.step].step).await?;
    }
    super::flow::notify_member(&mut tx, &t, n.status, n.step).await?;
    tx.commit().await?;
    Ok(n.status)
}

/// The member (or whoever started it) withdraws an open transfer before the receiving
/// branch has accepted.
#[server(endpoint = "withdraw_transfer")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all))]
pub async fn withdraw_transfer(id: i64) -> Result<(), AppError> {
    use crate::auth::session;
    use crate::error::Msg;
    let mut tx = session::begin().await?;
    let actor = session::require_actor(&mut tx).await?;
    let t = super::store::transfer(&mut tx, id, true)
        .await?
        .ok_or(AppError::NotFound)?;
    if t.user_id != actor.user_id && t.started_by != actor.user_id {
        return Err(AppError::NotFound);
    }
    let steps = super::store::steps(&mut tx, id).await?;
    let withdrawable = t.status.is_open()
        && steps
            .get(t.current_step)
            .is_some_and(|s| s.step.kind.withdrawable_before());
    if !withdrawable {
        return Err(AppError::Conflict(Msg::TransferNotWithdrawable));
    }
    super::store::void_letter(&mut tx, id).await?;
    super::store::set_state(&mut tx, id, Status::Withdrawn, t.current_step).await?;
    super::store::event(&mut tx, id, None, actor.user_id, "withdraw", "").await?;
    tx.commit().await?;
    Ok(())
}

/// The member corrects a transfer that was sent back to them; it returns to the step that
/// sent it back.
#[server(endpoint = "resubmit_transfer")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all))]
pub async fn resubmit_transfer(id: i64, reason: String, dues: String) -> Result<(), AppError> {
    use crate::auth::session;
    use crate::error::{FieldError, Msg, field_ok};
    let mut tx = session::begin().await?;
    let actor = session::require_actor(&mut tx).await?;
    let t = super::store::transfer(&mut tx, id, true)
        .await?
        .ok_or(AppError::NotFound)?;
    if t.user_id != actor.user_id {
        return Err(AppError::NotFound);
    }
    if t.status != Status::Returned {
        return Err(AppError::Conflict(Msg::TransferNotReturned));
    }
    let mut errors: Vec<FieldError> = Vec::new();
    let reason = field_ok(
        &mut errors,
        "reason",
        super::model::parse_text(&reason, true),
    );
    let dues = field_ok(
        &mut errors,
        "dues",
        super::model::parse_dues_month(&dues, super::flow::today()),
    );
    let (Some(reason), Some(dues)) = (reason, dues) else {
        return Err(AppError::Invalid(errors));
    };
    super::store::correct(&mut tx, id, &reason, dues).await?;
    super::store::set_state(&mut tx, id, Status::Open, t.current_step).await?;
    super::store::event(&mut tx, id, None, actor.user_id, "resubmit", &reason).await?;
    let steps = super::store::steps(&mut tx, id).await?;
    super::flow::notify_holders(&mut tx, id, &steps[t.current_step].step).await?;
    tx.commit().await?;
    Ok(())
}

/// The sending committee reissues the letter of an open transfer whose letter is still
/// needed: a new number, the old letter void.
#[server(endpoint = "reissue_letter")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all))]
pub async fn reissue_letter(id: i64, validity: Option<String>) -> Result<(), AppError> {
    use crate::auth::session;
    use crate::error::Msg;
    let mut tx = session::begin().await?;
    let actor = session::require_actor(&mut tx).await?;
    let t = super::store::transfer(&mut tx, id, true)
        .await?
        .ok_or(AppError::NotFound)?;
    let steps = super::store::steps(&mut tx, id).await?;
    let issuer = steps
        .iter()
        .find(|s| s.step.kind.issues_letter())
        .ok_or(AppError::NotFound)?;
    if !super::flow::may_act(&actor, issuer) {
        return Err(AppError::Forbidden);
    }
    let needed = t.status == Status::Open
        && steps
            .get(t.current_step)
            .is_some_and(|s| s.step.kind.needs_valid_letter() || s.step.kind == StepKind::Receipt);
    if !needed || super::store::void_letter(&mut tx, id).await?.is_none() {
        return Err(AppError::Conflict(Msg::TransferNoLetter));
    }
    let today = super::flow::today();
    let until = super::model::valid_until(today, validity.as_deref().unwrap_or(""))
        .map_err(|m| AppError::invalid("validity", m))?;
    super::flow::issue(&mut tx, id, issuer.step.holder, today, until).await?;
    super::store::event(&mut tx, id, None, actor.user_id, "reissue", "").await?;
    tx.commit().await?;
    Ok(())
}

/// The approver's three queues.
#[server(endpoint = "transfer_queues")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all))]
pub async fn transfer_queues() -> Result<QueuesView, AppError> {
    use crate::auth::session;
    let mut conn = session::pool()?.acquire().await?;
    let actor = session::require_actor(&mut conn).await?;
    if !actor.manages_anything() {
        return Err(AppError::Forbidden);
    }
    let today = super::flow::today();
    let [todo, in_progress, coming] = super::store::queues(&mut conn, &actor).await?;
    let list = |rows: Vec<super::store::SummaryRow>| -> Vec<TransferSummary> {
        rows.into_iter()
            .map(|r| super::flow::summary(r, today))
            .collect()
    };
    Ok(QueuesView {
        todo: list(todo),
        in_progress: list(in_progress),
        coming: list(coming),
    })
}

/// Overdue steps per organization under the caller's (organization admins and platform
/// admins only), the oldest first.
#[server(endpoint = "overdue_transfers")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all))]
pub async fn overdue_transfers() -> Result<Vec<OverdueRow>, AppError> {
    use crate::auth::session;
    let mut conn = session::pool()?.acquire().await?;
    let actor = session::require_actor(&mut conn).await?;
    if !super::flow::sees_overdue(&actor) {
        return Err(AppError::Forbidden);
    }
    let today = super::flow::today();
    Ok(super::store::overdue(&mut conn, &actor, today)
        .await?
        .into_iter()
        .map(|(org_id, org, count, oldest)| OverdueRow {
            org_id,
            org,
            count,
            oldest: oldest.to_string(),
            days: super::model::days_pending(oldest, today),
        })
        .collect())
}

/// What a letter's verification code says: for anyone signed in who serves an organization
/// (the receiving side checks a paper letter).
#[server(endpoint = "verify_letter")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all))]
pub async fn verify_letter(code: String) -> Result<LetterCheck, AppError> {
    use crate::auth::session;
    use crate::error::Msg;
    let mut conn = session::pool()?.acquire().await?;
    let actor = session::require_actor(&mut conn).await?;
    if !actor.manages_anything() {
        return Err(AppError::Forbidden);
    }
    let code = crate::auth::model::InvitationCode::parse(&code).map_err(|m| {
        AppError::invalid(
            "code",
            if m == Msg::Required {
                m
            } else {
                Msg::TransferLetterUnknown
            },
        )
    })?;
    let letter = super::store::letter_by_code(&mut conn, code.as_str())
        .await?
        .ok_or_else(|| AppError::invalid("code", Msg::TransferLetterUnknown))?;
    let t = super::store::transfer(&mut conn, letter.transfer_id, false)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok(LetterCheck {
        letter: super::flow::letter_view(&letter, super::flow::today()),
        member: t.member,
        from: t.from_name,
        to: t.to_name,
    })
}
