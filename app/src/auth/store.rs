//! SQL for accounts, invitations, role grants and rate limits.

use sqlx::{PgConnection, Row};

use super::model::{Actor, Claim, Grant, InvitationCode, Login, Role};
use crate::error::{AppError, Msg};
use crate::i18n::Locale;
use crate::ids::{OrgId, UserId};
use crate::orgs::model::{MemberStatus, OrgPath};

/// What sign-in needs to know about an account.
pub struct Credentials {
    pub user_id: UserId,
    pub password_hash: String,
    pub locale: Locale,
    /// Kept in the session at sign-in (see [`set_password_hash`]).
    pub session_epoch: i32,
}

pub async fn credentials(
    conn: &mut PgConnection,
    login: &Login,
) -> sqlx::Result<Option<Credentials>> {
    let sql = match login {
        Login::Phone(_) => {
            "SELECT id, password_hash, locale, session_epoch FROM users WHERE phone = $1"
        }
        Login::Username(_) => {
            "SELECT id, password_hash, locale, session_epoch FROM users WHERE username = $1"
        }
    };
    let row = sqlx::query(sql)
        .bind(login.key())
        .fetch_optional(conn)
        .await?;
    Ok(row.map(|r| Credentials {
        user_id: r.get("id"),
        password_hash: r.get("password_hash"),
        locale: Locale::parse(r.get::<&str, _>("locale")).unwrap_or_default(),
        session_epoch: r.get("session_epoch"),
    }))
}

/// An account as its owner sees it on the 我的 page.
#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct AccountRow {
    pub display_name: String,
    pub username: Option<String>,
    pub phone: Option<String>,
}

pub async fn password_hash(
    conn: &mut PgConnection,
    user_id: UserId,
) -> sqlx::Result<Option<String>> {
    sqlx::query_scalar("SELECT password_hash FROM users WHERE id = $1")
        .bind(user_id)
        .fetch_optional(conn)
        .await
}

/// Sets a new password and ends every session of the account: each holds the epoch of its
/// sign-in, which no longer matches. Returns the new epoch, for the session that made the
/// change to keep.
pub async fn set_password_hash(
    conn: &mut PgConnection,
    user_id: UserId,
    hash: &str,
) -> sqlx::Result<i32> {
    sqlx::query_scalar(
        "UPDATE users SET password_hash = $2, session_epoch = session_epoch + 1, updated_at = now()
         WHERE id = $1 RETURNING session_epoch",
    )
    .bind(user_id)
    .bind(hash)
    .fetch_one(conn)
    .await
}

pub async fn set_locale(
    conn: &mut PgConnection,
    user_id: UserId,
    locale: Locale,
) -> sqlx::Result<()> {
    sqlx::query("UPDATE users SET locale = $2, updated_at = now() WHERE id = $1")
        .bind(user_id)
        .bind(locale.tag())
        .execute(conn)
        .await?;
    Ok(())
}

/// A new account, before its password is hashed away.
pub struct NewUser<'a> {
    pub username: Option<&'a str>,
    pub phone: Option<&'a str>,
    pub display_name: &'a str,
    pub password_hash: &'a str,
    pub locale: Locale,
}

/// Inserts the account; a taken phone number or user name comes back as a field error.
pub async fn insert_user(conn: &mut PgConnection, user: &NewUser<'_>) -> Result<UserId, AppError> {
    let result = sqlx::query_scalar(
        "INSERT INTO users (username, phone, display_name, password_hash, locale)
         VALUES ($1, $2, $3, $4, $5) RETURNING id",
    )
    .bind(user.username)
    .bind(user.phone)
    .bind(user.display_name)
    .bind(user.password_hash)
    .bind(user.locale.tag())
    .fetch_one(conn)
    .await;
    result.map_err(
        |err| match crate::error::unique_violation(&err).as_deref() {
            Some("users_phone_key") => AppError::invalid("phone", Msg::PhoneTaken),
            Some("users_username_key") => AppError::invalid("username", Msg::UsernameTaken),
            _ => AppError::from(err),
        },
    )
}

/// Loads what the user holds (the input of every authorization check) and how many of
/// their messages wait unread, in one statement; `None` for no user or a session that has
/// ended.
pub async fn actor(conn: &mut PgConnection, claim: &Claim) -> sqlx::Result<Option<(Actor, i64)>> {
    // One row per grant, or one row of nulls for a user without any; none for no user or a
    // session that has ended. The unread count is taken once, before the grants are joined.
    let rows = sqlx::query(&format!(
        "SELECT g.role, o.path::text AS path, n.unread
         FROM users u
         CROSS JOIN LATERAL (SELECT count(*) AS unread FROM notifications
                             WHERE user_id = u.id AND read_at IS NULL) n
         LEFT JOIN role_grants g ON g.user_id = u.id LEFT JOIN orgs o ON o.id = g.org_id
         WHERE u.id = $1 AND {}",
        live_session_sql("$1", "$2", "$3")
    ))
    .bind(claim.user_id)
    .bind(&claim.session_id)
    .bind(claim.epoch)
    .fetch_all(conn)
    .await?;
    let Some(first) = rows.first() else {
        return Ok(None);
    };
    let unread: i64 = first.get("unread");
    let grants = rows.iter().filter_map(grant_of).collect();
    Ok(Some((
        Actor {
            user_id: claim.user_id,
            grants,
        },
        unread,
    )))
}

/// The viewer of the claim bound as `$1`, `$2` and `$3` (user, session, epoch), as a JSON
/// value `{"unread": n, "grants": [{"role": …, "path": …}]}` that is null when the session
/// is not live: the same facts as [`actor`], for a page's statement to select beside its
/// own (read back with [`ViewerJson::actor`]).
pub fn viewer_json_sql() -> String {
    format!(
        "(SELECT json_build_object(
            'unread', (SELECT count(*) FROM notifications WHERE user_id = u.id AND read_at IS NULL),
            'grants', COALESCE((SELECT json_agg(json_build_object('role', g.role, 'path', o.path::text))
                                FROM role_grants g LEFT JOIN orgs o ON o.id = g.org_id
                                WHERE g.user_id = u.id), '[]'))
          FROM users u WHERE u.id = $1 AND {})",
        live_session_sql("$1", "$2", "$3")
    )
}

/// The viewer as [`viewer_json_sql`] selects it.
#[derive(serde::Deserialize)]
pub struct ViewerJson {
    unread: i64,
    grants: Vec<GrantJson>,
}

#[derive(serde::Deserialize)]
struct GrantJson {
    role: String,
    path: Option<String>,
}

impl ViewerJson {
    /// The actor of `claim` and the unread count, as [`actor`] reads them (a grant whose
    /// role this build cannot read is left out).
    pub fn actor(self, claim: &Claim) -> (Actor, i64) {
        let grants = self
            .grants
            .into_iter()
            .filter_map(|g| {
                Some(Grant {
                    role: Role::parse(&g.role)?,
                    path: g.path.as_deref().and_then(OrgPath::parse),
                })
            })
            .collect();
        let actor = Actor {
            user_id: claim.user_id,
            grants,
        };
        (actor, self.unread)
    }
}

/// Binds a claim as `$1`, `$2` and `$3`, for a statement that selects
/// [`viewer_json_sql`].
pub fn bind_claim<'q>(
    query: sqlx::query::Query<'q, sqlx::Postgres, sqlx::postgres::PgArguments>,
    claim: &'q Claim,
) -> sqlx::query::Query<'q, sqlx::Postgres, sqlx::postgres::PgArguments> {
    query
        .bind(claim.user_id)
        .bind(&claim.session_id)
        .bind(claim.epoch)
}

/// The 我的 page in one statement: the viewer (null when the session is not live), the
/// account, the current memberships with the names above each branch, the roles held and
/// where the area committees sit.
pub struct ProfilePage {
    pub viewer: Option<(Actor, i64)>,
    pub account: AccountRow,
    pub memberships: Vec<(crate::orgs::store::MembershipRow, Vec<String>)>,
    pub roles: Vec<crate::orgs::store::HeldRoleRow>,
    /// The League's area committees (founding review, League coverage), and the Party's
    /// (Party coverage).
    pub area_committees: Vec<OrgPath>,
    pub party_area_committees: Vec<OrgPath>,
    /// Each tree where the user pays dues: the first month owed and the months held by
    /// live payments.
    pub dues: Vec<DuesJson>,
    /// Follows something as an instructor (指导员).
    pub follows: bool,
}

/// A tree's dues as the profile statement reads them.
#[derive(serde::Deserialize)]
pub struct DuesJson {
    #[serde(deserialize_with = "crate::columns::word")]
    pub tree: crate::orgs::model::Tree,
    pub since: chrono::NaiveDate,
    pub held: Vec<chrono::NaiveDate>,
}

#[derive(serde::Deserialize)]
struct MembershipJson {
    #[serde(deserialize_with = "crate::columns::word")]
    status: MemberStatus,
    since: String,
    mobile_home: Option<String>,
    #[serde(flatten)]
    org: crate::orgs::store::Org,
    above: Vec<String>,
}

#[derive(serde::Deserialize)]
struct HeldRoleJson {
    role: String,
    id: Option<OrgId>,
    name: Option<String>,
    kind: Option<String>,
    tree: Option<String>,
}

pub async fn profile_page(
    conn: &mut PgConnection,
    claim: &Claim,
) -> Result<Option<ProfilePage>, AppError> {
    use crate::orgs::model::{OrgKind, Tree};
    use sqlx::types::Json;
    let sql = format!(
        "SELECT {viewer} AS viewer, u.display_name, u.username, u.phone,
           COALESCE((SELECT json_agg(json_build_object(
                       'status', m.status, 'mobile_home', m.mobile_home,
                       'since', to_char(m.started_at AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM-DD'),
                       'id', o.id, 'tree', o.tree, 'kind', o.kind, 'name', o.name,
                       'parent_id', o.parent_id, 'path', o.path::text,
                       'above', COALESCE((SELECT json_agg(a.name ORDER BY nlevel(a.path))
                                          FROM orgs a WHERE a.path @> o.path AND a.id <> o.id), '[]'))
                     ORDER BY o.tree DESC)
                     FROM memberships m JOIN orgs o ON o.id = m.org_id
                     WHERE m.user_id = u.id AND m.ended_at IS NULL), '[]') AS memberships,
           COALESCE((SELECT json_agg(json_build_object(
                       'role', g.role, 'id', o.id, 'name', o.name, 'kind', o.kind, 'tree', o.tree)
                     ORDER BY g.role = 'platform_admin' DESC, o.path)
                     FROM role_grants g LEFT JOIN orgs o ON o.id = g.org_id
                     WHERE g.user_id = u.id), '[]') AS roles,
           -- Where the area committees sit: a founding reviewer or a coverage reader is
           -- whoever administers one of them.
           COALESCE((SELECT json_agg(path::text) FROM orgs WHERE area_level IS NOT NULL AND tree = 'league'), '[]') AS areas,
           COALESCE((SELECT json_agg(path::text) FROM orgs WHERE area_level IS NOT NULL AND tree = 'party'), '[]') AS party_areas,
           COALESCE((SELECT json_agg(json_build_object(
                       'tree', m.tree, 'since', {since},
                       'held', COALESCE((SELECT json_agg(d.month) FROM dues_months d
                                         WHERE d.user_id = m.user_id AND d.tree = m.tree AND d.live), '[]'))
                     ORDER BY m.tree DESC)
                     FROM memberships m WHERE m.user_id = u.id AND m.ended_at IS NULL AND {paying}), '[]') AS dues,
           EXISTS (SELECT 1 FROM instructor_assignments i WHERE i.instructor_id = u.id AND i.ended_at IS NULL) AS follows
         FROM users u WHERE u.id = $1",
        viewer = viewer_json_sql(),
        since = crate::dues::store::SINCE,
        paying = crate::dues::store::PAYING,
    );
    let Some(r) = bind_claim(sqlx::query(&sql), claim)
        .fetch_optional(conn)
        .await?
    else {
        return Ok(None);
    };
    let viewer: Option<Json<ViewerJson>> = r.try_get("viewer")?;
    let Json(memberships): Json<Vec<MembershipJson>> = r.try_get("memberships")?;
    let Json(roles): Json<Vec<HeldRoleJson>> = r.try_get("roles")?;
    let Json(areas): Json<Vec<String>> = r.try_get("areas")?;
    let Json(party_areas): Json<Vec<String>> = r.try_get("party_areas")?;
    let Json(dues): Json<Vec<DuesJson>> = r.try_get("dues")?;
    Ok(Some(ProfilePage {
        viewer: viewer.map(|Json(v)| v.actor(claim)),
        account: AccountRow {
            display_name: r.try_get("display_name")?,
            username: r.try_get("username")?,
            phone: r.try_get("phone")?,
        },
        memberships: memberships
            .into_iter()
            .map(|m| {
                let row = crate::orgs::store::MembershipRow {
                    org: m.org,
                    status: m.status,
                    since: m.since,
                    mobile_home: m.mobile_home,
                };
                (row, m.above)
            })
            .collect(),
        // As `orgs::store::held_roles` reads them: a grant this build cannot read is left out.
        roles: roles
            .into_iter()
            .filter_map(|g| {
                let role = Role::parse(&g.role)?;
                let org = match g.id {
                    Some(id) => Some((
                        id,
                        g.name?,
                        OrgKind::parse(g.kind.as_deref()?)?,
                        Tree::parse(g.tree.as_deref()?)?,
                    )),
                    None => None,
                };
                Some(crate::orgs::store::HeldRoleRow { role, org })
            })
            .collect(),
        area_committees: areas.iter().filter_map(|p| OrgPath::parse(p)).collect(),
        party_area_committees: party_areas
            .iter()
            .filter_map(|p| OrgPath::parse(p))
            .collect(),
        dues,
        follows: r.try_get("follows")?,
    }))
}

/// A condition that holds while the session (`sid`, with the `epoch` of its sign-in) of
/// user `user` is live: not signed out or expired (its row is in the session store's
/// table, whatever a server keeps in memory), and no password change since it began. Every
/// query that reads who is asking includes it, so that a sign-out or a password change on
/// one server is honoured by every other at once, at no extra round trip.
pub fn live_session_sql(user: &str, sid: &str, epoch: &str) -> String {
    format!(
        "EXISTS (SELECT 1 FROM users lu WHERE lu.id = {user} AND lu.session_epoch = {epoch})
         AND EXISTS (SELECT 1 FROM tower_sessions.session ls WHERE ls.id = {sid} AND ls.expiry_date > now())"
    )
}

/// Whether a session's claim is live (see [`live_session_sql`]).
pub async fn is_live(conn: &mut PgConnection, claim: &Claim) -> sqlx::Result<bool> {
    sqlx::query_scalar(&format!("SELECT {}", live_session_sql("$1", "$2", "$3")))
        .bind(claim.user_id)
        .bind(&claim.session_id)
        .bind(claim.epoch)
        .fetch_one(conn)
        .await
}

/// The grant in a row with `role` and `path` columns (nulls: none).
pub fn grant_of(r: &sqlx::postgres::PgRow) -> Option<Grant> {
    Some(Grant {
        role: Role::parse(r.get::<Option<&str>, _>("role")?)?,
        path: r.get::<Option<&str>, _>("path").and_then(OrgPath::parse),
    })
}

/// The organization an invitation places its user in, and the status it gives.
pub struct Placement {
    pub org_id: OrgId,
    pub status: MemberStatus,
    /// The invitation also makes its user the organization's secretary (a founding
    /// application's proposed secretary).
    pub secretary: bool,
}

/// Uses one admission of an invitation, atomically: two sign-ups racing for the last use
/// cannot both get it. On failure says why (unknown, expired or used up).
pub async fn use_invitation(
    conn: &mut PgConnection,
    code: &InvitationCode,
) -> Result<Placement, AppError> {
    let row = sqlx::query(
        "UPDATE invitations SET used = used + 1
         WHERE code = $1 AND expires_at > now() AND used < max_uses
         RETURNING org_id, status, grants_role = 'secretary' AS secretary",
    )
    .bind(code.as_str())
    .fetch_optional(&mut *conn)
    .await?;
    if let Some(r) = row {
        let status = r.try_get("status")?;
        return Ok(Placement {
            org_id: r.get("org_id"),
            status,
            secretary: r.get::<Option<bool>, _>("secretary").unwrap_or(false),
        });
    }
    let why = sqlx::query(
        "SELECT expires_at <= now() AS expired, used, max_uses FROM invitations WHERE code = $1",
    )
    .bind(code.as_str())
    .fetch_optional(conn)
    .await?;
    let msg = match why {
        None => Msg::InvitationUnknown,
        Some(r) => super::model::invitation_usable(
            r.get("expired"),
            r.get::<i32, _>("used") as u32,
            r.get::<i32, _>("max_uses") as u32,
        )
        .err()
        .unwrap_or(Msg::InvitationUsedUp),
    };
    Err(AppError::invalid("code", msg))
}

/// Counts one attempt under `key` in the current fixed window of `window_secs`. Returns the
/// seconds until the window ends when the attempt is over `limit`.
pub async fn hit_rate_limit(
    conn: &mut PgConnection,
    key: &str,
    window_secs: i64,
    limit: i32,
) -> sqlx::Result<Option<u64>> {
    let row = sqlx::query(
        "WITH w AS (
             SELECT to_timestamp(floor(extract(epoch FROM now()) / $2) * $2) AS start
         ), cleaned AS (
             DELETE FROM rate_limits WHERE key = $1 AND window_start < (SELECT start FROM w)
         )
         INSERT INTO rate_limits (key, window_start, hits)
         SELECT $1, start, 1 FROM w
         ON CONFLICT (key, window_start) DO UPDATE SET hits = rate_limits.hits + 1, last_hit = now()
         RETURNING hits, extract(epoch FROM (window_start + make_interval(secs => $2) - now()))::float8 AS left_secs",
    )
    .bind(key)
    .bind(window_secs as f64)
    .fetch_one(conn)
    .await?;
    let hits: i32 = row.get("hits");
    let left: f64 = row.get("left_secs");
    Ok((hits > limit).then(|| left.ceil().max(1.0) as u64))
}

/// The counts of `keys` in the current fixed window of `window_secs`, each with the seconds
/// since its last count (none counted: 0 hits, since the window began), and the seconds
/// until the window ends.
pub async fn window_counts(
    conn: &mut PgConnection,
    keys: &[String],
    window_secs: i64,
) -> sqlx::Result<(Vec<(i32, f64)>, f64)> {
    let rows: Vec<(String, i32, f64, f64)> = sqlx::query_as(
        "WITH w AS (SELECT to_timestamp(floor(extract(epoch FROM now()) / $2) * $2) AS start)
         SELECT k, coalesce(r.hits, 0),
                extract(epoch FROM now() - coalesce(r.last_hit, w.start))::float8,
                extract(epoch FROM (w.start + make_interval(secs => $2) - now()))::float8
         FROM unnest($1::text[]) AS k CROSS JOIN w
         LEFT JOIN rate_limits r ON r.key = k AND r.window_start = w.start",
    )
    .bind(keys)
    .bind(window_secs as f64)
    .fetch_all(conn)
    .await?;
    let left = rows.first().map_or(window_secs as f64, |r| r.3);
    Ok((
        keys.iter()
            .map(|k| {
                rows.iter()
                    .find(|r| &r.0 == k)
                    .map_or((0, 0.0), |r| (r.1, r.2))
            })
            .collect(),
        left,
    ))
}

/// Forgets a counter (a success clears the failures before it).
pub async fn clear_rate_limit(conn: &mut PgConnection, key: &str) -> sqlx::Result<()> {
    sqlx::query("DELETE FROM rate_limits WHERE key = $1")
        .bind(key)
        .execute(conn)
        .await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::orgs::model::{OrgKind, Tree};
    use crate::orgs::store::test_support::add_org;
    use sqlx::PgPool;

    #[sqlx::test(migrations = "../server/migrations")]
    async fn concurrent_sign_ups_never_use_an_invitation_more_than_allowed(pool: PgPool) {
        let mut c = pool.acquire().await.unwrap();
        let org = add_org(&mut c, Tree::League, OrgKind::Committee, "甲公司团委", None)
            .await
            .id;
        sqlx::query("INSERT INTO invitations (code, org_id, status, expires_at, max_uses) VALUES ('RACE2345', $1, 'league_member', now() + interval '1 day', 3)")
            .bind(org)
            .execute(&mut *c)
            .await
            .unwrap();
        let code = InvitationCode::parse("RACE2345").unwrap();
        let attempts = (0..12).map(|_| {
            let pool = pool.clone();
            let code = code.clone();
            tokio::spawn(async move {
                let mut tx = pool.begin().await.unwrap();
                let result = use_invitation(&mut tx, &code).await;
                tx.commit().await.unwrap();
                result
            })
        });
        let mut admitted = 0;
        let mut refused = Vec::new();
        for a in attempts.collect::<Vec<_>>() {
            match a.await.unwrap() {
                Ok(p) => {
                    assert_eq!(p.org_id, org);
                    admitted += 1;
                }
                Err(e) => refused.push(e),
            }
        }
        assert_eq!(admitted, 3);
        assert!(
            refused
                .iter()
                .all(|e| *e == AppError::invalid("code", Msg::InvitationUsedUp)),
            "{refused:?}"
        );
        let used: i32 = sqlx::query_scalar("SELECT used FROM invitations WHERE code = 'RACE2345'")
            .fetch_one(&mut *c)
            .await
            .unwrap();
        assert_eq!(used, 3);
    }

    #[sqlx::test(migrations = "../server/migrations")]
    async fn a_rate_limit_counts_attempts_within_a_window(pool: PgPool) {
        let mut c = pool.acquire().await.unwrap();
        for _ in 0..3 {
            assert_eq!(hit_rate_limit(&mut c, "k", 600, 3).await.unwrap(), None);
        }
        let wait = hit_rate_limit(&mut c, "k", 600, 3)
            .await
            .unwrap()
            .expect("over the limit");
        assert!((1..=600).contains(&wait));
        assert_eq!(hit_rate_limit(&mut c, "other", 600, 3).await.unwrap(), None);
    }
}
