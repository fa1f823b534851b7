//! Server-side plumbing shared by every server function: the database pool, the session,
//! the caller's identity and roles, the client's address, password hashing and rate limits.

use leptos::prelude::*;
use sqlx::{PgConnection, PgPool, Postgres, Transaction};
use tower_sessions::Session;

use super::model::{Actor, Claim};
use crate::error::AppError;
use crate::ids::{OrgId, UserId};

/// The session key under which the signed-in user's id is stored.
pub const USER_ID_KEY: &str = "uid";
/// The session key of the account's session epoch at sign-in (see `store::set_password_hash`).
pub const EPOCH_KEY: &str = "epoch";

/// Settings the server hands to the app through context.
#[derive(Clone, Debug)]
pub struct AuthSettings {
    /// Failed sign-ins allowed for one account from one client address, and from one
    /// address over all accounts, in one window (successes never count).
    pub signin_per_account: i32,
    pub signin_per_ip: i32,
    /// Failed sign-ins of one account from everywhere after which each address that has
    /// failed on it waits longer after every further failure.
    pub signin_account_ceiling: i32,
    /// Sign-ups allowed per client address in one window.
    pub signup_per_ip: i32,
    pub window_secs: i64,
}

impl Default for AuthSettings {
    fn default() -> Self {
        Self {
            signin_per_account: 5,
            signin_per_ip: 50,
            signin_account_ceiling: 20,
            signup_per_ip: 30,
            window_secs: 15 * 60,
        }
    }
}

/// Wakes the server's text-message sender at once (a one-time code should not wait for its
/// next round).
#[derive(Clone, Debug, Default)]
pub struct SmsWake(pub std::sync::Arc<tokio::sync::Notify>);

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

/// Who the session says is signed in, if anyone; to be checked against the database with
/// [`require_actor`] or `store::live_session_sql`. A session that cannot be read counts as
/// signed out.
pub async fn claim_of(session: &Session) -> Option<Claim> {
    let user_id = session.get::<UserId>(USER_ID_KEY).await.ok().flatten()?;
    let epoch = session
        .get::<i32>(EPOCH_KEY)
        .await
        .ok()
        .flatten()
        .unwrap_or(0);
    Some(Claim {
        user_id,
        session_id: session.id()?.to_string(),
        epoch,
    })
}

/// The claim of this request's session (see [`claim_of`]).
pub async fn claim() -> Result<Option<Claim>, AppError> {
    Ok(claim_of(&session().await?).await)
}

/// The caller's claim, or `Unauthenticated`.
pub async fn require_claim() -> Result<Claim, AppError> {
    claim().await?.ok_or(AppError::Unauthenticated)
}

/// The signed-in user's id when the session is live, checked in the database.
pub async fn live_user_id(conn: &mut PgConnection) -> Result<Option<UserId>, AppError> {
    match claim().await? {
        Some(c) if super::store::is_live(conn, &c).await? => Ok(Some(c.user_id)),
        _ => Ok(None),
    }
}

/// The signed-in caller and what the page around them shows of them: their roles and how
/// many messages wait unread.
#[derive(Clone, Debug)]
pub struct Viewer {
    pub actor: Actor,
    pub unread: i64,
}

/// Who is asking, read once per request and shared by every server function of that
/// request: a page's resources and the tab bar's badge make one read of the viewer, not one
/// each. The server provides a fresh one in each request's context; without one (a test
/// calling a function directly), every call reads.
///
/// A page may read the viewer in the same statement as its own facts (see
/// [`page_brings_viewer`] and [`Bringing`]); the request's other readers then wait for
/// that statement instead of asking on their own.
#[derive(Clone, Default)]
pub struct Asking(std::sync::Arc<AskingInner>);

#[derive(Default)]
struct AskingInner {
    viewer: tokio::sync::OnceCell<Option<Viewer>>,
    /// The page reads the viewer with its facts.
    brought: std::sync::atomic::AtomicBool,
    /// The page's read has ended, with or without a viewer.
    settled: std::sync::atomic::AtomicBool,
    news: tokio::sync::Notify,
}

impl Asking {
    /// The viewer of `claim`: read from the database on the first call, the same answer on
    /// every later one.
    pub async fn viewer(
        &self,
        conn: &mut PgConnection,
        claim: &Claim,
    ) -> Result<Option<Viewer>, AppError> {
        if let Some(known) = self.brought().await {
            return Ok(known);
        }
        Ok(self
            .0
            .viewer
            .get_or_try_init(|| read_viewer(conn, claim))
            .await?
            .clone())
    }

    /// The viewer once known. While the page's own statement is reading it, waits for that
    /// statement; `None` when the caller has to read it (nobody has, or the page's read
    /// ended without one).
    async fn brought(&self) -> Option<Option<Viewer>> {
        use std::sync::atomic::Ordering::Acquire;
        loop {
            // Made before the checks, so that news sent between them is not missed.
            let news = self.0.news.notified();
            if let Some(known) = self.0.viewer.get() {
                return Some(known.clone());
            }
            if !self.0.brought.load(Acquire) || self.0.settled.load(Acquire) {
                return None;
            }
            news.await;
        }
    }

    fn settle(&self) {
        self.0
            .settled
            .store(true, std::sync::atomic::Ordering::Release);
        self.0.news.notify_waiters();
    }
}

/// Said by a page while it renders, before its resources start: its server function reads
/// the viewer in its own statement (with a [`Bringing`]), so the tab bar and the other
/// readers of this request wait for that instead of reading it themselves.
pub fn page_brings_viewer() {
    if let Some(asking) = use_context::<Asking>() {
        asking
            .0
            .brought
            .store(true, std::sync::atomic::Ordering::Release);
    }
}

/// A page's server function reading the viewer with its facts. Made before anything that
/// can fail, so that however the function ends the request's other readers stop waiting
/// (they then read the viewer themselves).
pub struct Bringing(Option<Asking>);

impl Bringing {
    pub fn start() -> Self {
        Self(use_context::<Asking>())
    }

    /// The viewer read by the page's statement (`None`: the session is no longer live),
    /// shared with the request; the caller's actor, or `Unauthenticated`.
    pub fn found(self, viewer: Option<(Actor, i64)>) -> Result<Actor, AppError> {
        let viewer = viewer.map(|(actor, unread)| Viewer { actor, unread });
        if let Some(asking) = &self.0 {
            // A reader that asked before the page said it would bring the viewer may have
            // read it already: the same answer, from the same moment.
            let _ = asking.0.viewer.set(viewer.clone());
        }
        viewer.map(|v| v.actor).ok_or(AppError::Unauthenticated)
    }
}

impl Drop for Bringing {
    fn drop(&mut self) {
        if let Some(asking) = &self.0 {
            asking.settle();
        }
    }
}

/// The viewer when this request already knows it or its page is reading it (waiting for
/// that), so that a caller needs no connection; `None` when the caller has to read it.
pub async fn known_viewer() -> Option<Option<Viewer>> {
    use_context::<Asking>()?.brought().await
}

/// The signed-in caller with their roles and unread count, `None` when signed out or when
/// the session is no longer live (signed out on another server, or older than the account's
/// last password change). Read once per request (see [`Asking`]).
pub async fn viewer(conn: &mut PgConnection) -> Result<Option<Viewer>, AppError> {
    let asking = use_context::<Asking>();
    let Some(claim) = claim().await? else {
        return Ok(None);
    };
    match asking {
        Some(asking) => asking.viewer(conn, &claim).await,
        None => read_viewer(conn, &claim).await,
    }
}

async fn read_viewer(conn: &mut PgConnection, claim: &Claim) -> Result<Option<Viewer>, AppError> {
    let found = super::store::actor(conn, claim).await?;
    Ok(found.map(|(actor, unread)| Viewer { actor, unread }))
}

/// The signed-in caller and their roles, or `Unauthenticated`. Every server function that
/// needs a user starts here, then asks the returned `Actor` about the organization at hand.
/// A session signed out on another server, or older than the account's last password
/// change, is refused here at once.
pub async fn require_actor(conn: &mut PgConnection) -> Result<Actor, AppError> {
    viewer(conn)
        .await?
        .map(|v| v.actor)
        .ok_or(AppError::Unauthenticated)
}

/// The actor of a claim, when its session is live (read now, not shared with the request).
pub async fn actor_of(conn: &mut PgConnection, claim: &Claim) -> Result<Actor, AppError> {
    super::store::actor(conn, claim)
        .await?
        .map(|(actor, _)| actor)
        .ok_or(AppError::Unauthenticated)
}

/// Content for a scope (the platform when `None`, else an organization and everything
/// under it) may be published or changed by platform admins, and for an organization by
/// anyone who manages it.
pub async fn require_scope(
    conn: &mut PgConnection,
    actor: &Actor,
    scope: Option<OrgId>,
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
    org_id: OrgId,
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
        Some(retry_after_secs) => Err(refuse_for(retry_after_secs)),
        None => Ok(()),
    }
}

/// The counters a sign-in consults: this account from this address, this address, and this
/// account. An account is its user id, so that a phone number and a user name count as one;
/// a login that names nobody counts under its own text.
fn sign_in_keys(account: &str, ip: &str) -> [String; 3] {
    [
        format!("signin:fail:{account}:{ip}"),
        format!("signin:fail-ip:{ip}"),
        format!("signin:fail-account:{account}"),
    ]
}

/// Whether this address may try to sign in to `account` now (see
/// [`super::model::sign_in_gate`]); `RateLimited` with the wait when not.
pub async fn limit_sign_in(conn: &mut PgConnection, account: &str) -> Result<(), AppError> {
    use super::model::{SignInFailures, SignInLimits, sign_in_gate};
    let s = settings();
    let ip = client_ip().await;
    let (counts, left) =
        super::store::window_counts(conn, &sign_in_keys(account, &ip), s.window_secs).await?;
    let failures = SignInFailures {
        pair: counts[0].0,
        address: counts[1].0,
        account: counts[2].0,
        since_account_failure: counts[2].1,
        window_left: left,
    };
    let limits = SignInLimits {
        per_pair: s.signin_per_account,
        per_address: s.signin_per_ip,
        account_ceiling: s.signin_account_ceiling,
        window_secs: s.window_secs,
    };
    sign_in_gate(&failures, &limits).map_err(refuse_for)
}

/// Counts a failed sign-in against this address and `account`.
pub async fn count_sign_in_failure(conn: &mut PgConnection, account: &str) -> Result<(), AppError> {
    let window = settings().window_secs;
    for key in sign_in_keys(account, &client_ip().await) {
        super::store::hit_rate_limit(conn, &key, window, i32::MAX).await?;
    }
    Ok(())
}

/// A successful sign-in forgets this address's failures on the account (typos before it).
pub async fn clear_sign_in_failures(
    conn: &mut PgConnection,
    account: &str,
) -> Result<(), AppError> {
    let [pair, ..] = sign_in_keys(account, &client_ip().await);
    Ok(super::store::clear_rate_limit(conn, &pair).await?)
}

/// `RateLimited` with the wait, also as a `Retry-After` header.
fn refuse_for(retry_after_secs: u64) -> AppError {
    if let Some(res) = use_context::<leptos_axum::ResponseOptions>() {
        res.insert_header(
            http::header::RETRY_AFTER,
            http::HeaderValue::from(retry_after_secs),
        );
    }
    AppError::RateLimited { retry_after_secs }
}

/// Refuses an attempt while `key` has `limit` failures in the current window of
/// `window_secs`; count a failure with [`count_failure`]. For guesses that only failures
/// should limit (check-in codes).
pub async fn limit_failures(
    conn: &mut PgConnection,
    key: &str,
    limit: i32,
    window_secs: i64,
) -> Result<(), AppError> {
    let (counts, left) = super::store::window_counts(conn, &[key.to_owned()], window_secs).await?;
    if counts[0].0 >= limit {
        return Err(refuse_for(left.ceil().max(1.0) as u64));
    }
    Ok(())
}

/// Counts a failure under `key` (see [`limit_failures`]).
pub async fn count_failure(
    conn: &mut PgConnection,
    key: &str,
    window_secs: i64,
) -> Result<(), AppError> {
    super::store::hit_rate_limit(conn, key, window_secs, i32::MAX).await?;
    Ok(())
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
/// user id and the account's session epoch.
pub async fn sign_in_session(user_id: UserId, epoch: i32) -> Result<(), AppError> {
    let session = session().await?;
    session.cycle_id().await.map_err(AppError::internal)?;
    session
        .insert(USER_ID_KEY, user_id)
        .await
        .map_err(AppError::internal)?;
    keep_epoch(epoch).await
}

/// Keeps the account's new session epoch in this session (after a password change made
/// here, which ends the account's other sessions but not this one).
pub async fn keep_epoch(epoch: i32) -> Result<(), AppError> {
    session()
        .await?
        .insert(EPOCH_KEY, epoch)
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
