//! A lock file that keeps two processes from doing the same work at once (two installs of a
//! model, two dreams of a memory folder).
//!
//! The lock is a file created with `create_new` holding the owner's process id. A lock is
//! stale, and taken over, when it is older than the caller's limit or (on Linux) when its
//! process no longer exists, so a crashed owner never blocks the next one for long.

use std::fs::OpenOptions;
use std::io::{ErrorKind, Write};
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

/// Why a lock could not be taken.
#[derive(Debug, thiserror::Error)]
pub enum PidLockError {
    /// A live process holds it.
    #[error("{} is held by process {pid}", lock.display())]
    Busy {
        /// The lock file.
        lock: PathBuf,
        /// The process that holds it.
        pid: u32,
    },
    /// The lock file could not be created, written or removed.
    #[error("{action} {}: {source}", lock.display())]
    Io {
        /// What was being done.
        action: &'static str,
        /// The lock file.
        lock: PathBuf,
        /// The cause.
        source: std::io::Error,
    },
}

/// A held lock; the file is removed when this is dropped.
#[derive(Debug)]
pub struct PidLock {
    path: PathBuf,
}

impl PidLock {
    /// Takes the lock at `path`, replacing one that is stale (older than `stale_after`, or
    /// its process is gone).
    pub fn acquire(path: &Path, stale_after: Duration) -> Result<Self, PidLockError> {
        let io = |action, source| PidLockError::Io { action, lock: path.to_path_buf(), source };
        // Two rounds: the second runs after removing a stale lock. If another process took
        // the lock in between, it is live and the second round reports it.
        for _ in 0..2 {
            match OpenOptions::new().write(true).create_new(true).open(path) {
                Ok(mut file) => {
                    let pid = std::process::id();
                    file.write_all(pid.to_string().as_bytes()).map_err(|e| io("writing", e))?;
                    return Ok(Self { path: path.to_path_buf() });
                }
                Err(e) if e.kind() == ErrorKind::AlreadyExists => {
                    let holder = read_pid(path);
                    if !is_stale(path, holder, stale_after) {
                        let pid = holder.unwrap_or(0);
                        return Err(PidLockError::Busy { lock: path.to_path_buf(), pid });
                    }
                    tracing::warn!(lock = %path.display(), "removing a stale lock");
                    match std::fs::remove_file(path) {
                        Ok(()) => {}
                        Err(e) if e.kind() == ErrorKind::NotFound => {}
                        Err(e) => return Err(io("removing", e)),
                    }
                }
                Err(e) => return Err(io("creating", e)),
            }
        }
        Err(PidLockError::Busy { lock: path.to_path_buf(), pid: read_pid(path).unwrap_or(0) })
    }

    /// The live process holding the lock at `path`, if any.
    pub fn holder(path: &Path, stale_after: Duration) -> Option<u32> {
        if !path.exists() {
            return None;
        }
        let pid = read_pid(path);
        if is_stale(path, pid, stale_after) { None } else { Some(pid.unwrap_or(0)) }
    }
}

impl Drop for PidLock {
    fn drop(&mut self) {
        if let Err(e) = std::fs::remove_file(&self.path) {
            tracing::warn!(lock = %self.path.display(), %e, "could not remove the lock");
        }
    }
}

fn read_pid(path: &Path) -> Option<u32> {
    std::fs::read_to_string(path).ok()?.trim().parse().ok()
}

/// A lock is stale when it is old or its owner is gone.
fn is_stale(path: &Path, pid: Option<u32>, stale_after: Duration) -> bool {
    let age = std::fs::metadata(path)
        .and_then(|m| m.modified())
        .ok()
        .and_then(|modified| SystemTime::now().duration_since(modified).ok());
    if age.is_some_and(|age| age > stale_after) {
        return true;
    }
    match pid {
        Some(pid) => !process_alive(pid),
        // The owner may be between creating the file and writing its id: only age decides.
        None => false,
    }
}

#[cfg(target_os = "linux")]
fn process_alive(pid: u32) -> bool {
    Path::new("/proc").join(pid.to_string()).exists()
}

/// Without a cheap, safe liveness check, only the age makes a lock stale.
#[cfg(not(target_os = "linux"))]
fn process_alive(_pid: u32) -> bool {
    true
}

#[cfg(test)]
#[path = "pid_lock_tests.rs"]
mod tests;
