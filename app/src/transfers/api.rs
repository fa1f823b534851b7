//! Server functions for transfers: start, act on a step, withdraw, correct, letters, the
//! approvers' queues, the overdue board and letter verification. Each checks who asks.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use super::model::{EventKind, Status, StepKind, StepState};
use crate::error::AppError;
use crate::ids::{OrgId, TransferId};
use crate::orgs::model::Tree;

/// A transfer in a list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TransferSummary {
    pub id: TransferId,
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
    pub action: EventKind,
    pub reason: String,
    pub step: Option<StepKind>,
    /// A dues correction: the month before and after.
    pub dues: Option<(String, String)>,
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

#[cfg(feature = "ssr")]
impl TransferSummary {
    /// The summary of a transfer as of `today` (days pending, overdue).
    pub fn of(r: super::store::SummaryRow, today: chrono::NaiveDate) -> Self {
        use super::model::{Status, days_pending, is_overdue};
        let open = r.status == Status::Open;
        TransferSummary {
            id: r.id,
            member: r.member,
            from: r.from_name,
            to: r.to_name,
            status: r.status,
            step: r.step.filter(|_| r.status.is_open()),
            holder: r.holder,
            days: if open {
                days_pending(r.since, today)
            } else {
                0
            },
            overdue: open && is_overdue(r.since, today),
        }
    }
}

#[cfg(feature = "ssr")]
impl LetterView {
    /// The letter as of `today` (expired or not), its number in the reader's language.
    pub fn of(
        l: &super::store::LetterRow,
        today: chrono::NaiveDate,
        locale: crate::i18n::Locale,
    ) -> Self {
        LetterView {
            number: super::model::letter_number(l.year, l.seq, locale),
            issuer: l.issuer.clone(),
            issued_on: l.issued_on.to_string(),
            valid_until: l.valid_until.to_string(),
            void: l.void,
            expired: today > l.valid_until,
            verify_code: l.verify_code.clone(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TransferView {
    pub id: TransferId,
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
    pub can_correct_dues: bool,
    /// The member's correction takes the dues month from the record.
    pub dues_on_record: bool,
    /// Those who can act on the waiting step now.
    pub acting: Vec<String>,
    pub can_remind: bool,
    pub reminded_today: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct QueuesView {
    pub todo: Vec<TransferSummary>,
    pub in_progress: Vec<TransferSummary>,
    pub coming: Vec<TransferSummary>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OverdueRow {
    pub org_id: OrgId,
    pub org: String,
    pub count: i64,
    pub oldest: String,
    pub days: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BranchOption {
    pub id: OrgId,
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
        .map(|r| TransferSummary::of(r, today))
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
    #[server(flatten)] form: super::model::TransferForm,
) -> Result<TransferId, AppError> {
    use crate::auth::session;
    let mut tx = session::begin().await?;
    let actor = session::require_actor(&mut tx).await?;
    let id = super::flow::start(&mut tx, &actor, &form).await?;
    tx.commit().await?;
    Ok(id)
}

/// The transfer, for its member, whoever started it, and anyone who holds one of its steps
/// (including the admins above them).
#[server(endpoint = "transfer_detail")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all))]
pub async fn transfer_detail(id: TransferId) -> Result<TransferView, AppError> {
    use crate::auth::session;
    // The reader's language (the letters' numbers), taken before the first wait.
    let locale = crate::i18n::use_locale();
    let mut conn = session::pool()?.acquire().await?;
    let actor = session::require_actor(&mut conn).await?;
    let detail = super::flow::detail(&mut conn, &actor, id).await?;
    Ok(TransferView::of(detail, locale))
}

#[cfg(feature = "ssr")]
impl TransferView {
    fn of(d: super::flow::Detail, locale: crate::i18n::Locale) -> Self {
        let t = d.transfer;
        let open = t.status == Status::Open;
        let steps = &d.steps;
        TransferView {
            id: t.id,
            member: t.member,
            member_status: t.member_status,
            tree: t.tree,
            from: t.from_name,
            to: t.to_name,
            outside_address: t.outside_address,
            reason: t.reason,
            dues: t.dues_paid_to.format("%Y-%m").to_string(),
            status: t.status,
            days: if open {
                super::model::days_pending(t.step_since, d.today)
            } else {
                0
            },
            overdue: open && super::model::is_overdue(t.step_since, d.today),
            created_on: t.created_on,
            steps: steps
                .iter()
                .zip(&d.mine)
                .enumerate()
                .map(|(i, (s, mine))| {
                    let state = super::model::step_state(t.status, i, t.current_step);
                    StepView {
                        seq: i as i32,
                        kind: s.step.kind,
                        holder: s.holder_name.clone(),
                        state,
                        mine: state == StepState::Current && *mine,
                    }
                })
                .collect(),
            events: d
                .events
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
                    dues: e.dues_before.zip(e.dues_after),
                })
                .collect(),
            letters: d
                .letters
                .iter()
                .map(|l| LetterView::of(l, d.today, locale))
                .collect(),
            is_member: d.is_member,
            can_withdraw: d.can_withdraw,
            can_resubmit: d.can_resubmit,
            can_reissue: d.can_reissue,
            can_correct_dues: d.can_correct_dues,
            dues_on_record: d.dues_on_record,
            acting: d.acting,
            can_remind: d.can_remind,
            reminded_today: d.reminded_today,
        }
    }
}

/// The holder of the current step approves, rejects or returns it. `seq` is the step the
/// caller saw: if someone else handled it meanwhile, nothing changes and the caller is told.
/// Approving the sending committee's step issues the letter (valid `validity` days, 30 when
/// empty); approving the receiving branch's moves the membership, in the same transaction.
#[server(endpoint = "act_on_transfer")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all, fields(id)))]
pub async fn act_on_transfer(
    id: TransferId,
    seq: i32,
    action: String,
    reason: Option<String>,
    validity: Option<String>,
) -> Result<Status, AppError> {
    use super::model::Action;
    use crate::auth::session;
    use crate::error::Msg;
    let action =
        Action::parse(&action).ok_or_else(|| AppError::invalid("action", Msg::Required))?;
    let reason = super::model::parse_text(reason.as_deref().unwrap_or(""), false)
        .map_err(|m| AppError::invalid("reason", m))?;
    let mut tx = session::begin().await?;
    let actor = session::require_actor(&mut tx).await?;
    let validity = validity.unwrap_or_default();
    let status = super::flow::act(&mut tx, &actor, id, seq, action, &reason, &validity).await?;
    tx.commit().await?;
    Ok(status)
}

/// The member reminds those who can act on their transfer's waiting step (once a day).
#[server(endpoint = "remind_transfer")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all))]
pub async fn remind_transfer(id: TransferId) -> Result<(), AppError> {
    use crate::auth::session;
    let mut tx = session::begin().await?;
    let actor = session::require_actor(&mut tx).await?;
    super::flow::remind(&mut tx, &actor, id).await?;
    tx.commit().await?;
    Ok(())
}

/// The member (or whoever started it) withdraws an open transfer before the receiving
/// branch has accepted.
#[server(endpoint = "withdraw_transfer")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all))]
pub async fn withdraw_transfer(id: TransferId) -> Result<(), AppError> {
    use crate::auth::session;
    let mut tx = session::begin().await?;
    let actor = session::require_actor(&mut tx).await?;
    super::flow::withdraw(&mut tx, &actor, id).await?;
    tx.commit().await?;
    Ok(())
}

/// The member corrects a transfer that was sent back to them; it returns to the step that
/// sent it back.
#[server(endpoint = "resubmit_transfer")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all))]
pub async fn resubmit_transfer(
    id: TransferId,
    reason: String,
    dues: String,
) -> Result<(), AppError> {
    use crate::auth::session;
    let reason = super::model::parse_text(&reason, true);
    let dues = super::model::parse_dues_month(&dues, super::flow::today());
    let mut tx = session::begin().await?;
    let actor = session::require_actor(&mut tx).await?;
    super::flow::resubmit(&mut tx, &actor, id, reason, dues).await?;
    tx.commit().await?;
    Ok(())
}

/// The sending branch corrects the month the dues are paid up to (`2026-10`), with a
/// reason kept in the history; before the letter is issued.
#[server(endpoint = "correct_transfer_dues")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all, fields(id)))]
pub async fn correct_transfer_dues(
    id: TransferId,
    dues: String,
    reason: String,
) -> Result<(), AppError> {
    use crate::auth::session;
    let dues = super::model::parse_dues_month(&dues, super::flow::today());
    let reason = super::model::parse_text(&reason, true);
    let mut tx = session::begin().await?;
    let actor = session::require_actor(&mut tx).await?;
    super::flow::correct_dues(&mut tx, &actor, id, dues, reason).await?;
    tx.commit().await?;
    Ok(())
}

/// The month the dues are paid up to by the record, for the form that starts a transfer
/// (for oneself, or for `member` of a branch the viewer manages); `None`: it is typed.
#[server(endpoint = "transfer_dues_on_record")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all))]
pub async fn transfer_dues_on_record(
    tree: String,
    member: String,
) -> Result<Option<String>, AppError> {
    use crate::auth::session;
    let tree = Tree::parse(&tree).unwrap_or(Tree::Party);
    let member = member.trim().parse::<crate::ids::UserId>().ok();
    let mut conn = session::pool()?.acquire().await?;
    let actor = session::require_actor(&mut conn).await?;
    let m = super::flow::dues_for_form(&mut conn, &actor, tree, member).await?;
    Ok(m.map(|d| d.format("%Y-%m").to_string()))
}

/// The sending committee reissues the letter of an open transfer whose letter is still
/// needed: a new number, the old letter void.
#[server(endpoint = "reissue_letter")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all))]
pub async fn reissue_letter(id: TransferId, validity: Option<String>) -> Result<(), AppError> {
    use crate::auth::session;
    let today = super::flow::today();
    let until = super::model::valid_until(today, validity.as_deref().unwrap_or(""))
        .map_err(|m| AppError::invalid("validity", m));
    let mut tx = session::begin().await?;
    let actor = session::require_actor(&mut tx).await?;
    super::flow::reissue(&mut tx, &actor, id, today, until).await?;
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
            .map(|r| TransferSummary::of(r, today))
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
    let locale = crate::i18n::use_locale();
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
        letter: LetterView::of(&letter, super::flow::today(), locale),
        member: t.member,
        from: t.from_name,
        to: t.to_name,
    })
}
