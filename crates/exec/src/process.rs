//! Spawning `bash -c` in its own process group, and signalling that group.

use crate::env;
use crate::error::ExecError;
use crate::request::ExecRequest;
use rustix::process::{Pid, Signal, kill_process_group};
use std::process::Stdio;
use tokio::process::{Child, Command};

/// A spawned command and the process group it leads.
pub(crate) struct Spawned {
    pub(crate) child: Child,
    pub(crate) group: ProcessGroup,
}

/// Starts `bash -c <command>` with stdin from `/dev/null`, piped stdout and stderr, the scrubbed
/// environment, a fresh process group and, when the request has one, the sandbox.
pub(crate) fn spawn(req: &ExecRequest) -> Result<Spawned, ExecError> {
    if !req.cwd.is_dir() {
        return Err(ExecError::BadCwd(req.cwd.clone()));
    }
    let mut cmd = Command::new("bash");
    cmd.arg("-c")
        .arg(&req.command)
        .current_dir(&req.cwd)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .process_group(0)
        .kill_on_drop(true);
    env::apply(&mut cmd, &req.env, req.scrub_secrets);
    if let Some(sandbox) = &req.sandbox {
        sandbox.apply(&mut cmd);
    }
    let child = cmd.spawn().map_err(ExecError::Spawn)?;
    let group = ProcessGroup::new(child.id());
    tracing::debug!(pgid = ?child.id(), cwd = %req.cwd.display(), "spawned command");
    Ok(Spawned { child, group })
}

/// The process group of a spawned command. Dropping it while armed kills the whole group, so
/// an abandoned command (a dropped future, a dropped job table) leaves nothing behind.
#[derive(Debug)]
pub(crate) struct ProcessGroup {
    pgid: Option<Pid>,
    armed: bool,
}

impl ProcessGroup {
    fn new(pid: Option<u32>) -> Self {
        // The child called setpgid(0, 0), so its pid is the group id. Never signal group 1
        // (kill(-1) would reach every process we may signal).
        let pgid =
            pid.and_then(|p| i32::try_from(p).ok()).filter(|p| *p > 1).and_then(Pid::from_raw);
        Self { pgid, armed: true }
    }

    /// A second armed handle on the same group, for an owner that outlives the supervisor.
    pub(crate) fn handle(&self) -> Self {
        Self { pgid: self.pgid, armed: true }
    }

    /// Asks every process of the group to stop.
    pub(crate) fn terminate(&self) {
        self.signal(Signal::TERM);
    }

    /// Kills every process of the group.
    pub(crate) fn kill(&self) {
        self.signal(Signal::KILL);
    }

    /// Leaves the group alone on drop (the command finished; whatever it deliberately left
    /// running in the background detached from our pipes is its business).
    pub(crate) fn disarm(&mut self) {
        self.armed = false;
    }

    fn signal(&self, sig: Signal) {
        if let Some(pgid) = self.pgid {
            // ESRCH just means the group is already gone.
            if let Err(err) = kill_process_group(pgid, sig)
                && err != rustix::io::Errno::SRCH
            {
                tracing::debug!(%err, pgid = pgid.as_raw_nonzero().get(), "signalling process group failed");
            }
        }
    }
}

impl Drop for ProcessGroup {
    fn drop(&mut self) {
        if self.armed {
            self.kill();
        }
    }
}
