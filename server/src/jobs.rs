//! Scheduled work, run by every server process: each job is idempotent and takes a lock in
//! the database, so that several processes running it at once do it once.

use std::time::Duration;

use chrono::Utc;
use sqlx::PgPool;

/// Every hour, deducts the no-sign-in point for the last complete Asia/Shanghai week (a
/// no-op once that week is done), drops the boards' copies of ended periods, and tells the
/// holders of transfer steps that have become overdue (once per step).
pub fn spawn(pool: PgPool) {
    let warm = pool.clone();
    tokio::spawn(async move {
        if let Err(e) = warm_boards(&warm).await {
            tracing::warn!(error = %e, "warming the large boards' histograms failed");
        }
    });
    if let Some(gateway) = crate::sms::configured() {
        let pool = pool.clone();
        tokio::spawn(async move {
            let mut tick = tokio::time::interval(Duration::from_secs(30));
            loop {
                tick.tick().await;
                if let Err(e) = crate::sms::deliver(&pool, &gateway).await {
                    tracing::error!(error = %e, "sending text messages failed; will retry");
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
            if let Err(e) = overdue_transfers(&pool).await {
                tracing::error!(error = %e, "telling holders of overdue transfer steps failed; will retry");
            }
        }
    });
}

pub async fn weekly_deduction(pool: &PgPool) -> Result<(), crate::BoxError> {
    use app::points::model::{day_of, week_start};
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
    let today = app::points::model::day_of(Utc::now());
    let title = app::i18n::Locale::ZhCn.strings().transfer_notify_overdue;
    let n = app::transfers::store::notify_overdue(&mut conn, today, title)
        .await
        .map_err(|e| format!("{e:?}"))?;
    if n > 0 {
        tracing::info!(told = n, "overdue transfer steps");
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
    use app::points::model::{day_of, week_start};
    let week = week_start(day_of(Utc::now()));
    let mut conn = pool.acquire().await?;
    app::league::coverage_store::snapshot(&mut conn, week)
        .await
        .map_err(|e| format!("{e:?}"))?;
    Ok(())
}

/// Warns branches of organization life items ending within a week that are not scheduled,
/// and escalates to their superiors the items whose period ended without them (each once).
pub async fn life_alerts(pool: &PgPool) -> Result<(), crate::BoxError> {
    let today = app::points::model::day_of(Utc::now());
    let t = app::i18n::Locale::ZhCn.strings();
    let mut tx = pool.begin().await?;
    let (warned, escalated) = app::org_life::compliance_store::run_alerts(&mut tx, today, t)
        .await
        .map_err(|e| format!("{e:?}"))?;
    tx.commit().await?;
    if warned + escalated > 0 {
        tracing::info!(warned, escalated, "organization life alerts");
    }
    Ok(())
}
