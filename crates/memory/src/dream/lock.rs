//! The lock that keeps two dreams of one memory folder from running at once: a
//! [`PidLock`](rein_exec::PidLock) file in the folder. A lock whose holder is gone, or that
//! is older than an hour, is stale and taken over.

use crate::dirs::{DREAM_LOCK, MemoryDir};
use crate::error::MemoryError;
use rein_exec::{PidLock, PidLockError};
use std::time::Duration;

/// After this, a lock is stale even if its process still runs (a dream is bounded by its
/// token budget, so one this old is stuck).
pub const STALE_AFTER: Duration = Duration::from_secs(3600);

/// A held dream lock; dropping it releases the lock.
#[derive(Debug)]
pub struct DreamLock {
    _lock: PidLock,
}

impl DreamLock {
    /// Takes the lock of `dir`, taking over a stale one.
    pub fn acquire(dir: &MemoryDir) -> Result<Self, MemoryError> {
        std::fs::create_dir_all(&dir.root)
            .map_err(|e| MemoryError::io("creating", &dir.root, e))?;
        match PidLock::acquire(&dir.root.join(DREAM_LOCK), STALE_AFTER) {
            Ok(lock) => Ok(Self { _lock: lock }),
            Err(PidLockError::Busy { pid, .. }) => Err(MemoryError::Locked { pid }),
            Err(PidLockError::Io { action, lock, source }) => {
                Err(MemoryError::io(action, &lock, source))
            }
        }
    }

    /// Whether a live dream holds the lock of `dir`.
    pub fn is_held(dir: &MemoryDir) -> bool {
        PidLock::holder(&dir.root.join(DREAM_LOCK), STALE_AFTER).is_some()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_second_dream_is_refused_and_a_dead_holder_is_taken_over() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = MemoryDir::project(tmp.path());
        let lock = DreamLock::acquire(&dir).unwrap();
        assert!(DreamLock::is_held(&dir));
        let error = DreamLock::acquire(&dir).unwrap_err();
        assert!(matches!(error, MemoryError::Locked { pid } if pid == std::process::id()));
        drop(lock);
        assert!(!DreamLock::is_held(&dir));

        // A lock left by a process that no longer exists.
        std::fs::write(dir.root.join(DREAM_LOCK), "4294967").unwrap();
        assert!(!DreamLock::is_held(&dir));
        let _lock = DreamLock::acquire(&dir).unwrap();
        let text = std::fs::read_to_string(dir.root.join(DREAM_LOCK)).unwrap();
        assert_eq!(text, std::process::id().to_string());
    }
}
