//! Reads the environment, prepares the database and serves the portal until SIGTERM or
//! Ctrl-C, letting requests in flight finish.

use std::net::SocketAddr;
use std::time::Duration;

use axum::serve::ListenerExt;
use leptos::config::get_configuration;
use server::{BoxError, Settings, demo, migrate, pool_options, router};
use tracing_subscriber::EnvFilter;

/// Chosen by measurement (see the dependency's note in Cargo.toml).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// The sign-in limits (failures only), from `SIGNIN_PER_ACCOUNT`, `SIGNIN_PER_IP` and
/// `SIGNIN_ACCOUNT_CEILING` when set (positive numbers), else the defaults.
fn auth_settings() -> app::auth::session::AuthSettings {
    let number = |name: &str| {
        std::env::var(name)
            .ok()
            .and_then(|v| v.trim().parse::<i32>().ok())
            .filter(|n| *n > 0)
    };
    let defaults = app::auth::session::AuthSettings::default();
    app::auth::session::AuthSettings {
        signin_per_account: number("SIGNIN_PER_ACCOUNT").unwrap_or(defaults.signin_per_account),
        signin_per_ip: number("SIGNIN_PER_IP").unwrap_or(defaults.signin_per_ip),
        signin_account_ceiling: number("SIGNIN_ACCOUNT_CEILING")
            .unwrap_or(defaults.signin_account_ceiling),
        ..defaults
    }
}

/// The key that seals the secret evaluation's ballots: `BALLOT_KEY` (64 hexadecimal
/// digits), else the file `BALLOT_KEY_FILE` (default `ballot.key` in the working folder),
/// made with a new random key the first time. It must never be stored with the database
/// or its backups; losing it before a ballot closes loses that ballot's votes.
fn ballot_key() -> Result<app::org_life::evaluation::ballot::BallotKey, BoxError> {
    use app::org_life::evaluation::ballot::BallotKey;
    if let Ok(hex) = std::env::var("BALLOT_KEY") {
        return BallotKey::from_hex(&hex)
            .ok_or_else(|| "BALLOT_KEY must be 64 hexadecimal digits".into());
    }
    let path: std::path::PathBuf = std::env::var_os("BALLOT_KEY_FILE")
        .map(Into::into)
        .unwrap_or_else(|| "ballot.key".into());
    if !path.exists() {
        use std::io::Write;
        use std::os::unix::fs::OpenOptionsExt;
        let mut file = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .mode(0o600)
            .open(&path)?;
        writeln!(file, "{}", BallotKey::generate_hex())?;
        tracing::warn!(path = %path.display(), "made a new ballot key; keep it apart from the database's backups");
    }
    BallotKey::from_hex(&std::fs::read_to_string(&path)?)
        .ok_or_else(|| format!("{} must hold 64 hexadecimal digits", path.display()).into())
}

/// `TRUST_PROXY`: the number of reverse proxies in front (`1`, `true` or `yes` for one);
/// unset or `0` believes no `X-Forwarded-For`.
fn trusted_proxies() -> Result<u8, BoxError> {
    match std::env::var("TRUST_PROXY").ok().as_deref().map(str::trim) {
        None | Some("" | "0" | "false" | "no") => Ok(0),
        Some("true" | "yes") => Ok(1),
        Some(n) => n
            .parse::<u8>()
            .map_err(|_| "TRUST_PROXY must be a number of proxies (or 1, true, yes)".into()),
    }
}

fn env_flag(name: &str) -> bool {
    std::env::var(name).is_ok_and(|v| matches!(v.as_str(), "1" | "true" | "yes"))
}

#[tokio::main]
async fn main() -> Result<(), BoxError> {
    let filter = EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| EnvFilter::new("info,sqlx=warn,tower_sessions=warn"));
    if std::env::var("LOG_FORMAT").as_deref() == Ok("json") {
        tracing_subscriber::fmt()
            .json()
            .with_env_filter(filter)
            .init();
    } else {
        tracing_subscriber::fmt().with_env_filter(filter).init();
    }

    let upload_dir: std::path::PathBuf = std::env::var_os("UPLOAD_DIR")
        .map(Into::into)
        .unwrap_or_else(|| "uploads".into());
    let database_url = std::env::var("DATABASE_URL")
        .map_err(|_| "DATABASE_URL is not set; start the portal with scripts/run, which provides a local database")?;
    let pool = connect(&database_url).await?;
    migrate(&pool).await?;
    if env_flag("DEMO_DATA") {
        demo::load(&pool, &app::uploads::store::UploadDir(upload_dir.clone())).await?;
    }

    let conf = get_configuration(None)?;
    let mut options = conf.leptos_options;
    // A build with hashed file names leaves its hash file beside this binary: follow it when
    // LEPTOS_HASH_FILES is not set, or the pages would link names the site does not have.
    if std::env::var_os("LEPTOS_HASH_FILES").is_none() {
        options.hash_files = server::hash_file(&options).is_some_and(|p| p.exists());
    }
    let addr = options.site_addr;
    let site_url = std::env::var("SITE_URL")
        .ok()
        .map(|u| u.trim().to_owned())
        .filter(|u| !u.is_empty());
    if site_url
        .as_deref()
        .is_some_and(|u| !(u.starts_with("https://") || u.starts_with("http://")))
    {
        return Err("SITE_URL must start with https:// or http://".into());
    }
    // Secure cookies when the site is served over https, unless SECURE_COOKIES says otherwise.
    let secure_cookies = match std::env::var("SECURE_COOKIES") {
        Ok(_) => env_flag("SECURE_COOKIES"),
        Err(_) => site_url
            .as_deref()
            .is_some_and(|u| u.starts_with("https://")),
    };
    let settings = Settings {
        secure_cookies,
        site_url,
        trust_proxy: trusted_proxies()?,
        upload_dir: std::env::var_os("UPLOAD_DIR")
            .map(Into::into)
            .unwrap_or_default(),
        auth: auth_settings(),
        ballot_key: Some(ballot_key()?),
        upload_quota: std::env::var("UPLOAD_QUOTA_MB")
            .ok()
            .and_then(|v| v.trim().parse::<i64>().ok())
            .filter(|mb| *mb > 0)
            .map_or(0, |mb| mb.saturating_mul(1 << 20)),
        payment_command: std::env::var_os("PAYMENT_COMMAND")
            .filter(|p| !p.is_empty())
            .map(Into::into),
        payment_webhook_secret: std::env::var("PAYMENT_WEBHOOK_SECRET")
            .ok()
            .filter(|s| !s.trim().is_empty())
            .map(|s| app::dues::gateway::WebhookSecret(s.trim().as_bytes().to_vec())),
        sms_wake: Default::default(),
        allow_private_webhooks: std::env::var("WEBHOOK_ALLOW_PRIVATE")
            .is_ok_and(|v| v == "1" || v == "true"),
    };
    let jobs = server::jobs::Jobs {
        ballot_key: settings.ballot_key.clone(),
        upload_dir: settings.uploads(),
        sms_wake: settings.sms_wake.clone(),
        robots: server::webhooks::Sender {
            allow_private: settings.allow_private_webhooks,
            site_url: settings.site_url.clone(),
        },
    };
    let app = router(pool.clone(), options, settings);
    server::jobs::spawn(pool.clone(), jobs);

    // Responses are written in pieces (headers, then the body): without TCP_NODELAY the
    // second piece waits for the client's delayed ACK, some 40 ms a response.
    let listener = tokio::net::TcpListener::bind(&addr).await?.tap_io(|tcp| {
        if let Err(e) = tcp.set_nodelay(true) {
            tracing::warn!("cannot set TCP_NODELAY: {e}");
        }
    });
    tracing::info!("listening on http://{addr}");
    axum::serve(
        listener,
        app.into_make_service_with_connect_info::<SocketAddr>(),
    )
    .with_graceful_shutdown(shutdown_signal())
    .await?;
    pool.close().await;
    tracing::info!("stopped");
    Ok(())
}

/// Waits for the database for up to 30 s at start-up (it may still be starting).
async fn connect(url: &str) -> Result<sqlx::PgPool, BoxError> {
    let mut last = None;
    for _ in 0..30 {
        match pool_options().connect(url).await {
            Ok(pool) => return Ok(pool),
            Err(e) => {
                last = Some(e);
                tokio::time::sleep(Duration::from_secs(1)).await;
            }
        }
    }
    Err(format!(
        "cannot reach the database: {}",
        last.map(|e| e.to_string()).unwrap_or_default()
    )
    .into())
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    tokio::select! {
        _ = ctrl_c => {},
        _ = term => {},
    }
    tracing::info!("shutting down: finishing requests in flight");
}
