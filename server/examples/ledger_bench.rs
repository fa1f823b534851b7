//! Imports a generated 100,000-row enterprise ledger and then merges a second one (10%
//! changed, 1% deregistered, 5% new), through the same parsing and merge as the ledger
//! page, and prints rows a second for each. Run by `bench/ledger`.
//!
//! Uses the database in DATABASE_URL: it creates (and afterwards drops) a database of its
//! own beside it.

use app::ids::UserId;
use std::time::Instant;

use app::orgs::model::CreditCode;
use sqlx::postgres::PgPoolOptions;
use sqlx::{Connection, PgConnection};

const ROWS: u32 = 100_000;

type BoxError = Box<dyn std::error::Error + Send + Sync>;

fn code(n: u32) -> String {
    CreditCode::with_check_char(&format!("914403{n:011}"))
        .map(|c| c.as_str().to_owned())
        .unwrap_or_default()
}

/// A ledger sheet as CSV text: `rows` firms from `start`, with `changed` of them grown and
/// `dead` of them deregistered.
fn sheet(start: u32, rows: u32, changed: u32, dead: u32) -> String {
    let mut out = String::from(
        "企业名称,统一社会信用代码,区,街道,地址,职工人数,青年职工人数,党员人数,团员人数,经营状态\n",
    );
    for i in start..start + rows {
        let grown = u32::from(i % 100 < changed);
        let status = if i % 100 < dead { "注销" } else { "存续" };
        out.push_str(&format!(
            "测试企业{i}有限公司,{},区{},街道{},园区{i}号,{},{},{},{},{status}\n",
            code(i),
            i % 10,
            i % 120,
            20 + i % 300 + grown * 5,
            10 + i % 100,
            i % 7,
            i % 9 + grown,
        ));
    }
    out
}

async fn import(
    conn: &mut PgConnection,
    label: &str,
    text: &str,
    admin: UserId,
) -> Result<(), BoxError> {
    let t = Instant::now();
    let rows = app::uploads::sheet::csv_text_rows(text).map_err(|e| format!("{e:?}"))?;
    let parsed = app::league::ledger::model::parse_ledger(&rows)
        .map_err(|e| format!("{} bad rows", e.len()))?;
    let parse_secs = t.elapsed().as_secs_f64();
    let rows: Vec<_> = parsed.into_iter().map(|(_, r)| r).collect();
    let mut tx = conn.begin().await?;
    let view = app::league::ledger::store::merge(&mut tx, &rows, label, admin)
        .await
        .map_err(|e| format!("{e:?}"))?;
    tx.commit().await?;
    let secs = t.elapsed().as_secs_f64();
    println!(
        "{label}: {} rows in {secs:.2} s ({:.0} rows/s; parsing {parse_secs:.2} s): {} added, {} updated ({} retired), {} unchanged",
        rows.len(),
        rows.len() as f64 / secs,
        view.added,
        view.updated,
        view.retired,
        view.unchanged
    );
    Ok(())
}

#[tokio::main]
async fn main() -> Result<(), BoxError> {
    let url = std::env::var("DATABASE_URL")?;
    let (base, _) = url
        .rsplit_once('/')
        .ok_or("DATABASE_URL has no database name")?;
    let mut admin_conn = PgConnection::connect(&format!("{base}/postgres")).await?;
    sqlx::query("DROP DATABASE IF EXISTS qnej_ledger_bench WITH (FORCE)")
        .execute(&mut admin_conn)
        .await?;
    sqlx::query("CREATE DATABASE qnej_ledger_bench")
        .execute(&mut admin_conn)
        .await?;
    let pool = PgPoolOptions::new()
        .max_connections(2)
        .connect(&format!("{base}/qnej_ledger_bench"))
        .await?;
    server::migrate(&pool).await?;
    let admin: UserId = sqlx::query_scalar(
        "INSERT INTO users (username, display_name, password_hash) VALUES ('admin', 'admin', 'x') RETURNING id",
    )
    .fetch_one(&pool)
    .await?;
    let mut conn = pool.acquire().await?;
    import(&mut conn, "first ledger", &sheet(0, ROWS, 0, 0), admin).await?;
    // The second: the same firms (10% grown, 1% deregistered) and 5% new ones.
    let mut second = sheet(0, ROWS, 10, 1);
    second.push_str(
        sheet(ROWS, ROWS / 20, 0, 0)
            .split_once('\n')
            .map(|(_, rest)| rest)
            .unwrap_or(""),
    );
    import(&mut conn, "second ledger (merge)", &second, admin).await?;
    drop(conn);
    pool.close().await;
    sqlx::query("DROP DATABASE qnej_ledger_bench WITH (FORCE)")
        .execute(&mut admin_conn)
        .await?;
    Ok(())
}
