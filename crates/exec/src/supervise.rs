//! Watching a spawned command: pumping its output, enforcing the timeout and cancellation, and
//! stopping the whole process group.

use crate::error::ExecError;
use crate::process::Spawned;
use std::process::ExitStatus;
use std::time::Duration;
use tokio::io::AsyncReadExt;
use tokio::process::{ChildStderr, ChildStdout};
use tokio::time::{Instant, sleep, sleep_until};
use tokio_util::sync::CancellationToken;

/// How long SIGTERM may take before SIGKILL follows.
const TERM_GRACE: Duration = Duration::from_millis(500);
/// How long output may keep flowing after the shell exited (background children that still
/// hold the pipes are stopped after this).
const EXIT_GRACE: Duration = Duration::from_millis(500);
/// How long to collect the last output once the group was killed.
const FINAL_DRAIN: Duration = Duration::from_secs(1);
const READ_BUF: usize = 32 * 1024;

/// Why supervision stopped the command early.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Stop {
    Timeout,
    Cancel,
    /// The shell exited but processes it left in the background kept the output pipes open.
    Leftovers,
}

/// How a supervised command ended.
#[derive(Debug)]
pub(crate) struct Ended {
    pub(crate) status: Option<ExitStatus>,
    pub(crate) stopped: Option<Stop>,
}

/// Runs `spawned` to its end, feeding every chunk of stdout and stderr to `sink` in arrival
/// order. On timeout, cancellation or leftover background processes the whole process group is
/// sent SIGTERM, then SIGKILL after a short grace.
pub(crate) async fn supervise(
    mut spawned: Spawned,
    timeout: Duration,
    cancel: &CancellationToken,
    mut sink: impl FnMut(&[u8]),
) -> Result<Ended, ExecError> {
    let io = pump(spawned.child.stdout.take(), spawned.child.stderr.take(), &mut sink);
    tokio::pin!(io);
    let mut io_done = false;
    let mut status: Option<ExitStatus> = None;
    let deadline = sleep(timeout);
    tokio::pin!(deadline);
    let mut exited_at: Option<Instant> = None;

    let stop = loop {
        tokio::select! {
            () = &mut io, if !io_done => io_done = true,
            res = spawned.child.wait(), if status.is_none() => {
                status = Some(res.map_err(ExecError::Wait)?);
                exited_at = Some(Instant::now() + EXIT_GRACE);
            }
            () = &mut deadline => break Stop::Timeout,
            () = cancel.cancelled() => break Stop::Cancel,
            () = sleep_opt(exited_at), if !io_done => break Stop::Leftovers,
        }
        if io_done && status.is_some() {
            spawned.group.disarm();
            return Ok(Ended { status, stopped: None });
        }
    };

    tracing::debug!(?stop, "stopping process group");
    spawned.group.terminate();
    let term_deadline = Instant::now() + TERM_GRACE;
    while !(io_done && status.is_some()) {
        tokio::select! {
            () = &mut io, if !io_done => io_done = true,
            res = spawned.child.wait(), if status.is_none() => status = res.ok(),
            () = sleep_until(term_deadline) => break,
        }
    }
    // Unconditionally: members that ignored SIGTERM or never held the pipes die here too.
    spawned.group.kill();
    spawned.group.disarm();
    let drain_deadline = Instant::now() + FINAL_DRAIN;
    while !(io_done && status.is_some()) {
        tokio::select! {
            () = &mut io, if !io_done => io_done = true,
            res = spawned.child.wait(), if status.is_none() => status = res.ok(),
            () = sleep_until(drain_deadline) => break,
        }
    }
    Ok(Ended { status, stopped: Some(stop) })
}

async fn sleep_opt(at: Option<Instant>) {
    match at {
        Some(at) => sleep_until(at).await,
        None => std::future::pending().await,
    }
}

enum Chunk {
    Out(Option<usize>),
    Err(Option<usize>),
}

/// Reads both pipes until both are closed, handing chunks to `sink` as they arrive.
async fn pump(
    mut stdout: Option<ChildStdout>,
    mut stderr: Option<ChildStderr>,
    sink: &mut impl FnMut(&[u8]),
) {
    let mut out_buf = vec![0u8; READ_BUF];
    let mut err_buf = vec![0u8; READ_BUF];
    loop {
        let chunk = tokio::select! {
            r = read_some(stdout.as_mut(), &mut out_buf), if stdout.is_some() => Chunk::Out(r),
            r = read_some(stderr.as_mut(), &mut err_buf), if stderr.is_some() => Chunk::Err(r),
            else => return,
        };
        match chunk {
            Chunk::Out(Some(n)) => sink(&out_buf[..n]),
            Chunk::Err(Some(n)) => sink(&err_buf[..n]),
            Chunk::Out(None) => stdout = None,
            Chunk::Err(None) => stderr = None,
        }
    }
}

/// One read; `None` at end of stream or on a read error.
async fn read_some<R: AsyncReadExt + Unpin>(
    reader: Option<&mut R>,
    buf: &mut [u8],
) -> Option<usize> {
    match reader?.read(buf).await {
        Ok(0) | Err(_) => None,
        Ok(n) => Some(n),
    }
}
