//! End-to-end tests of `rein_exec::run` with real processes.

use rein_exec::{ExecError, ExecRequest, run};
use std::path::Path;
use std::time::{Duration, Instant};
use tokio_util::sync::CancellationToken;

fn req(cmd: &str, dir: &Path) -> ExecRequest {
    ExecRequest::new(cmd, dir).timeout(Duration::from_secs(20))
}

/// Whether `pid` is gone (or a zombie awaiting its reaper).
fn is_dead(pid: u32) -> bool {
    match std::fs::read_to_string(format!("/proc/{pid}/stat")) {
        Err(_) => true,
        Ok(stat) => {
            let state = stat.rsplit(')').next().and_then(|rest| rest.trim().chars().next());
            matches!(state, Some('Z' | 'X'))
        }
    }
}

async fn wait_dead(pid: u32) -> bool {
    for _ in 0..40 {
        if is_dead(pid) {
            return true;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    false
}

#[tokio::test]
async fn reports_exit_codes_and_interleaved_output() {
    let dir = tempfile::tempdir().unwrap();
    let none = CancellationToken::new();
    let out =
        run(&req("echo one; sleep 0.05; echo two >&2; sleep 0.05; echo three", dir.path()), &none)
            .await
            .unwrap();
    assert_eq!(out.exit_code, Some(0));
    assert!(out.success());
    assert_eq!(out.output, "one\ntwo\nthree\n");
    assert_eq!(out.truncated_bytes, 0);

    let out = run(&req("echo bye; exit 3", dir.path()), &none).await.unwrap();
    assert_eq!(out.exit_code, Some(3));
    assert!(!out.timed_out && !out.cancelled);
}

#[tokio::test]
async fn runs_in_cwd_with_fixed_env_and_null_stdin() {
    let dir = tempfile::tempdir().unwrap();
    let none = CancellationToken::new();
    let cmd = "pwd -P; echo $REIN $GIT_PAGER $PAGER $MY_VAR; cat; echo end";
    let out = run(&req(cmd, dir.path()).env("MY_VAR", "x"), &none).await.unwrap();
    let canon = dir.path().canonicalize().unwrap();
    assert_eq!(out.output, format!("{}\n1 cat cat x\nend\n", canon.display()));
}

#[tokio::test]
async fn timeout_kills_the_whole_group_quickly() {
    let dir = tempfile::tempdir().unwrap();
    let pidfile = dir.path().join("pid");
    let cmd = format!("sleep 30 & echo $! > {}; sleep 30", pidfile.display());
    let started = Instant::now();
    let out =
        run(&req(&cmd, dir.path()).timeout(Duration::from_millis(300)), &CancellationToken::new())
            .await
            .unwrap();
    assert!(out.timed_out);
    assert_eq!(out.exit_code, None);
    assert!(started.elapsed() < Duration::from_secs(5), "took {:?}", started.elapsed());
    let pid: u32 = std::fs::read_to_string(&pidfile).unwrap().trim().parse().unwrap();
    assert!(wait_dead(pid).await, "grandchild {pid} survived the timeout");
}

#[tokio::test]
async fn caps_huge_output_and_counts_the_rest() {
    let dir = tempfile::tempdir().unwrap();
    let cmd = "head -c 50000000 /dev/zero | tr '\\0' a; echo; echo done";
    let out =
        run(&req(cmd, dir.path()).output_limit(30_000), &CancellationToken::new()).await.unwrap();
    assert_eq!(out.exit_code, Some(0));
    assert_eq!(out.truncated_bytes, 50_000_006 - 30_000);
    assert!(out.output.len() < 30_200, "{}", out.output.len());
    assert!(out.output.starts_with("aaaa"));
    assert!(out.output.ends_with("a\ndone\n"));
    assert!(
        out.output.contains(&format!("[... {} bytes of output omitted ...]", out.truncated_bytes))
    );
}

#[tokio::test]
async fn cancellation_stops_the_command() {
    let dir = tempfile::tempdir().unwrap();
    let cancel = CancellationToken::new();
    let trigger = cancel.clone();
    tokio::spawn(async move {
        tokio::time::sleep(Duration::from_millis(200)).await;
        trigger.cancel();
    });
    let started = Instant::now();
    let out = run(&req("echo started; sleep 30", dir.path()), &cancel).await.unwrap();
    assert!(out.cancelled && !out.timed_out);
    assert_eq!(out.exit_code, None);
    assert_eq!(out.output, "started\n");
    assert!(started.elapsed() < Duration::from_secs(5));
}

#[tokio::test]
async fn background_leftovers_holding_the_pipe_do_not_hang_the_call() {
    let dir = tempfile::tempdir().unwrap();
    let pidfile = dir.path().join("pid");
    let cmd = format!("sleep 30 & echo $! > {}; echo done", pidfile.display());
    let started = Instant::now();
    let out = run(&req(&cmd, dir.path()), &CancellationToken::new()).await.unwrap();
    assert!(started.elapsed() < Duration::from_secs(5));
    assert_eq!(out.exit_code, Some(0));
    assert!(out.output.starts_with("done\n"));
    assert!(out.output.contains("background processes"));
    let pid: u32 = std::fs::read_to_string(&pidfile).unwrap().trim().parse().unwrap();
    assert!(wait_dead(pid).await);
}

#[tokio::test]
async fn detached_background_processes_are_left_alone() {
    let dir = tempfile::tempdir().unwrap();
    let pidfile = dir.path().join("pid");
    let cmd = format!("sleep 30 >/dev/null 2>&1 & echo $! > {}; echo ok", pidfile.display());
    let out = run(&req(&cmd, dir.path()), &CancellationToken::new()).await.unwrap();
    assert_eq!(out.output, "ok\n");
    let pid: u32 = std::fs::read_to_string(&pidfile).unwrap().trim().parse().unwrap();
    assert!(!is_dead(pid));
    // Clean up after ourselves.
    run(&req(&format!("kill {pid}"), dir.path()), &CancellationToken::new()).await.unwrap();
}

#[tokio::test]
async fn missing_cwd_is_an_error() {
    let dir = tempfile::tempdir().unwrap();
    let err =
        run(&req("true", &dir.path().join("nope")), &CancellationToken::new()).await.unwrap_err();
    assert!(matches!(err, ExecError::BadCwd(_)), "{err}");
}

#[tokio::test]
async fn dropping_the_future_kills_the_group() {
    let dir = tempfile::tempdir().unwrap();
    let pidfile = dir.path().join("pid");
    let cmd = format!("sleep 30 & echo $! > {}; sleep 30", pidfile.display());
    let request = req(&cmd, dir.path());
    let cancel = CancellationToken::new();
    let fut = run(&request, &cancel);
    assert!(tokio::time::timeout(Duration::from_millis(300), fut).await.is_err());
    let pid: u32 = std::fs::read_to_string(&pidfile).unwrap().trim().parse().unwrap();
    assert!(wait_dead(pid).await);
}
