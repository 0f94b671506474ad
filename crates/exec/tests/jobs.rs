//! Background jobs with real processes.

use rein_exec::{ExecError, ExecRequest, JobId, JobStatus, JobTable};
use std::path::Path;
use std::time::{Duration, Instant};

fn req(cmd: &str, dir: &Path) -> ExecRequest {
    ExecRequest::new(cmd, dir).timeout(Duration::from_secs(60))
}

fn is_dead(pid: u32) -> bool {
    match std::fs::read_to_string(format!("/proc/{pid}/stat")) {
        Err(_) => true,
        Ok(stat) => {
            let state = stat.rsplit(')').next().and_then(|rest| rest.trim().chars().next());
            matches!(state, Some('Z' | 'X'))
        }
    }
}

async fn wait_for(mut cond: impl FnMut() -> bool) -> bool {
    for _ in 0..100 {
        if cond() {
            return true;
        }
        tokio::time::sleep(Duration::from_millis(30)).await;
    }
    false
}

#[tokio::test]
async fn poll_returns_new_output_then_exit_status() {
    let dir = tempfile::tempdir().unwrap();
    let jobs = JobTable::new();
    let id = jobs.spawn(&req("echo first; sleep 0.3; echo second; exit 4", dir.path())).unwrap();
    let mut seen = String::new();
    let mut status = JobStatus::Running;
    assert!(
        wait_for(|| {
            let snap = jobs.poll(id).unwrap();
            seen.push_str(&snap.new_output);
            status = snap.status;
            status != JobStatus::Running
        })
        .await
    );
    // Output after the status flip is still collected by one last poll.
    seen.push_str(&jobs.poll(id).unwrap().new_output);
    assert_eq!(seen, "first\nsecond\n");
    assert_eq!(status, JobStatus::Exited(4));
    assert_eq!(jobs.poll(id).unwrap().new_output, "");
    let list = jobs.list();
    assert_eq!(list.len(), 1);
    assert_eq!(list[0].id, id);
    assert_eq!(list[0].status, JobStatus::Exited(4));
}

#[tokio::test]
async fn kill_stops_the_job_and_its_children() {
    let dir = tempfile::tempdir().unwrap();
    let pidfile = dir.path().join("pid");
    let jobs = JobTable::new();
    let cmd = format!("sleep 30 & echo $! > {}; echo up; sleep 30", pidfile.display());
    let id = jobs.spawn(&req(&cmd, dir.path())).unwrap();
    assert!(
        wait_for(|| pidfile.exists() && jobs.poll(id).unwrap().status == JobStatus::Running).await
    );
    let started = Instant::now();
    let snap = jobs.kill(id).await.unwrap();
    assert!(started.elapsed() < Duration::from_secs(3));
    assert_eq!(snap.status, JobStatus::Killed);
    let pid: u32 = std::fs::read_to_string(&pidfile).unwrap().trim().parse().unwrap();
    assert!(wait_for(|| is_dead(pid)).await);
    assert!(!jobs.has_running());
}

#[tokio::test]
async fn bounded_buffer_between_polls() {
    let dir = tempfile::tempdir().unwrap();
    let jobs = JobTable::new();
    let id = jobs
        .spawn(&req("head -c 1000000 /dev/zero | tr '\\0' b", dir.path()).output_limit(1000))
        .unwrap();
    assert!(wait_for(|| jobs.list()[0].status != JobStatus::Running).await);
    let snap = jobs.poll(id).unwrap();
    assert_eq!(snap.status, JobStatus::Exited(0));
    assert_eq!(snap.truncated_bytes, 999_000);
    assert!(snap.new_output.len() < 1100);
}

#[tokio::test]
async fn unknown_jobs_are_errors() {
    let jobs = JobTable::new();
    assert!(matches!(jobs.poll("7".parse::<JobId>().unwrap()), Err(ExecError::UnknownJob(_))));
    assert!(matches!("x".parse::<JobId>(), Err(ExecError::UnknownJob(_))));
    assert!(matches!(
        jobs.kill("1".parse::<JobId>().unwrap()).await,
        Err(ExecError::UnknownJob(_))
    ));
}

#[tokio::test]
async fn dropping_the_table_kills_running_jobs() {
    let dir = tempfile::tempdir().unwrap();
    let pidfile = dir.path().join("pid");
    let jobs = JobTable::new();
    let cmd = format!("sleep 30 & echo $! > {}; sleep 30", pidfile.display());
    jobs.spawn(&req(&cmd, dir.path())).unwrap();
    assert!(wait_for(|| pidfile.metadata().is_ok_and(|m| m.len() > 0)).await);
    drop(jobs);
    let pid: u32 = std::fs::read_to_string(&pidfile).unwrap().trim().parse().unwrap();
    assert!(wait_for(|| is_dead(pid)).await, "job child survived the table");
}

#[test]
fn spawning_outside_a_runtime_is_an_error() {
    let dir = tempfile::tempdir().unwrap();
    let err = JobTable::new().spawn(&req("true", dir.path())).unwrap_err();
    assert!(matches!(err, ExecError::NoRuntime));
}
