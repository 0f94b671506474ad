//! Runs one hook command: `sh -c`, the event's JSON on stdin, output captured with a cap,
//! and on timeout the whole process group killed (a hook's children go with it).

use crate::error::HookError;
use rustix::process::{Pid, Signal, kill_process_group};
use std::path::Path;
use std::process::Stdio;
use std::time::Duration;
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWriteExt};
use tokio::process::Command;

/// Bytes kept of each of stdout and stderr; the rest is read and dropped so the hook never
/// blocks on a full pipe.
pub(crate) const OUTPUT_CAP: usize = 64 * 1024;

/// How long to wait for the pipes to close once a timed-out group was killed (a process that
/// left the group may hold them open).
const DRAIN_AFTER_KILL: Duration = Duration::from_secs(1);

/// What to run.
pub(crate) struct Spec<'a> {
    pub(crate) command: &'a str,
    pub(crate) project_root: &'a Path,
    pub(crate) stdin: &'a [u8],
    pub(crate) timeout: Duration,
}

/// How the command ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Exit {
    Code(i32),
    /// Killed by a signal it did not get from us.
    Signal,
    /// Ran past its timeout and was killed.
    TimedOut,
}

/// A finished command.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Finished {
    pub(crate) exit: Exit,
    pub(crate) stdout: String,
    pub(crate) stderr: String,
}

pub(crate) async fn run(spec: &Spec<'_>) -> Result<Finished, HookError> {
    let mut child = Command::new("sh")
        .arg("-c")
        .arg(spec.command)
        .current_dir(spec.project_root)
        .env("CLAUDE_PROJECT_DIR", spec.project_root)
        .env("REIN_PROJECT_DIR", spec.project_root)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .process_group(0)
        .kill_on_drop(true)
        .spawn()
        .map_err(|source| HookError::Spawn { command: spec.command.to_string(), source })?;
    let mut group = Group::of(child.id());

    let stdin = child.stdin.take();
    let input = spec.stdin.to_vec();
    // A hook that never reads stdin closes the pipe early; that is its right, not an error.
    let feed = async move {
        if let Some(mut stdin) = stdin {
            let _ = stdin.write_all(&input).await;
            let _ = stdin.shutdown().await;
        }
    };
    let stdout = capped(child.stdout.take());
    let stderr = capped(child.stderr.take());
    let outputs = async { tokio::join!(feed, stdout, stderr, child.wait()) };

    let mut outputs = std::pin::pin!(outputs);
    let (exit, stdout, stderr) = match tokio::time::timeout(spec.timeout, &mut outputs).await {
        Ok(((), stdout, stderr, status)) => {
            group.disarm();
            let exit = match status.ok().and_then(|s| s.code()) {
                Some(code) => Exit::Code(code),
                None => Exit::Signal,
            };
            (exit, stdout, stderr)
        }
        Err(_) => {
            group.kill();
            match tokio::time::timeout(DRAIN_AFTER_KILL, &mut outputs).await {
                Ok(((), stdout, stderr, _)) => (Exit::TimedOut, stdout, stderr),
                Err(_) => (Exit::TimedOut, String::new(), String::new()),
            }
        }
    };
    Ok(Finished { exit, stdout, stderr })
}

/// A hook's process group, killed on timeout or when the caller gives up on the hook (the
/// run was interrupted and the future dropped); left alone once the hook ended by itself.
struct Group {
    pgid: Option<Pid>,
    armed: bool,
}

impl Group {
    fn of(pid: Option<u32>) -> Self {
        // The child called setpgid(0, 0), so its pid is the group id. Never group 1: kill(-1)
        // would reach every process we may signal.
        let pgid = pid.and_then(|p| i32::try_from(p).ok()).filter(|p| *p > 1);
        Self { pgid: pgid.and_then(Pid::from_raw), armed: true }
    }

    fn kill(&mut self) {
        if let Some(pgid) = self.pgid.take() {
            // ESRCH only means the group is already gone.
            let _ = kill_process_group(pgid, Signal::KILL);
        }
    }

    fn disarm(&mut self) {
        self.armed = false;
    }
}

impl Drop for Group {
    fn drop(&mut self) {
        if self.armed {
            self.kill();
        }
    }
}

/// Everything the pipe delivers, keeping the first [`OUTPUT_CAP`] bytes.
async fn capped(pipe: Option<impl AsyncRead + Unpin>) -> String {
    let Some(mut pipe) = pipe else { return String::new() };
    let mut kept = Vec::new();
    let mut chunk = [0u8; 8192];
    loop {
        match pipe.read(&mut chunk).await {
            Ok(0) | Err(_) => break,
            Ok(n) => {
                let room = OUTPUT_CAP.saturating_sub(kept.len());
                kept.extend_from_slice(&chunk[..n.min(room)]);
            }
        }
    }
    String::from_utf8_lossy(&kept).into_owned()
}
