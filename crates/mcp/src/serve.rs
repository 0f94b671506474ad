//! rein as an MCP server: its built-in tools, run in one tool context for the whole
//! connection (so a file read in one call may be edited in the next), and optionally an
//! `agent` tool that runs a whole rein session on a prompt.
//!
//! The connecting client decides which calls to make and approves them; rein applies the
//! settings' rules on top, so a deny rule (or plan mode) holds here as in a session.

use rein_permissions::{Decision, PermissionMode, RuleLists, Rules, ToolRequest};
use rein_tools::{ToolContext, ToolOutput, ToolRegistry};
use rmcp::model::{
    CallToolRequestParams, CallToolResponse, CallToolResult, ContentBlock, ErrorData,
    Implementation, InitializeResult, ListToolsResult, PaginatedRequestParams, ServerCapabilities,
    ServerConfig, Tool, ToolAnnotations,
};
use rmcp::service::{RequestContext, RoleServer};
use rmcp::{ServerHandler, ServiceExt};
use serde_json::{Map, Value, json};
use std::path::PathBuf;
use std::sync::Arc;
use tokio::io::{AsyncRead, AsyncWrite};
use tokio_util::sync::CancellationToken;

/// The name of the tool that runs a whole agent session.
pub const AGENT_TOOL: &str = "agent";

/// Runs an agent session on a prompt; the binary implements it (this crate knows no agent
/// loop).
#[async_trait::async_trait]
pub trait TaskRunner: Send + Sync {
    /// The session's final answer, or why it failed. Stops early when `cancel` fires.
    async fn run_task(&self, prompt: String, cancel: CancellationToken) -> Result<String, String>;
}

/// The settings' permission rules, applied to every call.
pub struct CallPolicy {
    rules: Rules,
    mode: PermissionMode,
    project_root: PathBuf,
    sandboxed_shell: bool,
}

impl CallPolicy {
    /// The settings' rule `lists` (`~` is `home`) judged in `mode`; shell commands count as
    /// sandboxed when `sandboxed_shell`. Rules that do not parse are skipped and returned as
    /// warnings: a skipped deny rule protects nothing, so the user must hear of it.
    pub fn new(
        lists: &RuleLists,
        home: Option<PathBuf>,
        mode: PermissionMode,
        project_root: PathBuf,
        sandboxed_shell: bool,
    ) -> (Self, Vec<String>) {
        let (rules, errors) = Rules::lenient(lists, home);
        let warnings =
            errors.into_iter().map(|e| format!("permission rule skipped: {e}")).collect();
        (Self { rules, mode, project_root, sandboxed_shell }, warnings)
    }

    /// Why `tool` may not run with `input`, if it may not. A call the rules would ask about
    /// runs: the client has approved it by making it.
    fn refusal(&self, tool: &str, input: &Value, cwd: &std::path::Path) -> Option<String> {
        let anchored = anchor_path(input, cwd);
        let input = anchored.as_ref().unwrap_or(input);
        let in_sandbox = self.sandboxed_shell
            && tool == "bash"
            && input.get("outside_sandbox").and_then(Value::as_bool) != Some(true);
        let request = ToolRequest::new(tool, input, &self.project_root).sandboxed(in_sandbox);
        match self.rules.check(self.mode, &request) {
            Decision::Deny { reason } => Some(format!("permission denied: {reason}")),
            Decision::Allow | Decision::Ask { .. } => None,
        }
    }
}

/// A relative `path` resolved against the tools' working directory, as the rules expect.
fn anchor_path(input: &Value, cwd: &std::path::Path) -> Option<Value> {
    let path = input.get("path")?.as_str()?;
    if std::path::Path::new(path).is_absolute() {
        return None;
    }
    let mut anchored = input.clone();
    anchored["path"] = Value::String(cwd.join(path).to_string_lossy().into_owned());
    Some(anchored)
}

/// The MCP server.
pub struct ToolServer {
    tools: ToolRegistry,
    ctx: ToolContext,
    policy: Option<CallPolicy>,
    runner: Option<Arc<dyn TaskRunner>>,
    listed: Vec<Tool>,
}

impl ToolServer {
    /// Serves `tools`, each call run in `ctx`.
    pub fn new(tools: ToolRegistry, ctx: ToolContext) -> Self {
        let mut server = Self { tools, ctx, policy: None, runner: None, listed: Vec::new() };
        server.listed = server.list();
        server
    }

    /// Refuses what `policy` denies.
    pub fn with_policy(mut self, policy: CallPolicy) -> Self {
        self.policy = Some(policy);
        self
    }

    /// Offers the `agent` tool, run by `runner`.
    pub fn with_task_runner(mut self, runner: Arc<dyn TaskRunner>) -> Self {
        self.runner = Some(runner);
        self.listed = self.list();
        self
    }

    /// The tools as MCP describes them: rein's specs, a read-only hint where a tool only
    /// reads, and `agent` last.
    fn list(&self) -> Vec<Tool> {
        let mut listed: Vec<Tool> = self
            .tools
            .specs()
            .into_iter()
            .map(|spec| {
                let schema = match spec.input_schema {
                    Value::Object(map) => map,
                    _ => Map::new(),
                };
                let read_only =
                    self.tools.get(&spec.name).is_some_and(|t| t.is_read_only(&json!({})));
                let tool = Tool::new(spec.name, spec.description, Arc::new(schema));
                if read_only { tool.annotate(ToolAnnotations::new().read_only(true)) } else { tool }
            })
            .collect();
        if self.runner.is_some() {
            let schema = json!({
                "type": "object",
                "properties": {"prompt": {"type": "string", "description": "The task, as you would give it to a colleague: what to do, where, and what counts as done."}},
                "required": ["prompt"],
                "additionalProperties": false
            });
            let Value::Object(schema) = schema else { return listed };
            listed.push(Tool::new(
                AGENT_TOOL,
                "Run a rein coding-agent session on a task in this project: it reads, edits and \
                 runs commands on its own until done, and returns its final answer.",
                Arc::new(schema),
            ));
        }
        listed
    }

    async fn call(
        &self,
        name: &str,
        input: Value,
        cancel: CancellationToken,
    ) -> Result<CallToolResult, ErrorData> {
        if name == AGENT_TOOL
            && let Some(runner) = &self.runner
        {
            let Some(prompt) =
                input.get("prompt").and_then(Value::as_str).filter(|p| !p.trim().is_empty())
            else {
                return Ok(error_result("`prompt` (a non-empty string) is required"));
            };
            return Ok(match runner.run_task(prompt.to_string(), cancel).await {
                Ok(answer) => CallToolResult::success(vec![ContentBlock::text(answer)]),
                Err(why) => error_result(&why),
            });
        }
        let Some(tool) = self.tools.get(name) else {
            return Err(ErrorData::invalid_params(format!("unknown tool `{name}`"), None));
        };
        if let Some(reason) =
            self.policy.as_ref().and_then(|p| p.refusal(name, &input, &self.ctx.cwd()))
        {
            return Ok(error_result(&reason));
        }
        let ctx = self.ctx.clone().with_cancel(cancel);
        let output: ToolOutput = tool.run(input, &ctx).await;
        Ok(if output.is_error {
            error_result(&output.content)
        } else {
            CallToolResult::success(vec![ContentBlock::text(output.content)])
        })
    }
}

fn error_result(text: &str) -> CallToolResult {
    CallToolResult::error(vec![ContentBlock::text(text.to_string())])
}

impl ServerHandler for ToolServer {
    fn get_info(&self) -> ServerConfig {
        InitializeResult::new(ServerCapabilities::builder().enable_tools().build())
            .with_server_info(Implementation::new("rein", env!("CARGO_PKG_VERSION")))
            .with_instructions(
                "rein's coding tools for the project it was started in: read, write, edit, \
                 search and run commands. Edits need a read of the file first.",
            )
    }

    async fn list_tools(
        &self,
        _request: Option<PaginatedRequestParams>,
        _context: RequestContext<RoleServer>,
    ) -> Result<ListToolsResult, ErrorData> {
        Ok(ListToolsResult::with_all_items(self.listed.clone()))
    }

    fn get_tool(&self, name: &str) -> Option<Tool> {
        self.listed.iter().find(|t| t.name == name).cloned()
    }

    async fn call_tool(
        &self,
        request: CallToolRequestParams,
        context: RequestContext<RoleServer>,
    ) -> Result<CallToolResponse, ErrorData> {
        let input = Value::Object(request.arguments.unwrap_or_default());
        self.call(&request.name, input, context.ct).await.map(CallToolResponse::Complete)
    }
}

/// Serves `server` on `reader` and `writer` (stdin and stdout for `rein mcp serve`) until the
/// client disconnects.
pub async fn serve_on<R, W>(server: ToolServer, reader: R, writer: W) -> Result<(), crate::McpError>
where
    R: AsyncRead + Send + Unpin + 'static,
    W: AsyncWrite + Send + Unpin + 'static,
{
    let running = server
        .serve((reader, writer))
        .await
        .map_err(|e| crate::McpError::Serve(format!("the handshake failed: {e}")))?;
    running.waiting().await.map_err(|e| crate::McpError::Serve(e.to_string()))?;
    Ok(())
}
