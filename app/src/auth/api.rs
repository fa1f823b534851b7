//! Server functions for accounts: sign-up, sign-in, sign-out, password, language, profile.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::error::AppError;
use crate::orgs::model::{MemberStatus, OrgKind, Tree};

use super::model::Role;

/// The signed-in user as the shell needs them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SessionUser {
    pub user_id: i64,
    pub display_name: String,
    /// Holds a role that opens the organization pages.
    pub manages: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MembershipView {
    pub tree: Tree,
    pub org_id: i64,
    pub org_name: String,
    pub org_kind: OrgKind,
    /// Names from the top of the tree down to the branch's parent.
    pub above: Vec<String>,
    pub status: MemberStatus,
    pub since: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RoleView {
    pub role: Role,
    pub org: Option<(i64, String, OrgKind, Tree)>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ProfileView {
    pub display_name: String,
    pub username: Option<String>,
    pub phone: Option<String>,
    pub memberships: Vec<MembershipView>,
    pub roles: Vec<RoleView>,
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
    use super::model::{InvitationCode, NewPassword, Phone, Username, parse_display_name};
    use super::session;
    use crate::error::{FieldError, Msg, field_ok};

    session::limit_sign_up().await?;

    let mut errors = Vec::new();
    let code = field_ok(&mut errors, "code", InvitationCode::parse(&code));
    let display_name = field_ok(
        &mut errors,
        "display_name",
        parse_display_name(&display_name),
    );
    let phone = field_ok(&mut errors, "phone", Phone::parse(&phone));
    let username = if username.trim().is_empty() {
        Some(None)
    } else {
        field_ok(
            &mut errors,
            "username",
            Username::parse(&username).map(Some),
        )
    };
    let new_password = field_ok(&mut errors, "password", NewPassword::parse(&password));
    if new_password.is_some() && password != password_confirm {
        errors.push(FieldError::new("password_confirm", Msg::PasswordMismatch));
    }
    AppError::check(errors)?;
    let (Some(code), Some(display_name), Some(phone), Some(username), Some(new_password)) =
        (code, display_name, phone, username, new_password)
    else {
        return Err(AppError::internal("sign-up fields checked but missing"));
    };

    let hash = session::hash_password(new_password.expose().to_owned()).await?;
    let locale = session::request_locale();
    let mut tx = session::begin().await?;
    let placement = super::store::use_invitation(&mut tx, &code).await?;
    let user_id = super::store::insert_user(
        &mut tx,
        &super::store::NewUser {
            username: username.as_ref().map(Username::as_str),
            phone: Some(phone.as_str()),
            display_name: &display_name,
            password_hash: &hash,
            locale,
        },
    )
    .await?;
    crate::orgs::store::join(&mut tx, user_id, placement.org_id, placement.status).await?;
    if placement.secretary {
        crate::orgs::store::grant_role(
            &mut tx,
            user_id,
            super::model::Role::Secretary,
            Some(placement.org_id),
            None,
        )
        .await?;
    }
    tx.commit().await?;

    session::sign_in_session(user_id, 0).await?;
    tracing::info!(user_id, org_id = placement.org_id, "signed up");
    leptos_axum::redirect("/me");
    Ok(())
}

/// Signs in by phone number or user name. Every failure answers the same message.
#[server(endpoint = "sign_in")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all))]
pub async fn sign_in(login: String, password: String, next: String) -> Result<(), AppError> {
    use super::model::Login;
    use super::session;
    use crate::error::{FieldError, Msg};

    let generic = || AppError::Invalid(vec![FieldError::form(Msg::BadCredentials)]);
    let login = match Login::parse(&login) {
        Ok(login) => login,
        Err(Msg::Required) => return Err(AppError::invalid("login", Msg::Required)),
        Err(_) => return Err(generic()),
    };
    if password.is_empty() {
        return Err(AppError::invalid("password", Msg::Required));
    }
    let mut conn = session::pool()?.acquire().await?;
    let found = super::store::credentials(&mut conn, &login).await?;
    let account = match &found {
        Some(c) => c.user_id.to_string(),
        None => format!("login:{}", login.key()),
    };
    session::limit_sign_in(&mut conn, &account).await?;
    // No connection held while the password is hashed.
    drop(conn);
    let hash = found.as_ref().map(|c| c.password_hash.clone());
    let right = session::verify_password(password, hash).await?;
    let mut conn = session::pool()?.acquire().await?;
    let Some(found) = found.filter(|_| right) else {
        session::count_sign_in_failure(&mut conn, &account).await?;
        tracing::info!("sign-in refused");
        return Err(generic());
    };
    session::clear_sign_in_failures(&mut conn, &account).await?;
    drop(conn);
    session::sign_in_session(found.user_id, found.session_epoch).await?;
    let mut tx = session::begin().await?;
    crate::points::store::award_sign_in(&mut tx, found.user_id, chrono::Utc::now()).await?;
    tx.commit().await?;
    session::set_locale_cookie(found.locale);
    tracing::info!(user_id = found.user_id, "signed in");
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

#[server(endpoint = "change_password")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all))]
pub async fn change_password(
    current: String,
    password: String,
    password_confirm: String,
) -> Result<(), AppError> {
    use super::model::NewPassword;
    use super::session;
    use crate::error::{FieldError, Msg};

    let claim = session::require_claim().await?;
    let mut errors = Vec::new();
    if current.is_empty() {
        errors.push(FieldError::new("current", Msg::Required));
    }
    match NewPassword::parse(&password) {
        Err(m) => errors.push(FieldError::new("password", m)),
        Ok(_) if password != password_confirm => {
            errors.push(FieldError::new("password_confirm", Msg::PasswordMismatch))
        }
        Ok(_) => {}
    }
    AppError::check(errors)?;

    let mut conn = session::pool()?.acquire().await?;
    let user_id = session::actor_of(&mut conn, &claim).await?.user_id;
    let stored = super::store::password_hash(&mut conn, user_id)
        .await?
        .ok_or(AppError::Unauthenticated)?;
    if !session::verify_password(current, Some(stored)).await? {
        return Err(AppError::invalid("current", Msg::WrongCurrentPassword));
    }
    let hash = session::hash_password(password).await?;
    // Every other session of the account ends; this one keeps the new epoch.
    let epoch = super::store::set_password_hash(&mut conn, user_id, &hash).await?;
    session::keep_epoch(epoch).await?;
    tracing::info!(user_id, "password changed");
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
    let Some(actor) = super::store::actor(&mut conn, &claim).await? else {
        return Ok(None);
    };
    let user_id = actor.user_id;
    let display_name = crate::orgs::store::display_name(&mut conn, user_id).await?;
    Ok(Some(SessionUser {
        user_id,
        display_name,
        manages: actor.manages_anything(),
    }))
}

/// The 我的 page: who I am, where I belong, what I hold.
#[server(endpoint = "my_profile")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all))]
pub async fn my_profile() -> Result<ProfileView, AppError> {
    let mut tx = super::session::begin().await?;
    let actor = super::session::require_actor(&mut tx).await?;
    // Opening the app counts as the day's sign-in, also for a session kept from yesterday.
    crate::points::store::award_sign_in(&mut tx, actor.user_id, chrono::Utc::now()).await?;
    let profile = crate::orgs::store::profile(&mut tx, actor.user_id).await?;
    tx.commit().await?;
    Ok(profile)
}
