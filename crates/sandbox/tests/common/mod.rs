//! Where tests put files that must lie outside everything a sandboxed command may write.

use std::path::PathBuf;

/// A directory outside the temp directories (a clone of the project may itself live in /tmp,
/// which sandboxed commands may write, so Cargo's target directory is not always outside).
pub(crate) fn scratch_base() -> PathBuf {
    let temp = rein_sandbox::temp_dirs();
    let home = std::env::var_os("HOME").map(PathBuf::from).unwrap_or_default();
    let candidates = [PathBuf::from(env!("CARGO_TARGET_TMPDIR")), home.join(".cache/rein-tests")];
    for candidate in candidates {
        if std::fs::create_dir_all(&candidate).is_err() {
            continue;
        }
        let Ok(dir) = candidate.canonicalize() else { continue };
        if !temp.iter().any(|t| dir.starts_with(t)) {
            return dir;
        }
    }
    panic!("no scratch directory outside the temp directories {temp:?}; set HOME elsewhere");
}
