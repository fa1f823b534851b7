//! Boards at scale: generates MEMBERS members in BRANCHES branches (under companies of 100
//! branches, under one industry committee) and EVENTS ledger events over the last 30 days
//! with their running totals, then serves the real router on a local port and measures,
//! over HTTP with 8 concurrent clients, the top-50 member boards for each scope and period,
//! "my rank" for members at the top, the middle and the tail, and organization boards.
//! Runs each kind alone (its requests only), then all kinds mixed in a shuffled order, and
//! prints p50/p95/p99 per kind of request and the throughput of both. Run by `bench/rankings`.
//!
//! Sizes come from the environment (defaults: the 1,000,000 / 20,000 / 50,000,000);
//! GENERATE_ONLY=1 stops after generating.
//! Uses the database in DATABASE_URL: it creates a database of its own beside it and keeps
//! it (generating takes long), reusing it when it already holds the same sizes.

use std::time::{Duration, Instant};

use sqlx::{Connection, PgConnection, PgPool};
use tokio::net::TcpStream;

const PASSWORD: &str = "bench-password-1";
const CLIENTS: usize = 8;
const REQUESTS_PER_KIND: usize = 400;
/// Rounds of every kind's requests in the mixed run.
const MIXED_ROUNDS: usize = 4;

mod shared;
use shared::{BoxError, call, serve};

fn env_num(name: &str, default: i64) -> i64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.replace('_', "").parse().ok())
        .unwrap_or(default)
}

#[tokio::main]
async fn main() -> Result<(), BoxError> {
    let members = env_num("MEMBERS", 1_000_000);
    let branches = env_num("BRANCHES", 20_000);
    let events = env_num("EVENTS", 50_000_000);
    let url = std::env::var("DATABASE_URL")?;
    let (base, _) = url
        .rsplit_once('/')
        .ok_or("DATABASE_URL has no database name")?;
    let name = format!("qnej_rank_bench_{members}_{branches}_{events}");
    let mut admin = PgConnection::connect(&format!("{base}/postgres")).await?;
    let exists: bool =
        sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1)")
            .bind(&name)
            .fetch_one(&mut admin)
            .await?;
    let db_url = format!("{base}/{name}");
    let ready = exists
        && {
            let mut c = PgConnection::connect(&db_url).await?;
            sqlx::query_scalar::<_, bool>(
            "SELECT EXISTS (SELECT 1 FROM information_schema.tables WHERE table_name = 'bench_ready')",
        )
        .fetch_one(&mut c)
        .await?
        };
    if !ready {
        sqlx::query(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
            .execute(&mut admin)
            .await?;
        sqlx::query(&format!("CREATE DATABASE {name}"))
            .execute(&mut admin)
            .await?;
    }
    // The server's own pool settings.
    let pool = server::pool_options().connect(&db_url).await?;
    server::migrate(&pool).await?;
    if ready {
        println!("reusing {name}");
    } else {
        generate(&pool, members, branches, events).await?;
    }

    if std::env::var("GENERATE_ONLY").is_ok_and(|v| v == "1") {
        return Ok(());
    }
    let settings = server::Settings {
        upload_dir: std::env::temp_dir().join("qnej-bench-uploads"),
        auth: app::auth::session::AuthSettings {
            signin_per_ip: 1000,
            ..Default::default()
        },
        ..Default::default()
    };
    let addr = serve(pool.clone(), settings).await?;
    // As the server does at start: the large scopes' histograms and organization boards are
    // computed once.
    let t = Instant::now();
    server::jobs::warm_boards(&pool).await?;
    println!(
        "warmed the large boards (histograms, organization boards) in {:.1} s",
        t.elapsed().as_secs_f64()
    );
    let plan = plan(&pool, &addr).await?;
    println!(
        "boards on {name}: {members} members, {branches} branches, {events} ledger events and one more per member; {CLIENTS} clients over HTTP"
    );
    // Untimed: one request of each kind per client, so that connections and prepared
    // statements are made before timing starts.
    let warm_up: Vec<Request> = plan
        .iter()
        .flat_map(|(_, r)| r.iter().take(CLIENTS))
        .cloned()
        .collect();
    measure(&addr, warm_up).await?;
    // Each kind alone: its requests only, 8 at a time.
    println!("each kind alone ({} requests each):", REQUESTS_PER_KIND / 4);
    let started = Instant::now();
    let mut total = 0usize;
    for (label, requests) in &plan {
        let (latencies, elapsed) = measure(&addr, requests.clone()).await?;
        total += latencies.len();
        report(
            label,
            latencies.into_iter().map(|(_, d)| d).collect(),
            Some(elapsed),
        );
    }
    println!(
        "all alone: {total} requests in {:.1} s ({:.0} req/s)",
        started.elapsed().as_secs_f64(),
        total as f64 / started.elapsed().as_secs_f64()
    );
    // Every kind at once, as members use them: the requests of all kinds, MIXED_ROUNDS times
    // over, in a shuffled order (the same each run), 8 at a time.
    let mut mixed: Vec<Request> = (0..MIXED_ROUNDS)
        .flat_map(|_| plan.iter().flat_map(|(_, r)| r.iter().cloned()))
        .collect();
    let mut seed = 0x9E37_79B9_7F4A_7C15u64;
    for i in (1..mixed.len()).rev() {
        seed = seed
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        mixed.swap(i, (seed >> 33) as usize % (i + 1));
    }
    println!("all kinds mixed ({} requests):", mixed.len());
    let (latencies, elapsed) = measure(&addr, mixed).await?;
    for (kind, (label, _)) in plan.iter().enumerate() {
        let of_kind = latencies
            .iter()
            .filter(|(k, _)| *k == kind)
            .map(|(_, d)| *d)
            .collect();
        report(label, of_kind, None);
    }
    let mut all: Vec<Duration> = latencies.iter().map(|(_, d)| *d).collect();
    all.sort();
    let at = |p: f64| all[((all.len() - 1) as f64 * p) as usize].as_secs_f64() * 1000.0;
    println!(
        "all mixed: {} requests in {:.1} s, {:.0} req/s; p50 {:.1} ms, p95 {:.1} ms, p99 {:.1} ms",
        all.len(),
        elapsed.as_secs_f64(),
        all.len() as f64 / elapsed.as_secs_f64(),
        at(0.5),
        at(0.95),
        at(0.99)
    );
    Ok(())
}

async fn step(pool: &PgPool, what: &str, sql: &str, binds: &[i64]) -> Result<(), BoxError> {
    let t = Instant::now();
    let mut q = sqlx::query(sql);
    for b in binds {
        q = q.bind(b);
    }
    q.execute(pool).await?;
    println!("  {what}: {:.1} s", t.elapsed().as_secs_f64());
    Ok(())
}

/// One event for every member ($1 members; $2 companies, $3 branches place their branch).
const ONE_PER_MEMBER: &str = "
    INSERT INTO point_ledger (user_id, rule_id, points, source_kind, source_id, idempotency_key,
                              party_branch_id, day, created_at)
    SELECT g, (SELECT id FROM point_rules WHERE code = 'meeting_attend' ORDER BY effective_from DESC LIMIT 1), 1 + (g % 5), 'meeting', 'm' || g, 'bm' || g,
           2 + $2 + (g % $3), d, d + time '12:00'
    FROM (SELECT g, (now() AT TIME ZONE 'Asia/Shanghai')::date - (g % 30)::int AS d
          FROM generate_series(1, $1) g) x";

/// The organizations, members, ledger events and their running totals, in bulk SQL.
async fn generate(pool: &PgPool, members: i64, branches: i64, events: i64) -> Result<(), BoxError> {
    println!("generating (once; the database is kept for later runs)");
    let hash = app::auth::session::hash_password(PASSWORD.to_owned())
        .await
        .map_err(|e| format!("{e:?}"))?;
    let companies = (branches + 99) / 100;
    step(
        pool,
        "organizations",
        "INSERT INTO orgs (id, tree, kind, name, path, founded_on)
         VALUES (1, 'party', 'industry_committee', '市互联网行业党委', '1', DATE '2024-01-01')",
        &[],
    )
    .await?;
    step(pool, "companies", "
        INSERT INTO orgs (id, tree, kind, name, parent_id, path, founded_on)
        SELECT 1 + g, 'party', 'committee', '企业党委' || g, 1, ('1.' || (1 + g))::ltree, DATE '2024-01-01'
        FROM generate_series(1, $1) g", &[companies]).await?;
    step(
        pool,
        "branches",
        "
        INSERT INTO orgs (id, tree, kind, name, parent_id, path, founded_on)
        SELECT 1 + $1 + g, 'party', 'branch', '支部' || g, 1 + ((g - 1) / 100 + 1),
               ('1.' || (1 + ((g - 1) / 100 + 1)) || '.' || (1 + $1 + g))::ltree, DATE '2024-01-01'
        FROM generate_series(1, $2) g",
        &[companies, branches],
    )
    .await?;
    sqlx::query("SELECT setval('orgs_id_seq', (SELECT max(id) FROM orgs))")
        .execute(pool)
        .await?;
    let t = Instant::now();
    sqlx::query(
        "INSERT INTO users (id, username, display_name, password_hash)
         SELECT g, 'user' || g, '成员' || g, $2 FROM generate_series(1, $1) g",
    )
    .bind(members)
    .bind(&hash)
    .execute(pool)
    .await?;
    sqlx::query("SELECT setval('users_id_seq', $1)")
        .bind(members)
        .execute(pool)
        .await?;
    println!("  members: {:.1} s", t.elapsed().as_secs_f64());
    // The boards' scope tables are filled in bulk below rather than a member at a time.
    sqlx::query("ALTER TABLE memberships DISABLE TRIGGER memberships_scopes")
        .execute(pool)
        .await?;
    step(
        pool,
        "memberships",
        "
        INSERT INTO memberships (user_id, org_id, tree, status, start_reason)
        SELECT g, 2 + $2 + (g % $3), 'party', 'full', 'joined' FROM generate_series(1, $1) g",
        &[members, companies, branches],
    )
    .await?;
    sqlx::query("ALTER TABLE memberships ENABLE TRIGGER memberships_scopes")
        .execute(pool)
        .await?;
    step(
        pool,
        "member scopes",
        "
        INSERT INTO member_scopes (scope_id, user_id)
        SELECT DISTINCT unnest(string_to_array(o.path::text, '.'))::bigint, m.user_id
        FROM memberships m JOIN orgs o ON o.id = m.org_id WHERE m.ended_at IS NULL
        UNION
        SELECT 0, user_id FROM memberships WHERE ended_at IS NULL",
        &[],
    )
    .await?;
    step(
        pool,
        "scope member counts",
        "INSERT INTO scope_member_counts (scope_id, members)
         SELECT scope_id, count(*) FROM member_scopes GROUP BY scope_id",
        &[],
    )
    .await?;
    // Events: skewed so that some members earn much and most a little; 1 to 5 points each,
    // over the last 30 Asia/Shanghai days, all under the meeting rule (its cap is per
    // meeting). Then one event for every member, so that everyone has a total.
    step(pool, "ledger events", "
        INSERT INTO point_ledger (user_id, rule_id, points, source_kind, source_id, idempotency_key,
                                  party_branch_id, day, created_at)
        SELECT u, (SELECT id FROM point_rules WHERE code = 'meeting_attend' ORDER BY effective_from DESC LIMIT 1), 1 + (e % 5), 'meeting', e::text, 'b' || e,
               2 + $2 + (u % $3), d, d + time '12:00'
        FROM (SELECT e, 1 + ((e * 7919) % $4) * ((e * 104729) % $4) % $4 AS u,
                     (now() AT TIME ZONE 'Asia/Shanghai')::date - (e % 30)::int AS d
              FROM generate_series(1, $1) e) x",
        &[events, companies, branches, members]).await?;
    step(
        pool,
        "one ledger event per member",
        ONE_PER_MEMBER,
        &[members, companies, branches],
    )
    .await?;
    let periods = "(VALUES ('d:' || to_char(l.day, 'YYYY-MM-DD')), ('w:' || to_char(l.day, 'IYYY-\"W\"IW')),
                           ('m:' || to_char(l.day, 'YYYY-MM')), ('y:' || to_char(l.day, 'YYYY')), ('all')) AS p (period)";
    step(
        pool,
        "member running totals",
        &format!(
            "
        INSERT INTO point_totals (user_id, period, points)
        SELECT l.user_id, p.period, sum(l.points) FROM point_ledger l CROSS JOIN LATERAL {periods}
        GROUP BY l.user_id, p.period"
        ),
        &[],
    )
    .await?;
    step(pool, "branch running totals", &format!("
        INSERT INTO branch_point_totals (org_id, period, points)
        SELECT l.party_branch_id, p.period, sum(l.points) FROM point_ledger l CROSS JOIN LATERAL {periods}
        GROUP BY l.party_branch_id, p.period"), &[]).await?;
    step(pool, "branch participants (this month)", "
        INSERT INTO branch_participants (org_id, period, user_id)
        SELECT DISTINCT l.party_branch_id, 'm:' || to_char(l.day, 'YYYY-MM'), l.user_id FROM point_ledger l",
        &[]).await?;
    step(
        pool,
        "board totals (current periods, per scope)",
        "
        INSERT INTO board_totals (period, scope_id, user_id, points)
        SELECT t.period, s.scope_id, t.user_id, t.points
        FROM point_totals t JOIN member_scopes s ON s.user_id = t.user_id
        WHERE t.period = ANY (board_periods())",
        &[],
    )
    .await?;
    let t = Instant::now();
    sqlx::raw_sql("VACUUM ANALYZE").execute(pool).await?;
    println!("  vacuum analyze: {:.1} s", t.elapsed().as_secs_f64());
    sqlx::query("CREATE TABLE bench_ready ()")
        .execute(pool)
        .await?;
    Ok(())
}

#[derive(Clone)]
struct Request {
    /// Which kind of request it is (its place in the plan).
    kind: usize,
    cookie: String,
    path: &'static str,
    body: String,
}

/// What to measure: each kind of request, for members at the top, the middle and the tail.
async fn plan(pool: &PgPool, addr: &str) -> Result<Vec<(String, Vec<Request>)>, BoxError> {
    let ranked: Vec<i64> = sqlx::query_scalar(
        "SELECT user_id FROM point_totals WHERE period = 'all' ORDER BY points DESC, user_id",
    )
    .fetch_all(pool)
    .await?;
    let pick = |at: f64| ranked[((ranked.len() - 1) as f64 * at) as usize];
    let mut who = Vec::new();
    for (label, at) in [("top", 0.0), ("middle", 0.5), ("tail", 1.0)] {
        let user = pick(at);
        let mut stream = TcpStream::connect(addr).await?;
        let (status, _, cookie) = call(
            &mut stream,
            addr,
            "",
            "/api/sign_in",
            &format!("login=user{user}&password={PASSWORD}&next="),
        )
        .await?;
        if status != 200 {
            return Err(format!("sign-in failed: {status}").into());
        }
        let branch: i64 = sqlx::query_scalar(
            "SELECT org_id FROM memberships WHERE user_id = $1 AND ended_at IS NULL",
        )
        .bind(user)
        .fetch_one(pool)
        .await?;
        let company: i64 = sqlx::query_scalar("SELECT parent_id FROM orgs WHERE id = $1")
            .bind(branch)
            .fetch_one(pool)
            .await?;
        who.push((label, cookie.ok_or("no session cookie")?, branch, company));
    }
    let mut plan = Vec::new();
    for (scope_label, scope) in [("branch", 0), ("company", 1), ("city", 2), ("platform", 3)] {
        for period in ["day", "week", "month", "year", "all"] {
            for (label, cookie, branch, company) in &who {
                let key = match scope {
                    0 => format!("org:{branch}"),
                    1 => format!("org:{company}"),
                    2 => "org:1".to_owned(),
                    _ => "platform".to_owned(),
                };
                let requests = (0..REQUESTS_PER_KIND / 4)
                    .map(|_| Request {
                        kind: plan.len(),
                        cookie: cookie.clone(),
                        path: "/api/member_board",
                        body: format!("scope={key}&period={period}&page=1"),
                    })
                    .collect();
                plan.push((
                    format!("member board + my rank, {scope_label}, {period}, {label}"),
                    requests,
                ));
            }
        }
    }
    let (_, cookie, _, company) = &who[1];
    for (label, key) in [
        ("companies of the city", "org:1".to_owned()),
        ("branches of a company", format!("org:{company}")),
    ] {
        let requests = (0..REQUESTS_PER_KIND / 4)
            .map(|_| Request {
                kind: plan.len(),
                cookie: cookie.clone(),
                path: "/api/org_board",
                body: format!("scope={key}&period=month"),
            })
            .collect();
        plan.push((format!("organization board, {label}, month"), requests));
    }
    Ok(plan)
}

/// Runs the requests with CLIENTS concurrent connections; each latency with its kind, and
/// the time taken.
async fn measure(
    addr: &str,
    requests: Vec<Request>,
) -> Result<(Vec<(usize, Duration)>, Duration), BoxError> {
    let started = Instant::now();
    let queue = std::sync::Arc::new(tokio::sync::Mutex::new(requests));
    let mut tasks = Vec::new();
    for _ in 0..CLIENTS {
        let queue = queue.clone();
        let addr = addr.to_owned();
        tasks.push(tokio::spawn(async move {
            let mut stream = TcpStream::connect(&addr).await?;
            let mut out = Vec::new();
            loop {
                let Some(r) = queue.lock().await.pop() else {
                    break;
                };
                let t = Instant::now();
                let (status, body, _) =
                    call(&mut stream, &addr, &r.cookie, r.path, &r.body).await?;
                if status != 200 {
                    return Err::<Vec<(usize, Duration)>, BoxError>(
                        format!("{status}: {body}").into(),
                    );
                }
                out.push((r.kind, t.elapsed()));
            }
            Ok(out)
        }));
    }
    let mut all = Vec::new();
    for t in tasks {
        all.extend(t.await??);
    }
    Ok((all, started.elapsed()))
}

/// One line per kind: p50, p95, p99 and, when it ran alone, its requests a second.
fn report(label: &str, mut latencies: Vec<Duration>, alone: Option<Duration>) {
    latencies.sort();
    let at = |p: f64| latencies[((latencies.len() - 1) as f64 * p) as usize].as_secs_f64() * 1000.0;
    let rate = alone
        .map(|e| format!("{:>7.0} req/s", latencies.len() as f64 / e.as_secs_f64()))
        .unwrap_or_default();
    println!(
        "{label:<58} p50 {:>7.1} ms  p95 {:>7.1} ms  p99 {:>7.1} ms  {rate}",
        at(0.5),
        at(0.95),
        at(0.99),
    );
}
