//! Sessions kept in memory for a few seconds after they are read, in front of the
//! database's session table: a member's page asks several server functions at once, and each
//! would otherwise read the same row. Writes and deletions go to the database first and then
//! to the copy, so on this server a sign-in or sign-out takes effect at once; a sign-out on
//! another server of the same installation reaches this one within [`KEPT_FOR`]. The copy
//! is a bounded cache with a time to live (moka).

use std::time::Duration;

use moka::sync::Cache;
use tower_sessions::session::{Id, Record};
use tower_sessions::session_store::{Result, SessionStore};

/// How long a session read from the database is served from memory.
pub const KEPT_FOR: Duration = Duration::from_secs(10);

/// At most this many sessions are kept; past it, the least used make room.
const MOST: u64 = 100_000;

#[derive(Debug, Clone)]
pub struct KeptSessions<S> {
    inner: S,
    kept: Cache<Id, Record>,
}

impl<S> KeptSessions<S> {
    pub fn new(inner: S) -> Self {
        Self {
            inner,
            kept: Cache::builder()
                .max_capacity(MOST)
                .time_to_live(KEPT_FOR)
                .build(),
        }
    }

    fn keep(&self, record: &Record) {
        self.kept.insert(record.id, record.clone());
    }

    fn forget(&self, id: &Id) {
        self.kept.invalidate(id);
    }
}

#[async_trait::async_trait]
impl<S: SessionStore + Clone> SessionStore for KeptSessions<S> {
    async fn create(&self, record: &mut Record) -> Result<()> {
        self.inner.create(record).await?;
        self.keep(record);
        Ok(())
    }

    async fn save(&self, record: &Record) -> Result<()> {
        self.inner.save(record).await?;
        self.keep(record);
        Ok(())
    }

    async fn load(&self, id: &Id) -> Result<Option<Record>> {
        let now = tower_sessions::cookie::time::OffsetDateTime::now_utc();
        if let Some(record) = self.kept.get(id)
            && record.expiry_date > now
        {
            return Ok(Some(record));
        }
        let record = self.inner.load(id).await?;
        match &record {
            Some(r) => self.keep(r),
            None => self.forget(id),
        }
        Ok(record)
    }

    async fn delete(&self, id: &Id) -> Result<()> {
        self.inner.delete(id).await?;
        self.forget(id);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::sync::{Arc, Mutex};

    use tower_sessions::cookie::time::{Duration as Span, OffsetDateTime};

    use super::*;

    /// A store that counts how often it is read.
    #[derive(Debug, Clone, Default)]
    struct Counted {
        rows: Arc<Mutex<HashMap<Id, Record>>>,
        loads: Arc<AtomicUsize>,
    }

    #[async_trait::async_trait]
    impl SessionStore for Counted {
        async fn save(&self, record: &Record) -> Result<()> {
            self.rows.lock().unwrap().insert(record.id, record.clone());
            Ok(())
        }
        async fn load(&self, id: &Id) -> Result<Option<Record>> {
            self.loads.fetch_add(1, Ordering::SeqCst);
            Ok(self.rows.lock().unwrap().get(id).cloned())
        }
        async fn delete(&self, id: &Id) -> Result<()> {
            self.rows.lock().unwrap().remove(id);
            Ok(())
        }
    }

    fn record(id: i128, expires_in: Span) -> Record {
        Record {
            id: Id(id),
            data: Default::default(),
            expiry_date: OffsetDateTime::now_utc() + expires_in,
        }
    }

    #[tokio::test]
    async fn a_session_is_read_once_and_a_sign_out_here_takes_effect_at_once() {
        let inner = Counted::default();
        let store = KeptSessions::new(inner.clone());
        inner.save(&record(1, Span::days(1))).await.unwrap();
        for _ in 0..3 {
            assert!(store.load(&Id(1)).await.unwrap().is_some());
        }
        assert_eq!(inner.loads.load(Ordering::SeqCst), 1);
        store.delete(&Id(1)).await.unwrap();
        assert!(store.load(&Id(1)).await.unwrap().is_none());
        assert_eq!(inner.loads.load(Ordering::SeqCst), 2);
    }

    #[tokio::test]
    async fn an_expired_session_is_not_served_from_memory() {
        let inner = Counted::default();
        let store = KeptSessions::new(inner.clone());
        let mut r = record(2, Span::milliseconds(30));
        store.create(&mut r).await.unwrap();
        assert!(store.load(&Id(2)).await.unwrap().is_some());
        assert_eq!(inner.loads.load(Ordering::SeqCst), 0, "kept when created");
        tokio::time::sleep(Duration::from_millis(50)).await;
        // Past its expiry the copy is not used: the store decides.
        store.load(&Id(2)).await.unwrap();
        assert_eq!(inner.loads.load(Ordering::SeqCst), 1);
    }
}
