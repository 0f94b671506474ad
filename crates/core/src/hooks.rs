//! Glue between the loop and the user's hooks (`rein-hooks`): the facts every hook gets, the
//! session-level events (start, prompt, stop, compaction, end), the tool-call events used by
//! the dispatcher, and reporting what hooks did as events.

use crate::compact::CompactReason;
use crate::dispatch::ToolCall;
use crate::permission::ApprovalRequest;
use crate::session::Session;
use crate::sink::EventSink;
use rein_hooks::{
    CompactTrigger, HookContext, HookEvent, HookNotes, HookSet, HookSources, PermissionOutcome,
    PreToolOutcome, SessionEndReason, SessionStartSource, ToolUse,
};
use rein_permissions::PermissionMode;
use rein_protocol::{ContentBlock, Event};
use rein_tools::ToolOutput;
use serde_json::Value;
use std::path::Path;
use std::sync::{Arc, Mutex};

/// Runs per run that a Stop hook may keep going, so a hook that always blocks cannot loop.
pub(crate) const MAX_STOP_CONTINUATIONS: u32 = 3;

/// A session's hooks.
pub(crate) struct SessionHooks {
    set: Arc<HookSet>,
    session_id: String,
    transcript_path: String,
    permission_mode: &'static str,
    /// SessionStart has run (with the session's first prompt).
    started: bool,
}

impl SessionHooks {
    /// Loads the hooks of every settings file; problems come back as warnings.
    pub(crate) fn load(
        config: &rein_config::Config,
        session_id: &str,
        transcript_path: &Path,
    ) -> (Self, Vec<String>) {
        let (set, warnings) = HookSet::load(&HookSources {
            home: config.paths.home.clone(),
            config_dir: Some(config.paths.config_dir.clone()),
            project_root: config.project_root.clone(),
        });
        let hooks = Self {
            set: Arc::new(set),
            session_id: session_id.to_string(),
            transcript_path: transcript_path.to_string_lossy().into_owned(),
            permission_mode: claude_mode(config.settings.permission_mode),
            started: false,
        };
        (hooks, warnings)
    }

    /// Drops every hook.
    pub(crate) fn disable(&mut self) {
        self.set = Arc::new(HookSet::default());
    }

    fn context(&self, cwd: &Path) -> HookContext {
        HookContext {
            session_id: self.session_id.clone(),
            transcript_path: self.transcript_path.clone(),
            cwd: cwd.to_string_lossy().into_owned(),
            permission_mode: self.permission_mode.to_string(),
        }
    }

    /// What the dispatcher needs for one round of tool calls.
    pub(crate) fn for_tools(&self, cwd: &Path) -> ToolHooks {
        ToolHooks { set: self.set.clone(), context: self.context(cwd), stop: Mutex::new(None) }
    }
}

/// Permission modes in Claude Code's words, which hook scripts compare against.
fn claude_mode(mode: PermissionMode) -> &'static str {
    match mode {
        PermissionMode::Ask => "default",
        PermissionMode::AcceptEdits => "acceptEdits",
        PermissionMode::Plan => "plan",
        PermissionMode::Bypass => "bypassPermissions",
    }
}

/// Reports each hook that ran and each warning.
pub(crate) fn report(notes: &HookNotes, sink: &dyn EventSink) {
    for report in &notes.reports {
        sink.emit(Event::Hook {
            event: report.event.name().to_string(),
            command: report.command.clone(),
            outcome: report.status.as_str().to_string(),
            message: report.message.clone(),
        });
    }
    for message in &notes.warnings {
        sink.emit(Event::Warning { message: message.clone() });
    }
}

/// Text from a hook, marked so neither the model nor compaction takes it for the user's words.
pub(crate) fn labelled(kind: &str, event: HookEvent, text: &str) -> String {
    format!("<hook-{kind} event=\"{event}\">\n{}\n</hook-{kind}>", text.trim())
}

/// How the hooks met a prompt.
pub(crate) enum PromptGate {
    /// Go on, with these context blocks beside the prompt.
    Go(Vec<ContentBlock>),
    /// A UserPromptSubmit hook refused the prompt.
    Refused(String),
    /// A hook asked to stop (`"continue": false`).
    Stopped(String),
}

impl Session {
    /// SessionStart (with the session's first prompt), then UserPromptSubmit.
    pub(crate) async fn prompt_hooks(&mut self, prompt: &str, sink: &dyn EventSink) -> PromptGate {
        let context = self.hooks.context(&self.config.cwd);
        let set = self.hooks.set.clone();
        let mut blocks = Vec::new();
        if !self.hooks.started {
            self.hooks.started = true;
            let source =
                if self.resumed { SessionStartSource::Resume } else { SessionStartSource::Startup };
            let outcome = set.session_start(&context, source).await;
            report(&outcome.notes, sink);
            if let Some(reason) = outcome.notes.stop {
                return PromptGate::Stopped(reason);
            }
            if let Some(text) = outcome.additional_context {
                blocks.push(ContentBlock::text(labelled(
                    "context",
                    HookEvent::SessionStart,
                    &text,
                )));
            }
        }
        if !set.has(HookEvent::UserPromptSubmit) {
            return PromptGate::Go(blocks);
        }
        let outcome = set.user_prompt_submit(&context, prompt.to_string()).await;
        report(&outcome.notes, sink);
        if let Some(reason) = outcome.notes.stop {
            return PromptGate::Stopped(reason);
        }
        if let Some(reason) = outcome.block_reason {
            return PromptGate::Refused(reason);
        }
        if let Some(text) = outcome.additional_context {
            blocks.push(ContentBlock::text(labelled(
                "context",
                HookEvent::UserPromptSubmit,
                &text,
            )));
        }
        PromptGate::Go(blocks)
    }

    /// Stop, when the run is about to end with a final answer: the reason a hook gives for
    /// going on, after `continuations` earlier ones this run.
    pub(crate) async fn stop_hook(
        &self,
        continuations: u32,
        sink: &dyn EventSink,
    ) -> Option<String> {
        if !self.hooks.set.has(HookEvent::Stop) {
            return None;
        }
        let context = self.hooks.context(&self.tool_ctx.cwd());
        let outcome = self.hooks.set.stop(&context, continuations > 0).await;
        report(&outcome.notes, sink);
        if let Some(reason) = outcome.notes.stop {
            sink.emit(Event::Warning { message: format!("a Stop hook ended the run: {reason}") });
            return None;
        }
        let reason = outcome.block_reason?;
        if continuations >= MAX_STOP_CONTINUATIONS {
            sink.emit(Event::Warning {
                message: format!(
                    "Stop hooks kept the run going {MAX_STOP_CONTINUATIONS} times; it ends now"
                ),
            });
            return None;
        }
        Some(reason)
    }

    /// PreCompact.
    pub(crate) async fn pre_compact_hooks(
        &self,
        reason: CompactReason,
        focus: Option<&str>,
        sink: &dyn EventSink,
    ) {
        if self.hooks.set.has(HookEvent::PreCompact) {
            let context = self.hooks.context(&self.config.cwd);
            let focus = focus.unwrap_or_default().to_string();
            let notes = self.hooks.set.pre_compact(&context, trigger(reason), focus).await;
            report_without_stop(notes, HookEvent::PreCompact, sink);
        }
    }

    /// PostCompact.
    pub(crate) async fn post_compact_hooks(&self, reason: CompactReason, sink: &dyn EventSink) {
        if self.hooks.set.has(HookEvent::PostCompact) {
            let context = self.hooks.context(&self.config.cwd);
            let notes = self.hooks.set.post_compact(&context, trigger(reason)).await;
            report_without_stop(notes, HookEvent::PostCompact, sink);
        }
    }

    /// Ends the session: appends its entry to the daily log (when memory is on) and runs the
    /// SessionEnd hooks; front ends call it when they leave. No hook runs when the
    /// session never ran a prompt (SessionStart did not run either). What the hooks report
    /// goes to the log: the run's events have ended by now.
    pub async fn end(&mut self, reason: SessionEndReason) {
        self.write_daily_log();
        if !self.hooks.started || !self.hooks.set.has(HookEvent::SessionEnd) {
            return;
        }
        let context = self.hooks.context(&self.config.cwd);
        let notes = self.hooks.set.session_end(&context, reason).await;
        for warning in notes.warnings {
            tracing::warn!(%warning, "SessionEnd hook");
        }
    }
}

fn trigger(reason: CompactReason) -> CompactTrigger {
    match reason {
        CompactReason::Auto => CompactTrigger::Auto,
        CompactReason::Manual => CompactTrigger::Manual,
    }
}

/// Compaction hooks cannot stop a run from where they are called; the request is reported.
fn report_without_stop(mut notes: HookNotes, event: HookEvent, sink: &dyn EventSink) {
    if let Some(reason) = notes.stop.take() {
        notes.warnings.push(format!("a {event} hook asked to stop ({reason}); compaction goes on"));
    }
    report(&notes, sink);
}

/// The hooks of one round of tool calls, and whether one of them asked to stop the run.
pub(crate) struct ToolHooks {
    set: Arc<HookSet>,
    context: HookContext,
    stop: Mutex<Option<String>>,
}

impl ToolHooks {
    /// Why the run must stop, once a hook asked.
    pub(crate) fn stopped(&self) -> Option<String> {
        self.stop.lock().ok().and_then(|stop| stop.clone())
    }

    fn note(&self, notes: &HookNotes, sink: &dyn EventSink) {
        report(notes, sink);
        if let Some(reason) = &notes.stop
            && let Ok(mut stop) = self.stop.lock()
            && stop.is_none()
        {
            *stop = Some(reason.clone());
        }
    }

    fn tool_use(call: &ToolCall, input: &Value) -> ToolUse {
        ToolUse { name: call.name.clone(), input: input.clone(), id: call.id.clone() }
    }

    /// PreToolUse.
    pub(crate) async fn pre_tool_use(
        &self,
        call: &ToolCall,
        sink: &dyn EventSink,
    ) -> PreToolOutcome {
        if !self.set.has(HookEvent::PreToolUse) {
            return PreToolOutcome::default();
        }
        let outcome = self.set.pre_tool_use(&self.context, Self::tool_use(call, &call.input)).await;
        self.note(&outcome.notes, sink);
        outcome
    }

    /// PermissionRequest, for a call that would otherwise be put to the user.
    pub(crate) async fn permission_request(
        &self,
        call: &ToolCall,
        input: &Value,
        sink: &dyn EventSink,
    ) -> PermissionOutcome {
        if !self.set.has(HookEvent::PermissionRequest) {
            return PermissionOutcome::default();
        }
        let outcome = self.set.permission_request(&self.context, Self::tool_use(call, input)).await;
        self.note(&outcome.notes, sink);
        outcome
    }

    /// Notification that the user is being asked. It runs beside the question, not before it:
    /// a slow notifier must not hold up the prompt, so what it reports only goes to the log.
    pub(crate) fn notify_permission_prompt(&self, request: &ApprovalRequest) {
        if !self.set.has(HookEvent::Notification) {
            return;
        }
        let set = self.set.clone();
        let context = self.context.clone();
        let tool = rein_hooks::hook_tool_name(&request.tool);
        let message = format!("rein needs your permission to use {tool}");
        tokio::spawn(async move {
            let kind = "permission_prompt".to_string();
            let notes = set.notification(&context, message, kind).await;
            for warning in notes.warnings {
                tracing::warn!(%warning, "Notification hook");
            }
        });
    }

    /// PostToolUse or PostToolUseFailure (when the result is an error): what the hooks say,
    /// labelled, to append to the result the model sees.
    pub(crate) async fn after_tool(
        &self,
        call: &ToolCall,
        input: &Value,
        output: &ToolOutput,
        sink: &dyn EventSink,
    ) -> Option<String> {
        let event =
            if output.is_error { HookEvent::PostToolUseFailure } else { HookEvent::PostToolUse };
        if !self.set.has(event) {
            return None;
        }
        let tool = Self::tool_use(call, input);
        let text = output.content.clone();
        let outcome = if output.is_error {
            self.set.post_tool_use_failure(&self.context, tool, text).await
        } else {
            self.set.post_tool_use(&self.context, tool, text).await
        };
        self.note(&outcome.notes, sink);
        let said: String =
            [("feedback", outcome.block_reason), ("context", outcome.additional_context)]
                .into_iter()
                .filter_map(|(kind, text)| {
                    text.map(|text| format!("\n\n{}", labelled(kind, event, &text)))
                })
                .collect();
        (!said.is_empty()).then_some(said)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rein_protocol::{Message, Role};

    #[test]
    fn hook_text_is_not_taken_for_the_users_words() {
        let context = labelled("context", HookEvent::UserPromptSubmit, "ticket ABC-1\n");
        assert_eq!(
            context,
            "<hook-context event=\"UserPromptSubmit\">\nticket ABC-1\n</hook-context>"
        );
        let feedback = labelled("feedback", HookEvent::Stop, "run the tests");
        let messages = vec![
            Message {
                role: Role::User,
                content: vec![ContentBlock::text("fix the bug"), ContentBlock::text(context)],
            },
            Message::assistant_text("done"),
            Message::user_text(feedback),
        ];
        assert_eq!(crate::compact::user_messages(&messages), ["fix the bug"]);
    }

    #[test]
    fn permission_modes_use_claude_codes_words() {
        assert_eq!(claude_mode(PermissionMode::Ask), "default");
        assert_eq!(claude_mode(PermissionMode::AcceptEdits), "acceptEdits");
        assert_eq!(claude_mode(PermissionMode::Plan), "plan");
        assert_eq!(claude_mode(PermissionMode::Bypass), "bypassPermissions");
    }
}
