//! Awards and study heartbeats per second on a real Postgres, at 8 and 32 concurrent
//! clients, and the cap violations counted afterwards (there must be none). Run by
//! `bench/points`.
//!
//! Uses the database in DATABASE_URL: it creates (and afterwards drops) a database of its
//! own beside it.

use app::ids::UserId;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Instant;

use app::points::model::RuleCode;
use app::points::store::{NewAward, Outcome, award};
use sqlx::postgres::PgPoolOptions;
use sqlx::{Connection, PgConnection, PgPool};

const USERS: i64 = 5_000;
const AWARDS_PER_RUN: u64 = 20_000;
const RULES: [RuleCode; 5] = [
    RuleCode::ArticleRead,
    RuleCode::ReadingTime,
    RuleCode::VideoWatch,
    RuleCode::VideoTime,
    RuleCode::DailyQuiz,
];

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error + Send + Sync>> {
    let url = std::env::var("DATABASE_URL")?;
    let (base, _) = url
        .rsplit_once('/')
        .ok_or("DATABASE_URL has no database name")?;
    let bench_url = format!("{base}/qnej_award_bench");
    let mut admin = PgConnection::connect(&format!("{base}/postgres")).await?;
    sqlx::query("DROP DATABASE IF EXISTS qnej_award_bench WITH (FORCE)")
        .execute(&mut admin)
        .await?;
    sqlx::query("CREATE DATABASE qnej_award_bench")
        .execute(&mut admin)
        .await?;

    let pool = PgPoolOptions::new()
        .max_connections(40)
        .connect(&bench_url)
        .await?;
    server::migrate(&pool).await?;
    setup(&pool).await?;

    println!("awards on {bench_url} ({USERS} members, {AWARDS_PER_RUN} award requests per run)");
    for (run_index, clients) in [8u64, 32].into_iter().enumerate() {
        // Each run on a day of its own, so that it starts with empty daily caps.
        let day = chrono::Utc::now() + chrono::Duration::days(run_index as i64);
        let (secs, outcomes) = run(&pool, clients, day).await?;
        let [awarded, capped, duplicate] = outcomes;
        println!(
            "{clients:>2} clients: {:>7.0} award transactions/s, {:>7.0} durable awards/s ({awarded} awarded, {capped} capped, {duplicate} duplicate) in {secs:.2} s",
            AWARDS_PER_RUN as f64 / secs,
            awarded as f64 / secs,
        );
    }
    heartbeats(&pool).await?;
    let violations: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM (
             SELECT l.user_id, r.code, l.day, sum(l.points) AS s, max(r.cap) AS cap
             FROM point_ledger l JOIN point_rules r ON r.id = l.rule_id
             WHERE r.cap_period = 'day' GROUP BY l.user_id, r.code, l.day) x
         WHERE s > cap",
    )
    .fetch_one(&pool)
    .await?;
    let drift: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM point_totals t
         WHERE t.period = 'all' AND t.points <> (SELECT sum(points) FROM point_ledger l WHERE l.user_id = t.user_id)",
    )
    .fetch_one(&pool)
    .await?;
    println!(
        "cap violations: {violations}; members whose all-time total differs from the ledger: {drift}"
    );
    pool.close().await;
    sqlx::query("DROP DATABASE qnej_award_bench WITH (FORCE)")
        .execute(&mut admin)
        .await?;
    if violations > 0 || drift > 0 {
        return Err("the ledger broke a cap or a total".into());
    }
    Ok(())
}

async fn setup(pool: &PgPool) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO users (phone, display_name, password_hash)
         SELECT '138' || lpad(g::text, 8, '0'), '成员' || g, 'x' FROM generate_series(1, $1) g",
    )
    .bind(USERS)
    .execute(pool)
    .await?;
    let committee: i64 = sqlx::query_scalar(
        "INSERT INTO orgs (id, tree, kind, name, path) SELECT n, 'party', 'committee', '测试党委', n::text::ltree
         FROM (SELECT nextval('orgs_id_seq') n) s RETURNING id",
    )
    .fetch_one(pool)
    .await?;
    sqlx::query(
        "INSERT INTO orgs (id, tree, kind, name, parent_id, path)
         SELECT n, 'party', 'branch', '测试支部' || g, $1, ($1::text || '.' || n)::ltree
         FROM (SELECT nextval('orgs_id_seq') AS n, g FROM generate_series(1, 50) g) s",
    )
    .bind(committee)
    .execute(pool)
    .await?;
    sqlx::query(
        "INSERT INTO memberships (user_id, org_id, tree, status, start_reason)
         SELECT u.id, (SELECT id FROM orgs WHERE kind = 'branch' ORDER BY id OFFSET (u.id % 50) LIMIT 1), 'party', 'full', 'joined'
         FROM users u",
    )
    .execute(pool)
    .await?;
    Ok(())
}

async fn run(
    pool: &PgPool,
    clients: u64,
    day: chrono::DateTime<chrono::Utc>,
) -> Result<(f64, [u64; 3]), Box<dyn std::error::Error + Send + Sync>> {
    let next = Arc::new(AtomicU64::new(0));
    let counts = Arc::new([AtomicU64::new(0), AtomicU64::new(0), AtomicU64::new(0)]);
    let started = Instant::now();
    let mut tasks = Vec::new();
    for _ in 0..clients {
        let (pool, next, counts) = (pool.clone(), next.clone(), counts.clone());
        tasks.push(tokio::spawn(async move {
            loop {
                let n = next.fetch_add(1, Ordering::Relaxed);
                if n >= AWARDS_PER_RUN {
                    return Ok::<_, String>(());
                }
                // A spread of members, rules and sources; every 10th request replays an
                // earlier key to exercise idempotency under load.
                let seq = if n % 10 == 9 { n - 5 } else { n } + clients * 1_000_000;
                let user = (seq.wrapping_mul(2_654_435_761) % USERS as u64) as i64 + 1;
                let rule = RULES[((seq / 7) % RULES.len() as u64) as usize];
                let key = format!("bench:{seq}");
                let source = seq.to_string();
                let mut tx = pool.begin().await.map_err(|e| e.to_string())?;
                let outcome = award(
                    &mut tx,
                    &NewAward {
                        user_id: UserId(user),
                        rule,
                        units: 2,
                        source_kind: app::points::model::PointSource::StudyItem,
                        source_id: &source,
                        idempotency_key: &key,
                        at: day,
                    },
                )
                .await
                .map_err(|e| format!("{e:?}"))?;
                tx.commit().await.map_err(|e| e.to_string())?;
                let i = match outcome {
                    Outcome::Awarded { .. } => 0,
                    Outcome::Capped | Outcome::NoRule => 1,
                    Outcome::Duplicate => 2,
                };
                counts[i].fetch_add(1, Ordering::Relaxed);
            }
        }));
    }
    for t in tasks {
        t.await??;
    }
    let secs = started.elapsed().as_secs_f64();
    Ok((secs, [0, 1, 2].map(|i| counts[i].load(Ordering::Relaxed))))
}

/// Heartbeats: every member studies an article, one beat every 12 simulated seconds; each
/// client takes its own members in time order, as their browsers would. Accepted beats
/// credit time (and, on the way, time and read points under the caps).
async fn heartbeats(pool: &PgPool) -> Result<(), Box<dyn std::error::Error + Send + Sync>> {
    const ROUNDS: i64 = 4;
    let item_id: app::ids::ItemId = sqlx::query_scalar(
        "INSERT INTO study_items (kind, title, body_html, length_secs, status, published_at)
         VALUES ('article', '基准测试文章', '<p>x</p>', 600, 'published', now()) RETURNING id",
    )
    .fetch_one(pool)
    .await?;
    let mut conn = pool.acquire().await?;
    let item = app::study::store::visible_item(&mut conn, UserId(1), item_id)
        .await
        .map_err(|e| format!("{e:?}"))?
        .ok_or("no item")?;
    drop(conn);
    for (run_index, clients) in [8i64, 32].into_iter().enumerate() {
        sqlx::query("DELETE FROM study_clocks")
            .execute(pool)
            .await?;
        let start = chrono::Utc::now() + chrono::Duration::days(10 + run_index as i64);
        let accepted = Arc::new(AtomicU64::new(0));
        let started = Instant::now();
        let mut tasks = Vec::new();
        for c in 0..clients {
            let (pool, item, accepted) = (pool.clone(), item.clone(), accepted.clone());
            tasks.push(tokio::spawn(async move {
                for round in 0..ROUNDS {
                    let now = start + chrono::Duration::seconds(12 * round);
                    for user in (1..=USERS).filter(|u| u % clients == c) {
                        let mut tx = pool.begin().await.map_err(|e| e.to_string())?;
                        let r = app::study::store::beat(&mut tx, UserId(user), &item, now, false)
                            .await
                            .map_err(|e| format!("{e:?}"))?;
                        tx.commit().await.map_err(|e| e.to_string())?;
                        if !matches!(r.beat, app::study::model::Beat::TooFast) {
                            accepted.fetch_add(1, Ordering::Relaxed);
                        }
                    }
                }
                Ok::<_, String>(())
            }));
        }
        for t in tasks {
            t.await??;
        }
        let secs = started.elapsed().as_secs_f64();
        let n = accepted.load(Ordering::Relaxed);
        println!(
            "{clients:>2} clients: {:>7.0} accepted heartbeats/s ({n} of {} in {secs:.2} s)",
            n as f64 / secs,
            USERS * ROUNDS
        );
    }
    Ok(())
}
