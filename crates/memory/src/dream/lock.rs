//! The lock that keeps two dreams of one memory folder from running at once: a file holding
//! the holder's process id and start time, created exclusively. A lock whose holder is gone,
//! or that is older than an hour, is stale and taken over.

use crate::dirs::{DREAM_LOCK, MemoryDir};
use crate::error::MemoryError;
use std::io::Write as _;
use std::path::PathBuf;
use std::time::{Duration, SystemTime};

/// After this, a lock is stale even if its process still runs (a dream is bounded by its
/// token budget, so one this old is stuck).
pub const STALE_AFTER: Duration = Duration::from_secs(3600);

/// A held dream lock; dropping it releases the lock.
#[derive(Debug)]
pub struct DreamLock {
    path: PathBuf,
}

/// Who holds a lock.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Holder {
    /// Process id.
    pub pid: u32,
    /// Start time (RFC 3339).
    pub since: String,
}

fn read_holder(path: &std::path::Path) -> Option<Holder> {
    let text = std::fs::read_to_string(path).ok()?;
    let mut lines = text.lines();
    let pid = lines.next()?.trim().parse().ok()?;
    let since = lines.next().unwrap_or_default().trim().to_string();
    Some(Holder { pid, since })
}

fn process_alive(pid: u32) -> bool {
    let proc = std::path::Path::new("/proc");
    // Without /proc there is no cheap check; age alone decides.
    !proc.exists() || proc.join(pid.to_string()).exists()
}

fn is_stale(path: &std::path::Path, holder: Option<&Holder>) -> bool {
    let old = std::fs::metadata(path)
        .and_then(|m| m.modified())
        .ok()
        .and_then(|t| SystemTime::now().duration_since(t).ok())
        .is_some_and(|age| age > STALE_AFTER);
    old || holder.is_none_or(|h| !process_alive(h.pid))
}

impl DreamLock {
    /// Takes the lock of `dir`, taking over a stale one.
    pub fn acquire(dir: &MemoryDir) -> Result<Self, MemoryError> {
        std::fs::create_dir_all(&dir.root)
            .map_err(|e| MemoryError::io("creating", &dir.root, e))?;
        let path = dir.root.join(DREAM_LOCK);
        for _ in 0..2 {
            match std::fs::OpenOptions::new().write(true).create_new(true).open(&path) {
                Ok(mut file) => {
                    let since =
                        chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
                    let text = format!("{}\n{since}\n", std::process::id());
                    file.write_all(text.as_bytes())
                        .map_err(|e| MemoryError::io("writing", &path, e))?;
                    return Ok(Self { path });
                }
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
                    let holder = read_holder(&path);
                    if !is_stale(&path, holder.as_ref()) {
                        let holder = holder.unwrap_or(Holder { pid: 0, since: String::new() });
                        return Err(MemoryError::Locked { pid: holder.pid, since: holder.since });
                    }
                    tracing::info!(?holder, "taking over a stale dream lock");
                    let _ = std::fs::remove_file(&path);
                }
                Err(e) => return Err(MemoryError::io("creating", &path, e)),
            }
        }
        let holder = read_holder(&path).unwrap_or(Holder { pid: 0, since: String::new() });
        Err(MemoryError::Locked { pid: holder.pid, since: holder.since })
    }

    /// Whether a live dream holds the lock of `dir`.
    pub fn is_held(dir: &MemoryDir) -> bool {
        let path = dir.root.join(DREAM_LOCK);
        path.exists() && !is_stale(&path, read_holder(&path).as_ref())
    }
}

impl Drop for DreamLock {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.path);
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
        assert!(matches!(error, MemoryError::Locked { pid, .. } if pid == std::process::id()));
        drop(lock);
        assert!(!DreamLock::is_held(&dir));

        // A lock left by a process that no longer exists.
        std::fs::write(dir.root.join(DREAM_LOCK), "4294967\n2026-01-01T00:00:00Z\n").unwrap();
        assert!(!DreamLock::is_held(&dir));
        let _lock = DreamLock::acquire(&dir).unwrap();
        let text = std::fs::read_to_string(dir.root.join(DREAM_LOCK)).unwrap();
        assert!(text.starts_with(&std::process::id().to_string()));
    }

    #[test]
    fn a_garbled_lock_file_counts_as_stale() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = MemoryDir::project(tmp.path());
        std::fs::create_dir_all(&dir.root).unwrap();
        std::fs::write(dir.root.join(DREAM_LOCK), "not a pid").unwrap();
        assert!(DreamLock::acquire(&dir).is_ok());
    }
}
