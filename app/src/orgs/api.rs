//! Server functions for the organization tree: browse, add, rename, move, roster,
//! invitations and roles. Each one checks the caller's reach over the organization at hand.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use super::model::{MemberStatus, OrgKind, Tree};
use crate::auth::model::Role;
use crate::error::AppError;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OrgNodeView {
    pub id: i64,
    pub parent_id: Option<i64>,
    pub kind: OrgKind,
    pub name: String,
    /// 1 at the top of the tree.
    pub depth: u32,
    /// Current members registered directly here.
    pub members: u32,
    pub enterprise: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TreeView {
    pub tree: Tree,
    pub nodes: Vec<OrgNodeView>,
    /// May add an organization at the top of the tree (platform admins).
    pub can_add_top: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RoleHolderView {
    pub grant_id: i64,
    pub role: Role,
    pub display_name: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct InvitationView {
    pub code: String,
    pub status: MemberStatus,
    pub used: u32,
    pub max_uses: u32,
    pub expired: bool,
    pub expires: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RosterRow {
    pub user_id: i64,
    pub display_name: String,
    /// Masked: 138****8000.
    pub phone: Option<String>,
    pub status: MemberStatus,
    pub since: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OrgDetailView {
    pub tree: Tree,
    pub org: OrgNodeView,
    pub ancestors: Vec<(i64, String)>,
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
    if !actor.manages_anything() {
        return Err(AppError::Forbidden);
    }
    let nodes = if actor.is_platform_admin() {
        super::store::tree_nodes(&mut conn, tree, None).await?
    } else {
        let roots: Vec<_> = actor.grants.iter().filter_map(|g| g.path.clone()).collect();
        super::store::tree_nodes(&mut conn, tree, Some(&roots)).await?
    };
    Ok(TreeView {
        tree,
        nodes,
        can_add_top: actor.is_platform_admin(),
    })
}

/// One organization: where it sits, what is under it, who serves it, its invitations.
#[server(endpoint = "org_detail")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all, fields(id)))]
pub async fn org_detail(id: i64) -> Result<OrgDetailView, AppError> {
    use crate::auth::session;
    let mut conn = session::pool()?.acquire().await?;
    let actor = session::require_actor(&mut conn).await?;
    let org = super::store::org(&mut conn, id)
        .await?
        .ok_or(AppError::NotFound)?;
    if !actor.can_manage(&org.path) {
        return Err(AppError::Forbidden);
    }
    let node = super::store::node(&mut conn, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let can_administer = actor.can_administer(&org.path);
    let is_branch = org.kind.is_branch();
    Ok(OrgDetailView {
        tree: org.tree,
        ancestors: super::store::ancestors(&mut conn, &org.path).await?,
        children: super::store::children(&mut conn, id).await?,
        can_administer,
        child_kinds: if can_administer {
            OrgKind::children_of(Some(org.kind))
        } else {
            vec![]
        },
        roles: super::store::role_holders(&mut conn, id).await?,
        invitations: if is_branch {
            super::store::invitations(&mut conn, id).await?
        } else {
            vec![]
        },
        statuses: if is_branch {
            MemberStatus::for_tree(org.tree)
        } else {
            vec![]
        },
        org: node,
    })
}

/// The current members of a branch: for its secretary, committee and administrators only.
#[server(endpoint = "branch_roster")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all, fields(id)))]
pub async fn branch_roster(id: i64) -> Result<Vec<RosterRow>, AppError> {
    use crate::auth::session;
    let mut conn = session::pool()?.acquire().await?;
    let actor = session::require_actor(&mut conn).await?;
    let org = super::store::org(&mut conn, id)
        .await?
        .ok_or(AppError::NotFound)?;
    if !actor.can_manage(&org.path) {
        return Err(AppError::Forbidden);
    }
    super::store::roster(&mut conn, &org).await
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
) -> Result<i64, AppError> {
    use super::model::{CreditCode, parse_org_name};
    use crate::auth::session;
    use crate::error::{FieldError, Msg, field_ok};

    let tree = Tree::parse(&tree).ok_or_else(|| AppError::BadRequest("tree".into()))?;
    let parent_id = match parent_id.trim() {
        "" => None,
        s => Some(
            s.parse::<i64>()
                .map_err(|_| AppError::BadRequest("parent_id".into()))?,
        ),
    };
    let mut tx = session::begin().await?;
    let actor = session::require_actor(&mut tx).await?;
    let parent = match parent_id {
        Some(id) => Some(
            super::store::org(&mut tx, id)
                .await?
                .ok_or(AppError::NotFound)?,
        ),
        None => None,
    };
    let allowed = match &parent {
        Some(p) => actor.can_administer(&p.path),
        None => actor.is_platform_admin(),
    };
    if !allowed {
        return Err(AppError::Forbidden);
    }

    let mut errors = Vec::new();
    let kind = field_ok(
        &mut errors,
        "kind",
        OrgKind::parse(&kind).ok_or(Msg::Required),
    );
    let name = field_ok(&mut errors, "name", parse_org_name(&name));
    let mut enterprise_id = None;
    if !credit_code.trim().is_empty() {
        match CreditCode::parse(&credit_code) {
            Err(m) => errors.push(FieldError::new("credit_code", m)),
            Ok(code) => match super::store::enterprise_by_code(&mut tx, code.as_str()).await? {
                Some(id) => enterprise_id = Some(id),
                None => errors.push(FieldError::new("credit_code", Msg::EnterpriseUnknown)),
            },
        }
    }
    AppError::check(errors)?;
    let (Some(kind), Some(name)) = (kind, name) else {
        return Err(AppError::internal("checked fields missing"));
    };
    let id = super::store::create_org(
        &mut tx,
        &super::store::NewOrg {
            tree,
            kind,
            name: &name,
            parent: parent.as_ref(),
            enterprise_id,
        },
    )
    .await?;
    tx.commit().await?;
    tracing::info!(org_id = id, by = actor.user_id, "organization added");
    Ok(id)
}

#[server(endpoint = "rename_org")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all, fields(id)))]
pub async fn rename_org(id: i64, name: String) -> Result<(), AppError> {
    use crate::auth::session;
    let mut tx = session::begin().await?;
    let actor = session::require_actor(&mut tx).await?;
    let org = super::store::org_for_update(&mut tx, id)
        .await?
        .ok_or(AppError::NotFound)?;
    if !actor.can_administer(&org.path) {
        return Err(AppError::Forbidden);
    }
    let name = super::model::parse_org_name(&name).map_err(|m| AppError::invalid("name", m))?;
    super::store::rename_org(&mut tx, id, &name).await?;
    tx.commit().await?;
    Ok(())
}

/// Moves an organization with everything under it. The caller must administer both the
/// organization and its new parent.
#[server(endpoint = "move_org")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all, fields(id)))]
pub async fn move_org(id: i64, parent_id: String) -> Result<(), AppError> {
    use crate::auth::session;
    use crate::error::Msg;
    let parent_id = parent_id
        .trim()
        .parse::<i64>()
        .map_err(|_| AppError::invalid("parent_id", Msg::Required))?;
    let mut tx = session::begin().await?;
    let actor = session::require_actor(&mut tx).await?;
    // Serialise moves: two concurrent moves could otherwise build a cycle.
    sqlx::query("LOCK TABLE orgs IN SHARE ROW EXCLUSIVE MODE")
        .execute(&mut *tx)
        .await?;
    let org = super::store::org(&mut tx, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let parent = super::store::org(&mut tx, parent_id)
        .await?
        .ok_or_else(|| AppError::invalid("parent_id", Msg::Required))?;
    if !actor.can_administer(&org.path) || !actor.can_administer(&parent.path) {
        return Err(AppError::Forbidden);
    }
    super::store::move_org(&mut tx, &org, &parent).await?;
    tx.commit().await?;
    tracing::info!(
        org_id = id,
        parent_id,
        by = actor.user_id,
        "organization moved"
    );
    Ok(())
}

/// Issues an invitation code for a branch: valid for `days`, admitting `uses` sign-ups,
/// each placed in the branch with `status`.
#[server(endpoint = "issue_invitation")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all, fields(org_id)))]
pub async fn issue_invitation(
    org_id: i64,
    status: String,
    days: String,
    uses: String,
) -> Result<String, AppError> {
    use crate::auth::model::{INVITATION_LEN, InvitationCode, parse_invitation_terms};
    use crate::auth::session;
    use crate::error::Msg;
    use rand::Rng;

    let mut tx = session::begin().await?;
    let actor = session::require_actor(&mut tx).await?;
    let org = super::store::org(&mut tx, org_id)
        .await?
        .ok_or(AppError::NotFound)?;
    if !actor.can_manage(&org.path) {
        return Err(AppError::Forbidden);
    }
    if !org.kind.is_branch() {
        return Err(AppError::invalid("status", Msg::KindNotAllowedHere));
    }
    let status = MemberStatus::parse(&status)
        .filter(|s| s.tree() == org.tree)
        .ok_or_else(|| AppError::invalid("status", Msg::StatusNotInTree))?;
    let (days, uses) = parse_invitation_terms(&days, &uses).map_err(AppError::Invalid)?;
    for _ in 0..5 {
        let idx: [u8; INVITATION_LEN] = rand::thread_rng().r#gen();
        let code = InvitationCode::from_indexes(idx);
        if super::store::create_invitation(
            &mut tx,
            org_id,
            &code,
            status,
            days,
            uses,
            actor.user_id,
        )
        .await?
        {
            tx.commit().await?;
            return Ok(code.as_str().to_owned());
        }
    }
    Err(AppError::internal(
        "five invitation codes in a row were taken",
    ))
}

/// Gives a person a role over an organization. Administrators only.
#[server(endpoint = "assign_role")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all, fields(org_id)))]
pub async fn assign_role(org_id: i64, login: String, role: String) -> Result<(), AppError> {
    use crate::auth::model::Login;
    use crate::auth::session;
    use crate::error::Msg;

    let mut tx = session::begin().await?;
    let actor = session::require_actor(&mut tx).await?;
    let org = super::store::org(&mut tx, org_id)
        .await?
        .ok_or(AppError::NotFound)?;
    if !actor.can_administer(&org.path) {
        return Err(AppError::Forbidden);
    }
    let role = Role::parse(&role)
        .filter(|r| Role::ASSIGNABLE.contains(r))
        .ok_or_else(|| AppError::invalid("role", Msg::Required))?;
    if !role.fits(org.kind) {
        return Err(AppError::invalid("role", Msg::RoleNotForKind));
    }
    let login = Login::parse(&login).map_err(|m| AppError::invalid("login", m))?;
    let user_id = super::store::find_user(&mut tx, &login)
        .await?
        .ok_or_else(|| AppError::invalid("login", Msg::UserUnknown))?;
    super::store::grant_role(&mut tx, user_id, role, Some(org_id), Some(actor.user_id)).await?;
    tx.commit().await?;
    tracing::info!(
        user_id,
        role = role.as_str(),
        org_id,
        by = actor.user_id,
        "role granted"
    );
    Ok(())
}

#[server(endpoint = "revoke_role")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all, fields(grant_id)))]
pub async fn revoke_role(grant_id: i64) -> Result<(), AppError> {
    use crate::auth::session;
    let mut tx = session::begin().await?;
    let actor = session::require_actor(&mut tx).await?;
    let org_id = super::store::grant_org(&mut tx, grant_id)
        .await?
        .ok_or(AppError::NotFound)?
        // Platform roles are not managed here.
        .ok_or(AppError::Forbidden)?;
    let org = super::store::org(&mut tx, org_id)
        .await?
        .ok_or(AppError::NotFound)?;
    if !actor.can_administer(&org.path) {
        return Err(AppError::Forbidden);
    }
    super::store::revoke_role(&mut tx, grant_id).await?;
    tx.commit().await?;
    Ok(())
}

impl super::model::TreeNode for OrgNodeView {
    fn id(&self) -> i64 {
        self.id
    }
    fn parent_id(&self) -> Option<i64> {
        self.parent_id
    }
    fn name(&self) -> &str {
        &self.name
    }
}
