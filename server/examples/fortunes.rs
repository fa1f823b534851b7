//! The yardstick of `bench/pages`: the well-known "fortunes" page written as idiomatic axum +
//! sqlx, on the portal's database with the portal's pool settings (`server::pool_options`)
//! and TCP_NODELAY like the portal. Per request: one query, one row added in memory, sorted
//! by message, an escaped HTML table. The portal's pages are measured against it in the same
//! run, so that the figures say how far the portal is from raw axum on this machine.
//!
//! DATABASE_URL: the database (a `bench_fortunes` table is made in it when missing);
//! FORTUNES_ADDR: where to listen (default 127.0.0.1:3999).

use std::fmt::Write;

use axum::extract::State;
use axum::response::Html;
use axum::routing::get;
use axum::serve::ListenerExt;
use sqlx::{PgPool, Row};

type BoxError = Box<dyn std::error::Error + Send + Sync>;

/// The table's rows: plain lines, lines that must be escaped, and lines in Chinese.
const MESSAGES: [&str; 12] = [
    "学而不思则罔，思而不学则殆。",
    "A watched build never finishes.",
    "<script>alert(\"not run\")</script>",
    "Tom & Jerry's \"quotes\" stay quoted.",
    "千里之行，始于足下。",
    "Premature optimisation is measured after the fact.",
    "Every cache is a promise to forget.",
    "青年e家：学习、积分、组织生活。",
    "The network is reliable until it is a phone.",
    "A test that asserts nothing passes forever.",
    "温故而知新，可以为师矣。",
    "Two cores, twenty-four gigabytes, one benchmark at a time.",
];

#[tokio::main]
async fn main() -> Result<(), BoxError> {
    let url = std::env::var("DATABASE_URL")?;
    let addr = std::env::var("FORTUNES_ADDR").unwrap_or_else(|_| "127.0.0.1:3999".to_owned());
    let pool = server::pool_options().connect(&url).await?;
    seed(&pool).await?;
    let app = axum::Router::new()
        .route("/fortunes", get(fortunes))
        .with_state(pool);
    let listener = tokio::net::TcpListener::bind(&addr).await?.tap_io(|tcp| {
        let _ = tcp.set_nodelay(true);
    });
    println!("fortunes on http://{addr}/fortunes");
    axum::serve(listener, app).await?;
    Ok(())
}

async fn seed(pool: &PgPool) -> Result<(), BoxError> {
    sqlx::query(
        "CREATE TABLE IF NOT EXISTS bench_fortunes (id INT PRIMARY KEY, message TEXT NOT NULL)",
    )
    .execute(pool)
    .await?;
    for (i, m) in MESSAGES.iter().enumerate() {
        sqlx::query("INSERT INTO bench_fortunes VALUES ($1, $2) ON CONFLICT (id) DO NOTHING")
            .bind(i as i32 + 1)
            .bind(*m)
            .execute(pool)
            .await?;
    }
    Ok(())
}

async fn fortunes(State(pool): State<PgPool>) -> Result<Html<String>, (http::StatusCode, String)> {
    let rows = sqlx::query("SELECT id, message FROM bench_fortunes")
        .fetch_all(&pool)
        .await
        .map_err(|e| (http::StatusCode::SERVICE_UNAVAILABLE, e.to_string()))?;
    let mut list: Vec<(i32, String)> = rows
        .iter()
        .map(|r| (r.get("id"), r.get("message")))
        .collect();
    list.push((0, "Added at request time.".to_owned()));
    list.sort_by(|a, b| a.1.cmp(&b.1));
    let mut html = String::from(
        "<!DOCTYPE html><html><head><title>Fortunes</title></head><body><table><tr><th>id</th><th>message</th></tr>",
    );
    for (id, message) in &list {
        let _ = write!(html, "<tr><td>{id}</td><td>{}</td></tr>", escape(message));
    }
    html.push_str("</table></body></html>");
    Ok(Html(html))
}

fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 16);
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#x27;"),
            c => out.push(c),
        }
    }
    out
}
