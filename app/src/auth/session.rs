//! Server-side plumbing shared by every server function: the database pool, the session,
//! the caller's identity and roles, the client's address, password hashing and rate limits.

use leptos::prelude::*;
use sqlx::{PgConnection, PgPool, Postgres, Transaction};
use tower_sessions::Session;

use super::model::{Actor, Login};
use crate::error::AppError;

/// The session key under which the signed-in user's id is stored.
pub const USER_ID_KEY: &str = "uid";

/// Settings the server hands to the app through context.
#[derive(Clone, Debug)]
pub struct AuthSettings {
    /// Sign-in attempts allowed per account and per client address in one window.
    pub signin_per_account: i32,
    pub signin_per_ip: i32,
    /// Sign-ups allowed per client address in one window.
    pub signup_per_ip: i32,
    pub window_secs: i64,
}

impl Default for AuthSettings {
    fn default() -> Self {
        Self {
            signin_per_account: 10,
            signin_per_ip: 60,
            signup_per_ip: 30,
            window_secs: 15 * 60,
        }
    }
}

/// The client's address as the server's request layer determined it.
#[derive(Clone, Debug)]
pub struct ClientIp(pub String);

pub fn pool() -> Result<PgPool, AppError> {
    use_context::<PgPool>().ok_or_else(|| AppError::internal("no database pool in context"))
}

pub async fn begin() -> Result<Transaction<'static, Postgres>, AppError> {
    Ok(pool()?.begin().await?)
}

pub fn settings() -> AuthSettings {
    use_context::<AuthSettings>().unwrap_or_default()
}

pub async fn session() -> Result<Session, AppError> {
    leptos_axum::extract::<Session>()
        .await
        .map_err(|e| AppError::internal(format!("no session layer: {e}")))
}

/// The signed-in user's id, if any. A session that cannot be read counts as signed out.
pub async fn current_user_id() -> Result<Option<i64>, AppError> {
    let session = session().await?;
    Ok(session.get::<i64>(USER_ID_KEY).await.unwrap_or(None))
}

/// The signed-in caller and their roles, or `Unauthenticated`. Every server function that
/// needs a user starts here, then asks the returned `Actor` about the organization at hand.
pub async fn require_actor(conn: &mut PgConnection) -> Result<Actor, AppError> {
    let user_id = current_user_id().await?.ok_or(AppError::Unauthenticated)?;
    super::store::actor(conn, user_id)
        .await?
        .ok_or(AppError::Unauthenticated)
}

/// Content for a scope (the platform when `None`, else an organization and everything
/// under it) may be published or changed by platform admins, and for an organization by
/// anyone who manages it.
pub async fn require_scope(
    conn: &mut PgConnection,
    actor: &Actor,
    scope: Option<i64>,
) -> Result<(), AppError> {
    let allowed = match scope {
        None => actor.is_platform_admin(),
        Some(org_id) => match crate::orgs::store::org(conn, org_id).await? {
            Some(org) => actor.can_manage(&org.path),
            None => false,
        },
    };
    if allowed {
        Ok(())
    } else {
        Err(AppError::Forbidden)
    }
}

/// An organization the caller administers (its admins and the platform's), or
/// `Forbidden`; `NotFound` when there is no such organization.
pub async fn administered_org(
    conn: &mut PgConnection,
    actor: &Actor,
    org_id: i64,
) -> Result<crate::orgs::store::Org, AppError> {
    let org = crate::orgs::store::org(conn, org_id)
        .await?
        .ok_or(AppError::NotFound)?;
    if actor.can_administer(&org.path) {
        Ok(org)
    } else {
        Err(AppError::Forbidden)
    }
}

pub async fn client_ip() -> String {
    use_context::<http::request::Parts>()
        .and_then(|p| p.extensions.get::<ClientIp>().cloned())
        .map(|ip| ip.0)
        .unwrap_or_else(|| "unknown".to_owned())
}

/// Counts an attempt against a limit; `RateLimited` with the wait when it is over. The
/// count is committed on its own so that failed attempts count too.
pub async fn rate_limit(key: &str, limit: i32) -> Result<(), AppError> {
    let mut conn = pool()?.acquire().await?;
    let window = settings().window_secs;
    match super::store::hit_rate_limit(&mut conn, key, window, limit).await? {
        Some(retry_after_secs) => {
            if let Some(res) = use_context::<leptos_axum::ResponseOptions>() {
                res.insert_header(
                    http::header::RETRY_AFTER,
                    http::HeaderValue::from(retry_after_secs),
                );
            }
            Err(AppError::RateLimited { retry_after_secs })
        }
        None => Ok(()),
    }
}

pub async fn limit_sign_in(login: &Login) -> Result<(), AppError> {
    let s = settings();
    rate_limit(&format!("signin:ip:{}", client_ip().await), s.signin_per_ip).await?;
    rate_limit(
        &format!("signin:account:{}", login.key()),
        s.signin_per_account,
    )
    .await
}

pub async fn limit_sign_up() -> Result<(), AppError> {
    rate_limit(
        &format!("signup:ip:{}", client_ip().await),
        settings().signup_per_ip,
    )
    .await
}

fn hasher() -> argon2::Argon2<'static> {
    use argon2::{Algorithm, Argon2, Params, Version};
    // OWASP's first choice: argon2id, m = 19 MiB, t = 2, p = 1.
    let params = Params::new(19 * 1024, 2, 1, None).expect("valid argon2 parameters");
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
}

pub async fn hash_password(password: String) -> Result<String, AppError> {
    tokio::task::spawn_blocking(move || {
        use argon2::password_hash::{PasswordHasher, SaltString, rand_core::OsRng};
        let salt = SaltString::generate(&mut OsRng);
        hasher()
            .hash_password(password.as_bytes(), &salt)
            .map(|h| h.to_string())
            .map_err(AppError::internal)
    })
    .await
    .map_err(AppError::internal)?
}

/// Checks a password against a stored hash. Without a hash (no such account) a dummy hash
/// is checked instead, so that a wrong login takes as long as a wrong password.
pub async fn verify_password(password: String, hash: Option<String>) -> Result<bool, AppError> {
    const DUMMY: &str = "$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$3SyrwMwnCK13I4BAWJwVGJ7OtVxwYoTcvwQ8gwUO6Tk";
    tokio::task::spawn_blocking(move || {
        use argon2::password_hash::{PasswordHash, PasswordVerifier};
        let found = hash.is_some();
        let stored = hash.unwrap_or_else(|| DUMMY.to_owned());
        let parsed = PasswordHash::new(&stored).map_err(AppError::internal)?;
        Ok(hasher()
            .verify_password(password.as_bytes(), &parsed)
            .is_ok()
            && found)
    })
    .await
    .map_err(AppError::internal)?
}

/// Starts a signed-in session: a new session id (so a planted id is worthless), then the
/// user id.
pub async fn sign_in_session(user_id: i64) -> Result<(), AppError> {
    let session = session().await?;
    session.cycle_id().await.map_err(AppError::internal)?;
    session
        .insert(USER_ID_KEY, user_id)
        .await
        .map_err(AppError::internal)
}

/// Sets the language cookie (a year; readable by the page, it holds nothing secret).
pub fn set_locale_cookie(locale: crate::i18n::Locale) {
    if let Some(res) = use_context::<leptos_axum::ResponseOptions>() {
        let cookie = format!(
            "{}={}; Path=/; Max-Age=31536000; SameSite=Lax",
            crate::i18n::LOCALE_COOKIE,
            locale.tag()
        );
        if let Ok(value) = http::HeaderValue::from_str(&cookie) {
            res.append_header(http::header::SET_COOKIE, value);
        }
    }
}

/// A redirect target from a form: only paths on this site.
pub fn local_path(next: &str, fallback: &str) -> String {
    // ASCII only: the target goes into a Location header as it is.
    let ok = next.starts_with('/')
        && !next.starts_with("//")
        && next.chars().all(|c| c.is_ascii_graphic() && c != '\\');
    if ok {
        next.to_owned()
    } else {
        fallback.to_owned()
    }
}

/// The language of the request being served: the cookie, else `Accept-Language`.
pub fn request_locale() -> crate::i18n::Locale {
    use crate::i18n::Locale;
    let Some(parts) = use_context::<http::request::Parts>() else {
        return Locale::default();
    };
    let header = |name| parts.headers.get(name).and_then(|v| v.to_str().ok());
    header(http::header::COOKIE)
        .and_then(Locale::from_cookie_header)
        .unwrap_or_else(|| {
            header(http::header::ACCEPT_LANGUAGE)
                .map(Locale::from_accept_language)
                .unwrap_or_default()
        })
}
