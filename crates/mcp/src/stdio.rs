//! Starting a stdio server: its own process group (a Ctrl-C at the terminal is rein's to
//! handle, and ending the connection must reach whatever the server started), stdin and
//! stdout as the protocol channel, and stderr into a log file, never the terminal, where it
//! would tear the interface.

use crate::names::sanitize;
use rustix::process::{Pid, Signal, kill_process_group};
use std::collections::BTreeMap;
use std::io::{Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};
use std::process::{ExitStatus, Stdio};
use std::sync::{Mutex, PoisonError};
use std::time::Duration;
use tokio::process::{Child, ChildStdin, ChildStdout, Command};

/// A log grown past this is started afresh on the next launch.
const MAX_LOG_BYTES: u64 = 1 << 20;

/// Marks the start of one launch in the log, so crash reports quote only this run's output.
const LAUNCH_MARK: &str = "--- rein started: ";

/// What to start.
pub(crate) struct Launch<'a> {
    pub(crate) server: &'a str,
    pub(crate) command: &'a str,
    pub(crate) args: &'a [String],
    pub(crate) env: &'a BTreeMap<String, String>,
    pub(crate) cwd: &'a Path,
    /// Where stderr goes; `None` discards it.
    pub(crate) log_dir: Option<&'a Path>,
}

/// A running server process. Dropping it kills its process group.
pub(crate) struct ServerProcess {
    child: Mutex<Child>,
    group: Option<Pid>,
    log: Option<PathBuf>,
}

/// Starts the server; returns the process and its stdout and stdin.
pub(crate) fn spawn(
    launch: &Launch<'_>,
) -> Result<(ServerProcess, ChildStdout, ChildStdin), String> {
    if !launch.cwd.is_dir() {
        return Err(format!("its working directory {} does not exist", launch.cwd.display()));
    }
    // A relative path with a slash means the server's own folder, not rein's.
    let program = if launch.command.contains('/') && Path::new(launch.command).is_relative() {
        launch.cwd.join(launch.command)
    } else {
        PathBuf::from(launch.command)
    };
    let (stderr, log) = match launch.log_dir {
        Some(dir) => match open_log(dir, launch) {
            Ok((file, path)) => (Stdio::from(file), Some(path)),
            Err(e) => {
                tracing::debug!(server = launch.server, %e, "no log file; stderr discarded");
                (Stdio::null(), None)
            }
        },
        None => (Stdio::null(), None),
    };
    let mut command = Command::new(&program);
    command
        .args(launch.args)
        .envs(launch.env)
        .current_dir(launch.cwd)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(stderr)
        .process_group(0)
        .kill_on_drop(true);
    let mut child = command.spawn().map_err(|e| match e.kind() {
        std::io::ErrorKind::NotFound => format!("`{}` was not found", program.display()),
        std::io::ErrorKind::PermissionDenied => {
            format!("`{}` is not executable", program.display())
        }
        _ => format!("starting `{}` failed: {e}", program.display()),
    })?;
    let (Some(stdout), Some(stdin)) = (child.stdout.take(), child.stdin.take()) else {
        return Err("its stdin or stdout could not be opened".into());
    };
    // The child called setpgid(0, 0), so its pid is the group id. Never signal group 1.
    let group = child
        .id()
        .and_then(|pid| i32::try_from(pid).ok())
        .filter(|pid| *pid > 1)
        .and_then(Pid::from_raw);
    tracing::debug!(server = launch.server, pid = ?child.id(), "started MCP server");
    Ok((ServerProcess { child: Mutex::new(child), group, log }, stdout, stdin))
}

impl ServerProcess {
    /// The exit status, once the process has ended.
    pub(crate) fn exit_status(&self) -> Option<ExitStatus> {
        let mut child = self.child.lock().unwrap_or_else(PoisonError::into_inner);
        child.try_wait().ok().flatten()
    }

    /// Waits up to `within` for the process to end (it closed its stdout, so it is usually
    /// exiting already).
    pub(crate) async fn wait_exit(&self, within: Duration) -> Option<ExitStatus> {
        let step = Duration::from_millis(10);
        let mut waited = Duration::ZERO;
        loop {
            if let Some(status) = self.exit_status() {
                return Some(status);
            }
            if waited >= within {
                return None;
            }
            tokio::time::sleep(step).await;
            waited += step;
        }
    }

    /// The last lines the server wrote to stderr in this run, if it has a log.
    pub(crate) fn last_words(&self, lines: usize) -> Vec<String> {
        self.log.as_deref().map(|log| tail_of_run(log, lines)).unwrap_or_default()
    }

    /// The log file, if stderr goes to one.
    pub(crate) fn log_path(&self) -> Option<&Path> {
        self.log.as_deref()
    }

    /// Kills the process and everything it started.
    pub(crate) fn kill(&self) {
        if let Some(group) = self.group
            && let Err(err) = kill_process_group(group, Signal::KILL)
            && err != rustix::io::Errno::SRCH
        {
            tracing::debug!(%err, "signalling an MCP server's process group failed");
        }
        let mut child = self.child.lock().unwrap_or_else(PoisonError::into_inner);
        let _ = child.start_kill();
    }
}

impl Drop for ServerProcess {
    fn drop(&mut self) {
        self.kill();
    }
}

/// Opens the server's log for appending (afresh when it has grown large) and marks the launch.
fn open_log(dir: &Path, launch: &Launch<'_>) -> std::io::Result<(std::fs::File, PathBuf)> {
    std::fs::create_dir_all(dir)?;
    let path = dir.join(format!("mcp-{}.log", sanitize(launch.server)));
    let large = std::fs::metadata(&path).is_ok_and(|m| m.len() > MAX_LOG_BYTES);
    let mut file = std::fs::OpenOptions::new()
        .create(true)
        .append(!large)
        .write(true)
        .truncate(large)
        .open(&path)?;
    let mut line = format!("{LAUNCH_MARK}{}", launch.command);
    for arg in launch.args {
        line.push(' ');
        line.push_str(arg);
    }
    writeln!(file, "{line}")?;
    Ok((file, path))
}

/// The last `lines` non-empty lines after the last launch mark of `log`.
fn tail_of_run(log: &Path, lines: usize) -> Vec<String> {
    const TAIL_BYTES: u64 = 8 * 1024;
    let Ok(mut file) = std::fs::File::open(log) else { return Vec::new() };
    let len = file.metadata().map(|m| m.len()).unwrap_or(0);
    if file.seek(SeekFrom::Start(len.saturating_sub(TAIL_BYTES))).is_err() {
        return Vec::new();
    }
    let mut bytes = Vec::new();
    if file.read_to_end(&mut bytes).is_err() {
        return Vec::new();
    }
    let text = String::from_utf8_lossy(&bytes);
    let run = text.rfind(LAUNCH_MARK).map_or(&*text, |at| &text[at..]);
    let mut kept: Vec<String> = run
        .lines()
        .skip(usize::from(run.starts_with(LAUNCH_MARK)))
        .filter(|line| !line.trim().is_empty())
        .map(|line| cap(line.trim_end(), 300))
        .collect();
    let skip = kept.len().saturating_sub(lines);
    kept.drain(..skip);
    kept
}

fn cap(line: &str, max: usize) -> String {
    match line.char_indices().nth(max) {
        Some((at, _)) => format!("{}…", &line[..at]),
        None => line.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use pretty_assertions::assert_eq;

    #[test]
    fn the_tail_covers_only_the_last_launch() {
        let dir = tempfile::tempdir().unwrap();
        let log = dir.path().join("mcp-x.log");
        std::fs::write(
            &log,
            format!("{LAUNCH_MARK}x\nold failure\n{LAUNCH_MARK}x --y\nstarting\n\nline 2\nboom: it broke\n"),
        )
        .unwrap();
        assert_eq!(tail_of_run(&log, 2), ["line 2", "boom: it broke"]);
        assert_eq!(tail_of_run(&log, 10), ["starting", "line 2", "boom: it broke"]);
        assert_eq!(tail_of_run(&dir.path().join("missing.log"), 3), Vec::<String>::new());
    }

    #[tokio::test]
    async fn stderr_goes_to_the_log_and_a_missing_program_is_named() {
        let dir = tempfile::tempdir().unwrap();
        let env = BTreeMap::from([("GREETING".to_string(), "hello from stderr".to_string())]);
        let args = vec!["-c".to_string(), "echo \"$GREETING\" >&2; exit 3".to_string()];
        let launch = Launch {
            server: "a b",
            command: "sh",
            args: &args,
            env: &env,
            cwd: dir.path(),
            log_dir: Some(dir.path()),
        };
        let (process, _stdout, _stdin) = spawn(&launch).unwrap();
        let status = process.wait_exit(Duration::from_secs(30)).await.unwrap();
        assert_eq!(status.code(), Some(3));
        assert_eq!(process.last_words(5), ["hello from stderr"]);
        assert_eq!(process.log_path(), Some(dir.path().join("mcp-a_b.log").as_path()));

        let missing = Launch { command: "no-such-program-for-rein", ..launch };
        let error = spawn(&missing).err().unwrap();
        assert!(error.contains("`no-such-program-for-rein` was not found"), "{error}");
    }
}
