//! Background jobs: commands that keep running while the session goes on.

use crate::capture::HeadTail;
use crate::error::ExecError;
use crate::process::{self, ProcessGroup};
use crate::request::ExecRequest;
use crate::supervise::{Stop, supervise};
use std::collections::BTreeMap;
use std::fmt;
use std::str::FromStr;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::{Duration, Instant};
use tokio_util::sync::CancellationToken;

/// How long [`JobTable::kill`] waits for a job to die before reporting anyway.
const KILL_WAIT: Duration = Duration::from_secs(5);

/// Identifier of a background job, unique within its table. Shown and parsed as a number.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct JobId(u64);

impl JobId {
    /// The number.
    pub fn get(self) -> u64 {
        self.0
    }
}

impl fmt::Display for JobId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

impl FromStr for JobId {
    type Err = ExecError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        s.trim().parse().map(JobId).map_err(|_| ExecError::UnknownJob(s.to_owned()))
    }
}

/// Where a job is in its life.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum JobStatus {
    /// Still running.
    Running,
    /// Exited by itself with this code.
    Exited(i32),
    /// Killed (by [`JobTable::kill`], its timeout, or a signal).
    Killed,
}

/// What [`JobTable::poll`] reports.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JobSnapshot {
    /// Current status.
    pub status: JobStatus,
    /// Output produced since the previous poll (bounded; see `truncated_bytes`).
    pub new_output: String,
    /// Bytes of that output dropped from the middle because it exceeded the job's limit.
    pub truncated_bytes: u64,
}

/// One row of [`JobTable::list`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JobInfo {
    /// Job id.
    pub id: JobId,
    /// The command as given.
    pub command: String,
    /// Current status.
    pub status: JobStatus,
    /// How long it has run (or ran).
    pub runtime: Duration,
}

/// The background jobs of a session. Cheap to clone (shared); when the last clone is dropped
/// every job still running is killed with its whole process group.
#[derive(Clone, Default)]
pub struct JobTable {
    inner: Arc<Inner>,
}

impl fmt::Debug for JobTable {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("JobTable").field("jobs", &lock(&self.inner.jobs).len()).finish()
    }
}

#[derive(Default)]
struct Inner {
    next_id: AtomicU64,
    jobs: Mutex<BTreeMap<JobId, Job>>,
}

struct Job {
    command: String,
    started: Instant,
    state: Arc<Mutex<JobState>>,
    stop: CancellationToken,
    done: CancellationToken,
    group: ProcessGroup,
}

struct JobState {
    status: JobStatus,
    unread: HeadTail,
    ended: Option<Instant>,
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    // A panic elsewhere cannot leave these maps logically inconsistent; keep going.
    m.lock().unwrap_or_else(PoisonError::into_inner)
}

impl JobTable {
    /// An empty table.
    pub fn new() -> Self {
        Self::default()
    }

    /// Starts `req` in the background. Its output accumulates (bounded by
    /// `req.output_limit` between polls) until [`poll`](Self::poll) takes it; `req.timeout`
    /// still applies. Needs a running tokio runtime.
    pub fn spawn(&self, req: &ExecRequest) -> Result<JobId, ExecError> {
        let runtime = tokio::runtime::Handle::try_current().map_err(|_| ExecError::NoRuntime)?;
        let spawned = process::spawn(req)?;
        let id = JobId(self.inner.next_id.fetch_add(1, Ordering::Relaxed) + 1);
        let state = Arc::new(Mutex::new(JobState {
            status: JobStatus::Running,
            unread: HeadTail::new(req.output_limit),
            ended: None,
        }));
        let stop = CancellationToken::new();
        let done = CancellationToken::new();
        let job = Job {
            command: req.command.clone(),
            started: Instant::now(),
            state: Arc::clone(&state),
            stop: stop.clone(),
            done: done.clone(),
            group: spawned.group.handle(),
        };
        lock(&self.inner.jobs).insert(id, job);

        let timeout = req.timeout;
        runtime.spawn(async move {
            let sink_state = Arc::clone(&state);
            let ended = supervise(spawned, timeout, &stop, move |chunk| {
                lock(&sink_state).unread.push(chunk);
            })
            .await;
            let status = match ended {
                Ok(e) => match (e.stopped, e.status.and_then(|s| s.code())) {
                    (None | Some(Stop::Leftovers), Some(code)) => JobStatus::Exited(code),
                    _ => JobStatus::Killed,
                },
                Err(err) => {
                    tracing::warn!(%err, "background job supervision failed");
                    JobStatus::Killed
                }
            };
            let mut st = lock(&state);
            st.status = status;
            st.ended = Some(Instant::now());
            drop(st);
            done.cancel();
        });
        tracing::debug!(%id, "background job started");
        Ok(id)
    }

    /// Status of job `id` and the output it produced since the previous poll.
    pub fn poll(&self, id: JobId) -> Result<JobSnapshot, ExecError> {
        let jobs = lock(&self.inner.jobs);
        let job = jobs.get(&id).ok_or_else(|| ExecError::UnknownJob(id.to_string()))?;
        let mut st = lock(&job.state);
        let (new_output, truncated_bytes) = st.unread.take();
        Ok(JobSnapshot { status: st.status, new_output, truncated_bytes })
    }

    /// Kills job `id` with its process group (SIGTERM, then SIGKILL), waits briefly for it to
    /// end and returns its final snapshot. Killing a finished job just polls it.
    pub async fn kill(&self, id: JobId) -> Result<JobSnapshot, ExecError> {
        let done = {
            let jobs = lock(&self.inner.jobs);
            let job = jobs.get(&id).ok_or_else(|| ExecError::UnknownJob(id.to_string()))?;
            job.stop.cancel();
            job.done.clone()
        };
        if tokio::time::timeout(KILL_WAIT, done.cancelled()).await.is_err() {
            tracing::warn!(%id, "background job did not end after kill");
        }
        self.poll(id)
    }

    /// Every job of the table, oldest first.
    pub fn list(&self) -> Vec<JobInfo> {
        let jobs = lock(&self.inner.jobs);
        jobs.iter()
            .map(|(id, job)| {
                let st = lock(&job.state);
                let end = st.ended.unwrap_or_else(Instant::now);
                JobInfo {
                    id: *id,
                    command: job.command.clone(),
                    status: st.status,
                    runtime: end.saturating_duration_since(job.started),
                }
            })
            .collect()
    }

    /// Whether any job is still running.
    pub fn has_running(&self) -> bool {
        let jobs = lock(&self.inner.jobs);
        jobs.values().any(|job| lock(&job.state).status == JobStatus::Running)
    }
}

impl Drop for Inner {
    fn drop(&mut self) {
        let jobs = std::mem::take(self.jobs.get_mut().unwrap_or_else(PoisonError::into_inner));
        for (_, mut job) in jobs {
            job.stop.cancel();
            // Kill synchronously: the runtime may be shutting down and never run the tasks again.
            if lock(&job.state).status != JobStatus::Running {
                job.group.disarm();
            }
            drop(job);
        }
    }
}
