//! Times one shell command (`bash -c true`) run plainly, in rein's sandbox, and — when the
//! `bwrap` program is installed — in a comparable bubblewrap sandbox. Prints medians and p90
//! in milliseconds. Run with `bash bench/sandbox.sh`.
#![allow(clippy::print_stdout, clippy::unwrap_used, reason = "a benchmark program")]

use rein_sandbox::{Sandbox, SandboxPolicy, SandboxSupport};
use std::path::Path;
use std::time::{Duration, Instant};

const RUNS: usize = 300;

async fn time(mut make: impl FnMut() -> tokio::process::Command) -> Vec<Duration> {
    let mut times = Vec::with_capacity(RUNS);
    for _ in 0..RUNS {
        let mut cmd = make();
        cmd.stdout(std::process::Stdio::null()).stderr(std::process::Stdio::null());
        let start = Instant::now();
        let status = cmd.status().await.unwrap();
        times.push(start.elapsed());
        assert!(status.success());
    }
    times.sort();
    times
}

fn report(name: &str, times: &[Duration], base: Option<Duration>) -> Duration {
    let median = times[times.len() / 2];
    let p90 = times[times.len() * 9 / 10];
    let extra = base
        .map(|b| format!("  (+{:.2} ms)", (median.as_secs_f64() - b.as_secs_f64()) * 1e3))
        .unwrap_or_default();
    println!(
        "{name:<28} median {:>7.3} ms   p90 {:>7.3} ms{extra}",
        median.as_secs_f64() * 1e3,
        p90.as_secs_f64() * 1e3
    );
    median
}

fn bash(dir: &Path) -> tokio::process::Command {
    let mut cmd = tokio::process::Command::new("bash");
    cmd.arg("-c").arg("true").current_dir(dir);
    cmd
}

#[tokio::main]
async fn main() {
    let dir = tempfile::tempdir().unwrap();
    let ws = dir.path().canonicalize().unwrap();
    std::process::Command::new("git").args(["init", "-q"]).current_dir(&ws).status().unwrap();
    println!("{} runs each; {}", RUNS, SandboxSupport::detect());
    let prepared = Instant::now();
    let sandbox = Sandbox::prepare(SandboxPolicy::for_workspace(&ws, &[], &[], false)).unwrap();
    println!(
        "preparing the sandbox (once per session): {:.3} ms",
        prepared.elapsed().as_secs_f64() * 1e3
    );
    // Warm up the page cache and the dynamic loader.
    time(|| bash(&ws)).await;
    let plain = report("plain", &time(|| bash(&ws)).await, None);
    report(
        "rein sandbox",
        &time(|| {
            let mut cmd = bash(&ws);
            sandbox.apply(&mut cmd);
            cmd
        })
        .await,
        Some(plain),
    );
    if std::process::Command::new("bwrap").arg("--version").output().is_ok() {
        let ws_str = ws.to_str().unwrap().to_string();
        let hooks = format!("{ws_str}/.git/hooks");
        report(
            "bubblewrap (same limits)",
            &time(|| {
                let mut cmd = tokio::process::Command::new("bwrap");
                cmd.args([
                    "--ro-bind",
                    "/",
                    "/",
                    "--dev",
                    "/dev",
                    "--proc",
                    "/proc",
                    "--bind",
                    "/tmp",
                    "/tmp",
                ])
                .args(["--bind", &ws_str, &ws_str, "--ro-bind", &hooks, &hooks])
                .args([
                    "--unshare-net",
                    "--die-with-parent",
                    "--chdir",
                    &ws_str,
                    "bash",
                    "-c",
                    "true",
                ]);
                cmd
            })
            .await,
            Some(plain),
        );
    } else {
        println!("bubblewrap: not installed (apt-get install bubblewrap to compare)");
    }
}
