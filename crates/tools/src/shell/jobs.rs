//! `bash_output` and `bash_kill`: following and stopping background jobs.

use crate::context::ToolContext;
use crate::tool::{ToolOutput, TypedTool};
use rein_exec::{JobId, JobSnapshot, JobStatus};
use schemars::JsonSchema;
use serde::Deserialize;
use serde::de::{self, Deserializer, Visitor};
use std::fmt;

/// Returns a background job's new output and status.
#[derive(Debug, Clone, Copy, Default)]
pub struct BashOutputTool;

/// Kills a background job.
#[derive(Debug, Clone, Copy, Default)]
pub struct BashKillTool;

/// Arguments naming a job.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct JobArgs {
    /// Job id returned by bash with run_in_background.
    #[serde(deserialize_with = "string_or_number")]
    #[schemars(with = "String")]
    job_id: String,
}

#[async_trait::async_trait]
impl TypedTool for BashOutputTool {
    type Args = JobArgs;
    const NAME: &'static str = "bash_output";
    const DESCRIPTION: &'static str = "Get the output a background job produced since the last \
        check, and whether it is still running.";
    // Reads job output only; touches no files.
    const READ_ONLY: bool = true;

    async fn call(&self, args: JobArgs, ctx: &ToolContext) -> ToolOutput {
        let id = match parse_id(&args.job_id) {
            Ok(id) => id,
            Err(e) => return e,
        };
        match ctx.jobs().poll(id) {
            Ok(snap) => ToolOutput::ok(render(id, &snap, "no new output")),
            Err(e) => ToolOutput::error(e.to_string()),
        }
    }
}

#[async_trait::async_trait]
impl TypedTool for BashKillTool {
    type Args = JobArgs;
    const NAME: &'static str = "bash_kill";
    const DESCRIPTION: &'static str = "Stop a background job and everything it started.";
    const READ_ONLY: bool = false;

    async fn call(&self, args: JobArgs, ctx: &ToolContext) -> ToolOutput {
        let id = match parse_id(&args.job_id) {
            Ok(id) => id,
            Err(e) => return e,
        };
        match ctx.jobs().kill(id).await {
            Ok(snap) => ToolOutput::ok(render(id, &snap, "no further output")),
            Err(e) => ToolOutput::error(e.to_string()),
        }
    }
}

fn parse_id(raw: &str) -> Result<JobId, ToolOutput> {
    // Tolerate "job 3", "#3" and the like.
    raw.trim()
        .trim_start_matches(|c: char| !c.is_ascii_digit())
        .parse()
        .map_err(|_| ToolOutput::error(format!("invalid job id {raw:?}; use the id bash returned")))
}

fn render(id: JobId, snap: &JobSnapshot, empty: &str) -> String {
    let status = match snap.status {
        JobStatus::Running => "running".to_owned(),
        JobStatus::Exited(code) => format!("exited with code {code}"),
        JobStatus::Killed => "killed".to_owned(),
    };
    let output = snap.new_output.trim_end_matches('\n');
    if output.is_empty() {
        format!("Job {id}: {status}. ({empty})")
    } else {
        format!("Job {id}: {status}. Output:\n{output}")
    }
}

fn string_or_number<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    struct IdVisitor;
    impl Visitor<'_> for IdVisitor {
        type Value = String;
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("a job id string")
        }
        fn visit_str<E: de::Error>(self, v: &str) -> Result<String, E> {
            Ok(v.to_owned())
        }
        fn visit_u64<E: de::Error>(self, v: u64) -> Result<String, E> {
            Ok(v.to_string())
        }
        fn visit_i64<E: de::Error>(self, v: i64) -> Result<String, E> {
            Ok(v.to_string())
        }
    }
    d.deserialize_any(IdVisitor)
}
