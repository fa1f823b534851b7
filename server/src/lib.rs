//! The 青年e家 server: configuration, the database, sessions, the security layers and the
//! router. `main.rs` only reads the environment and serves what [`router`] builds, so that
//! the tests drive the very same router.

pub mod answers;
pub mod calendar_feed;
pub mod demo;
pub mod dues_export;
pub mod dues_notify;
pub mod jobs;
pub mod ledger_export;
pub mod life_export;
pub mod mail;
pub mod report_export;
pub mod security;
pub mod session_cache;
pub mod sms;
pub mod uploads;
pub mod webhooks;

use std::time::Duration;

use app::auth::session::AuthSettings;
use app::uploads::store::UploadDir;
use app::{App, shell};
use axum::Router;
use axum::extract::{FromRef, State};
use axum::middleware::{from_fn, from_fn_with_state};
use axum::response::IntoResponse;
use axum::routing::get;
use leptos::prelude::*;
use leptos_axum::{LeptosRoutes, generate_route_list};
use sqlx::PgPool;
use sqlx::postgres::PgPoolOptions;
use tower_http::compression::{CompressionLayer, CompressionLevel};
use tower_http::services::ServeDir;
use tower_sessions::{Expiry, SessionManagerLayer, cookie::SameSite};
use tower_sessions_sqlx_store::PostgresStore;

/// What the handlers share.
#[derive(Clone, FromRef)]
pub struct AppState {
    pub leptos_options: LeptosOptions,
    pub pool: PgPool,
    pub uploads: UploadDir,
    /// The most bytes one member's uploads may take.
    pub upload_quota: i64,
    /// What the payment provider signs its notifications with.
    pub payment_secret: Option<app::dues::gateway::WebhookSecret>,
}

/// Settings that vary between installations.
#[derive(Clone, Debug, Default)]
pub struct Settings {
    /// Mark the session cookie `Secure` (when served over https).
    pub secure_cookies: bool,
    /// The reverse proxies in front that append to `X-Forwarded-For` (0: none, believe no
    /// such header).
    pub trust_proxy: u8,
    pub auth: AuthSettings,
    /// Where uploads are kept (`UPLOAD_DIR`); `uploads` in the working folder when empty.
    pub upload_dir: std::path::PathBuf,
    /// The most bytes one member's uploads may take (`UPLOAD_QUOTA_MB`); 0 for the default
    /// of 2 GiB.
    pub upload_quota: i64,
    /// The public address (`SITE_URL`, e.g. `https://qnej.example.cn`): links in text
    /// messages use it rather than the request's Host header.
    pub site_url: Option<String>,
    /// The key the secret evaluation's ballots are sealed with (`BALLOT_KEY`); never stored
    /// in the database. Without one, ballots cannot be cast.
    pub ballot_key: Option<app::org_life::evaluation::ballot::BallotKey>,
    /// The payment provider's command for online dues (`PAYMENT_COMMAND`); without one,
    /// online payments wait for the branch to confirm.
    pub payment_command: Option<std::path::PathBuf>,
    /// The secret the provider signs its notifications to `/dues/notify` with
    /// (`PAYMENT_WEBHOOK_SECRET`); without one, notifications are refused.
    pub payment_webhook_secret: Option<app::dues::gateway::WebhookSecret>,
    /// Wakes the text-message sender when a one-time code is queued (shared with the jobs).
    pub sms_wake: app::auth::session::SmsWake,
    /// Group robots' webhooks may point inside the network (`WEBHOOK_ALLOW_PRIVATE`): for a
    /// test's local receiver only.
    pub allow_private_webhooks: bool,
}

impl Settings {
    /// The upload folder: `upload_dir`, or `uploads` in the working folder.
    pub fn uploads(&self) -> UploadDir {
        UploadDir(if self.upload_dir.as_os_str().is_empty() {
            "uploads".into()
        } else {
            self.upload_dir.clone()
        })
    }
}

/// Each member's upload space unless `UPLOAD_QUOTA_MB` says otherwise.
pub const DEFAULT_UPLOAD_QUOTA: i64 = 2 << 30;

/// A pool that fails fast: a request waits at most 3 s for a connection, so a database
/// outage gives quick errors, and the pool reconnects by itself when it is back.
pub fn pool_options() -> PgPoolOptions {
    PgPoolOptions::new()
        .max_connections(16)
        .min_connections(1)
        .acquire_timeout(Duration::from_secs(3))
        .idle_timeout(Duration::from_secs(600))
        // A connection in steady use is not pinged before each request (a round trip per
        // request saved); one idle for half a minute is, so that a restarted database costs
        // no request. A connection that breaks mid-request is dropped by the pool.
        .test_before_acquire(false)
        .before_acquire(|conn, meta| {
            Box::pin(async move {
                if meta.idle_for > Duration::from_secs(30) {
                    sqlx::Connection::ping(conn).await?;
                }
                Ok(true)
            })
        })
}

/// Applies the schema migrations and the session store's table.
pub async fn migrate(pool: &PgPool) -> Result<(), BoxError> {
    sqlx::migrate!("./migrations").run(pool).await?;
    PostgresStore::new(pool.clone()).migrate().await?;
    Ok(())
}

/// Any error, for start-up code that only reports and exits.
pub type BoxError = Box<dyn std::error::Error + Send + Sync>;

/// The application's routes, listed once per process. Listing them runs the app with every
/// resource's loading suppressed by a flag the whole process shares, and a resource first
/// polled meanwhile by a page being served waits for ever: a second router built while
/// another serves (as the tests do, one per test) would stall that one's pages.
fn route_list() -> Vec<leptos_axum::AxumRouteListing> {
    static ROUTES: std::sync::OnceLock<Vec<leptos_axum::AxumRouteListing>> =
        std::sync::OnceLock::new();
    ROUTES.get_or_init(|| generate_route_list(App)).clone()
}

/// The whole application: pages, server functions, static files, health check, and the
/// layers around them.
pub fn router(pool: PgPool, leptos_options: LeptosOptions, settings: Settings) -> Router {
    let routes = route_list();
    let upload_dir = settings.uploads();
    let state = AppState {
        leptos_options: leptos_options.clone(),
        pool: pool.clone(),
        uploads: upload_dir.clone(),
        upload_quota: if settings.upload_quota > 0 {
            settings.upload_quota
        } else {
            DEFAULT_UPLOAD_QUOTA
        },
        payment_secret: settings.payment_webhook_secret.clone(),
    };
    let context = {
        let pool = pool.clone();
        let auth = settings.auth.clone();
        let upload_dir = upload_dir.clone();
        let ballot_key = settings.ballot_key.clone();
        let gateway = settings.payment_command.clone().map(|program| {
            app::dues::gateway::Gateway(std::sync::Arc::new(app::dues::gateway::CommandGateway {
                program,
            }))
        });
        let awarded_today = app::points::flow::AwardedToday::default();
        let sms_wake = settings.sms_wake.clone();
        let allow_private =
            app::notices::robots::flow::AllowPrivateWebhooks(settings.allow_private_webhooks);
        let site_url = settings
            .site_url
            .clone()
            .map(app::league::founding::flow::SiteUrl);
        move || {
            // The reader's language, also for server functions the browser calls after the
            // first page (their charts and other words come back in it).
            provide_context(app::auth::session::request_locale());
            // Who is asking, read at most once for the whole request.
            provide_context(app::auth::session::Asking::default());
            provide_context(awarded_today.clone());
            provide_context(pool.clone());
            provide_context(auth.clone());
            provide_context(upload_dir.clone());
            provide_context(sms_wake.clone());
            provide_context(allow_private);
            if let Some(key) = &ballot_key {
                provide_context(key.clone());
            }
            if let Some(g) = &gateway {
                provide_context(g.clone());
            }
            if let Some(url) = &site_url {
                provide_context(url.clone());
            }
        }
    };

    let store = session_cache::KeptSessions::new(PostgresStore::new(pool.clone()));
    let sessions = SessionManagerLayer::new(store)
        .with_name("qnej_session")
        .with_http_only(true)
        .with_same_site(SameSite::Lax)
        .with_secure(settings.secure_cookies)
        .with_expiry(Expiry::OnInactivity(
            tower_sessions::cookie::time::Duration::days(14),
        ));

    let trust = security::TrustProxy(settings.trust_proxy);
    let pkg = pkg_service(&leptos_options);
    Router::new()
        .route("/healthz", get(healthz))
        .route("/api/uploads", axum::routing::post(uploads::upload))
        .route("/admin/ledger/export.csv", get(ledger_export::export))
        .route("/calendar/{file}", get(calendar_feed::feed))
        .route("/orglife/export.csv", get(life_export::export))
        .route("/dues/notify", axum::routing::post(dues_notify::notify))
        .route("/orglife/dues/export.csv", get(dues_export::csv))
        .route("/orglife/dues/export.xlsx", get(dues_export::xlsx))
        .route("/dashboard/export.csv", get(report_export::csv))
        .route("/dashboard/export.xlsx", get(report_export::xlsx))
        .route("/media/{file}", get(uploads::media))
        .nest_service(&format!("/{}", leptos_options.site_pkg_dir), pkg)
        .leptos_routes_with_context(&state, routes, context.clone(), {
            let options = leptos_options.clone();
            move || shell(options.clone())
        })
        .fallback(leptos_axum::file_and_error_handler_with_context::<
            AppState,
            _,
        >(context, shell))
        .layer(from_fn(security::page_gate))
        .layer(from_fn_with_state(
            answers::Answers {
                pool: pool.clone(),
                secure: settings.secure_cookies,
            },
            answers::carry,
        ))
        .layer(sessions)
        .layer(from_fn(security::server_fn_status))
        .layer(from_fn(security::same_origin))
        .layer(from_fn(security::security_headers))
        .layer(CompressionLayer::new().quality(CompressionLevel::Fastest))
        .layer(from_fn(security::request_id))
        .layer(from_fn_with_state(trust, add_trust))
        .with_state(state)
}

/// The bundle, compressed ahead of time when the release build made .br/.gz files. Files
/// whose names carry their content's hash (the build's hash file lists them) never change:
/// phones keep them for a year without asking again. Anything else is revalidated.
fn pkg_service(options: &LeptosOptions) -> axum::routing::MethodRouter {
    let dir = std::path::Path::new(&*options.site_root).join(&*options.site_pkg_dir);
    let hashed = std::sync::Arc::new(hashed_files(options));
    let files = ServeDir::new(dir).precompressed_br().precompressed_gzip();
    axum::routing::get_service(files).layer(axum::middleware::map_response_with_state(
        hashed,
        |State(hashed): State<std::sync::Arc<Vec<String>>>,
         axum::extract::OriginalUri(uri): axum::extract::OriginalUri,
         mut res: axum::response::Response| async move {
            let name = uri.path().rsplit('/').next().unwrap_or_default();
            let value = if res.status().is_success() && hashed.iter().any(|h| h == name) {
                "public, max-age=31536000, immutable"
            } else {
                "no-cache"
            };
            res.headers_mut().insert(
                http::header::CACHE_CONTROL,
                http::HeaderValue::from_static(value),
            );
            res
        },
    ))
}

/// The bundle's file names with their hash (`qnej.<hash>.wasm`), from the hash file the build
/// writes beside the server binary when `LEPTOS_HASH_FILES` is on; none otherwise.
fn hashed_files(options: &LeptosOptions) -> Vec<String> {
    if !options.hash_files {
        return vec![];
    }
    let Some(text) = hash_file(options).and_then(|p| std::fs::read_to_string(p).ok()) else {
        tracing::warn!("LEPTOS_HASH_FILES is on but the hash file cannot be read");
        return vec![];
    };
    text.lines()
        .filter_map(|line| line.split_once(':'))
        .filter_map(|(kind, hash)| {
            let ext = match kind.trim() {
                "js" => "js",
                "wasm" => "wasm",
                "css" => "css",
                _ => return None,
            };
            Some(format!("{}.{}.{ext}", options.output_name, hash.trim()))
        })
        .collect()
}

/// Where the build leaves the hash file: beside this server binary, as Leptos reads it.
pub fn hash_file(options: &LeptosOptions) -> Option<std::path::PathBuf> {
    let exe = std::env::current_exe().ok()?;
    Some(exe.parent()?.join(&*options.hash_file))
}

async fn add_trust(
    State(trust): State<security::TrustProxy>,
    mut req: axum::extract::Request,
    next: axum::middleware::Next,
) -> axum::response::Response {
    req.extensions_mut().insert(trust);
    next.run(req).await
}

/// 200 when the database answers within 2 s, else 503.
async fn healthz(State(pool): State<PgPool>) -> impl IntoResponse {
    let check = tokio::time::timeout(
        Duration::from_secs(2),
        sqlx::query("SELECT 1").execute(&pool),
    )
    .await;
    match check {
        Ok(Ok(_)) => (http::StatusCode::OK, "ok\n"),
        Ok(Err(e)) => {
            tracing::error!(error = %e, "health check: database error");
            (
                http::StatusCode::SERVICE_UNAVAILABLE,
                "database unavailable\n",
            )
        }
        Err(_) => {
            tracing::error!("health check: database timed out");
            (
                http::StatusCode::SERVICE_UNAVAILABLE,
                "database unavailable\n",
            )
        }
    }
}
