//! The hooks of a session, loaded from every settings file, and running them per event.

use crate::config::{self, Format, HookEntry, MatcherGroup};
use crate::error::HookError;
use crate::event::HookEvent;
use crate::input::{
    CompactTrigger, EventInput, HookContext, SessionEndReason, SessionStartSource, ToolUse,
};
use crate::matcher::Matcher;
use crate::names::rein_tool_input;
use crate::outcome::{
    self, HookNotes, PermissionOutcome, PostToolOutcome, PreToolOutcome, PromptOutcome,
    SessionStartOutcome, StopOutcome,
};
use crate::reply::Reply;
use crate::runner::{self, Spec};
use crate::sources::HookSources;
use std::path::{Path, PathBuf};
use std::time::Duration;

/// A hook's time limit when its settings give none.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(60);

/// One configured command.
#[derive(Debug, Clone)]
struct Hook {
    event: HookEvent,
    matcher: Matcher,
    command: String,
    timeout: Duration,
}

/// Every hook of a session, in source order.
#[derive(Debug, Clone, Default)]
pub struct HookSet {
    hooks: Vec<Hook>,
    project_root: PathBuf,
}

impl HookSet {
    /// Reads every source file. A missing file is fine; a file that cannot be read or parsed,
    /// and each hook that cannot be used, is skipped and described in the returned warnings.
    pub fn load(sources: &HookSources) -> (Self, Vec<String>) {
        let mut set = Self { hooks: Vec::new(), project_root: sources.project_root.clone() };
        let mut warnings = Vec::new();
        for path in sources.files() {
            let text = match std::fs::read_to_string(&path) {
                Ok(text) => text,
                Err(error) if error.kind() == std::io::ErrorKind::NotFound => continue,
                Err(source) => {
                    warnings.push(HookError::Read { path, source }.to_string());
                    continue;
                }
            };
            let errors = set.add_file(&path, &text);
            warnings.extend(errors.iter().map(ToString::to_string));
        }
        (set, warnings)
    }

    /// Adds the hooks of one file's text, after those already loaded.
    pub fn add_file(&mut self, path: &Path, text: &str) -> Vec<HookError> {
        let table = match config::parse(text, Format::of(path), path) {
            Ok(table) => table,
            Err(error) => return vec![error],
        };
        let mut errors = Vec::new();
        for (name, groups) in table {
            let Some(event) = HookEvent::from_name(&name) else {
                errors.push(HookError::UnknownEvent { path: path.to_path_buf(), name });
                continue;
            };
            for group in groups {
                errors.extend(self.add_group(path, event, group));
            }
        }
        errors
    }

    /// Adds one group's hooks; a bad matcher skips the group, a bad hook only itself.
    fn add_group(&mut self, path: &Path, event: HookEvent, group: MatcherGroup) -> Vec<HookError> {
        let matcher = match Matcher::new(group.matcher.as_deref()) {
            Ok(matcher) => matcher,
            Err(source) => {
                return vec![HookError::Matcher {
                    path: path.to_path_buf(),
                    event: event.name().to_string(),
                    matcher: group.matcher.unwrap_or_default(),
                    source: Box::new(source),
                }];
            }
        };
        let mut errors = Vec::new();
        for entry in group.hooks {
            match command_of(path, event, entry) {
                Ok((command, timeout)) => {
                    self.hooks.push(Hook { event, matcher: matcher.clone(), command, timeout });
                }
                Err(error) => errors.push(error),
            }
        }
        errors
    }

    /// Whether no hook is configured at all.
    pub fn is_empty(&self) -> bool {
        self.hooks.is_empty()
    }

    /// Whether any hook is configured for `event`.
    pub fn has(&self, event: HookEvent) -> bool {
        self.hooks.iter().any(|hook| hook.event == event)
    }

    /// The project root hooks run in.
    pub fn project_root(&self) -> &Path {
        &self.project_root
    }

    /// The hooks that apply to `input`, each command once (the first one configured wins).
    fn matching(&self, input: &EventInput) -> Vec<&Hook> {
        let event = input.event();
        let subjects = input.subjects();
        let mut chosen: Vec<&Hook> = Vec::new();
        for hook in &self.hooks {
            if hook.event == event
                && hook.matcher.matches(&subjects)
                && !chosen.iter().any(|c| c.command == hook.command)
            {
                chosen.push(hook);
            }
        }
        chosen
    }

    /// Runs the hooks that apply to `input`, all at once, and returns their replies in source
    /// order. Nothing is spawned when none applies.
    pub(crate) async fn run(&self, context: &HookContext, input: &EventInput) -> Vec<Reply> {
        let hooks = self.matching(input);
        if hooks.is_empty() {
            return Vec::new();
        }
        let event = input.event();
        let stdin = input.to_json(context).to_string().into_bytes();
        let runs = hooks.iter().map(|hook| {
            let stdin = &stdin;
            async move {
                let spec = Spec {
                    command: &hook.command,
                    project_root: &self.project_root,
                    stdin,
                    timeout: hook.timeout,
                };
                let finished = runner::run(&spec).await;
                tracing::debug!(%event, command = %hook.command, ?finished, "hook ran");
                Reply::new(event, &hook.command, hook.timeout, finished)
            }
        });
        futures::future::join_all(runs).await
    }

    /// PreToolUse: may allow, ask, deny or rewrite a call.
    pub async fn pre_tool_use(&self, context: &HookContext, tool: ToolUse) -> PreToolOutcome {
        let original = tool.input.clone();
        let replies = self.run(context, &EventInput::PreToolUse { tool }).await;
        outcome::pre_tool(&replies, &original, rein_tool_input)
    }

    /// PermissionRequest: may answer for the user.
    pub async fn permission_request(
        &self,
        context: &HookContext,
        tool: ToolUse,
    ) -> PermissionOutcome {
        let original = tool.input.clone();
        let replies = self.run(context, &EventInput::PermissionRequest { tool }).await;
        outcome::permission(&replies, &original, rein_tool_input)
    }

    /// PostToolUse, after a call that succeeded with `output`.
    pub async fn post_tool_use(
        &self,
        context: &HookContext,
        tool: ToolUse,
        output: String,
    ) -> PostToolOutcome {
        let replies = self.run(context, &EventInput::PostToolUse { tool, output }).await;
        outcome::post_tool(HookEvent::PostToolUse, &replies)
    }

    /// PostToolUseFailure, after a call that returned `error`.
    pub async fn post_tool_use_failure(
        &self,
        context: &HookContext,
        tool: ToolUse,
        error: String,
    ) -> PostToolOutcome {
        let replies = self.run(context, &EventInput::PostToolUseFailure { tool, error }).await;
        outcome::post_tool(HookEvent::PostToolUseFailure, &replies)
    }

    /// UserPromptSubmit: may refuse the prompt or add context.
    pub async fn user_prompt_submit(&self, context: &HookContext, prompt: String) -> PromptOutcome {
        let replies = self.run(context, &EventInput::UserPromptSubmit { prompt }).await;
        outcome::prompt(&replies)
    }

    /// Stop: may make the agent go on.
    pub async fn stop(&self, context: &HookContext, stop_hook_active: bool) -> StopOutcome {
        let replies = self.run(context, &EventInput::Stop { stop_hook_active }).await;
        outcome::stop(HookEvent::Stop, &replies)
    }

    /// SubagentStop: may make a subagent go on.
    pub async fn subagent_stop(
        &self,
        context: &HookContext,
        stop_hook_active: bool,
    ) -> StopOutcome {
        let replies = self.run(context, &EventInput::SubagentStop { stop_hook_active }).await;
        outcome::stop(HookEvent::SubagentStop, &replies)
    }

    /// SessionStart: may add context.
    pub async fn session_start(
        &self,
        context: &HookContext,
        source: SessionStartSource,
    ) -> SessionStartOutcome {
        let replies = self.run(context, &EventInput::SessionStart { source }).await;
        outcome::session_start(&replies)
    }

    /// SessionEnd.
    pub async fn session_end(&self, context: &HookContext, reason: SessionEndReason) -> HookNotes {
        let replies = self.run(context, &EventInput::SessionEnd { reason }).await;
        outcome::notice(HookEvent::SessionEnd, &replies)
    }

    /// PreCompact.
    pub async fn pre_compact(
        &self,
        context: &HookContext,
        trigger: CompactTrigger,
        custom_instructions: String,
    ) -> HookNotes {
        let input = EventInput::PreCompact { trigger, custom_instructions };
        let replies = self.run(context, &input).await;
        outcome::notice(HookEvent::PreCompact, &replies)
    }

    /// PostCompact.
    pub async fn post_compact(&self, context: &HookContext, trigger: CompactTrigger) -> HookNotes {
        let replies = self.run(context, &EventInput::PostCompact { trigger }).await;
        outcome::notice(HookEvent::PostCompact, &replies)
    }

    /// Notification.
    pub async fn notification(
        &self,
        context: &HookContext,
        message: String,
        notification_type: String,
    ) -> HookNotes {
        let input = EventInput::Notification { message, notification_type };
        let replies = self.run(context, &input).await;
        outcome::notice(HookEvent::Notification, &replies)
    }
}

/// The command and time limit of one configured hook.
fn command_of(
    path: &Path,
    event: HookEvent,
    entry: HookEntry,
) -> Result<(String, Duration), HookError> {
    let unsupported = |message: String| HookError::Unsupported {
        path: path.to_path_buf(),
        event: event.name().to_string(),
        message,
    };
    if entry.kind != "command" {
        return Err(unsupported(format!(
            "type `{}` is not supported (only `command`)",
            entry.kind
        )));
    }
    let command = entry.command.filter(|c| !c.trim().is_empty());
    let command = command.ok_or_else(|| unsupported("it has no `command`".to_string()))?;
    let timeout = match entry.timeout {
        None => DEFAULT_TIMEOUT,
        Some(seconds) => {
            Duration::try_from_secs_f64(seconds).ok().filter(|t| !t.is_zero()).ok_or_else(|| {
                unsupported(format!(
                    "`timeout` must be a positive number of seconds, not {seconds}"
                ))
            })?
        }
    };
    Ok((command, timeout))
}

#[cfg(test)]
#[path = "set_tests.rs"]
mod tests;

#[cfg(test)]
#[path = "run_tests.rs"]
mod run_tests;
