//! Server functions for accounts: sign-up, sign-in, sign-out, password, language, profile.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::error::AppError;
use crate::orgs::model::{MemberStatus, OrgKind, Tree};

use super::model::Role;
use crate::ids::{OrgId, UserId};

/// The signed-in user as the shell needs them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SessionUser {
    pub user_id: UserId,
    pub display_name: String,
    /// Holds a role that opens the organization pages.
    pub manages: bool,
}

/// A current membership on the 我的 page: the branch, where it sits, the standing in it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MembershipView {
    pub tree: Tree,
    pub org_id: OrgId,
    pub org_name: String,
    pub org_kind: OrgKind,
    /// Names from the top of the tree down to the branch's parent.
    pub above: Vec<String>,
    pub status: MemberStatus,
    pub since: String,
    /// A mobile member's home organization.
    pub mobile_home: Option<String>,
}

/// A role held: over an organization (id, name, level, tree), or over the platform.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RoleView {
    pub role: Role,
    pub org: Option<(OrgId, String, OrgKind, Tree)>,
}

/// The 我的 page: the account, its memberships and its roles.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ProfileView {
    pub display_name: String,
    pub username: Option<String>,
    pub phone: Option<String>,
    pub memberships: Vec<MembershipView>,
    pub roles: Vec<RoleView>,
    /// Sees the founding review queue and League coverage.
    pub reviews_areas: bool,
    /// Sees Party coverage.
    pub reads_party_coverage: bool,
    pub dues: Vec<crate::dues::model::DuesLine>,
    /// Follows something as an instructor (我跟进的).
    pub follows: bool,
}

/// Creates an account with an invitation code, places it in the code's branch and signs
/// it in. All or nothing: a refused sign-up leaves the code's use count as it was.
#[server(endpoint = "sign_up")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all))]
pub async fn sign_up(
    code: String,
    display_name: String,
    phone: String,
    username: String,
    password: String,
    password_confirm: String,
) -> Result<(), AppError> {
    use super::session;
    session::limit_sign_up().await?;
    let input = super::model::SignUp::parse(
        &code,
        &display_name,
        &phone,
        &username,
        &password,
        &password_confirm,
    )
    .map_err(AppError::Invalid)?;
    let hash = session::hash_password(input.password.expose().to_owned()).await?;
    let locale = session::request_locale();
    let mut tx = session::begin().await?;
    let super::flow::Joined { user_id, org_id } =
        super::flow::sign_up(&mut tx, &input, &hash, locale).await?;
    tx.commit().await?;
    session::sign_in_session(user_id, 0).await?;
    tracing::info!(user_id = user_id.0, org_id = org_id.0, "signed up");
    leptos_axum::redirect("/me");
    Ok(())
}

/// Signs in by phone number or user name. Every failure answers the same message.
#[server(endpoint = "sign_in")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all))]
pub async fn sign_in(login: String, password: String, next: String) -> Result<(), AppError> {
    use super::session;

    let login =
        super::model::parse_sign_in(&login, &password).map_err(|e| AppError::Invalid(vec![e]))?;
    let found = super::flow::check_password(&session::pool()?, &login, password).await?;
    session::sign_in_session(found.user_id, found.session_epoch).await?;
    let mut tx = session::begin().await?;
    super::flow::signed_in(&mut tx, found.user_id, chrono::Utc::now()).await?;
    tx.commit().await?;
    session::set_locale_cookie(found.locale);
    tracing::info!(user_id = found.user_id.0, "signed in");
    leptos_axum::redirect(&session::local_path(&next, "/me"));
    Ok(())
}

/// Ends the session: the server forgets it, the cookie is cleared.
#[server(endpoint = "sign_out")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all))]
pub async fn sign_out() -> Result<(), AppError> {
    let session = super::session::session().await?;
    session.flush().await.map_err(AppError::internal)?;
    leptos_axum::redirect("/signin");
    Ok(())
}

/// Changes the password after checking the current one; the account's other sessions end.
#[server(endpoint = "change_password")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all))]
pub async fn change_password(
    current: String,
    password: String,
    password_confirm: String,
) -> Result<(), AppError> {
    use super::session;

    let claim = session::require_claim().await?;
    let new = super::model::parse_password_change(&current, &password, &password_confirm)
        .map_err(AppError::Invalid)?;
    let mut conn = session::pool()?.acquire().await?;
    let user_id = session::actor_of(&mut conn, &claim).await?.user_id;
    // Every other session of the account ends; this one keeps the new epoch.
    let epoch = super::flow::change_password(&mut conn, user_id, current, &new).await?;
    session::keep_epoch(epoch).await?;
    tracing::info!(user_id = user_id.0, "password changed");
    Ok(())
}

/// Switches the language: remembered in a cookie, and on the account when signed in.
/// Called by a plain form, so the browser reloads the page in the new language.
#[server(endpoint = "set_locale")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all))]
pub async fn set_locale(locale: String, next: String) -> Result<(), AppError> {
    use super::session;
    use crate::i18n::Locale;

    let locale = Locale::parse(&locale).ok_or_else(|| AppError::BadRequest("locale".into()))?;
    if session::claim().await?.is_some() {
        let mut conn = session::pool()?.acquire().await?;
        if let Some(user_id) = session::live_user_id(&mut conn).await? {
            super::store::set_locale(&mut conn, user_id, locale).await?;
        }
    }
    session::set_locale_cookie(locale);
    leptos_axum::redirect(&session::local_path(&next, "/"));
    Ok(())
}

/// The signed-in user, or `None`.
#[server(endpoint = "current_user")]
pub async fn current_user() -> Result<Option<SessionUser>, AppError> {
    use super::session;
    let Some(claim) = session::claim().await? else {
        return Ok(None);
    };
    let mut conn = session::pool()?.acquire().await?;
    let found = super::flow::current_user(&mut conn, &claim).await?;
    Ok(found.map(|(actor, display_name)| SessionUser {
        user_id: actor.user_id,
        display_name,
        manages: actor.manages_anything(),
    }))
}

/// The 我的 page: who I am, where I belong, what I hold.
#[server(endpoint = "my_profile")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all))]
pub async fn my_profile() -> Result<ProfileView, AppError> {
    use super::session;
    let bringing = session::Bringing::start();
    let mut conn = session::pool()?.acquire().await?;
    let claim = session::require_claim().await?;
    let found = super::flow::my_profile(&mut conn, &claim, chrono::Utc::now()).await?;
    let (viewer, profile) = found.unzip();
    bringing.found(viewer)?;
    Ok(profile.ok_or(AppError::Unauthenticated)?.into())
}

#[cfg(feature = "ssr")]
impl From<super::flow::Profile> for ProfileView {
    fn from(p: super::flow::Profile) -> Self {
        Self {
            display_name: p.account.display_name,
            username: p.account.username,
            phone: p.account.phone,
            memberships: p
                .memberships
                .into_iter()
                .map(|(m, above)| MembershipView {
                    tree: m.org.tree,
                    org_id: m.org.id,
                    org_name: m.org.name,
                    org_kind: m.org.kind,
                    above,
                    status: m.status,
                    since: m.since,
                    mobile_home: m.mobile_home,
                })
                .collect(),
            roles: p.roles.into_iter().map(RoleView::from).collect(),
            reviews_areas: p.reviews_areas,
            reads_party_coverage: p.reads_party_coverage,
            dues: p.dues,
            follows: p.follows,
        }
    }
}

#[cfg(feature = "ssr")]
impl From<crate::orgs::store::HeldRoleRow> for RoleView {
    fn from(r: crate::orgs::store::HeldRoleRow) -> Self {
        Self {
            role: r.role,
            org: r.org,
        }
    }
}
