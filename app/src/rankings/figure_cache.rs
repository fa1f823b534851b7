//! Figures that take long to compute over a large scope (a city's histogram of points, the
//! organization board of 20,000 branches), kept for a few seconds (up to a minute for the
//! costliest) and recomputed in the
//! background while the kept one is served. The caller says whether a scope is large, from
//! what it already knows (the scope's member count); small scopes are computed on every
//! request and always exact.

use std::collections::HashMap;
use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use sqlx::PgConnection;

use crate::error::AppError;

/// How a kept figure is computed, on whichever connection is at hand.
pub type Compute<V> = Box<
    dyn for<'c> Fn(
            &'c mut PgConnection,
        ) -> Pin<Box<dyn Future<Output = Result<V, AppError>> + Send + 'c>>
        + Send
        + Sync,
>;

struct Entry<V> {
    at: Instant,
    /// How long this value is served: `fresh`, or longer for a costly one.
    lasts: Duration,
    value: Arc<V>,
    refreshing: bool,
}

/// A kept value is recomputed at most once per this many times its computation took, so
/// that keeping a costly figure (the platform's histogram) costs a bounded share of the
/// machine: about 2% of a core per key.
const COST_FACTOR: u32 = 50;

/// The longest a value is served, however costly.
const LONGEST: Duration = Duration::from_secs(60);

/// Kept results by key, each served for at least `fresh` after it was computed (longer when
/// it took long to compute, up to a minute).
pub struct Kept<V> {
    fresh: Duration,
    entries: Mutex<HashMap<String, Entry<V>>>,
    /// One first computation per key at a time; the others wait for it.
    first: Mutex<HashMap<String, Arc<tokio::sync::Mutex<()>>>>,
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

impl<V: Send + Sync + 'static> Kept<V> {
    pub fn new(fresh: Duration) -> Self {
        Self {
            fresh,
            entries: Mutex::new(HashMap::new()),
            first: Mutex::new(HashMap::new()),
        }
    }

    /// The kept value while fresh.
    fn fresh(&self, key: &str) -> Option<Arc<V>> {
        lock(&self.entries)
            .get(key)
            .filter(|e| e.at.elapsed() < e.lasts)
            .map(|e| e.value.clone())
    }

    fn keep(&self, key: String, value: Arc<V>, took: Duration) {
        lock(&self.entries).insert(
            key,
            Entry {
                at: Instant::now(),
                lasts: (took * COST_FACTOR).clamp(self.fresh, LONGEST.max(self.fresh)),
                value,
                refreshing: false,
            },
        );
    }

    /// For a small scope, computed now. For a large one: the kept value while fresh; a stale
    /// one while a single background task recomputes it on a connection of its own; else
    /// computed now by one request while the others for the same key wait for it.
    pub async fn get(
        &'static self,
        conn: &mut PgConnection,
        key: String,
        large: bool,
        compute: Compute<V>,
    ) -> Result<Arc<V>, AppError> {
        if !large {
            return Ok(Arc::new(compute(conn).await?));
        }
        let pool = crate::auth::session::pool().ok();
        let stale = {
            let mut entries = lock(&self.entries);
            match entries.get_mut(&key) {
                Some(e) if e.at.elapsed() < e.lasts => return Ok(e.value.clone()),
                Some(e) if pool.is_some() => {
                    let start = !e.refreshing;
                    e.refreshing = true;
                    Some((e.value.clone(), start))
                }
                _ => None,
            }
        };
        if let (Some((value, start)), Some(pool)) = (stale, pool) {
            if start {
                tokio::spawn(async move {
                    let began = Instant::now();
                    let fresh = match pool.acquire().await {
                        Ok(mut c) => compute(&mut c).await,
                        Err(e) => Err(e.into()),
                    };
                    match fresh {
                        Ok(v) => self.keep(key, Arc::new(v), began.elapsed()),
                        Err(e) => {
                            tracing::warn!(error = ?e, "recomputing a kept figure failed");
                            lock(&self.entries).remove(&key);
                        }
                    }
                });
            }
            return Ok(value);
        }
        let gate = lock(&self.first).entry(key.clone()).or_default().clone();
        let _turn = gate.lock().await;
        if let Some(v) = self.fresh(&key) {
            return Ok(v);
        }
        let began = Instant::now();
        let value = Arc::new(compute(conn).await?);
        self.keep(key.clone(), value.clone(), began.elapsed());
        lock(&self.first).remove(&key);
        Ok(value)
    }
}
