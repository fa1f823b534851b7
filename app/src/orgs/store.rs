//! SQL for the organization tree, memberships, enterprises, roles and invitations.

use sqlx::{PgConnection, Row};

use super::model::{MemberStatus, OrgKind, OrgPath, Tree};
use crate::auth::model::{InvitationCode, Login, Role};
use crate::error::{AppError, Msg};
use crate::ids::{OrgId, UserId};

/// One organization as the rules need it.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow, serde::Deserialize)]
pub struct Org {
    pub id: OrgId,
    #[serde(deserialize_with = "crate::columns::word")]
    pub tree: Tree,
    #[serde(deserialize_with = "crate::columns::word")]
    pub kind: OrgKind,
    pub name: String,
    pub parent_id: Option<OrgId>,
    #[serde(deserialize_with = "crate::columns::word")]
    pub path: OrgPath,
}

const ORG_COLUMNS: &str = "o.id, o.tree, o.kind, o.name, o.parent_id, o.path::text AS path";

pub async fn org(conn: &mut PgConnection, id: OrgId) -> Result<Option<Org>, AppError> {
    Ok(
        sqlx::query_as(&format!("SELECT {ORG_COLUMNS} FROM orgs o WHERE o.id = $1"))
            .bind(id)
            .fetch_optional(conn)
            .await?,
    )
}

/// Like [`org`], but for a row the caller is about to change: locks it.
pub async fn org_for_update(conn: &mut PgConnection, id: OrgId) -> Result<Option<Org>, AppError> {
    Ok(sqlx::query_as(&format!(
        "SELECT {ORG_COLUMNS} FROM orgs o WHERE o.id = $1 FOR UPDATE"
    ))
    .bind(id)
    .fetch_optional(conn)
    .await?)
}

/// A new organization: under `parent`, or at the top of `tree` when there is none.
pub struct NewOrg<'a> {
    pub tree: Tree,
    pub kind: OrgKind,
    pub name: &'a str,
    pub parent: Option<&'a Org>,
    pub enterprise_id: Option<i64>,
}

/// Inserts an organization after checking that its level may sit where it is put.
pub async fn create_org(conn: &mut PgConnection, new: &NewOrg<'_>) -> Result<OrgId, AppError> {
    if !new.kind.allowed_under(new.parent.map(|p| p.kind)) {
        return Err(AppError::invalid("kind", Msg::KindNotAllowedHere));
    }
    if new.parent.is_some_and(|p| p.tree != new.tree) {
        return Err(AppError::invalid("kind", Msg::KindNotAllowedHere));
    }
    let parent_path = new.parent.map(|p| p.path.to_string());
    let id = sqlx::query_scalar(
        "INSERT INTO orgs (id, tree, kind, name, parent_id, path, enterprise_id)
         SELECT n, $1, $2, $3, $4,
                CASE WHEN $5::text IS NULL THEN n::text::ltree ELSE ($5::text || '.' || n)::ltree END,
                $6
         FROM (SELECT nextval('orgs_id_seq') AS n) s
         RETURNING id",
    )
    .bind(new.tree.as_str())
    .bind(new.kind.as_str())
    .bind(new.name)
    .bind(new.parent.map(|p| p.id))
    .bind(parent_path)
    .bind(new.enterprise_id)
    .fetch_one(conn)
    .await?;
    Ok(id)
}

pub async fn rename_org(conn: &mut PgConnection, id: OrgId, name: &str) -> Result<(), AppError> {
    sqlx::query("UPDATE orgs SET name = $2 WHERE id = $1")
        .bind(id)
        .bind(name)
        .execute(conn)
        .await?;
    Ok(())
}

/// Locks the organization table against every other move until the transaction ends:
/// two concurrent moves could otherwise build a cycle. Reads go on; other writes to the
/// table wait too.
pub async fn lock_for_move(conn: &mut PgConnection) -> Result<(), AppError> {
    sqlx::query("LOCK TABLE orgs IN SHARE ROW EXCLUSIVE MODE")
        .execute(conn)
        .await?;
    Ok(())
}

/// Moves an organization and its whole subtree under `new_parent`, rewriting every path
/// below it in one statement. Refuses a move into its own subtree, across trees, or to a
/// level that may not sit there.
pub async fn move_org(
    conn: &mut PgConnection,
    org: &Org,
    new_parent: &Org,
) -> Result<(), AppError> {
    if new_parent.path.is_within(&org.path) {
        return Err(AppError::invalid("parent_id", Msg::MoveIntoOwnSubtree));
    }
    if new_parent.tree != org.tree || !org.kind.allowed_under(Some(new_parent.kind)) {
        return Err(AppError::invalid("parent_id", Msg::KindNotAllowedHere));
    }
    let old = org.path.to_string();
    let depth = org.path.0.len() as i32 - 1;
    sqlx::query(
        "UPDATE orgs SET path = $2::ltree || subpath(path, $3)
         WHERE path <@ $1::ltree",
    )
    .bind(&old)
    .bind(new_parent.path.to_string())
    .bind(depth)
    .execute(&mut *conn)
    .await?;
    sqlx::query("UPDATE orgs SET parent_id = $2 WHERE id = $1")
        .bind(org.id)
        .bind(new_parent.id)
        .execute(conn)
        .await?;
    Ok(())
}

const NODE_SELECT: &str = "
    SELECT o.id, o.parent_id, o.kind, o.name, nlevel(o.path) AS depth,
           (SELECT count(*) FROM memberships m WHERE m.org_id = o.id AND m.ended_at IS NULL
              AND m.mobile_home IS NULL) AS members,
           (SELECT count(*) FROM memberships m WHERE m.org_id = o.id AND m.ended_at IS NULL
              AND m.mobile_home IS NOT NULL) AS mobile,
           e.name AS enterprise
    FROM orgs o LEFT JOIN enterprises e ON e.id = o.enterprise_id";

/// One organization in a listing of the tree (see [`NODE_SELECT`]).
#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct OrgNodeRow {
    pub id: OrgId,
    pub parent_id: Option<OrgId>,
    pub kind: OrgKind,
    pub name: String,
    /// 1 at the top of the tree.
    pub depth: i32,
    /// Current members registered directly here, and mobile members (流动党员) apart.
    pub members: i64,
    pub mobile: i64,
    /// The linked enterprise's name.
    pub enterprise: Option<String>,
}

/// The organizations of a tree within any of `roots` (all of the tree when `None`), in
/// tree order: each parent before its children, siblings by name.
pub async fn tree_nodes(
    conn: &mut PgConnection,
    tree: Tree,
    roots: Option<&[OrgPath]>,
) -> Result<Vec<OrgNodeRow>, AppError> {
    let roots: Option<Vec<String>> = roots.map(|r| r.iter().map(ToString::to_string).collect());
    let nodes = sqlx::query_as::<_, OrgNodeRow>(&format!(
        "{NODE_SELECT}
         WHERE o.tree = $1 AND ($2::text[] IS NULL OR o.path <@ ANY ($2::text[]::ltree[]))
         ORDER BY o.path"
    ))
    .bind(tree.as_str())
    .bind(roots)
    .fetch_all(&mut *conn)
    .await?;
    Ok(sort_siblings_by_name(nodes))
}

/// Orders a parent-before-children list so that siblings come by name (ids in the path
/// give creation order, not a readable one).
fn sort_siblings_by_name(nodes: Vec<OrgNodeRow>) -> Vec<OrgNodeRow> {
    use std::collections::{HashMap, HashSet};
    let ids: HashSet<OrgId> = nodes.iter().map(|n| n.id).collect();
    let mut children: HashMap<Option<OrgId>, Vec<OrgNodeRow>> = HashMap::new();
    for n in nodes {
        let key = n.parent_id.filter(|p| ids.contains(p));
        children.entry(key).or_default().push(n);
    }
    for list in children.values_mut() {
        list.sort_by(|a, b| a.name.cmp(&b.name));
    }
    let mut out = Vec::new();
    let mut stack: Vec<OrgNodeRow> = children.remove(&None).unwrap_or_default();
    stack.reverse();
    while let Some(n) = stack.pop() {
        if let Some(mut kids) = children.remove(&Some(n.id)) {
            kids.reverse();
            stack.extend(kids);
        }
        out.push(n);
    }
    out
}

pub async fn node(conn: &mut PgConnection, id: OrgId) -> Result<Option<OrgNodeRow>, AppError> {
    Ok(sqlx::query_as(&format!("{NODE_SELECT} WHERE o.id = $1"))
        .bind(id)
        .fetch_optional(conn)
        .await?)
}

pub async fn children(conn: &mut PgConnection, id: OrgId) -> Result<Vec<OrgNodeRow>, AppError> {
    Ok(sqlx::query_as(&format!(
        "{NODE_SELECT} WHERE o.parent_id = $1 ORDER BY o.name"
    ))
    .bind(id)
    .fetch_all(conn)
    .await?)
}

/// (id, name) of every organization above `path`, top first.
pub async fn ancestors(
    conn: &mut PgConnection,
    path: &OrgPath,
) -> Result<Vec<(OrgId, String)>, AppError> {
    Ok(ancestors_of(conn, std::slice::from_ref(path))
        .await?
        .pop()
        .unwrap_or_default())
}

/// For each of `paths`, (id, name) of every organization above it, top first; one query
/// for them all.
pub async fn ancestors_of(
    conn: &mut PgConnection,
    paths: &[OrgPath],
) -> Result<Vec<Vec<(OrgId, String)>>, AppError> {
    let above = |p: &OrgPath| p.0[..p.0.len().saturating_sub(1)].to_vec();
    let ids: Vec<i64> = paths.iter().flat_map(above).collect();
    let names: std::collections::HashMap<i64, String> =
        sqlx::query_as("SELECT id, name FROM orgs WHERE id = ANY ($1)")
            .bind(&ids)
            .fetch_all(conn)
            .await?
            .into_iter()
            .collect();
    Ok(paths
        .iter()
        .map(|p| {
            above(p)
                .into_iter()
                .filter_map(|id| Some((OrgId(id), names.get(&id)?.clone())))
                .collect()
        })
        .collect())
}

/// Places a person in a branch of a tree; the status must belong to that tree.
pub async fn join(
    conn: &mut PgConnection,
    user_id: UserId,
    org_id: OrgId,
    status: MemberStatus,
) -> Result<(), AppError> {
    let org = org(conn, org_id).await?.ok_or(AppError::NotFound)?;
    if !org.kind.is_branch() {
        return Err(AppError::invalid("org_id", Msg::KindNotAllowedHere));
    }
    if status.tree() != org.tree {
        return Err(AppError::invalid("status", Msg::StatusNotInTree));
    }
    let result = sqlx::query(
        "INSERT INTO memberships (user_id, org_id, tree, status, start_reason)
         VALUES ($1, $2, $3, $4, 'joined')",
    )
    .bind(user_id)
    .bind(org_id)
    .bind(org.tree.as_str())
    .bind(status.as_str())
    .execute(conn)
    .await;
    match result {
        Err(e) if crate::error::unique_violation(&e).is_some() => {
            Err(AppError::Conflict(Msg::AlreadyInTree))
        }
        other => other.map(|_| ()).map_err(AppError::from),
    }
}

/// Moves a person's current membership in the target's tree to another branch: the old
/// row ends as "moved", a new one starts; both are kept.
pub async fn move_member(
    conn: &mut PgConnection,
    user_id: UserId,
    to_org: &Org,
) -> Result<(), AppError> {
    if !to_org.kind.is_branch() {
        return Err(AppError::invalid("org_id", Msg::KindNotAllowedHere));
    }
    let status: Option<String> = sqlx::query_scalar(
        "UPDATE memberships SET ended_at = now(), end_reason = 'moved'
         WHERE user_id = $1 AND tree = $2 AND ended_at IS NULL
         RETURNING status",
    )
    .bind(user_id)
    .bind(to_org.tree.as_str())
    .fetch_optional(&mut *conn)
    .await?;
    let status = status.ok_or(AppError::NotFound)?;
    sqlx::query(
        "INSERT INTO memberships (user_id, org_id, tree, status, start_reason)
         VALUES ($1, $2, $3, $4, 'moved')",
    )
    .bind(user_id)
    .bind(to_org.id)
    .bind(to_org.tree.as_str())
    .bind(status)
    .execute(conn)
    .await?;
    Ok(())
}

/// Ends a person's current membership in a tree.
pub async fn leave(conn: &mut PgConnection, user_id: UserId, tree: Tree) -> Result<bool, AppError> {
    let done = sqlx::query(
        "UPDATE memberships SET ended_at = now(), end_reason = 'left'
         WHERE user_id = $1 AND tree = $2 AND ended_at IS NULL",
    )
    .bind(user_id)
    .bind(tree.as_str())
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// A current member of a branch, as a roster lists them.
#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct RosterMemberRow {
    #[sqlx(rename = "id")]
    pub user_id: UserId,
    pub display_name: String,
    /// As stored, unmasked: whoever shows it masks it (`orgs::model::mask_phone`).
    pub phone: Option<String>,
    pub status: MemberStatus,
    /// Asia/Shanghai, `2026-11-23`.
    pub since: String,
    /// A mobile member's home organization.
    pub mobile_home: Option<String>,
}

/// The current members of a branch (and of its groups).
/// The organizations at the top of each tree, (id, name): what a platform admin oversees.
pub async fn roots(conn: &mut PgConnection) -> Result<Vec<(OrgId, String)>, AppError> {
    Ok(
        sqlx::query_as("SELECT id, name FROM orgs WHERE parent_id IS NULL ORDER BY tree, id")
            .fetch_all(conn)
            .await?,
    )
}

pub async fn roster(conn: &mut PgConnection, org: &Org) -> Result<Vec<RosterMemberRow>, AppError> {
    Ok(sqlx::query_as(
        "SELECT u.id, u.display_name, u.phone, m.status, to_char(m.started_at AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM-DD') AS since,
                m.mobile_home
         FROM memberships m JOIN users u ON u.id = m.user_id JOIN orgs o ON o.id = m.org_id
         WHERE o.path <@ $1::ltree AND m.ended_at IS NULL
         ORDER BY convert_to(u.display_name, 'UTF8')",
    )
    .bind(org.path.to_string())
    .fetch_all(conn)
    .await?)
}

pub async fn display_name(conn: &mut PgConnection, user_id: UserId) -> Result<String, AppError> {
    Ok(
        sqlx::query_scalar("SELECT display_name FROM users WHERE id = $1")
            .bind(user_id)
            .fetch_one(conn)
            .await?,
    )
}

pub async fn find_user(conn: &mut PgConnection, login: &Login) -> Result<Option<UserId>, AppError> {
    let sql = match login {
        Login::Phone(_) => "SELECT id FROM users WHERE phone = $1",
        Login::Username(_) => "SELECT id FROM users WHERE username = $1",
    };
    Ok(sqlx::query_scalar(sql)
        .bind(login.key())
        .fetch_optional(conn)
        .await?)
}

/// A current membership: the branch and the standing in it.
#[derive(Debug, Clone, PartialEq)]
pub struct MembershipRow {
    pub org: Org,
    pub status: MemberStatus,
    /// Asia/Shanghai, `2026-11-23`.
    pub since: String,
    /// A mobile member's home organization.
    pub mobile_home: Option<String>,
}

/// A role a person holds, and the organization it is over (none for a platform role).
#[derive(Debug, Clone, PartialEq)]
pub struct HeldRoleRow {
    pub role: Role,
    /// The organization's id, name, level and tree.
    pub org: Option<(OrgId, String, OrgKind, Tree)>,
}

pub async fn enterprise_by_code(
    conn: &mut PgConnection,
    code: &str,
) -> Result<Option<i64>, AppError> {
    Ok(
        sqlx::query_scalar("SELECT id FROM enterprises WHERE credit_code = $1")
            .bind(code)
            .fetch_optional(conn)
            .await?,
    )
}

/// A role granted over an organization, and to whom.
#[derive(Debug, Clone, PartialEq)]
pub struct RoleHolderRow {
    pub grant_id: i64,
    pub role: Role,
    pub display_name: String,
}

/// The roles granted over an organization. A grant whose role this build cannot read is
/// left out.
pub async fn role_holders(
    conn: &mut PgConnection,
    org_id: OrgId,
) -> Result<Vec<RoleHolderRow>, AppError> {
    let rows = sqlx::query(
        "SELECT g.id, g.role, u.display_name FROM role_grants g JOIN users u ON u.id = g.user_id
         WHERE g.org_id = $1 ORDER BY g.role, g.created_at",
    )
    .bind(org_id)
    .fetch_all(conn)
    .await?;
    Ok(rows
        .iter()
        .filter_map(|r| {
            Some(RoleHolderRow {
                grant_id: r.get("id"),
                role: Role::parse(r.get("role"))?,
                display_name: r.get("display_name"),
            })
        })
        .collect())
}

pub async fn grant_role(
    conn: &mut PgConnection,
    user_id: UserId,
    role: Role,
    org_id: Option<OrgId>,
    granted_by: Option<UserId>,
) -> Result<(), AppError> {
    let result = sqlx::query(
        "INSERT INTO role_grants (user_id, role, org_id, granted_by) VALUES ($1, $2, $3, $4)",
    )
    .bind(user_id)
    .bind(role.as_str())
    .bind(org_id)
    .bind(granted_by)
    .execute(conn)
    .await;
    match result {
        Err(e) if crate::error::unique_violation(&e).is_some() => {
            Err(AppError::invalid("login", Msg::RoleAlreadyHeld))
        }
        other => other.map(|_| ()).map_err(AppError::from),
    }
}

/// The organization a grant is over, if the grant exists.
pub async fn grant_org(
    conn: &mut PgConnection,
    grant_id: i64,
) -> Result<Option<Option<OrgId>>, AppError> {
    Ok(
        sqlx::query_scalar("SELECT org_id FROM role_grants WHERE id = $1")
            .bind(grant_id)
            .fetch_optional(conn)
            .await?,
    )
}

pub async fn revoke_role(conn: &mut PgConnection, grant_id: i64) -> Result<(), AppError> {
    sqlx::query("DELETE FROM role_grants WHERE id = $1")
        .bind(grant_id)
        .execute(conn)
        .await?;
    Ok(())
}

/// Stores a new invitation; the caller makes the random code and retries on a clash.
pub async fn create_invitation(
    conn: &mut PgConnection,
    org_id: OrgId,
    code: &InvitationCode,
    status: MemberStatus,
    days: u32,
    max_uses: u32,
    created_by: UserId,
) -> Result<bool, AppError> {
    let done = sqlx::query(
        "INSERT INTO invitations (code, org_id, status, expires_at, max_uses, created_by)
         VALUES ($1, $2, $3, now() + make_interval(days => $4), $5, $6)
         ON CONFLICT (code) DO NOTHING",
    )
    .bind(code.as_str())
    .bind(org_id)
    .bind(status.as_str())
    .bind(days as i32)
    .bind(max_uses as i32)
    .bind(created_by)
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// An invitation code and how far it has been used.
#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct InvitationRow {
    pub code: String,
    pub status: MemberStatus,
    pub used: i32,
    pub max_uses: i32,
    pub expired: bool,
    /// Asia/Shanghai, `2026-11-23 09:30`.
    pub expires: String,
}

/// A branch's latest invitations, newest first.
pub async fn invitations(
    conn: &mut PgConnection,
    org_id: OrgId,
) -> Result<Vec<InvitationRow>, AppError> {
    Ok(sqlx::query_as(
        "SELECT code, status, used, max_uses, expires_at <= now() AS expired,
                to_char(expires_at AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM-DD HH24:MI') AS expires
         FROM invitations WHERE org_id = $1 ORDER BY created_at DESC LIMIT 50",
    )
    .bind(org_id)
    .fetch_all(conn)
    .await?)
}

/// Fixtures for the database tests of every feature.
#[cfg(test)]
pub mod test_support {
    use super::*;

    pub async fn add_org(
        conn: &mut PgConnection,
        tree: Tree,
        kind: OrgKind,
        name: &str,
        parent: Option<&Org>,
    ) -> Org {
        let new = NewOrg {
            tree,
            kind,
            name,
            parent,
            enterprise_id: None,
        };
        let id = create_org(conn, &new).await.unwrap();
        org(conn, id).await.unwrap().unwrap()
    }

    /// A user registered long ago (before any week a test looks at).
    pub async fn add_user(conn: &mut PgConnection, phone: &str) -> UserId {
        sqlx::query_scalar(
            "INSERT INTO users (phone, display_name, password_hash, created_at)
             VALUES ($1, '测试', 'x', '2020-01-01') RETURNING id",
        )
        .bind(phone)
        .fetch_one(conn)
        .await
        .unwrap()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use sqlx::PgPool;

    use test_support::{add_org as add, add_user as user};

    #[sqlx::test(migrations = false)]
    async fn a_kind_round_trips_through_a_text_column_and_an_unknown_word_is_an_error(
        pool: PgPool,
    ) {
        let kind: OrgKind = sqlx::query_scalar("SELECT $1::text")
            .bind(OrgKind::GeneralBranch)
            .fetch_one(&pool)
            .await
            .unwrap();
        assert_eq!(kind, OrgKind::GeneralBranch);
        let err = sqlx::query_scalar::<_, OrgKind>("SELECT 'no_such_kind'::text")
            .fetch_one(&pool)
            .await
            .unwrap_err();
        assert!(err.to_string().contains("OrgKind"), "{err}");
    }

    #[sqlx::test(migrations = "../server/migrations")]
    async fn moving_a_subtree_rewrites_every_path_below_it(pool: PgPool) {
        let mut c = pool.acquire().await.unwrap();
        let city = add(
            &mut c,
            Tree::Party,
            OrgKind::IndustryCommittee,
            "市互联网行业党委",
            None,
        )
        .await;
        let a = add(
            &mut c,
            Tree::Party,
            OrgKind::Committee,
            "甲公司党委",
            Some(&city),
        )
        .await;
        let b = add(
            &mut c,
            Tree::Party,
            OrgKind::Committee,
            "乙公司党委",
            Some(&city),
        )
        .await;
        let gb = add(
            &mut c,
            Tree::Party,
            OrgKind::GeneralBranch,
            "研发党总支",
            Some(&a),
        )
        .await;
        let br = add(
            &mut c,
            Tree::Party,
            OrgKind::Branch,
            "前端党支部",
            Some(&gb),
        )
        .await;
        let grp = add(&mut c, Tree::Party, OrgKind::Group, "第一党小组", Some(&br)).await;

        move_org(&mut c, &gb, &b).await.unwrap();

        let gb2 = org(&mut c, gb.id).await.unwrap().unwrap();
        let br2 = org(&mut c, br.id).await.unwrap().unwrap();
        let grp2 = org(&mut c, grp.id).await.unwrap().unwrap();
        assert_eq!(gb2.parent_id, Some(b.id));
        assert_eq!(gb2.path, b.path.child(gb.id));
        assert_eq!(br2.path, b.path.child(gb.id).child(br.id));
        assert_eq!(grp2.path, br2.path.child(grp.id));
        assert_eq!(br2.parent_id, Some(gb.id));
        // Nothing is left under the old parent, and the subtree query sees the move.
        let under_a = tree_nodes(&mut c, Tree::Party, Some(std::slice::from_ref(&a.path)))
            .await
            .unwrap();
        assert_eq!(under_a.iter().map(|n| n.id).collect::<Vec<_>>(), vec![a.id]);
        let under_b = tree_nodes(&mut c, Tree::Party, Some(std::slice::from_ref(&b.path)))
            .await
            .unwrap();
        assert_eq!(under_b.len(), 4);
    }

    #[sqlx::test(migrations = "../server/migrations")]
    async fn a_subtree_cannot_move_into_itself_or_to_a_wrong_level(pool: PgPool) {
        let mut c = pool.acquire().await.unwrap();
        let a = add(&mut c, Tree::Party, OrgKind::Committee, "甲公司党委", None).await;
        let gb = add(
            &mut c,
            Tree::Party,
            OrgKind::GeneralBranch,
            "研发党总支",
            Some(&a),
        )
        .await;
        let br = add(
            &mut c,
            Tree::Party,
            OrgKind::Branch,
            "前端党支部",
            Some(&gb),
        )
        .await;
        let league = add(&mut c, Tree::League, OrgKind::Committee, "甲公司团委", None).await;
        assert_eq!(
            move_org(&mut c, &gb, &br).await,
            Err(AppError::invalid("parent_id", Msg::MoveIntoOwnSubtree))
        );
        assert_eq!(
            move_org(&mut c, &a, &a).await,
            Err(AppError::invalid("parent_id", Msg::MoveIntoOwnSubtree))
        );
        assert!(move_org(&mut c, &br, &league).await.is_err());
        assert!(move_org(&mut c, &gb, &br).await.is_err());
        let unchanged = org(&mut c, br.id).await.unwrap().unwrap();
        assert_eq!(unchanged.path, br.path);
    }

    #[sqlx::test(migrations = "../server/migrations")]
    async fn membership_history_keeps_every_branch_a_member_was_in(pool: PgPool) {
        let mut c = pool.acquire().await.unwrap();
        let a = add(&mut c, Tree::League, OrgKind::Committee, "甲公司团委", None).await;
        let b1 = add(&mut c, Tree::League, OrgKind::Branch, "一团支部", Some(&a)).await;
        let b2 = add(&mut c, Tree::League, OrgKind::Branch, "二团支部", Some(&a)).await;
        let u = user(&mut c, "13800000001").await;

        join(&mut c, u, b1.id, MemberStatus::LeagueMember)
            .await
            .unwrap();
        assert_eq!(
            join(&mut c, u, b2.id, MemberStatus::LeagueMember).await,
            Err(AppError::Conflict(Msg::AlreadyInTree))
        );
        move_member(&mut c, u, &b2).await.unwrap();
        assert!(leave(&mut c, u, Tree::League).await.unwrap());
        assert!(!leave(&mut c, u, Tree::League).await.unwrap());

        let history: Vec<(OrgId, String, Option<String>)> = sqlx::query_as(
            "SELECT org_id, start_reason, end_reason FROM memberships WHERE user_id = $1 ORDER BY id",
        )
        .bind(u)
        .fetch_all(&mut *c)
        .await
        .unwrap();
        assert_eq!(
            history,
            vec![
                (b1.id, "joined".into(), Some("moved".into())),
                (b2.id, "moved".into(), Some("left".into())),
            ]
        );
        assert!(roster(&mut c, &b2).await.unwrap().is_empty());
    }

    #[sqlx::test(migrations = "../server/migrations")]
    async fn a_party_status_cannot_be_recorded_in_a_league_branch(pool: PgPool) {
        let mut c = pool.acquire().await.unwrap();
        let a = add(&mut c, Tree::League, OrgKind::Committee, "甲公司团委", None).await;
        let b = add(&mut c, Tree::League, OrgKind::Branch, "一团支部", Some(&a)).await;
        let u = user(&mut c, "13800000002").await;
        assert_eq!(
            join(&mut c, u, b.id, MemberStatus::Full).await,
            Err(AppError::invalid("status", Msg::StatusNotInTree))
        );
        assert_eq!(
            join(&mut c, u, a.id, MemberStatus::LeagueMember).await,
            Err(AppError::invalid("org_id", Msg::KindNotAllowedHere))
        );
    }
}
