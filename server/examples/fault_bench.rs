//! The portal through a database restart: serves the real router on a local port with the
//! demo data, drives it with CLIENTS members signing in, sending study heartbeats and
//! answering the daily quiz, restarts Postgres (`pg_ctl restart -m fast`) in the middle and
//! later stops it for four seconds.
//! Prints what the clients saw while the database was away (every answer a 503, none a
//! 500), how long after the database was back the first request succeeded (goal: within
//! 5 s), and whether the points ledger holds exactly the points acknowledged to the clients
//! (nothing lost, nothing doubled). Run by `bench/faults`, which gives the cluster's
//! `pg_ctl` command in FAULT_PG_CTL and its server options in FAULT_PG_OPTS.
//!
//! Uses the database in DATABASE_URL: it makes a scratch database beside it.

use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::{Duration, Instant};

use sqlx::{Connection, PgConnection};
use tokio::net::TcpStream;
use tokio::sync::Mutex;

const CLIENTS: usize = 24;
const RUN: Duration = Duration::from_secs(40);
const RESTART_AT: Duration = Duration::from_secs(12);
const STOP_AT: Duration = Duration::from_secs(24);
const DEMO_PASSWORD: &str = "qnej-demo-2026";

mod shared;
use shared::{BoxError, call, serve};

/// What every client saw: (seconds since the start, status; 0 for no answer at all).
type Seen = Arc<Mutex<Vec<(f64, u16)>>>;

#[tokio::main]
async fn main() -> Result<(), BoxError> {
    let pg_ctl = std::env::var("FAULT_PG_CTL")
        .map_err(|_| "FAULT_PG_CTL (the cluster's pg_ctl command) is not set: run bench/faults")?;
    let pg_opts = std::env::var("FAULT_PG_OPTS").unwrap_or_default();
    let url = std::env::var("DATABASE_URL")?;
    let (base, _) = url
        .rsplit_once('/')
        .ok_or("DATABASE_URL has no database name")?;
    let name = "qnej_fault_bench";
    {
        let mut admin = PgConnection::connect(&format!("{base}/postgres")).await?;
        sqlx::query(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
            .execute(&mut admin)
            .await?;
        sqlx::query(&format!("CREATE DATABASE {name}"))
            .execute(&mut admin)
            .await?;
    }
    let db_url = format!("{base}/{name}");
    let pool = server::pool_options().connect(&db_url).await?;
    server::migrate(&pool).await?;
    let uploads = std::env::temp_dir().join("qnej-fault-bench-uploads");
    server::demo::load(&pool, &app::uploads::store::UploadDir(uploads.clone()))
        .await
        .map_err(|e| format!("demo data: {e}"))?;
    let settings = server::Settings {
        upload_dir: uploads,
        ballot_key: app::org_life::evaluation::ballot::BallotKey::from_hex(
            &app::org_life::evaluation::ballot::BallotKey::generate_hex(),
        ),
        ..Default::default()
    };
    let addr = serve(pool.clone(), settings).await?;
    let article: i64 = sqlx::query_scalar(
        "SELECT id FROM study_items WHERE status = 'published' AND kind = 'article'
           AND scope_org_id IS NULL ORDER BY id LIMIT 1",
    )
    .fetch_one(&pool)
    .await?;
    let phones: Vec<String> = sqlx::query_scalar(
        "SELECT phone FROM users WHERE phone LIKE '139%' AND phone >= '13900000006' ORDER BY phone LIMIT $1",
    )
    .bind(CLIENTS as i64)
    .fetch_all(&pool)
    .await?;
    let answers: BTreeMap<i64, Vec<i16>> =
        sqlx::query_as::<_, (i64, Vec<i16>)>("SELECT id, answer FROM questions")
            .fetch_all(&pool)
            .await?
            .into_iter()
            .collect();
    let answers = Arc::new(answers);
    let started_at: chrono::DateTime<chrono::Utc> =
        sqlx::query_scalar("SELECT now()").fetch_one(&pool).await?;
    println!(
        "{CLIENTS} members for {} s on {addr}; Postgres restarted after {} s, stopped for 4 s after {} s",
        RUN.as_secs(),
        RESTART_AT.as_secs(),
        STOP_AT.as_secs()
    );

    let start = Instant::now();
    let seen: Seen = Arc::default();
    let mut clients = Vec::new();
    for phone in phones {
        let (addr, seen, answers) = (addr.clone(), seen.clone(), answers.clone());
        clients.push(tokio::spawn(async move {
            member(&addr, &phone, article, start, &seen, &answers).await
        }));
    }
    // Two outages: the restart the issue names, then the database stopped for a few
    // seconds before it starts again.
    let mut outages = Vec::new();
    for (at, command) in [
        (RESTART_AT, format!("{pg_ctl} restart -m fast -w -t 60")),
        (
            STOP_AT,
            format!(
                "{pg_ctl} stop -m fast -w -t 60 && sleep 4 && {pg_ctl} start -w -t 60 -o '{pg_opts}'"
            ),
        ),
    ] {
        tokio::time::sleep(at.saturating_sub(start.elapsed())).await;
        let down = start.elapsed().as_secs_f64();
        let out = tokio::task::spawn_blocking(move || {
            std::process::Command::new("sh")
                .arg("-c")
                .arg(command)
                .output()
        })
        .await??;
        if !out.status.success() {
            return Err(format!("pg_ctl failed: {}", String::from_utf8_lossy(&out.stderr)).into());
        }
        outages.push((down, start.elapsed().as_secs_f64()));
    }
    let mut acknowledged = 0i64;
    let mut unsure = Vec::new();
    for c in clients {
        let (acked, phone) = c.await??;
        acknowledged += acked.0;
        if acked.1 {
            unsure.push(phone);
        }
    }
    // A quiz sheet whose answer was lost is read back: a sheet is graded once, and its
    // result says what it paid.
    for phone in &unsure {
        acknowledged += quiz_result(&addr, phone).await?;
    }

    let seen = seen.lock().await.clone();
    let mut recovered = 0f64;
    let mut outage_lines = Vec::new();
    for (down, up) in &outages {
        let during: Vec<u16> = seen
            .iter()
            .filter(|(t, _)| t >= down && t < up)
            .map(|(_, s)| *s)
            .collect();
        let back = seen
            .iter()
            .filter(|(t, s)| t >= up && *s == 200)
            .map(|(t, _)| *t)
            .fold(f64::INFINITY, f64::min);
        recovered = recovered.max(back - up);
        let mut by_status: BTreeMap<u16, usize> = BTreeMap::new();
        for s in &during {
            *by_status.entry(*s).or_default() += 1;
        }
        // A 200 here is a request the database finished before it went.
        outage_lines.push(format!(
            "database away from {down:.1} s to {up:.1} s ({:.1} s): answers by status {by_status:?}; first success {:.2} s after it was back",
            up - down,
            back - up
        ));
    }
    let after_500 = seen.iter().filter(|(_, s)| *s >= 500 && *s != 503).count();
    let ledger: i64 = sqlx::query_scalar(
        "SELECT coalesce(sum(l.points), 0)::bigint FROM point_ledger l JOIN point_rules r ON r.id = l.rule_id
         WHERE l.created_at >= $1 AND r.code IN ('article_read', 'reading_time', 'daily_quiz')",
    )
    .bind(started_at)
    .fetch_one(&pool)
    .await?;
    let twice: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM (SELECT user_id, source_kind, source_id, rule_id FROM point_ledger
         WHERE created_at >= $1 AND source_kind = 'quiz' GROUP BY 1, 2, 3, 4 HAVING count(*) > 1) d",
    )
    .bind(started_at)
    .fetch_one(&pool)
    .await?;

    let mut statuses: BTreeMap<u16, usize> = BTreeMap::new();
    for (_, s) in &seen {
        *statuses.entry(*s).or_default() += 1;
    }
    println!("requests: {} ({statuses:?}; 0 = no answer)", seen.len());
    for line in &outage_lines {
        println!("{line}");
    }
    println!("5xx other than 503 in the whole run: {after_500}");
    println!("slowest recovery: {recovered:.2} s (goal: within 5 s)");
    println!(
        "points acknowledged to clients {acknowledged}, in the ledger {ledger}; quiz sheets paid twice: {twice}"
    );
    let ok = recovered <= 5.0 && after_500 == 0 && acknowledged == ledger && twice == 0;
    println!("{}", if ok { "PASS" } else { "FAIL" });
    if !ok {
        std::process::exit(1);
    }
    Ok(())
}

/// One member until the run ends: signs in, reads the article with a heartbeat a second,
/// answers the daily quiz once. Answers the points acknowledged, and whether a quiz sheet's
/// answer was lost (to read back).
async fn member(
    addr: &str,
    phone: &str,
    article: i64,
    start: Instant,
    seen: &Seen,
    answers: &BTreeMap<i64, Vec<i16>>,
) -> Result<((i64, bool), String), BoxError> {
    let mut conn: Option<TcpStream> = None;
    let mut cookie = String::new();
    let mut acked = 0i64;
    let mut quiz_done = false;
    let mut quiz_unsure = false;
    let mut first_beat = true;
    let mut n = 0u32;
    while start.elapsed() < RUN {
        n += 1;
        let (path, body) = if cookie.is_empty() {
            (
                "/api/sign_in",
                format!("login={phone}&password={DEMO_PASSWORD}&next="),
            )
        } else if !quiz_done && n.is_multiple_of(7) {
            ("/api/start_quiz", "kind=daily".to_owned())
        } else {
            (
                "/api/study_beat",
                format!("id={article}&start={first_beat}"),
            )
        };
        let reply = send(&mut conn, addr, &cookie, path, &body).await;
        let t = start.elapsed().as_secs_f64();
        let status = reply.as_ref().map_or(0, |r| r.0);
        seen.lock().await.push((t, status));
        match (path, reply) {
            ("/api/sign_in", Ok((200, _, Some(c)))) => cookie = c,
            ("/api/study_beat", Ok((200, body, _))) => {
                first_beat = false;
                let v: serde_json::Value = serde_json::from_str(&body)?;
                acked += v["points"].as_i64().unwrap_or(0);
            }
            ("/api/start_quiz", Ok((200, body, _))) => {
                let v: serde_json::Value = serde_json::from_str(&body)?;
                let picks: Vec<String> = v["questions"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .filter_map(|q| q["id"].as_i64())
                    .flat_map(|q| {
                        answers
                            .get(&q)
                            .into_iter()
                            .flatten()
                            .map(move |o| format!("{q}:{o}"))
                    })
                    .collect();
                let body = format!(
                    "attempt_id={}&answers={}",
                    v["attempt_id"],
                    picks.join("%2C")
                );
                let reply = send(&mut conn, addr, &cookie, "/api/submit_quiz", &body).await;
                let t = start.elapsed().as_secs_f64();
                let status = reply.as_ref().map_or(0, |r| r.0);
                seen.lock().await.push((t, status));
                match reply {
                    Ok((200, body, _)) => {
                        let v: serde_json::Value = serde_json::from_str(&body)?;
                        acked += v["points"].as_i64().unwrap_or(0);
                        quiz_done = true;
                    }
                    // Refused before anything was written, or unknown: read back at the end.
                    Ok((503, _, _)) => {}
                    Ok((409, _, _)) | Ok((_, _, _)) | Err(_) => {
                        quiz_done = true;
                        quiz_unsure = true;
                    }
                }
            }
            _ => {}
        }
        tokio::time::sleep(Duration::from_millis(if path == "/api/sign_in" {
            50
        } else {
            1000
        }))
        .await;
    }
    Ok(((acked, quiz_unsure), phone.to_owned()))
}

/// The points the member's graded daily quiz paid, read back through the quiz page's
/// function (which returns a graded sheet with its result).
async fn quiz_result(addr: &str, phone: &str) -> Result<i64, BoxError> {
    let mut conn = None;
    let (_, _, cookie) = send(
        &mut conn,
        addr,
        "",
        "/api/sign_in",
        &format!("login={phone}&password={DEMO_PASSWORD}&next="),
    )
    .await?;
    let cookie = cookie.ok_or("no session")?;
    let (status, body, _) = send(&mut conn, addr, &cookie, "/api/start_quiz", "kind=daily").await?;
    if status != 200 {
        return Err(format!("reading a quiz back answered {status}: {body}").into());
    }
    let v: serde_json::Value = serde_json::from_str(&body)?;
    Ok(v["result"]["points"].as_i64().unwrap_or(0))
}

/// One request on the client's kept-alive connection (a new one after any failure): the
/// status, the body and a new session cookie if one was set.
async fn send(
    conn: &mut Option<TcpStream>,
    addr: &str,
    cookie: &str,
    path: &str,
    body: &str,
) -> Result<(u16, String, Option<String>), BoxError> {
    if conn.is_none() {
        let stream = TcpStream::connect(addr).await?;
        stream.set_nodelay(true)?;
        *conn = Some(stream);
    }
    let stream = conn.as_mut().ok_or("no connection")?;
    let result = tokio::time::timeout(
        Duration::from_secs(20),
        call(stream, addr, cookie, path, body),
    )
    .await
    .map_err(|_| BoxError::from("timed out"))
    .and_then(|r| r);
    if result.is_err() {
        *conn = None;
    }
    result
}
