//! The transfer workflow's use cases (start, show, act on a step) and the pieces they share:
//! who may act on a step, letters and notifications.

use crate::ids::{OrgId, TransferId, UserId};
use chrono::NaiveDate;
use sqlx::PgConnection;

use super::model::{EventKind, Status};
use crate::auth::model::Actor;
use crate::error::{AppError, Msg};

/// Today in Asia/Shanghai, the day transfers count in.
pub fn today() -> NaiveDate {
    crate::time::day_of(chrono::Utc::now())
}

/// May the actor act on this step: a branch's secretary and committee for branch steps, the
/// committee's admins (and those above) for committee steps.
pub fn may_act(actor: &Actor, step: &super::store::StepRow) -> bool {
    if step.step.kind.held_by_branch() {
        actor.can_manage(&step.holder_path)
    } else {
        actor.can_administer(&step.holder_path)
    }
}

/// Tells the people who hold `step` that a transfer waits for them.
pub async fn notify_holders(
    conn: &mut PgConnection,
    id: TransferId,
    step: &super::model::Step,
) -> Result<(), AppError> {
    let member = super::store::member_name(conn, id).await?;
    let users =
        crate::notices::store::holders(conn, step.holder, step.kind.held_by_branch()).await?;
    crate::notices::store::notify(
        conn,
        &users,
        &crate::notices::model::Message::TransferTodo { name: member },
        &format!("/transfers/{id}"),
        &format!("transfer:{id}:{}", step.kind.as_str()),
    )
    .await
}

pub async fn issue(
    conn: &mut PgConnection,
    id: TransferId,
    issuer: OrgId,
    today: NaiveDate,
    until: NaiveDate,
) -> Result<super::store::LetterRow, AppError> {
    use rand::Rng;
    let idx: [u8; crate::auth::model::INVITATION_LEN] = rand::thread_rng().r#gen();
    let code = crate::auth::model::InvitationCode::from_indexes(idx);
    super::store::issue_letter(conn, id, issuer, today, until, code.as_str()).await
}

pub async fn notify_member(
    conn: &mut PgConnection,
    t: &super::store::TransferRow,
    status: Status,
    step: usize,
) -> Result<(), AppError> {
    crate::notices::store::notify(
        conn,
        &[t.user_id],
        &crate::notices::model::Message::TransferProgress { status },
        &format!("/transfers/{}", t.id),
        &format!("transfer:{}:{}:{}", t.id, status.as_str(), step),
    )
    .await
}

/// Organization and platform admins see the overdue board.
pub fn sees_overdue(actor: &Actor) -> bool {
    actor.is_platform_admin()
        || actor
            .grants
            .iter()
            .any(|g| g.role == crate::auth::model::Role::OrgAdmin)
}

/// The month the member's dues are paid up to by the record, when their branch keeps it on
/// the platform.
pub async fn dues_on_record(
    conn: &mut PgConnection,
    user: UserId,
    tree: crate::orgs::model::Tree,
) -> Result<Option<NaiveDate>, AppError> {
    let now = crate::dues::model::Month::of(today());
    Ok(
        crate::dues::flow::paid_up_to_on_record(conn, user, tree, now)
            .await?
            .map(|m| m.first_day()),
    )
}

/// What the form to start a transfer shows for the dues: the record's month, for oneself
/// or for a member of a branch the actor manages (`None`: the month is typed).
pub async fn dues_for_form(
    conn: &mut PgConnection,
    actor: &Actor,
    tree: crate::orgs::model::Tree,
    member: Option<UserId>,
) -> Result<Option<NaiveDate>, AppError> {
    let user = member.unwrap_or(actor.user_id);
    if user != actor.user_id {
        let Some(from) = super::store::current_branch(conn, user, tree).await? else {
            return Ok(None);
        };
        let branch = crate::orgs::store::org(conn, from)
            .await?
            .ok_or(AppError::NotFound)?;
        if !actor.can_manage(&branch.path) {
            return Err(AppError::Forbidden);
        }
    }
    dues_on_record(conn, user, tree).await
}

/// Starts a transfer: for oneself, or for a member of a branch the actor manages. The
/// steps come from the two positions in the tree; the first step's holders are told.
pub async fn start(
    conn: &mut PgConnection,
    actor: &Actor,
    form: &super::model::TransferForm,
) -> Result<TransferId, AppError> {
    use super::model::{Destination, Target, steps};
    use crate::error::FieldError;
    let (tree, member) = form.who()?;
    let user_id = member.unwrap_or(actor.user_id);
    let from = super::store::current_branch(conn, user_id, tree)
        .await?
        .ok_or_else(|| AppError::invalid("tree", Msg::TransferNoBranch))?;
    let from_chain = super::store::chain(conn, from).await?;
    if user_id != actor.user_id {
        let branch = crate::orgs::store::org(conn, from)
            .await?
            .ok_or(AppError::NotFound)?;
        if !actor.can_manage(&branch.path) {
            return Err(AppError::Forbidden);
        }
    }
    let mut checked = form.check(today())?;
    // Where the branch keeps the member's dues on the platform, the letter states the
    // record's month, not a typed one.
    if let Some(m) = dues_on_record(conn, user_id, tree).await? {
        checked.errors.retain(|e| e.field != "dues");
        checked.dues = Some(m);
    }
    let destination = match &checked.target {
        Target::Outside { .. } => Destination::Outside,
        Target::Branch(id) => {
            let org = crate::orgs::store::org(conn, *id)
                .await?
                .filter(|o| o.tree == tree)
                .ok_or_else(|| AppError::invalid("to_org", Msg::TransferNotABranch))?;
            Destination::Branch(super::store::chain(conn, org.id).await?)
        }
    };
    let steps = steps(&from_chain, &destination)
        .map_err(|msg| checked.errors.push(FieldError::new("to_org", msg)))
        .ok();
    let (Some(reason), Some(dues), Some(steps), true) = (
        checked.reason,
        checked.dues,
        steps,
        checked.errors.is_empty(),
    ) else {
        return Err(AppError::Invalid(checked.errors));
    };
    let (to_org, outside) = match &checked.target {
        Target::Branch(id) => (Some(*id), None),
        Target::Outside { name, address } => (None, Some((name.as_str(), address.as_str()))),
    };
    let new = super::store::NewTransfer {
        user_id,
        tree,
        from_org: from,
        to_org,
        outside,
        reason: &reason,
        dues_paid_to: dues,
        started_by: actor.user_id,
    };
    let id = super::store::create(conn, &new, &steps).await?;
    notify_holders(conn, id, &steps[0]).await?;
    Ok(id)
}

/// A transfer as one viewer sees it: its rows, the steps the viewer may act on, and what
/// else the viewer may do with it.
pub struct Detail {
    pub transfer: super::store::TransferRow,
    pub steps: Vec<super::store::StepRow>,
    /// For each step: the viewer holds it.
    pub mine: Vec<bool>,
    pub events: Vec<super::store::EventRow>,
    pub letters: Vec<super::store::LetterRow>,
    pub today: NaiveDate,
    pub is_member: bool,
    pub can_withdraw: bool,
    pub can_resubmit: bool,
    pub can_reissue: bool,
    /// The sending branch may correct the dues month (no letter stands yet).
    pub can_correct_dues: bool,
    /// The member's correction takes the dues month from the record (no field for it).
    pub dues_on_record: bool,
    /// Those who can act on the waiting step now (names), when the transfer is open.
    pub acting: Vec<String>,
    /// The member may remind them, and has not yet today.
    pub can_remind: bool,
    pub reminded_today: bool,
}

/// A transfer for the member, whoever started it, and the holders of its steps (with the
/// admins above them); anyone else is told it does not exist.
pub async fn detail(
    conn: &mut PgConnection,
    actor: &Actor,
    id: TransferId,
) -> Result<Detail, AppError> {
    use super::model::StepKind;
    let t = super::store::transfer(conn, id, false)
        .await?
        .ok_or(AppError::NotFound)?;
    let steps = super::store::steps(conn, id).await?;
    let is_member = t.user_id == actor.user_id;
    let involved = steps.iter().any(|s| actor.can_manage(&s.holder_path));
    if !is_member && t.started_by != actor.user_id && !involved {
        return Err(AppError::NotFound);
    }
    let events = super::store::events(conn, id).await?;
    let letters = super::store::letters(conn, id).await?;
    let mine: Vec<bool> = steps.iter().map(|s| may_act(actor, s)).collect();
    let current_kind = steps.get(t.current_step).map(|s| s.step.kind);
    let issues_letters = steps
        .iter()
        .zip(&mine)
        .any(|(s, m)| s.step.kind.issues_letter() && *m);
    let open = t.status == Status::Open;
    let today = today();
    let acting = match steps.get(t.current_step).filter(|_| open) {
        Some(s) => {
            let users =
                crate::notices::store::holders(conn, s.step.holder, s.step.kind.held_by_branch())
                    .await?;
            crate::notices::store::names(conn, &users).await?
        }
        None => vec![],
    };
    let reminded_today = open && is_member && super::store::reminded_on(conn, id, today).await?;
    let can_correct_dues = t.status.is_open()
        && !letters.iter().any(|l| !l.void)
        && steps
            .first()
            .is_some_and(|s| actor.can_manage(&s.holder_path));
    let dues_on_record = is_member
        && t.status == Status::Returned
        && dues_on_record(conn, t.user_id, t.tree).await?.is_some();
    Ok(Detail {
        can_correct_dues,
        dues_on_record,
        acting,
        can_remind: open && is_member,
        reminded_today,
        can_withdraw: (is_member || t.started_by == actor.user_id)
            && t.status.is_open()
            && current_kind.is_some_and(|k| k.withdrawable_before()),
        can_resubmit: is_member && t.status == Status::Returned,
        can_reissue: open
            && issues_letters
            && letters.first().is_some_and(|l| !l.void)
            && current_kind.is_some_and(|k| k.needs_valid_letter() || k == StepKind::Receipt),
        transfer: t,
        steps,
        mine,
        events,
        letters,
        today,
        is_member,
    })
}

/// A holder acts on step `seq`: approve, return or reject (with a reason). Approving may
/// need a valid letter, issue one (valid for `validity` days), move the membership (the
/// receiving branch) or end it (the receipt); the next holders and the member are told.
pub async fn act(
    conn: &mut PgConnection,
    actor: &Actor,
    id: TransferId,
    seq: i32,
    action: super::model::Action,
    reason: &str,
    validity: &str,
) -> Result<super::model::Status, AppError> {
    use super::model::{Action, next};
    let t = super::store::transfer(conn, id, true)
        .await?
        .ok_or(AppError::NotFound)?;
    let steps = super::store::steps(conn, id).await?;
    let index = usize::try_from(seq).map_err(|_| AppError::NotFound)?;
    let step = steps.get(index).ok_or(AppError::NotFound)?;
    if !may_act(actor, step) {
        return Err(AppError::Forbidden);
    }
    let n = next(t.status, t.current_step, index, steps.len(), action, reason)?;
    if action == Action::Approve {
        approve(conn, actor, &t, step, seq, validity).await?;
    }
    super::store::set_state(conn, id, n.status, n.step).await?;
    super::store::event(
        conn,
        id,
        Some(seq),
        actor.user_id,
        EventKind::Acted(action),
        reason,
    )
    .await?;
    if n.status == Status::Open {
        notify_holders(conn, id, &steps[n.step].step).await?;
    }
    notify_member(conn, &t, n.status, n.step).await?;
    Ok(n.status)
}

/// What approving a step does besides moving on: the letter it needs or issues, and the
/// membership it moves or ends.
async fn approve(
    conn: &mut PgConnection,
    actor: &Actor,
    t: &super::store::TransferRow,
    step: &super::store::StepRow,
    seq: i32,
    validity: &str,
) -> Result<(), AppError> {
    use super::model::{StepKind, letter_usable, valid_until};
    let today = today();
    if step.step.kind.needs_valid_letter() {
        let letters = super::store::letters(conn, t.id).await?;
        let letter = letters
            .first()
            .ok_or(AppError::Conflict(Msg::TransferNoLetter))?;
        letter_usable(today, letter.valid_until, letter.void).map_err(AppError::Conflict)?;
    }
    if step.step.kind.issues_letter() {
        let until = valid_until(today, validity).map_err(|m| AppError::invalid("validity", m))?;
        issue(conn, t.id, step.step.holder, today, until).await?;
        super::store::event(conn, t.id, Some(seq), actor.user_id, EventKind::Letter, "").await?;
    }
    match step.step.kind {
        StepKind::ReceivingBranch => {
            let to = t.to_org.ok_or(AppError::NotFound)?;
            let to = crate::orgs::store::org(conn, to)
                .await?
                .ok_or(AppError::NotFound)?;
            crate::orgs::store::move_member(conn, t.user_id, &to).await?;
        }
        StepKind::Receipt => {
            crate::orgs::store::leave(conn, t.user_id, t.tree).await?;
        }
        _ => {}
    }
    Ok(())
}

/// The member reminds those who can act on their open transfer's waiting step; once a day.
pub async fn remind(
    conn: &mut PgConnection,
    actor: &Actor,
    id: TransferId,
) -> Result<(), AppError> {
    let t = super::store::transfer(conn, id, true)
        .await?
        .ok_or(AppError::NotFound)?;
    if t.user_id != actor.user_id {
        return Err(AppError::NotFound);
    }
    let steps = super::store::steps(conn, id).await?;
    let step = match steps.get(t.current_step) {
        Some(s) if t.status == Status::Open => s,
        _ => return Err(AppError::Conflict(Msg::TransferNotWaiting)),
    };
    let day = today();
    if !super::store::remind(conn, id, day, actor.user_id).await? {
        return Err(AppError::Conflict(Msg::AlreadyReminded));
    }
    let users =
        crate::notices::store::holders(conn, step.step.holder, step.step.kind.held_by_branch())
            .await?;
    let member = super::store::member_name(conn, id).await?;
    let message = crate::notices::model::Message::TransferReminder { name: member };
    let link = format!("/transfers/{id}");
    let told = crate::notices::store::notify_new(
        conn,
        &users,
        &message,
        &link,
        &format!("transfer:{id}:remind:{day}"),
    )
    .await?;
    crate::notices::flow::beyond_portal(conn, &told, &message, &link, chrono::Utc::now()).await
}

/// An open transfer of the member's (or one they started) that they may see, locked.
async fn own_transfer(
    conn: &mut PgConnection,
    actor: &Actor,
    id: TransferId,
    or_started: bool,
) -> Result<super::store::TransferRow, AppError> {
    let t = super::store::transfer(conn, id, true)
        .await?
        .ok_or(AppError::NotFound)?;
    let mine = t.user_id == actor.user_id || (or_started && t.started_by == actor.user_id);
    if mine { Ok(t) } else { Err(AppError::NotFound) }
}

/// The member (or whoever started it) withdraws an open transfer while its current step
/// still allows it (before the receiving branch accepted); its letter is void.
pub async fn withdraw(
    conn: &mut PgConnection,
    actor: &Actor,
    id: TransferId,
) -> Result<(), AppError> {
    let t = own_transfer(conn, actor, id, true).await?;
    let steps = super::store::steps(conn, id).await?;
    let withdrawable = t.status.is_open()
        && steps
            .get(t.current_step)
            .is_some_and(|s| s.step.kind.withdrawable_before());
    if !withdrawable {
        return Err(AppError::Conflict(Msg::TransferNotWithdrawable));
    }
    super::store::void_letter(conn, id).await?;
    super::store::set_state(conn, id, Status::Withdrawn, t.current_step).await?;
    super::store::event(conn, id, None, actor.user_id, EventKind::Withdraw, "").await
}

/// The member corrects a transfer sent back to them (the reason, and the dues month unless
/// the record gives it); it goes back to the step that sent it back, whose holders are
/// told.
pub async fn resubmit(
    conn: &mut PgConnection,
    actor: &Actor,
    id: TransferId,
    reason: Result<String, Msg>,
    typed_dues: Result<NaiveDate, Msg>,
) -> Result<(), AppError> {
    use crate::error::field_ok;
    let t = own_transfer(conn, actor, id, false).await?;
    if t.status != Status::Returned {
        return Err(AppError::Conflict(Msg::TransferNotReturned));
    }
    let mut errors = vec![];
    let reason = field_ok(&mut errors, "reason", reason);
    let dues = match dues_on_record(conn, t.user_id, t.tree).await? {
        Some(m) => Some(m),
        None => field_ok(&mut errors, "dues", typed_dues),
    };
    let (Some(reason), Some(dues)) = (reason, dues) else {
        return Err(AppError::Invalid(errors));
    };
    super::store::correct(conn, id, &reason, dues).await?;
    super::store::set_state(conn, id, Status::Open, t.current_step).await?;
    super::store::event(conn, id, None, actor.user_id, EventKind::Resubmit, &reason).await?;
    let steps = super::store::steps(conn, id).await?;
    notify_holders(conn, id, &steps[t.current_step].step).await
}

/// The sending committee issues the letter of an open transfer anew while a step still
/// needs it: a new number valid until `until`, the old letter void.
pub async fn reissue(
    conn: &mut PgConnection,
    actor: &Actor,
    id: TransferId,
    today: NaiveDate,
    until: Result<NaiveDate, AppError>,
) -> Result<(), AppError> {
    use super::model::StepKind;
    let t = super::store::transfer(conn, id, true)
        .await?
        .ok_or(AppError::NotFound)?;
    let steps = super::store::steps(conn, id).await?;
    let issuer = steps
        .iter()
        .find(|s| s.step.kind.issues_letter())
        .ok_or(AppError::NotFound)?;
    if !may_act(actor, issuer) {
        return Err(AppError::Forbidden);
    }
    let needed = t.status == Status::Open
        && steps
            .get(t.current_step)
            .is_some_and(|s| s.step.kind.needs_valid_letter() || s.step.kind == StepKind::Receipt);
    if !needed || super::store::void_letter(conn, id).await?.is_none() {
        return Err(AppError::Conflict(Msg::TransferNoLetter));
    }
    issue(conn, id, issuer.step.holder, today, until?).await?;
    super::store::event(conn, id, None, actor.user_id, EventKind::Reissue, "").await
}

/// The sending branch corrects the month the dues are paid up to, with a reason kept in the
/// history; while the transfer is open or sent back and no letter stands (a reissued letter
/// states the corrected month).
pub async fn correct_dues(
    conn: &mut PgConnection,
    actor: &Actor,
    id: TransferId,
    dues: Result<NaiveDate, Msg>,
    reason: Result<String, Msg>,
) -> Result<(), AppError> {
    use crate::error::field_ok;
    let t = super::store::transfer(conn, id, true)
        .await?
        .ok_or(AppError::NotFound)?;
    let steps = super::store::steps(conn, id).await?;
    let sending = steps.first().ok_or(AppError::NotFound)?;
    if !actor.can_manage(&sending.holder_path) {
        return Err(AppError::Forbidden);
    }
    let letters = super::store::letters(conn, id).await?;
    if !t.status.is_open() || letters.iter().any(|l| !l.void) {
        return Err(AppError::Conflict(Msg::TransferDuesFixed));
    }
    let mut errors = vec![];
    let dues = field_ok(&mut errors, "dues", dues);
    let reason = field_ok(&mut errors, "reason", reason);
    let (Some(dues), Some(reason)) = (dues, reason) else {
        return Err(AppError::Invalid(errors));
    };
    super::store::correct_dues(conn, id, actor.user_id, t.dues_paid_to, dues, &reason).await
}
