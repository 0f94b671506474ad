//! The `agent` tool: the model hands a task to a subagent and gets its answer back, or, in the
//! background, a notification later.

use super::background::Notification;
use super::host::SubagentHost;
use super::spawn::Request;
use async_trait::async_trait;
use rein_tools::{Tool, ToolContext, ToolOutput};
use schemars::JsonSchema;
use serde::Deserialize;
use serde_json::Value;
use std::fmt::Write;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

/// The tool's name.
pub const AGENT_TOOL: &str = "agent";

#[derive(Debug, Deserialize, JsonSchema)]
struct AgentArgs {
    /// A short label of the task (3 to 6 words), shown to the user.
    description: String,
    /// The whole task. The subagent sees nothing of this conversation, so include every
    /// fact, path and constraint it needs, and say what its answer should contain.
    prompt: String,
    /// The kind of subagent (see the list in the description); `general` when left out.
    #[serde(default, alias = "subagentType")]
    subagent_type: Option<String>,
    /// A model to run it on instead of the usual one.
    #[serde(default)]
    model: Option<String>,
    /// Start it and go on at once; its result arrives later as a notification.
    #[serde(default, alias = "runInBackground")]
    run_in_background: bool,
    /// `worktree`: work in a git worktree and branch of its own (removed again when nothing
    /// changed), so its edits cannot collide with yours.
    #[serde(default)]
    isolation: Option<String>,
}

/// Starts subagents for the session that offers it.
pub(crate) struct AgentTool {
    host: Arc<SubagentHost>,
    description: String,
    next_id: AtomicU64,
}

impl AgentTool {
    pub(crate) fn new(host: Arc<SubagentHost>) -> Self {
        let mut description = String::from(
            "Hands a task to a subagent: a separate agent with a fresh context that works on \
             its own and returns one final answer. Use it for broad searches whose details \
             you do not need to keep, for independent pieces of work, and to check finished \
             work. Several calls in one message run in parallel. Tell it everything it needs; \
             it cannot see this conversation. Its answer is not shown to the user: pass on \
             what matters.\nSubagent types:\n",
        );
        for agent in host.catalog.all() {
            let _ = writeln!(description, "- {}: {}", agent.name, agent.description);
        }
        Self { host, description, next_id: AtomicU64::new(1) }
    }

    fn new_id(&self) -> String {
        let n = self.next_id.fetch_add(1, Ordering::Relaxed);
        let salt = std::process::id() ^ (chrono::Utc::now().timestamp_subsec_nanos());
        format!("{:04x}{n:02}", salt & 0xffff)
    }
}

#[async_trait]
impl Tool for AgentTool {
    fn name(&self) -> &str {
        AGENT_TOOL
    }

    fn description(&self) -> &str {
        &self.description
    }

    fn input_schema(&self) -> Value {
        rein_tools::schema_for::<AgentArgs>()
    }

    /// Subagents check their own calls one by one; several may run side by side.
    fn is_read_only(&self, _input: &Value) -> bool {
        true
    }

    async fn run(&self, input: Value, ctx: &ToolContext) -> ToolOutput {
        let args = match rein_tools::parse_args::<AgentArgs>(AGENT_TOOL, input) {
            Ok(args) => args,
            Err(message) => return ToolOutput::error(message),
        };
        if args.prompt.trim().is_empty() {
            return ToolOutput::error("`prompt` is empty: give the subagent its whole task");
        }
        let asked = args.subagent_type.as_deref().unwrap_or("general");
        let Some(agent) = self.host.catalog.get(asked).cloned() else {
            let known: Vec<&str> =
                self.host.catalog.all().iter().map(|a| a.name.as_str()).collect();
            return ToolOutput::error(format!(
                "unknown subagent type `{asked}`; the types are: {}",
                known.join(", ")
            ));
        };
        let worktree = match args.isolation.as_deref().map(str::trim) {
            None | Some("" | "none") => false,
            Some("worktree") => true,
            Some(other) => {
                return ToolOutput::error(format!(
                    "isolation `{other}` is unknown; use `worktree`"
                ));
            }
        };
        let background = args.run_in_background || agent.background;
        let request = Request {
            id: self.new_id(),
            description: args.description,
            prompt: args.prompt,
            agent,
            model: args.model,
            worktree,
        };
        if background {
            return self.start_in_background(request);
        }
        let finished = self.host.run_child(request, ctx.cancel_token().clone()).await;
        if finished.is_error {
            ToolOutput::error(format!("subagent {}: {}", finished.status, finished.text))
        } else {
            ToolOutput::ok(finished.text)
        }
    }
}

impl AgentTool {
    fn start_in_background(&self, request: Request) -> ToolOutput {
        let host = self.host.clone();
        let id = request.id.clone();
        let agent_type = request.agent.name.clone();
        let reply = format!(
            "Started subagent {id} ({agent_type}) in the background. Its result will arrive as \
             a notification; go on with other work meanwhile."
        );
        host.background.started(&id);
        let cancel = host.shutdown.child_token();
        tokio::spawn(async move {
            let description = request.description.clone();
            let finished = host.run_child(request, cancel).await;
            host.background.finished(Notification {
                agent_id: id,
                agent_type,
                description,
                status: finished.status,
                result: finished.text,
            });
        });
        ToolOutput::ok(reply)
    }
}
