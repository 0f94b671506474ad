//! Median latency of the `read` tool on a small file, in microseconds, printed as one number.
//! Used by `bench/run.py`.

#![allow(clippy::print_stdout, clippy::unwrap_used, reason = "a benchmark program")]

use rein_tools::ToolContext;
use serde_json::json;
use std::time::Instant;

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let dir = tempfile::tempdir().unwrap();
    let body: String =
        (1..=120).map(|i| format!("line {i}: some ordinary source text\n")).collect();
    std::fs::write(dir.path().join("small.rs"), body).unwrap();
    let ctx = ToolContext::new(dir.path().to_path_buf());
    let tools = rein_tools::builtin_tools();
    let read = tools.get("read").unwrap();
    let input = json!({"path": "small.rs"});
    for _ in 0..50 {
        read.run(input.clone(), &ctx).await;
    }
    let mut samples = Vec::with_capacity(1000);
    for _ in 0..1000 {
        let started = Instant::now();
        let output = read.run(input.clone(), &ctx).await;
        samples.push(started.elapsed().as_secs_f64() * 1e6);
        assert!(!output.is_error);
    }
    samples.sort_by(f64::total_cmp);
    println!("{:.1}", samples[samples.len() / 2]);
}
