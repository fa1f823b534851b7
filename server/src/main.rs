//! Reads the environment, prepares the database and serves the portal until SIGTERM or
//! Ctrl-C, letting requests in flight finish.

use std::net::SocketAddr;
use std::time::Duration;

use leptos::config::get_configuration;
use server::{BoxError, Settings, demo, migrate, pool_options, router};
use tracing_subscriber::EnvFilter;

/// The sign-in limits, from `SIGNIN_PER_ACCOUNT` and `SIGNIN_PER_IP` when set (positive
/// numbers), else the defaults.
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
        ..defaults
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
    let options = conf.leptos_options;
    let addr = options.site_addr;
    let settings = Settings {
        secure_cookies: env_flag("SECURE_COOKIES"),
        trust_proxy: env_flag("TRUST_PROXY"),
        upload_dir: std::env::var_os("UPLOAD_DIR")
            .map(Into::into)
            .unwrap_or_default(),
        auth: auth_settings(),
    };
    let app = router(pool.clone(), options, settings);
    server::jobs::spawn(pool.clone());

    let listener = tokio::net::TcpListener::bind(&addr).await?;
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
