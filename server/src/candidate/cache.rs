//! Recently read candidate contexts, reused by answer saves.
//!
//! Every answer a browser sends names its candidate only by the access
//! cookie, and turning that into a session and a battery takes a five-table
//! read. A candidate sends dozens of answers, seconds apart, so the save path
//! keeps the context it read last for a while and reuses it.
//!
//! Why a reused context cannot let through an answer it should not:
//! - what only time changes (the access, the invitation and the session
//!   deadline running out) is checked against the clock on every save
//!   ([`crate::candidate::still_open`]);
//! - what people change (a finished session, a revoked invitation, erased
//!   data) is checked by the database in the statement that stores the
//!   answer, which stores nothing then;
//! - a save that stores less than it was sent reads the context afresh and
//!   is judged on that, so the candidate gets the same answer as without the
//!   cache.
//!
//! With the context it keeps the candidate's adaptive runs as this process
//! last stored them ([`super::runs`]).
//!
//! The cache belongs to one server process; with several processes on one
//! PostgreSQL database each keeps its own, and the rules above still hold.

use std::{
    collections::HashMap,
    sync::{Arc, Mutex, MutexGuard},
    time::{Duration, Instant},
};

use super::{access::Context, runs::KnownRuns};

/// How long a context is reused before it is read again.
pub const DEFAULT_TTL: Duration = Duration::from_secs(600);
/// Candidates remembered at most (a few kilobytes each).
pub const DEFAULT_CAPACITY: usize = 50_000;

/// A context read for an access, and what its saves learnt since.
pub struct Remembered {
    pub context: Context,
    pub runs: KnownRuns,
}

impl Remembered {
    pub fn new(context: Context) -> Self {
        Remembered { context, runs: KnownRuns::default() }
    }
}

pub struct ContextCache<T = Remembered> {
    entries: Mutex<HashMap<String, Entry<T>>>,
    ttl: Duration,
    capacity: usize,
}

struct Entry<T> {
    context: Arc<T>,
    read_at: Instant,
}

impl<T> Default for ContextCache<T> {
    fn default() -> Self {
        ContextCache::new(DEFAULT_TTL, DEFAULT_CAPACITY)
    }
}

impl<T> ContextCache<T> {
    pub fn new(ttl: Duration, capacity: usize) -> Self {
        ContextCache { entries: Mutex::new(HashMap::new()), ttl, capacity: capacity.max(1) }
    }

    /// The context read for this access (by the hash of its secret), unless it is too old.
    pub fn get(&self, access_hash: &str) -> Option<Arc<T>> {
        let entries = self.entries();
        entries.get(access_hash).filter(|e| e.read_at.elapsed() < self.ttl).map(|e| Arc::clone(&e.context))
    }

    /// Remembers a context; when full, forgets the expired ones first and,
    /// if that is not enough, everything (the next saves read afresh).
    pub fn insert(&self, access_hash: String, context: Arc<T>) {
        let mut entries = self.entries();
        if entries.len() >= self.capacity && !entries.contains_key(&access_hash) {
            let ttl = self.ttl;
            entries.retain(|_, e| e.read_at.elapsed() < ttl);
            if entries.len() >= self.capacity {
                entries.clear();
            }
        }
        entries.insert(access_hash, Entry { context, read_at: Instant::now() });
    }

    pub fn forget(&self, access_hash: &str) {
        self.entries().remove(access_hash);
    }

    pub fn len(&self) -> usize {
        self.entries().len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    fn entries(&self) -> MutexGuard<'_, HashMap<String, Entry<T>>> {
        // No code panics while holding the lock; if one ever did, the map is
        // still a valid map of contexts, so keep using it.
        self.entries.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_context_is_reused_until_it_is_too_old_or_forgotten() {
        // Lifetimes of half a second: a loaded test machine may pause a thread for tens of milliseconds.
        let cache: ContextCache<u32> = ContextCache::new(Duration::from_millis(500), 10);
        cache.insert("a".into(), Arc::new(1));
        assert_eq!(cache.get("a").as_deref(), Some(&1));
        assert_eq!(cache.get("b"), None);
        cache.forget("a");
        assert_eq!(cache.get("a"), None);
        cache.insert("a".into(), Arc::new(2));
        std::thread::sleep(Duration::from_millis(550));
        assert_eq!(cache.get("a"), None, "expired");
    }

    #[test]
    fn a_full_cache_forgets_the_expired_first_then_everything() {
        let cache: ContextCache<u32> = ContextCache::new(Duration::from_millis(500), 3);
        cache.insert("old".into(), Arc::new(0));
        std::thread::sleep(Duration::from_millis(550));
        cache.insert("a".into(), Arc::new(1));
        cache.insert("b".into(), Arc::new(2));
        // Full (3): the expired entry makes room.
        cache.insert("c".into(), Arc::new(3));
        assert_eq!((cache.len(), cache.get("a").as_deref(), cache.get("c").as_deref()), (3, Some(&1), Some(&3)));
        // Full of fresh entries: start over rather than grow.
        cache.insert("d".into(), Arc::new(4));
        assert_eq!((cache.len(), cache.get("d").as_deref()), (1, Some(&4)));
        // Replacing a remembered entry never empties the cache.
        cache.insert("d".into(), Arc::new(5));
        assert_eq!((cache.len(), cache.get("d").as_deref()), (1, Some(&5)));
    }
}
