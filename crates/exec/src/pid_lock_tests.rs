#![allow(clippy::unwrap_used, reason = "test setup")]

use super::*;
use std::fs::File;

const HOUR: Duration = Duration::from_secs(3600);

#[test]
fn second_lock_is_refused_until_first_is_dropped() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("m.gguf.lock");
    let first = PidLock::acquire(&path, HOUR).unwrap();
    assert_eq!(std::fs::read_to_string(&path).unwrap(), std::process::id().to_string());
    let busy = PidLock::acquire(&path, HOUR).unwrap_err();
    assert!(matches!(busy, PidLockError::Busy { pid, .. } if pid == std::process::id()));
    assert_eq!(PidLock::holder(&path, HOUR), Some(std::process::id()));
    drop(first);
    assert!(!path.exists());
    assert_eq!(PidLock::holder(&path, HOUR), None);
    PidLock::acquire(&path, HOUR).unwrap();
}

#[cfg(target_os = "linux")]
#[test]
fn lock_of_a_dead_process_is_taken_over() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("m.gguf.lock");
    // Larger than any pid the kernel hands out (pid_max is at most 2^22).
    std::fs::write(&path, "4294967").unwrap();
    let lock = PidLock::acquire(&path, HOUR).unwrap();
    assert_eq!(std::fs::read_to_string(&path).unwrap(), std::process::id().to_string());
    drop(lock);
}

#[test]
fn old_lock_is_taken_over_even_if_its_process_lives() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("m.gguf.lock");
    std::fs::write(&path, std::process::id().to_string()).unwrap();
    let old = SystemTime::now() - HOUR - Duration::from_secs(60);
    File::options().write(true).open(&path).unwrap().set_modified(old).unwrap();
    PidLock::acquire(&path, HOUR).unwrap();
}
