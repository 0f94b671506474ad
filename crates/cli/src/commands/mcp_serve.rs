//! `rein mcp serve`: rein's tools for other MCP clients over stdin and stdout, and an `agent`
//! tool that runs a whole headless session (as `rein -p`) on a task. stdout carries the
//! protocol, so everything else (warnings, logs) goes to stderr.

use crate::args::RunArgs;
use crate::setup::{self, SessionFactory};
use crate::{exit, output};
use rein_config::Config;
use rein_core::{NullSink, SessionEndReason};
use rein_mcp::{CallPolicy, TaskRunner, ToolServer};
use rein_protocol::SessionStopReason;
use rein_tools::ToolContext;
use std::sync::Arc;
use tokio_util::sync::CancellationToken;

/// Built-in tools a client gets: all but those that only make sense inside a rein session
/// (asking rein's user a question, rein's own todo list).
fn served_tools() -> rein_tools::ToolRegistry {
    let mut tools = rein_tools::builtin_tools();
    tools.retain(|name| !matches!(name, "ask_user" | "todo"));
    tools
}

pub(super) async fn serve(args: &RunArgs) -> anyhow::Result<u8> {
    let config = setup::load_config(args)?;
    let mut ctx = ToolContext::new(config.project_root.clone())
        .with_cwd(config.cwd.clone())
        .with_http(rein_provider::http_client()?);
    let (sandbox, sandbox_warning) = crate::sandbox_setup::shell_sandbox(&config);
    if let Some(warning) = sandbox_warning {
        output::warn(&warning);
    }
    let sandboxed = sandbox.as_ref().is_some_and(|sandbox| sandbox.is_complete());
    if let Some(sandbox) = sandbox {
        ctx = ctx.with_sandbox(sandbox);
    }
    let (policy, rule_warnings) = CallPolicy::new(
        &config.settings.permissions,
        config.paths.home.clone(),
        config.settings.permission_mode,
        config.project_root.clone(),
        sandboxed,
    );
    for warning in rule_warnings {
        output::warn(&warning);
    }
    let runner = Arc::new(AgentRunner { config, factory: tokio::sync::OnceCell::new() });
    let server = ToolServer::new(served_tools(), ctx).with_policy(policy).with_task_runner(runner);
    rein_mcp::serve_on(server, tokio::io::stdin(), tokio::io::stdout()).await?;
    Ok(exit::SUCCESS)
}

/// Runs `agent` calls: each one a fresh session; the provider, tools and MCP servers are set
/// up on the first call (a client that only reads files never pays for them).
struct AgentRunner {
    config: Config,
    factory: tokio::sync::OnceCell<SessionFactory>,
}

#[async_trait::async_trait]
impl TaskRunner for AgentRunner {
    async fn run_task(&self, prompt: String, cancel: CancellationToken) -> Result<String, String> {
        let factory = self
            .factory
            .get_or_try_init(|| SessionFactory::new(self.config.clone(), None))
            .await
            .map_err(|e| format!("could not set up a session: {e:#}"))?;
        let mut session =
            factory.start(None).map_err(|e| format!("could not start a session: {e:#}"))?;
        let prompt = factory.expand_prompt(&prompt).await?;
        let result = session.run(&prompt, &NullSink, &cancel).await;
        if let Some(notice) = factory.end(&mut session, SessionEndReason::Other).await {
            output::notice(&notice);
        }
        let id = session.id();
        match result.stop_reason {
            SessionStopReason::Completed => Ok(result.result),
            SessionStopReason::MaxTurns => Err(format!(
                "the session stopped at the turn limit after {} turns (continue it with `rein -r {id}`); \
                 its last words: {}",
                result.turns, result.result
            )),
            SessionStopReason::Interrupted => Err("the session was interrupted".into()),
            SessionStopReason::Error | SessionStopReason::Refused => {
                Err(format!("the session failed: {}", result.error.unwrap_or(result.result)))
            }
        }
    }
}
