//! Transfers into the platform as use cases: the member's page (their records, the
//! branches they may transfer into, and for those who run branches the ones waiting),
//! starting one from a letter, and the branch's acceptance or return.

use chrono::NaiveDate;
use sqlx::PgConnection;

use super::model::{InboundForm, InboundKind, InboundState};
use super::store::{self, InboundRow};
use crate::auth::model::Actor;
use crate::error::{AppError, Msg};
use crate::ids::{OrgId, UserId};
use crate::notices::model::Message;
use crate::orgs::model::{MemberStatus, OrgPath, Tree};

/// What the page holds.
pub struct InboundPage {
    pub mine: Vec<InboundRow>,
    /// The trees the viewer may transfer into, each with its branches of their workplace.
    pub targets: Vec<(Tree, Vec<(OrgId, String)>)>,
    /// Waiting at branches the viewer runs.
    pub waiting: Vec<InboundRow>,
}

/// May a person start a transfer into a tree: they hold no status there (a young
/// employee's place in the League is no status).
async fn free_in(conn: &mut PgConnection, user: UserId, tree: Tree) -> Result<bool, AppError> {
    Ok(
        match crate::development::store::membership(conn, user, tree).await? {
            None => true,
            Some((_, s)) => tree == Tree::League && s == MemberStatus::YoungEmployee,
        },
    )
}

pub async fn page(conn: &mut PgConnection, actor: &Actor) -> Result<InboundPage, AppError> {
    let me = actor.user_id;
    let mine = store::of_member(conn, me).await?;
    let mut targets = Vec::new();
    for tree in [Tree::Party, Tree::League] {
        let waiting = mine
            .iter()
            .any(|r| r.tree == tree && r.state == InboundState::Waiting);
        if !waiting && free_in(conn, me, tree).await? {
            let branches = crate::development::store::branches_to_apply(conn, me, tree).await?;
            targets.push((tree, branches));
        }
    }
    let paths: Vec<String> = actor
        .grants
        .iter()
        .filter(|g| g.role != crate::auth::model::Role::DuesOfficer)
        .filter_map(|g| g.path.as_ref().map(ToString::to_string))
        .collect();
    let waiting = if actor.is_platform_admin() || !paths.is_empty() {
        let all = store::waiting_under(conn, &paths).await?;
        all.into_iter().filter(|r| runs(actor, r)).collect()
    } else {
        Vec::new()
    };
    Ok(InboundPage {
        mine,
        targets,
        waiting,
    })
}

/// Runs the receiving branch of a transfer in.
fn runs(actor: &Actor, r: &InboundRow) -> bool {
    OrgPath::parse(&r.org_path).is_some_and(|p| actor.can_manage(&p))
}

/// The member starts a transfer in from a letter, to a branch of their workplace; the
/// branch is told.
pub async fn start(
    conn: &mut PgConnection,
    actor: &Actor,
    form: &InboundForm,
    today: NaiveDate,
) -> Result<i64, AppError> {
    let n = form.check(today).map_err(AppError::Invalid)?;
    let me = actor.user_id;
    if !crate::development::store::branches_to_apply(conn, me, n.tree)
        .await?
        .iter()
        .any(|(id, _)| *id == n.org)
    {
        return Err(AppError::invalid("target", Msg::DevNoBranch));
    }
    if !free_in(conn, me, n.tree).await? {
        return Err(AppError::Conflict(Msg::AlreadyInTree));
    }
    let id = store::insert(conn, me, &n)
        .await?
        .ok_or(AppError::Conflict(Msg::InboundTaken))?;
    let name = crate::orgs::store::display_name(conn, me).await?;
    let holders = crate::notices::store::holders(conn, n.org, true).await?;
    let message = Message::InboundTodo { name };
    crate::notices::store::notify(
        conn,
        &holders,
        &message,
        "/transfers/in",
        &format!("inbound:{id}"),
    )
    .await?;
    Ok(id)
}

/// The receiving branch accepts a transfer in while its letter is valid (the member then
/// holds the letter's status in the branch; for a transfer the dues record opens at the
/// letter's month, a mobile member is marked with their home organization), or returns it
/// with a reason. Once.
pub async fn settle(
    conn: &mut PgConnection,
    actor: &Actor,
    id: i64,
    accept: bool,
    reason: &str,
    today: NaiveDate,
) -> Result<(), AppError> {
    let r = store::get(conn, id, true)
        .await?
        .ok_or(AppError::NotFound)?;
    if !runs(actor, &r) {
        return Err(AppError::Forbidden);
    }
    if r.state != InboundState::Waiting {
        return Err(AppError::Conflict(Msg::InboundSettled));
    }
    let reason = crate::transfers::model::parse_text(reason, !accept)
        .map_err(|m| AppError::invalid("reason", m))?;
    if accept {
        crate::transfers::model::letter_usable(today, r.valid_until, false)
            .map_err(|m| AppError::invalid("reason", m))?;
        if !free_in(conn, r.user_id, r.tree).await? {
            return Err(AppError::Conflict(Msg::AlreadyInTree));
        }
        let branch = crate::orgs::store::org(conn, r.org_id)
            .await?
            .ok_or(AppError::NotFound)?;
        match crate::development::store::membership(conn, r.user_id, r.tree).await? {
            None => crate::orgs::store::join(conn, r.user_id, r.org_id, r.status).await?,
            Some(_) => {
                crate::orgs::store::move_member(conn, r.user_id, &branch).await?;
                crate::development::store::set_status(conn, r.user_id, r.org_id, r.status).await?;
            }
        }
        match (r.kind, r.dues_paid_to) {
            (InboundKind::Mobile, _) => {
                store::set_mobile_home(conn, r.user_id, r.org_id, &r.outside_org).await?;
            }
            (InboundKind::Transfer, Some(paid_to)) => {
                store::open_dues(conn, r.user_id, r.tree, paid_to, actor.user_id).await?;
            }
            (InboundKind::Transfer, None) => {}
        }
    }
    let state = if accept {
        InboundState::Accepted
    } else {
        InboundState::Returned
    };
    let why = (!accept).then_some(reason.as_str());
    if !store::settle(conn, id, state, why, actor.user_id).await? {
        return Err(AppError::Conflict(Msg::InboundSettled));
    }
    let message = Message::InboundSettled { accepted: accept };
    crate::notices::store::notify(
        conn,
        &[r.user_id],
        &message,
        "/transfers/in",
        &format!("inbound-done:{id}"),
    )
    .await
}
