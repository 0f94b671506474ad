//! Starting a process that outlives rein: its own process group (so a closing terminal's
//! hang-up does not reach it), no terminal input, output to a log file.

use std::path::Path;
use std::process::{Command, Stdio};

/// Starts `program` with `args` in `cwd`, detached; its output is appended to `log`.
/// Returns its process id. The child is not waited for.
pub fn spawn_detached(
    program: &Path,
    args: &[&str],
    cwd: &Path,
    log: &Path,
) -> std::io::Result<u32> {
    use std::os::unix::process::CommandExt as _;
    if let Some(parent) = log.parent() {
        std::fs::create_dir_all(parent)?;
    }
    let out = std::fs::OpenOptions::new().create(true).append(true).open(log)?;
    let err = out.try_clone()?;
    let child = Command::new(program)
        .args(args)
        .current_dir(cwd)
        .stdin(Stdio::null())
        .stdout(Stdio::from(out))
        .stderr(Stdio::from(err))
        .process_group(0)
        .spawn()?;
    Ok(child.id())
}
