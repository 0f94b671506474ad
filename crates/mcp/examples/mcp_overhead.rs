//! What rein's MCP adapter adds to a tool call: the same `echo` call to the reference
//! "everything" server, once through rein's tool (`mcp__everything__echo`: the manager's
//! liveness check, timeout, cancellation and result conversion) and once through a bare SDK
//! client on a second server process, alternating call by call. Prints one JSON object with
//! medians and 90th percentiles in microseconds.
//!
//! Usage: cargo run --release -p rein-mcp --example mcp_overhead -- [CALLS]
//! (install the server first: bash scripts/setup-mcp.sh)

#![allow(
    clippy::print_stdout,
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "a benchmark program"
)]

use rein_mcp::{ConnectOptions, McpManager, ServerConfig, Transport};
use rein_tools::ToolContext;
use rmcp::ServiceExt;
use rmcp::model::{CallToolRequestParams, ClientConfig};
use serde_json::json;
use std::path::Path;
use std::time::{Duration, Instant};

const WARM_UP: usize = 20;

fn main() {
    let calls: usize =
        std::env::args().nth(1).map_or(500, |n| n.parse().expect("CALLS is a number"));
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    runtime.block_on(run(calls));
}

async fn run(calls: usize) {
    let server = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../tests/mcp-servers/node_modules/.bin/mcp-server-everything");
    assert!(server.exists(), "{} is missing: run bash scripts/setup-mcp.sh", server.display());
    let dir = std::env::temp_dir();
    let config = ServerConfig {
        name: "everything".into(),
        transport: Transport::Stdio {
            command: server.to_string_lossy().into_owned(),
            args: vec!["stdio".into()],
            env: Default::default(),
            cwd: None,
        },
        enabled: true,
        startup_timeout: Duration::from_secs(60),
        tool_timeout: Duration::from_secs(60),
        source: "bench".into(),
    };
    let manager = McpManager::start(
        vec![config],
        ConnectOptions { project_root: dir.clone(), log_dir: None },
    )
    .await;
    let tool = manager
        .tools()
        .into_iter()
        .find(|t| t.name() == "mcp__everything__echo")
        .expect("echo tool");
    let ctx = ToolContext::new(dir);

    let mut child = tokio::process::Command::new(&server)
        .arg("stdio")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .kill_on_drop(true)
        .spawn()
        .unwrap();
    let (stdout, stdin) = (child.stdout.take().unwrap(), child.stdin.take().unwrap());
    let bare = ClientConfig::default().serve((stdout, stdin)).await.unwrap();

    let input = json!({"message": "benchmark"});
    let arguments = input.as_object().unwrap().clone();
    let (mut adapter, mut direct) = (Vec::with_capacity(calls), Vec::with_capacity(calls));
    for i in 0..WARM_UP + calls {
        let started = Instant::now();
        let output = tool.run(input.clone(), &ctx).await;
        let adapter_time = started.elapsed();
        assert_eq!(output.content, "Echo: benchmark");

        let started = Instant::now();
        let params = CallToolRequestParams::new("echo").with_arguments(arguments.clone());
        let result = bare.call_tool(params).await.unwrap();
        let direct_time = started.elapsed();
        assert_eq!(result.content.len(), 1);

        if i >= WARM_UP {
            adapter.push(adapter_time);
            direct.push(direct_time);
        }
    }
    let (a50, a90) = (percentile(&mut adapter, 50), percentile(&mut adapter, 90));
    let (d50, d90) = (percentile(&mut direct, 50), percentile(&mut direct, 90));
    let report = json!({
        "calls": calls,
        "adapter_median_us": a50,
        "adapter_p90_us": a90,
        "bare_median_us": d50,
        "bare_p90_us": d90,
        "overhead_median_us": ((a50 - d50) * 10.0).round() / 10.0,
    });
    println!("{report}");
    manager.shut_down().await;
}

fn percentile(times: &mut [Duration], p: usize) -> f64 {
    times.sort();
    let index = (times.len() * p / 100).min(times.len() - 1);
    (times[index].as_secs_f64() * 1e6 * 10.0).round() / 10.0
}
