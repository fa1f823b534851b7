//! Server functions for the organization tree: browse, add, rename, move, roster,
//! invitations and roles. Each one asks who calls and parses the form; its use case in
//! `flow` checks the caller's reach over the organization at hand and does the work.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use super::model::{MemberStatus, OrgKind, Tree};
use crate::auth::model::Role;
use crate::error::AppError;
use crate::ids::{OrgId, UserId};

/// One organization in a listing of the tree.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OrgNodeView {
    pub id: OrgId,
    pub parent_id: Option<OrgId>,
    pub kind: OrgKind,
    pub name: String,
    /// 1 at the top of the tree.
    pub depth: u32,
    /// Current members registered directly here, and mobile members apart.
    pub members: u32,
    pub mobile: u32,
    pub enterprise: Option<String>,
}

/// A tree as far as the caller may see it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TreeView {
    pub tree: Tree,
    pub nodes: Vec<OrgNodeView>,
    /// May add an organization at the top of the tree (platform admins).
    pub can_add_top: bool,
}

/// A role granted over an organization, and to whom.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RoleHolderView {
    pub grant_id: i64,
    pub role: Role,
    pub display_name: String,
}

/// An invitation code of a branch and how far it has been used.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct InvitationView {
    pub code: String,
    pub status: MemberStatus,
    pub used: u32,
    pub max_uses: u32,
    pub expired: bool,
    pub expires: String,
}

/// A current member of a branch, as its roster lists them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RosterRow {
    pub user_id: UserId,
    pub display_name: String,
    /// Masked: 138****8000.
    pub phone: Option<String>,
    pub status: MemberStatus,
    pub since: String,
    /// A mobile member's home organization.
    pub mobile_home: Option<String>,
}

/// One organization as its managers see it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OrgDetailView {
    pub tree: Tree,
    pub org: OrgNodeView,
    pub ancestors: Vec<(OrgId, String)>,
    pub children: Vec<OrgNodeView>,
    /// The caller administers it (add, rename, move, roles).
    pub can_administer: bool,
    /// Kinds that may be added under it.
    pub child_kinds: Vec<OrgKind>,
    pub roles: Vec<RoleHolderView>,
    /// Branches only: invitations and the statuses they may give.
    pub invitations: Vec<InvitationView>,
    pub statuses: Vec<MemberStatus>,
}

/// The organizations of a tree that the caller may see: all for a platform admin, else the
/// subtrees of the caller's roles.
#[server(endpoint = "org_tree")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all))]
pub async fn org_tree(tree: String) -> Result<TreeView, AppError> {
    use crate::auth::session;
    let tree = Tree::parse(&tree).ok_or_else(|| AppError::BadRequest("tree".into()))?;
    let mut conn = session::pool()?.acquire().await?;
    let actor = session::require_actor(&mut conn).await?;
    let nodes = super::flow::tree(&mut conn, &actor, tree).await?;
    Ok(TreeView {
        tree,
        nodes: views(nodes),
        can_add_top: actor.is_platform_admin(),
    })
}

/// One organization: where it sits, what is under it, who serves it, its invitations.
#[server(endpoint = "org_detail")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all, fields(id)))]
pub async fn org_detail(id: OrgId) -> Result<OrgDetailView, AppError> {
    use crate::auth::session;
    let mut conn = session::pool()?.acquire().await?;
    let actor = session::require_actor(&mut conn).await?;
    Ok(super::flow::detail(&mut conn, &actor, id).await?.into())
}

/// The current members of a branch: for its secretary, committee and administrators only.
#[server(endpoint = "branch_roster")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all, fields(id)))]
pub async fn branch_roster(id: OrgId) -> Result<Vec<RosterRow>, AppError> {
    use crate::auth::session;
    let mut conn = session::pool()?.acquire().await?;
    let actor = session::require_actor(&mut conn).await?;
    Ok(views(super::flow::roster(&mut conn, &actor, id).await?))
}

/// Adds an organization under `parent_id`, or at the top of `tree` when it is empty
/// (platform admins only). An optional credit code links it to a known enterprise.
#[server(endpoint = "create_org")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all))]
pub async fn create_org(
    tree: String,
    parent_id: String,
    kind: String,
    name: String,
    credit_code: String,
) -> Result<OrgId, AppError> {
    use crate::auth::session;

    let tree = Tree::parse(&tree).ok_or_else(|| AppError::BadRequest("tree".into()))?;
    let parent_id = super::model::parse_parent_id(&parent_id)
        .map_err(|_| AppError::BadRequest("parent_id".into()))?;
    let fields = super::model::OrgFields::parse(&kind, &name, &credit_code);
    let mut tx = session::begin().await?;
    let actor = session::require_actor(&mut tx).await?;
    let id = super::flow::create_org(&mut tx, &actor, tree, parent_id, fields).await?;
    tx.commit().await?;
    tracing::info!(org_id = id.0, by = actor.user_id.0, "organization added");
    Ok(id)
}

/// Renames an organization. Administrators only.
#[server(endpoint = "rename_org")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all, fields(id)))]
pub async fn rename_org(id: OrgId, name: String) -> Result<(), AppError> {
    use crate::auth::session;
    let name = super::model::parse_org_name(&name);
    let mut tx = session::begin().await?;
    let actor = session::require_actor(&mut tx).await?;
    super::flow::rename_org(&mut tx, &actor, id, name).await?;
    tx.commit().await?;
    Ok(())
}

/// Moves an organization with everything under it. The caller must administer both the
/// organization and its new parent.
#[server(endpoint = "move_org")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all, fields(id)))]
pub async fn move_org(id: OrgId, parent_id: String) -> Result<(), AppError> {
    use crate::auth::session;
    use crate::error::Msg;
    let parent_id = parent_id
        .trim()
        .parse::<OrgId>()
        .map_err(|_| AppError::invalid("parent_id", Msg::Required))?;
    let mut tx = session::begin().await?;
    let actor = session::require_actor(&mut tx).await?;
    super::flow::move_org(&mut tx, &actor, id, parent_id).await?;
    tx.commit().await?;
    tracing::info!(
        org_id = id.0,
        parent_id = parent_id.0,
        by = actor.user_id.0,
        "organization moved"
    );
    Ok(())
}

/// Issues an invitation code for a branch: valid for `days`, admitting `uses` sign-ups,
/// each placed in the branch with `status`.
#[server(endpoint = "issue_invitation")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all, fields(org_id)))]
pub async fn issue_invitation(
    org_id: OrgId,
    status: String,
    days: String,
    uses: String,
) -> Result<String, AppError> {
    use crate::auth::session;

    let status = MemberStatus::parse(&status);
    let terms = crate::auth::model::parse_invitation_terms(&days, &uses);
    let mut tx = session::begin().await?;
    let actor = session::require_actor(&mut tx).await?;
    let code = super::flow::issue_invitation(&mut tx, &actor, org_id, status, terms).await?;
    tx.commit().await?;
    Ok(code.as_str().to_owned())
}

/// Gives a person a role over an organization. Administrators only.
#[server(endpoint = "assign_role")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all, fields(org_id)))]
pub async fn assign_role(org_id: OrgId, login: String, role: String) -> Result<(), AppError> {
    use crate::auth::session;

    let role = Role::parse_assignable(&role);
    let login = crate::auth::model::Login::parse(&login);
    let mut tx = session::begin().await?;
    let actor = session::require_actor(&mut tx).await?;
    let (user_id, role) = super::flow::assign_role(&mut tx, &actor, org_id, role, login).await?;
    tx.commit().await?;
    tracing::info!(
        user_id = user_id.0,
        role = role.as_str(),
        org_id = org_id.0,
        by = actor.user_id.0,
        "role granted"
    );
    Ok(())
}

/// Takes back a role over an organization. Administrators only.
#[server(endpoint = "revoke_role")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all, fields(grant_id)))]
pub async fn revoke_role(grant_id: i64) -> Result<(), AppError> {
    use crate::auth::session;
    let mut tx = session::begin().await?;
    let actor = session::require_actor(&mut tx).await?;
    super::flow::revoke_role(&mut tx, &actor, grant_id).await?;
    tx.commit().await?;
    Ok(())
}

/// Rows as the views the pages get.
#[cfg(feature = "ssr")]
fn views<R, V: From<R>>(rows: Vec<R>) -> Vec<V> {
    rows.into_iter().map(V::from).collect()
}

#[cfg(feature = "ssr")]
impl From<super::flow::OrgDetail> for OrgDetailView {
    fn from(d: super::flow::OrgDetail) -> Self {
        let is_branch = d.org.kind.is_branch();
        Self {
            tree: d.org.tree,
            org: d.node.into(),
            ancestors: d.ancestors,
            children: views(d.children),
            can_administer: d.can_administer,
            child_kinds: if d.can_administer {
                OrgKind::children_of(Some(d.org.kind))
            } else {
                vec![]
            },
            roles: views(d.roles),
            invitations: views(d.invitations),
            statuses: if is_branch {
                MemberStatus::for_tree(d.org.tree)
            } else {
                vec![]
            },
        }
    }
}

#[cfg(feature = "ssr")]
impl From<super::store::OrgNodeRow> for OrgNodeView {
    fn from(r: super::store::OrgNodeRow) -> Self {
        Self {
            id: r.id,
            parent_id: r.parent_id,
            kind: r.kind,
            name: r.name,
            depth: r.depth as u32,
            members: r.members as u32,
            mobile: r.mobile as u32,
            enterprise: r.enterprise,
        }
    }
}

#[cfg(feature = "ssr")]
impl From<super::store::RoleHolderRow> for RoleHolderView {
    fn from(r: super::store::RoleHolderRow) -> Self {
        Self {
            grant_id: r.grant_id,
            role: r.role,
            display_name: r.display_name,
        }
    }
}

#[cfg(feature = "ssr")]
impl From<super::store::InvitationRow> for InvitationView {
    fn from(r: super::store::InvitationRow) -> Self {
        Self {
            code: r.code,
            status: r.status,
            used: r.used as u32,
            max_uses: r.max_uses as u32,
            expired: r.expired,
            expires: r.expires,
        }
    }
}

/// The phone is masked here, at the last step before it leaves the server.
#[cfg(feature = "ssr")]
impl From<super::store::RosterMemberRow> for RosterRow {
    fn from(r: super::store::RosterMemberRow) -> Self {
        Self {
            user_id: r.user_id,
            display_name: r.display_name,
            phone: r.phone.as_deref().map(super::model::mask_phone),
            status: r.status,
            since: r.since,
            mobile_home: r.mobile_home,
        }
    }
}

impl super::model::TreeNode for OrgNodeView {
    fn id(&self) -> i64 {
        self.id.0
    }
    fn parent_id(&self) -> Option<i64> {
        self.parent_id.map(|p| p.0)
    }
    fn name(&self) -> &str {
        &self.name
    }
}
