//! Running one subagent: a child session with a fresh context, its own tools, model, mode and
//! turn limit, optionally in a worktree of its own.

use super::host::{SubagentHost, child_mode};
use super::worktree::{Outcome, Worktree};
use crate::session::{Session, SessionOptions};
use crate::sink::NullSink;
use rein_context::extensions::AgentDefinition;
use rein_protocol::SessionStopReason;
use rein_tools::ToolRegistry;
use std::fmt::Write;
use std::sync::Arc;
use tokio_util::sync::CancellationToken;

const SUBAGENT_FRAMING: &str = "\
# Working as a subagent
Another agent started you to do one task. It sees only your final message, none of your tool \
calls, so end with a complete answer that stands on its own: what you found or did, with file \
paths, and anything you could not do. Keep it as short as the task allows.

# Your role
";

/// One subagent to run.
pub(crate) struct Request {
    pub(crate) id: String,
    pub(crate) description: String,
    pub(crate) prompt: String,
    pub(crate) agent: AgentDefinition,
    pub(crate) model: Option<String>,
    pub(crate) worktree: bool,
}

/// How a subagent ended.
pub(crate) struct Finished {
    pub(crate) status: &'static str,
    pub(crate) text: String,
    pub(crate) is_error: bool,
}

impl Finished {
    fn failed(text: String) -> Self {
        Self { status: "failed", text, is_error: true }
    }
}

impl SubagentHost {
    /// Runs the subagent to its end. Never panics; failures come back as `failed`.
    pub(crate) async fn run_child(&self, request: Request, cancel: CancellationToken) -> Finished {
        let started = std::time::Instant::now();
        let worktree = if request.worktree || request.agent.worktree {
            match Worktree::create(&self.config.project_root, &request.id).await {
                Ok(tree) => Some(tree),
                Err(error) => return Finished::failed(error),
            }
        } else {
            None
        };
        let mut session = match self.child_session(&request, worktree.as_ref()) {
            Ok(session) => session,
            Err(error) => {
                return Finished::failed(format!("could not start the subagent: {error}"));
            }
        };
        let result = session.run(&request.prompt, &NullSink, &cancel).await;
        let (status, is_error) = match result.stop_reason {
            SessionStopReason::Completed => ("completed", false),
            SessionStopReason::MaxTurns => ("stopped at its turn limit", false),
            SessionStopReason::Interrupted => ("interrupted", true),
            SessionStopReason::Error | SessionStopReason::Refused => ("failed", true),
        };
        let mut text = result.result.trim().to_owned();
        if let Some(error) = &result.error {
            let _ = write!(text, "\n\nerror: {error}");
        }
        if text.is_empty() {
            text = "(the subagent gave no answer)".into();
        }
        if result.stop_reason == SessionStopReason::MaxTurns {
            text.push_str("\n\n(it stopped at its turn limit; the work may be unfinished)");
        }
        let tokens = result.usage.total_input() + result.usage.output_tokens;
        let _ = write!(
            text,
            "\n\n[subagent {} · {} · {} turn(s) · {tokens} tokens · {:.1}s · transcript {}]",
            request.id,
            request.agent.name,
            result.turns,
            started.elapsed().as_secs_f64(),
            session.id(),
        );
        if let Some(tree) = worktree {
            text.push('\n');
            text.push_str(&worktree_note(&tree, tree.finish().await));
        }
        Finished { status, text, is_error }
    }

    fn child_session(
        &self,
        request: &Request,
        worktree: Option<&Worktree>,
    ) -> Result<Session, String> {
        let agent = &request.agent;
        let (mode, rules, approver, parent_model) = {
            let parent = self.parent();
            (parent.mode, parent.rules.clone(), parent.approver.clone(), parent.model.clone())
        };
        let asked = match agent.permission_mode.as_deref() {
            Some(mode) => Some(mode.parse().map_err(|e| format!("agent `{}`: {e}", agent.name))?),
            None => None,
        };
        let mut config = (*self.config).clone();
        config.settings.permission_mode = child_mode(mode, asked);
        config.settings.permissions = rules;
        config.settings.running_summary = false;
        if let Some(max_turns) = agent.max_turns {
            config.settings.max_turns = max_turns.max(1);
        }
        let mut tool_ctx = self.tool_ctx.fresh();
        if let Some(tree) = worktree {
            config.cwd = tree.path.clone();
            config.project_root = tree.path.clone();
            tool_ctx = tool_ctx.fresh_in(tree.path.clone());
        }
        let model =
            self.child_model(request.model.as_deref().or(agent.model.as_deref()), parent_model);
        let options = SessionOptions {
            config: Arc::new(config),
            provider: self.provider.clone(),
            model,
            tools: Arc::new(self.child_tools(agent)),
            profile: self.profile,
            tool_ctx,
            store: self.store()?,
            resume: None,
            memory: None,
            subagents: None,
            skills: Vec::new(),
        };
        let mut session = Session::start(options).map_err(|e| e.to_string())?;
        let base = self.profile.system_prompt();
        session.set_system_prompt(format!("{base}\n\n{SUBAGENT_FRAMING}{}", agent.prompt));
        session.skip_git_snapshot();
        if let Some(approver) = approver {
            session.set_approver(approver);
        }
        if let Some(taint) = &self.taint {
            // What a subagent reads reaches the parent through its answer.
            session.watch_outside_content(taint.clone());
        }
        Ok(session)
    }

    /// The tools `agent` may use: its list (all of the parent's when it has none) minus its
    /// exclusions. `mcp__server` in a list stands for every tool of that server.
    fn child_tools(&self, agent: &AgentDefinition) -> ToolRegistry {
        let canonical = |names: &[String]| -> Vec<String> {
            names.iter().map(|name| rein_permissions::canonical_tool_name(name)).collect()
        };
        let covers = |entry: &str, tool: &str| {
            entry == tool
                || (entry.starts_with(rein_tools::MCP_PREFIX)
                    && tool.strip_prefix(entry).is_some_and(|rest| rest.starts_with("__")))
        };
        let allowed = agent.tools.as_deref().map(canonical);
        let denied = canonical(&agent.disallowed_tools);
        let mut tools = self.tools.clone();
        tools.retain(|tool| {
            let listed = allowed.as_ref().is_none_or(|list| list.iter().any(|e| covers(e, tool)));
            listed && !denied.iter().any(|e| covers(e, tool))
        });
        tools
    }

    /// The model a subagent runs on: the one asked for, with Claude family aliases (`haiku`,
    /// `sonnet`, `opus`) resolved for Anthropic; the parent's otherwise. The local provider
    /// has one model loaded, so it always runs that one.
    fn child_model(&self, asked: Option<&str>, parent: String) -> String {
        let Some(asked) = asked.map(str::trim).filter(|m| !m.is_empty() && *m != "inherit") else {
            return parent;
        };
        match self.provider.name() {
            "local" => parent,
            "anthropic" => rein_provider::family_model(asked).unwrap_or(asked).to_owned(),
            _ if rein_provider::family_model(asked).is_some() => parent,
            _ => asked.to_owned(),
        }
    }
}

fn worktree_note(tree: &Worktree, outcome: Result<Outcome, String>) -> String {
    match outcome {
        Ok(Outcome::Removed) => "worktree: nothing changed, so it was removed".into(),
        Ok(Outcome::Kept { commits, uncommitted }) => format!(
            "worktree kept at {} on branch {} ({commits} commit(s), {uncommitted} uncommitted \
             change(s)); merge or remove it with git",
            tree.path.display(),
            tree.branch
        ),
        Err(error) => format!("worktree at {}: {error}", tree.path.display()),
    }
}
