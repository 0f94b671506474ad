//! Running one command to completion.

use crate::capture::HeadTail;
use crate::error::ExecError;
use crate::process;
use crate::request::{ExecOutput, ExecRequest};
use crate::supervise::{Stop, supervise};
use std::time::Instant;
use tokio_util::sync::CancellationToken;

/// Runs `req.command` with `bash -c` and waits for it, its timeout or `cancel`.
///
/// Output is captured in bounded memory whatever the child writes; the pipes are drained
/// continuously so the child never blocks on a full pipe. On timeout or cancellation the
/// command's whole process group is killed. Dropping the returned future kills it as well.
pub async fn run(req: &ExecRequest, cancel: &CancellationToken) -> Result<ExecOutput, ExecError> {
    let started = Instant::now();
    let spawned = process::spawn(req)?;
    let mut capture = HeadTail::new(req.output_limit);
    let ended = supervise(spawned, req.timeout, cancel, |chunk| capture.push(chunk)).await?;
    let (mut output, truncated_bytes) = capture.take();
    if ended.stopped == Some(Stop::Leftovers) {
        if !output.is_empty() && !output.ends_with('\n') {
            output.push('\n');
        }
        output.push_str(
            "[background processes started by this command still held its output open and were \
             stopped; run long-lived processes as background jobs]\n",
        );
    }
    let stopped_early = matches!(ended.stopped, Some(Stop::Timeout | Stop::Cancel));
    Ok(ExecOutput {
        exit_code: if stopped_early { None } else { ended.status.and_then(|s| s.code()) },
        timed_out: ended.stopped == Some(Stop::Timeout),
        cancelled: ended.stopped == Some(Stop::Cancel),
        output,
        truncated_bytes,
        duration: started.elapsed(),
    })
}
