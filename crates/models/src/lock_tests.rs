#![allow(clippy::unwrap_used, reason = "test setup")]

use super::*;
use std::fs::File;

#[test]
fn second_lock_is_refused_until_first_is_dropped() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("m.gguf.lock");
    let first = InstallLock::acquire(&path).unwrap();
    assert_eq!(std::fs::read_to_string(&path).unwrap(), std::process::id().to_string());
    let busy = InstallLock::acquire(&path).unwrap_err();
    assert!(matches!(busy, ModelError::Busy { pid, .. } if pid == std::process::id()));
    drop(first);
    assert!(!path.exists());
    InstallLock::acquire(&path).unwrap();
}

#[cfg(target_os = "linux")]
#[test]
fn lock_of_a_dead_process_is_taken_over() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("m.gguf.lock");
    // Larger than any pid the kernel hands out (pid_max is at most 2^22).
    std::fs::write(&path, "4294967").unwrap();
    let lock = InstallLock::acquire(&path).unwrap();
    assert_eq!(std::fs::read_to_string(&path).unwrap(), std::process::id().to_string());
    drop(lock);
}

#[test]
fn old_lock_is_taken_over_even_if_its_process_lives() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("m.gguf.lock");
    std::fs::write(&path, std::process::id().to_string()).unwrap();
    let old = SystemTime::now() - STALE_AFTER - Duration::from_secs(60);
    File::options().write(true).open(&path).unwrap().set_modified(old).unwrap();
    InstallLock::acquire(&path).unwrap();
}
