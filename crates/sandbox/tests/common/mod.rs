//! Where tests put files that must lie outside everything a sandboxed command may write.

use std::path::PathBuf;

/// A directory outside the temp directories (a clone of the project may itself live in /tmp,
/// which sandboxed commands may write, so Cargo's target directory is not always outside).
pub(crate) fn scratch_base() -> PathBuf {
    let home = std::env::var_os("HOME").map(PathBuf::from).unwrap_or_default();
    let candidates = [PathBuf::from(env!("CARGO_TARGET_TMPDIR")), home.join(".cache/rein-tests")];
    rein_sandbox::first_outside_temp(&candidates)
        .unwrap_or_else(|| panic!("no directory outside the temp directories; set HOME elsewhere"))
}
