//! Scheduled work, run by every server process: each job is idempotent and takes a lock in
//! the database, so that several processes running it at once do it once.

use std::time::Duration;

use chrono::Utc;
use sqlx::PgPool;

/// What the jobs need beyond the database.
#[derive(Clone)]
pub struct Jobs {
    pub ballot_key: Option<app::org_life::evaluation::ballot::BallotKey>,
    pub upload_dir: app::uploads::store::UploadDir,
    /// Rings when a one-time code waits to be sent.
    pub sms_wake: app::auth::session::SmsWake,
    /// Sends the group robots' messages.
    pub robots: crate::webhooks::Sender,
}

/// Every minute, sends the reminders that have fallen due. Every hour, deducts the
/// no-sign-in point for the last complete Asia/Shanghai week (a no-op once that week is
/// done), drops the boards' copies of ended periods, and tells the holders of transfer
/// steps that have become overdue (once per step).
pub fn spawn(pool: PgPool, jobs: Jobs) {
    let warm = pool.clone();
    tokio::spawn(async move {
        if let Err(e) = warm_boards(&warm).await {
            tracing::warn!(error = %e, "warming the large boards' histograms failed");
        }
    });
    if let Some(gateway) = crate::sms::configured() {
        let pool = pool.clone();
        let wake = jobs.sms_wake.0.clone();
        tokio::spawn(async move {
            let mut tick = tokio::time::interval(Duration::from_secs(30));
            loop {
                // Every half minute, and at once when a one-time code is queued here.
                tokio::select! {
                    _ = tick.tick() => {}
                    () = wake.notified() => {}
                }
                if let Err(e) = crate::sms::deliver(&pool, &gateway).await {
                    tracing::error!(error = %e, "sending text messages failed; will retry");
                }
            }
        });
    }
    {
        let pool = pool.clone();
        tokio::spawn(async move {
            let mut tick = tokio::time::interval(Duration::from_secs(60));
            loop {
                tick.tick().await;
                if let Err(e) = reminders(&pool).await {
                    tracing::error!(error = %e, "sending reminders failed; will retry");
                }
            }
        });
    }
    match crate::mail::configured() {
        Ok(Some(mailer)) => {
            let (pool, site) = (pool.clone(), jobs.robots.site_url.clone());
            tokio::spawn(async move {
                let mut tick = tokio::time::interval(Duration::from_secs(30));
                loop {
                    tick.tick().await;
                    if let Err(e) = crate::mail::deliver(&pool, &mailer, site.as_deref()).await {
                        tracing::error!(error = %e, "sending e-mail failed; will retry");
                    }
                }
            });
        }
        Ok(None) => {}
        Err(e) => tracing::error!(error = %e, "e-mail is not sent: the SMTP settings are wrong"),
    }
    {
        let (pool, sender) = (pool.clone(), jobs.robots.clone());
        tokio::spawn(async move {
            let mut tick = tokio::time::interval(Duration::from_secs(15));
            loop {
                tick.tick().await;
                if let Err(e) = crate::webhooks::deliver(&pool, &sender).await {
                    tracing::error!(error = %e, "sending group robots' messages failed; will retry");
                }
            }
        });
    }
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(Duration::from_secs(3600));
        loop {
            tick.tick().await;
            if let Err(e) = weekly_deduction(&pool).await {
                tracing::error!(error = %e, "weekly no-sign-in deduction failed; will retry");
            }
            if let Err(e) = prune_boards(&pool).await {
                tracing::error!(error = %e, "pruning ended board periods failed; will retry");
            }
            if let Err(e) = coverage_snapshot(&pool).await {
                tracing::error!(error = %e, "taking this week's coverage snapshot failed; will retry");
            }
            if let Err(e) = life_alerts(&pool).await {
                tracing::error!(error = %e, "warning and escalating organization life failed; will retry");
            }
            if let Err(e) = league_age_out(&pool).await {
                tracing::error!(error = %e, "ending League membership past the League's age failed; will retry");
            }
            if let Err(e) = dues_alerts(&pool).await {
                tracing::error!(error = %e, "reminding members behind with dues failed; will retry");
            }
            if let Err(e) = bulletins(&pool).await {
                tracing::error!(error = %e, "making the ended periods' bulletins failed; will retry");
            }
            if let Err(e) = overdue_transfers(&pool).await {
                tracing::error!(error = %e, "telling holders of overdue transfer steps failed; will retry");
            }
            if let Err(e) = remove_orphan_uploads(&pool, &jobs.upload_dir).await {
                tracing::error!(error = %e, "removing unused uploads failed; will retry");
            }
            if let Some(key) = &jobs.ballot_key
                && let Err(e) = tally_evaluations(&pool, key).await
            {
                tracing::error!(error = %e, "tallying closed evaluations failed; will retry");
            }
        }
    });
}

/// Every minute: a meeting's reminders a day and an hour before, a required item's from
/// three days before its due date; each once, whichever server gets there first.
pub async fn reminders(pool: &PgPool) -> Result<u64, crate::BoxError> {
    let mut tx = pool.begin().await?;
    let told = app::reminders::flow::run(&mut tx, Utc::now())
        .await
        .map_err(|e| format!("{e:?}"))?;
    tx.commit().await?;
    if told > 0 {
        tracing::info!(told, "reminders");
    }
    Ok(told)
}

/// Every hour: the bulletins of the month and the quarter that ended last, for each
/// committee that has none yet (made once, whichever server gets there first).
pub async fn bulletins(pool: &PgPool) -> Result<usize, crate::BoxError> {
    let mut conn = pool.acquire().await?;
    let today = app::time::day_of(Utc::now());
    let made = app::reports::bulletins::flow::make_due(&mut conn, today)
        .await
        .map_err(|e| format!("{e:?}"))?;
    if made > 0 {
        tracing::info!(made, "bulletins");
    }
    Ok(made)
}

pub async fn weekly_deduction(pool: &PgPool) -> Result<(), crate::BoxError> {
    use app::time::{day_of, week_start};
    let now = Utc::now();
    let last_monday = week_start(day_of(now)) - chrono::Days::new(7);
    let mut tx = pool.begin().await?;
    let done = app::points::store::deduct_week_without_sign_in(&mut tx, last_monday, now)
        .await
        .map_err(|e| format!("{e:?}"))?;
    tx.commit().await?;
    if let Some(n) = done {
        tracing::info!(week = %last_monday, deducted = n, "weekly no-sign-in deduction");
    }
    Ok(())
}

pub async fn prune_boards(pool: &PgPool) -> Result<(), crate::BoxError> {
    let mut conn = pool.acquire().await?;
    let n = app::rankings::store::prune_board_totals(&mut conn)
        .await
        .map_err(|e| format!("{e:?}"))?;
    if n > 0 {
        tracing::info!(rows = n, "pruned board totals of ended periods");
    }
    Ok(())
}

pub async fn overdue_transfers(pool: &PgPool) -> Result<(), crate::BoxError> {
    let mut conn = pool.acquire().await?;
    let today = app::time::day_of(Utc::now());
    let n = app::transfers::store::notify_overdue(&mut conn, today)
        .await
        .map_err(|e| format!("{e:?}"))?;
    if n > 0 {
        tracing::info!(told = n, "overdue transfer steps");
    }
    Ok(())
}

/// Ends the League membership of members past the League's age without a League post.
pub async fn league_age_out(pool: &PgPool) -> Result<(), crate::BoxError> {
    let today = app::time::day_of(Utc::now());
    let mut tx = pool.begin().await?;
    let left = app::development::flow::age_out(&mut tx, today)
        .await
        .map_err(|e| format!("{e:?}"))?;
    tx.commit().await?;
    if left > 0 {
        tracing::info!(left, "League members past the League's age left");
    }
    Ok(())
}

/// Reminds members behind with dues (from the 5th, once a month) and warns branches and
/// their superiors of members six months behind in a row (once per run).
pub async fn dues_alerts(pool: &PgPool) -> Result<(), crate::BoxError> {
    let today = app::time::day_of(Utc::now());
    let mut tx = pool.begin().await?;
    let (reminded, warned) = app::dues::flow::run_alerts(&mut tx, today)
        .await
        .map_err(|e| format!("{e:?}"))?;
    tx.commit().await?;
    if reminded + warned > 0 {
        tracing::debug!(reminded, warned, "dues alerts");
    }
    Ok(())
}

/// Computes the histograms and organization boards of large scopes once at start (see
/// `rankings::store`).
pub async fn warm_boards(pool: &PgPool) -> Result<(), crate::BoxError> {
    let mut conn = pool.acquire().await?;
    let started = std::time::Instant::now();
    let n = app::rankings::store::warm_histograms(&mut conn)
        .await
        .map_err(|e| format!("{e:?}"))?;
    let m = app::rankings::store::warm_org_boards(&mut conn)
        .await
        .map_err(|e| format!("{e:?}"))?;
    tracing::info!(
        histograms = n,
        org_boards = m,
        ms = started.elapsed().as_millis() as u64,
        "large boards warmed"
    );
    Ok(())
}

/// Writes this Asia/Shanghai week's coverage rows from the ledger (the first tick runs at
/// start, so a new installation has its first week at once).
pub async fn coverage_snapshot(pool: &PgPool) -> Result<(), crate::BoxError> {
    use app::time::{day_of, week_start};
    let week = week_start(day_of(Utc::now()));
    let mut conn = pool.acquire().await?;
    for tree in [
        app::orgs::model::Tree::League,
        app::orgs::model::Tree::Party,
    ] {
        app::league::coverage::store::snapshot(&mut conn, tree, week)
            .await
            .map_err(|e| format!("{e:?}"))?;
    }
    Ok(())
}

/// Warns branches of organization life items ending within a week that are not scheduled,
/// and escalates to their superiors the items whose period ended without them (each once).
pub async fn life_alerts(pool: &PgPool) -> Result<(), crate::BoxError> {
    let today = app::time::day_of(Utc::now());
    let mut tx = pool.begin().await?;
    let (warned, escalated) = app::org_life::compliance::flow::run_alerts(&mut tx, today)
        .await
        .map_err(|e| format!("{e:?}"))?;
    tx.commit().await?;
    if warned + escalated > 0 {
        tracing::info!(warned, escalated, "organization life alerts");
    }
    Ok(())
}

/// Tallies each secret evaluation that has closed (each once, whichever process gets it
/// first: the evaluation's row is locked), so that no sealed ballot outlives its close by
/// more than an hour even if nobody opens the results.
pub async fn tally_evaluations(
    pool: &PgPool,
    key: &app::org_life::evaluation::ballot::BallotKey,
) -> Result<(), crate::BoxError> {
    let mut conn = pool.acquire().await?;
    let closed = app::org_life::evaluation::store::closed_untallied(&mut conn)
        .await
        .map_err(|e| format!("{e:?}"))?;
    drop(conn);
    for id in closed {
        let mut tx = pool.begin().await?;
        app::org_life::evaluation::flow::tally_if_closed(&mut tx, key, id)
            .await
            .map_err(|e| format!("{e:?}"))?;
        tx.commit().await?;
    }
    Ok(())
}

/// Days an upload may wait to be used (saved with an item, attached to a meeting) before it
/// is removed.
pub const ORPHAN_GRACE_DAYS: i32 = 7;

/// Once a day (whichever process gets to it first): removes uploads nothing refers to after
/// the grace period, their files, files on disk without a record past the grace period, and
/// uploads that never finished arriving.
pub async fn remove_orphan_uploads(
    pool: &PgPool,
    dir: &app::uploads::store::UploadDir,
) -> Result<(), crate::BoxError> {
    let day = app::time::day_of(Utc::now()).to_string();
    let mut tx = pool.begin().await?;
    let first: Option<i32> = sqlx::query_scalar(
        "INSERT INTO job_runs (job, run_key, affected) VALUES ('orphan_uploads', $1, 0)
         ON CONFLICT DO NOTHING RETURNING 1",
    )
    .bind(&day)
    .fetch_optional(&mut *tx)
    .await?;
    if first.is_none() {
        return Ok(());
    }
    let gone = app::uploads::store::delete_orphans(&mut tx, ORPHAN_GRACE_DAYS)
        .await
        .map_err(|e| format!("{e:?}"))?;
    let swept = sweep_files(&mut tx, dir).await?;
    sqlx::query("UPDATE job_runs SET affected = $2 WHERE job = 'orphan_uploads' AND run_key = $1")
        .bind(&day)
        .bind((gone.len() + swept) as i32)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    for (id, ext) in &gone {
        let _ = tokio::fs::remove_file(dir.file(*id, ext)).await;
    }
    if !gone.is_empty() || swept > 0 {
        tracing::info!(
            records = gone.len(),
            files = swept,
            "unused uploads removed"
        );
    }
    Ok(())
}

/// Removes files older than the grace period that have no record (left by a failure
/// between writing a file and recording it), and unfinished uploads older than a day.
async fn sweep_files(
    conn: &mut sqlx::PgConnection,
    dir: &app::uploads::store::UploadDir,
) -> Result<usize, crate::BoxError> {
    let old = |path: &std::path::Path, days: u64| {
        std::fs::metadata(path)
            .and_then(|m| m.modified())
            .ok()
            .and_then(|t| t.elapsed().ok())
            .is_some_and(|age| age > Duration::from_secs(days * 86_400))
    };
    let mut removed = 0;
    if let Ok(entries) = std::fs::read_dir(dir.incoming()) {
        for e in entries.flatten() {
            if old(&e.path(), 1) && std::fs::remove_file(e.path()).is_ok() {
                removed += 1;
            }
        }
    }
    let mut candidates = Vec::new();
    if let Ok(entries) = std::fs::read_dir(dir.files()) {
        for e in entries.flatten() {
            let path = e.path();
            let id = path
                .file_stem()
                .and_then(|s| s.to_str())
                .and_then(|s| uuid::Uuid::parse_str(s).ok());
            if let Some(id) = id
                && old(&path, ORPHAN_GRACE_DAYS as u64)
            {
                candidates.push((id, path));
            }
        }
    }
    let ids: Vec<uuid::Uuid> = candidates.iter().map(|c| c.0).collect();
    let known = app::uploads::store::known(conn, &ids)
        .await
        .map_err(|e| format!("{e:?}"))?;
    for (id, path) in candidates {
        if !known.contains(&id) && std::fs::remove_file(&path).is_ok() {
            removed += 1;
        }
    }
    Ok(removed)
}
