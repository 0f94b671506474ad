//! `rein-fake-model`: the scripted fake model server as a process, for end-to-end tests and
//! demos of the real binary.

use clap::Parser;
use rein_testkit::{FakeModelServer, Script, ServerOptions};
use std::io::Write as _;
use std::path::PathBuf;
use std::time::Duration;

/// Serves a script of model replies over the Anthropic and OpenAI wire formats.
#[derive(Debug, Parser)]
#[command(name = "rein-fake-model", version)]
struct Args {
    /// JSON script: {"replies": [...], "usage": {...}, "cache": {...}, "summary_reply": "..."};
    /// "cache" turns on prompt cache emulation, "summary_reply" answers rein's compaction
    /// summary requests without taking a scripted reply.
    #[arg(long)]
    script: PathBuf,
    /// Port on 127.0.0.1 (0 picks a free one).
    #[arg(long, default_value_t = 0)]
    port: u16,
    /// Append every request to this file as one JSON line.
    #[arg(long)]
    record: Option<PathBuf>,
    /// Exit once the script is exhausted and the last response has been sent.
    #[arg(long)]
    exit_when_done: bool,
}

/// Time allowed for a follow-up request after the last reply, so a client that calls again
/// still sees the "script exhausted" error rather than a refused connection.
const GRACE: Duration = Duration::from_millis(100);

/// Longest wait for responses in progress when exiting.
const SHUTDOWN_LIMIT: Duration = Duration::from_secs(5);

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let args = Args::parse();
    let script = Script::from_json_file(&args.script)?;
    let options = ServerOptions { port: args.port, record_path: args.record };
    let server = FakeModelServer::start_with(script, options).await?;
    {
        let mut stdout = std::io::stdout().lock();
        writeln!(stdout, "{}", server.url())?;
        stdout.flush()?;
    }
    if args.exit_when_done {
        loop {
            server.wait_until_done().await;
            tokio::time::sleep(GRACE).await;
            if server.is_done() {
                break;
            }
        }
        // Responses in progress finish first, but a stuck client must not keep the process alive.
        let _ = tokio::time::timeout(SHUTDOWN_LIMIT, server.shutdown()).await;
    } else {
        tokio::signal::ctrl_c().await?;
    }
    Ok(())
}
