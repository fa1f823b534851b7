//! The organization use cases, one function each: browse the tree, read an organization
//! and its roster, add, rename and move organizations, issue invitations, give and take
//! roles. Each checks the caller's reach over the organization at hand before anything
//! else about the request; the only place in organizations that sequences store calls.

use sqlx::PgConnection;

use super::model::{MemberStatus, OrgFields, OrgPath, Tree};
use super::store::{self, InvitationRow, Org, OrgNodeRow, RoleHolderRow, RosterMemberRow};
use crate::auth::model::{Actor, INVITATION_LEN, InvitationCode, Login, Role};
use crate::error::{AppError, FieldError, Msg};
use crate::ids::{OrgId, UserId};

/// The organization `id`, or `NotFound`; `Forbidden` unless `reaches` allows its path.
async fn reachable(
    conn: &mut PgConnection,
    id: OrgId,
    reaches: impl Fn(&OrgPath) -> bool,
) -> Result<Org, AppError> {
    let org = store::org(conn, id).await?.ok_or(AppError::NotFound)?;
    if reaches(&org.path) {
        Ok(org)
    } else {
        Err(AppError::Forbidden)
    }
}

/// The organizations the actor oversees as an admin, (id, name), to switch between on the
/// superior's pages: each one they administer, and for a platform admin the top of each
/// tree.
pub async fn overseen(
    conn: &mut PgConnection,
    actor: &Actor,
) -> Result<Vec<(OrgId, String)>, AppError> {
    let mut out: Vec<(OrgId, String)> = vec![];
    for g in &actor.grants {
        if let (Role::OrgAdmin, Some(p)) = (g.role, &g.path)
            && let Some(o) = store::org(conn, p.id()).await?
        {
            out.push((o.id, o.name));
        }
    }
    if actor.is_platform_admin() {
        out.extend(store::roots(conn).await?);
    }
    Ok(out)
}

/// The organization a superior's page shows: `org`, or with `org` 0 the first one the actor
/// oversees; `Forbidden` unless they administer it.
pub async fn overseen_org(
    conn: &mut PgConnection,
    actor: &Actor,
    overseen: &[(OrgId, String)],
    org: OrgId,
) -> Result<Org, AppError> {
    let org = if org.0 == 0 {
        overseen.first().map(|o| o.0).ok_or(AppError::Forbidden)?
    } else {
        org
    };
    crate::auth::session::administered_org(conn, actor, org).await
}

/// The organizations of a tree that the caller's roles reach (all of it for a platform
/// admin), in tree order. Only for those who manage something.
pub async fn tree(
    conn: &mut PgConnection,
    actor: &Actor,
    tree: Tree,
) -> Result<Vec<OrgNodeRow>, AppError> {
    if !actor.manages_anything() {
        return Err(AppError::Forbidden);
    }
    store::tree_nodes(conn, tree, actor.reach().as_deref()).await
}

/// One organization and what is around it, as one who manages it sees it.
pub struct OrgDetail {
    pub org: Org,
    pub node: OrgNodeRow,
    /// (id, name) of every organization above, top first.
    pub ancestors: Vec<(OrgId, String)>,
    pub children: Vec<OrgNodeRow>,
    /// The caller administers it (add, rename, move, roles), not only manages it.
    pub can_administer: bool,
    pub roles: Vec<RoleHolderRow>,
    /// A branch's latest invitations; none for the other levels.
    pub invitations: Vec<InvitationRow>,
}

/// One organization: where it sits, what is under it, who serves it, its invitations.
pub async fn detail(
    conn: &mut PgConnection,
    actor: &Actor,
    id: OrgId,
) -> Result<OrgDetail, AppError> {
    let org = reachable(conn, id, |p| actor.can_manage(p)).await?;
    let node = store::node(conn, id).await?.ok_or(AppError::NotFound)?;
    let ancestors = store::ancestors(conn, &org.path).await?;
    let children = store::children(conn, id).await?;
    let roles = store::role_holders(conn, id).await?;
    let invitations = if org.kind.is_branch() {
        store::invitations(conn, id).await?
    } else {
        vec![]
    };
    Ok(OrgDetail {
        can_administer: actor.can_administer(&org.path),
        org,
        node,
        ancestors,
        children,
        roles,
        invitations,
    })
}

/// The current members of a branch, for its secretary, committee and administrators.
pub async fn roster(
    conn: &mut PgConnection,
    actor: &Actor,
    id: OrgId,
) -> Result<Vec<RosterMemberRow>, AppError> {
    let org = reachable(conn, id, |p| actor.can_manage(p)).await?;
    store::roster(conn, &org).await
}

/// Adds an organization under `parent_id`, or at the top of `tree` when there is none, if
/// the caller may add there; then its fields are told, the credit code resolved to a known
/// enterprise. Returns the new organization's id.
pub async fn create_org(
    conn: &mut PgConnection,
    actor: &Actor,
    tree: Tree,
    parent_id: Option<OrgId>,
    fields: OrgFields,
) -> Result<OrgId, AppError> {
    let parent = match parent_id {
        Some(id) => Some(store::org(conn, id).await?.ok_or(AppError::NotFound)?),
        None => None,
    };
    if !actor.may_add_under(parent.as_ref().map(|p| &p.path)) {
        return Err(AppError::Forbidden);
    }
    let enterprise_id = match &fields.credit_code {
        Ok(Some(code)) => store::enterprise_by_code(conn, code.as_str()).await?,
        _ => None,
    };
    let (kind, name, enterprise_id) = fields.check(enterprise_id).map_err(AppError::Invalid)?;
    let new = store::NewOrg {
        tree,
        kind,
        name: &name,
        parent: parent.as_ref(),
        enterprise_id,
    };
    store::create_org(conn, &new).await
}

/// Renames an organization the caller administers.
pub async fn rename_org(
    conn: &mut PgConnection,
    actor: &Actor,
    id: OrgId,
    name: Result<String, Msg>,
) -> Result<(), AppError> {
    let org = store::org_for_update(conn, id)
        .await?
        .ok_or(AppError::NotFound)?;
    if !actor.can_administer(&org.path) {
        return Err(AppError::Forbidden);
    }
    let name = name.map_err(|m| AppError::invalid("name", m))?;
    store::rename_org(conn, id, &name).await
}

/// Moves an organization with everything under it. The caller must administer both the
/// organization and its new parent.
pub async fn move_org(
    conn: &mut PgConnection,
    actor: &Actor,
    id: OrgId,
    parent_id: OrgId,
) -> Result<(), AppError> {
    store::lock_for_move(conn).await?;
    let org = store::org(conn, id).await?.ok_or(AppError::NotFound)?;
    let parent = store::org(conn, parent_id)
        .await?
        .ok_or_else(|| AppError::invalid("parent_id", Msg::Required))?;
    if !actor.can_administer(&org.path) || !actor.can_administer(&parent.path) {
        return Err(AppError::Forbidden);
    }
    store::move_org(conn, &org, &parent).await
}

/// Issues an invitation code for a branch the caller manages, giving `status` to each
/// sign-up on the `terms` (days valid, sign-ups admitted). Codes are random; a few are
/// tried in case one is taken.
pub async fn issue_invitation(
    conn: &mut PgConnection,
    actor: &Actor,
    org_id: OrgId,
    status: Option<MemberStatus>,
    terms: Result<(u32, u32), Vec<FieldError>>,
) -> Result<InvitationCode, AppError> {
    use rand::Rng;
    let org = reachable(conn, org_id, |p| actor.can_manage(p)).await?;
    let status = super::model::invitation_status(org.kind, org.tree, status)
        .map_err(|m| AppError::invalid("status", m))?;
    let (days, uses) = terms.map_err(AppError::Invalid)?;
    for _ in 0..5 {
        let idx: [u8; INVITATION_LEN] = rand::thread_rng().r#gen();
        let code = InvitationCode::from_indexes(idx);
        let by = actor.user_id;
        if store::create_invitation(conn, org_id, &code, status, days, uses, by).await? {
            return Ok(code);
        }
    }
    Err(AppError::internal(
        "five invitation codes in a row were taken",
    ))
}

/// Gives the person a login names a role over an organization the caller administers;
/// the role must fit the organization's level. Returns who got which role.
pub async fn assign_role(
    conn: &mut PgConnection,
    actor: &Actor,
    org_id: OrgId,
    role: Option<Role>,
    login: Result<Login, Msg>,
) -> Result<(UserId, Role), AppError> {
    let org = reachable(conn, org_id, |p| actor.can_administer(p)).await?;
    let role = role.ok_or_else(|| AppError::invalid("role", Msg::Required))?;
    if !role.fits(org.kind) {
        return Err(AppError::invalid("role", Msg::RoleNotForKind));
    }
    let login = login.map_err(|m| AppError::invalid("login", m))?;
    let user_id = store::find_user(conn, &login)
        .await?
        .ok_or_else(|| AppError::invalid("login", Msg::UserUnknown))?;
    store::grant_role(conn, user_id, role, Some(org_id), Some(actor.user_id)).await?;
    Ok((user_id, role))
}

/// Takes back a role granted over an organization the caller administers.
pub async fn revoke_role(
    conn: &mut PgConnection,
    actor: &Actor,
    grant_id: i64,
) -> Result<(), AppError> {
    let org_id = store::grant_org(conn, grant_id)
        .await?
        .ok_or(AppError::NotFound)?
        // Platform roles are not managed here.
        .ok_or(AppError::Forbidden)?;
    reachable(conn, org_id, |p| actor.can_administer(p)).await?;
    store::revoke_role(conn, grant_id).await
}
