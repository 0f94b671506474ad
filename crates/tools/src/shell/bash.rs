//! The `bash` tool.

use super::cwd::CwdMarker;
use crate::context::ToolContext;
use crate::tool::{ToolOutput, TypedTool};
use rein_exec::ExecRequest;
use schemars::JsonSchema;
use serde::Deserialize;
use std::fmt::Write as _;
use std::time::Duration;

const DEFAULT_TIMEOUT_MS: u64 = 120_000;
const MAX_TIMEOUT_MS: u64 = 600_000;
/// Output bytes kept per command (head and tail).
const OUTPUT_LIMIT: usize = 30_000;
/// Background jobs run until killed or the session ends, unless a timeout is given.
const BACKGROUND_TIMEOUT: Duration = Duration::from_secs(24 * 3600);

/// Runs a shell command.
#[derive(Debug, Clone, Copy, Default)]
pub struct BashTool;

/// Arguments of `bash`.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct BashArgs {
    /// The command (bash syntax).
    command: String,
    /// Timeout in milliseconds (default 120000, max 600000).
    timeout_ms: Option<u64>,
    /// Start as a background job and return its id at once.
    #[serde(default)]
    run_in_background: bool,
    /// Run outside the sandbox (only when a command failed because the sandbox blocked it,
    /// e.g. it needs the network or to write outside the workspace; the user is asked).
    #[serde(default)]
    outside_sandbox: bool,
    /// Five to ten words saying what the command does, for the user.
    #[allow(dead_code, reason = "front ends show it from the raw call input")]
    description: Option<String>,
}

#[async_trait::async_trait]
impl TypedTool for BashTool {
    type Args = BashArgs;
    const NAME: &'static str = "bash";
    const DESCRIPTION: &'static str = "Run a bash command in the workspace. The working \
        directory persists between calls (cd works); environment changes do not. stdin is \
        empty, so nothing interactive. Output is capped. Use run_in_background for servers \
        and watchers, then bash_output / bash_kill. Prefer read, grep, glob and edit over cat, \
        grep, find and sed.";
    const READ_ONLY: bool = false;

    async fn call(&self, args: BashArgs, ctx: &ToolContext) -> ToolOutput {
        if args.command.trim().is_empty() {
            return ToolOutput::error("command is empty");
        }
        let mut notes = String::new();
        let mut cwd = ctx.cwd();
        if !cwd.is_dir() {
            let root = ctx.workspace().to_path_buf();
            let _ = write!(
                notes,
                "\n[The working directory {} no longer exists; reset to {}.]",
                cwd.display(),
                root.display()
            );
            ctx.set_cwd(root.clone());
            cwd = root;
        }
        let timeout = args.timeout_ms.map(|ms| Duration::from_millis(ms.clamp(1, MAX_TIMEOUT_MS)));
        let sandbox = if args.outside_sandbox { None } else { ctx.sandbox().cloned() };
        let sandboxed = sandbox.is_some();
        if args.run_in_background {
            let req = ExecRequest::new(args.command, cwd)
                .timeout(timeout.unwrap_or(BACKGROUND_TIMEOUT))
                .output_limit(OUTPUT_LIMIT)
                .sandbox(sandbox);
            return match ctx.jobs().spawn(&req) {
                Ok(id) => ToolOutput::ok(format!(
                    "Started background job {id}. Read its output with bash_output \
                     {{\"job_id\": \"{id}\"}}; stop it with bash_kill.{notes}"
                )),
                Err(e) => ToolOutput::error(format!("could not start the job: {e}")),
            };
        }

        let marker = match CwdMarker::new() {
            Ok(m) => m,
            Err(e) => return ToolOutput::error(format!("could not create a temporary file: {e}")),
        };
        let timeout = timeout.unwrap_or(Duration::from_millis(DEFAULT_TIMEOUT_MS));
        let req = ExecRequest::new(marker.wrap(&args.command), cwd.clone())
            .timeout(timeout)
            .output_limit(OUTPUT_LIMIT)
            .sandbox(sandbox);
        let out = rein_exec::run(&req, ctx.cancel_token()).await;
        if let Some(sandbox) = ctx.sandbox().filter(|_| sandboxed) {
            for path in sandbox.sweep() {
                let _ = write!(
                    notes,
                    "\n[The sandbox removed {}: commands may not create it (it would point git \
                     at a config of their choosing).]",
                    path.display()
                );
            }
        }
        let out = match out {
            Ok(out) => out,
            Err(e) => return ToolOutput::error(format!("could not run the command: {e}")),
        };
        if let Some(new_cwd) = marker.read().filter(|d| *d != cwd) {
            if new_cwd.starts_with(ctx.workspace()) {
                ctx.set_cwd(new_cwd);
            } else {
                let root = ctx.workspace().to_path_buf();
                let _ = write!(
                    notes,
                    "\n[{} is outside the workspace; the working directory was reset to {}.]",
                    new_cwd.display(),
                    root.display()
                );
                ctx.set_cwd(root);
            }
        }

        let mut text = out.output;
        text.truncate(text.trim_end_matches('\n').len());
        let mut is_error = false;
        let status = if out.timed_out {
            is_error = true;
            Some(format!("[Command timed out after {} and was killed.]", seconds(timeout)))
        } else if out.cancelled {
            is_error = true;
            Some("[Command was interrupted.]".to_owned())
        } else {
            match out.exit_code {
                Some(0) => None,
                Some(code) => Some(format!("exit code: {code}")),
                None => Some("[Command was terminated by a signal.]".to_owned()),
            }
        };
        if let Some(status) = status {
            if !text.is_empty() {
                text.push('\n');
            }
            text.push_str(&status);
        }
        if text.is_empty() {
            text.push_str("(no output)");
        }
        if sandboxed && out.exit_code.is_some_and(|code| code != 0) && looks_blocked(&text) {
            text.push_str(SANDBOX_HINT);
        }
        text.push_str(&notes);
        ToolOutput { content: text, is_error }
    }
}

/// Said after a failed sandboxed command whose output reads like the sandbox stopped it.
const SANDBOX_HINT: &str = "\n[The command ran in the sandbox: it may write only inside the \
    workspace and temp directories, git hooks/config and settings folders are read-only, and \
    the network is off. If it failed because of that and is needed, call bash again with \
    outside_sandbox: true; the user will be asked.]";

/// Whether a failed command's output carries an error the sandbox causes.
fn looks_blocked(output: &str) -> bool {
    const SIGNS: &[&str] = &[
        "Permission denied",
        "Operation not permitted",
        "Read-only file system",
        "Could not resolve host",
        "Temporary failure in name resolution",
        "Network is unreachable",
        "Failed to connect",
    ];
    SIGNS.iter().any(|sign| output.contains(sign))
}

fn seconds(d: Duration) -> String {
    let ms = d.as_millis();
    if ms.is_multiple_of(1000) {
        format!("{}s", ms / 1000)
    } else {
        format!("{:.1}s", d.as_secs_f64())
    }
}
