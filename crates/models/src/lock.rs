//! A lock file that keeps two installs of the same model from writing the same files.
//!
//! The lock is a file created with `create_new` holding the owner's process id. A lock is
//! stale, and taken over, when it is older than [`STALE_AFTER`] or (on Linux) when its process
//! no longer exists, so a crashed install never blocks the next one for long.

use crate::error::ModelError;
use std::fs::OpenOptions;
use std::io::{ErrorKind, Write};
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

/// Age after which a lock is ignored whatever its process: no honest install takes this long.
pub(crate) const STALE_AFTER: Duration = Duration::from_secs(60 * 60);

/// A held lock; the file is removed when this is dropped.
#[derive(Debug)]
pub(crate) struct InstallLock {
    path: PathBuf,
}

impl InstallLock {
    /// Takes the lock at `path`, replacing a stale one. Fails with [`ModelError::Busy`] when a
    /// live install holds it.
    pub(crate) fn acquire(path: &Path) -> Result<Self, ModelError> {
        // Two rounds: the second runs after removing a stale lock. If another process took
        // the lock in between, it is live and the second round reports it.
        for _ in 0..2 {
            match OpenOptions::new().write(true).create_new(true).open(path) {
                Ok(mut file) => {
                    let pid = std::process::id();
                    file.write_all(pid.to_string().as_bytes())
                        .map_err(|e| ModelError::io(format!("writing {}", path.display()), e))?;
                    return Ok(Self { path: path.to_path_buf() });
                }
                Err(e) if e.kind() == ErrorKind::AlreadyExists => {
                    let holder = read_pid(path);
                    if !is_stale(path, holder) {
                        return Err(ModelError::Busy {
                            lock: path.to_path_buf(),
                            pid: holder.unwrap_or(0),
                        });
                    }
                    tracing::warn!(lock = %path.display(), "removing a stale install lock");
                    match std::fs::remove_file(path) {
                        Ok(()) => {}
                        Err(e) if e.kind() == ErrorKind::NotFound => {}
                        Err(e) => {
                            return Err(ModelError::io(format!("removing {}", path.display()), e));
                        }
                    }
                }
                Err(e) => {
                    return Err(ModelError::io(format!("creating {}", path.display()), e));
                }
            }
        }
        Err(ModelError::Busy { lock: path.to_path_buf(), pid: read_pid(path).unwrap_or(0) })
    }
}

impl Drop for InstallLock {
    fn drop(&mut self) {
        if let Err(e) = std::fs::remove_file(&self.path) {
            tracing::warn!(lock = %self.path.display(), %e, "could not remove the install lock");
        }
    }
}

fn read_pid(path: &Path) -> Option<u32> {
    std::fs::read_to_string(path).ok()?.trim().parse().ok()
}

/// A lock is stale when it is old, unreadable for its owner, or its owner is gone.
fn is_stale(path: &Path, pid: Option<u32>) -> bool {
    let age = std::fs::metadata(path)
        .and_then(|m| m.modified())
        .ok()
        .and_then(|modified| SystemTime::now().duration_since(modified).ok());
    if age.is_some_and(|age| age > STALE_AFTER) {
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
#[path = "lock_tests.rs"]
mod tests;
