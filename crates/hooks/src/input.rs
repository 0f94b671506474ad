//! The JSON a hook reads on stdin: the fields every event has, then the event's own.

use crate::event::HookEvent;
use crate::names::{hook_tool_input, hook_tool_name, hook_tool_response};
use serde_json::{Map, Value, json};

/// Facts about the session that every hook input carries.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct HookContext {
    /// The session id.
    pub session_id: String,
    /// The session's transcript file, or empty when there is none.
    pub transcript_path: String,
    /// The working directory.
    pub cwd: String,
    /// The permission mode in Claude Code's words (`default`, `plan`, `acceptEdits`,
    /// `bypassPermissions`).
    pub permission_mode: String,
}

/// One tool call as rein knows it (rein's tool name and fields).
#[derive(Debug, Clone, PartialEq)]
pub struct ToolUse {
    /// rein's tool name.
    pub name: String,
    /// The input the tool will get (or got).
    pub input: Value,
    /// The call id.
    pub id: String,
}

/// Why a session starts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SessionStartSource {
    /// A new session.
    Startup,
    /// An earlier session continued.
    Resume,
    /// The conversation was cleared.
    Clear,
    /// The conversation continues after a compaction.
    Compact,
}

impl SessionStartSource {
    /// The matcher subject and `source` value.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Startup => "startup",
            Self::Resume => "resume",
            Self::Clear => "clear",
            Self::Compact => "compact",
        }
    }
}

/// What started a compaction.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CompactTrigger {
    /// The user asked for it.
    Manual,
    /// The conversation neared the context window.
    Auto,
}

impl CompactTrigger {
    /// The matcher subject and `trigger` value.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Manual => "manual",
            Self::Auto => "auto",
        }
    }
}

/// Why a session ends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SessionEndReason {
    /// The conversation was cleared.
    Clear,
    /// The user logged out.
    Logout,
    /// The user left the interactive prompt.
    PromptInputExit,
    /// Anything else (a headless run finished, …).
    Other,
}

impl SessionEndReason {
    /// The `reason` value.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Clear => "clear",
            Self::Logout => "logout",
            Self::PromptInputExit => "prompt_input_exit",
            Self::Other => "other",
        }
    }
}

/// An event with its own fields.
#[derive(Debug, Clone, PartialEq)]
pub enum EventInput {
    /// Before a tool call.
    PreToolUse {
        /// The call.
        tool: ToolUse,
    },
    /// After a tool call that succeeded.
    PostToolUse {
        /// The call.
        tool: ToolUse,
        /// The result text.
        output: String,
    },
    /// After a tool call that returned an error.
    PostToolUseFailure {
        /// The call.
        tool: ToolUse,
        /// The error text.
        error: String,
    },
    /// A tool call needs approval.
    PermissionRequest {
        /// The call.
        tool: ToolUse,
    },
    /// The user sent a prompt.
    UserPromptSubmit {
        /// The prompt.
        prompt: String,
    },
    /// The agent is about to stop.
    Stop {
        /// A Stop hook already made this run go on.
        stop_hook_active: bool,
    },
    /// A subagent is about to stop.
    SubagentStop {
        /// A SubagentStop hook already made it go on.
        stop_hook_active: bool,
    },
    /// The first run of a session starts.
    SessionStart {
        /// Why.
        source: SessionStartSource,
    },
    /// The session ends.
    SessionEnd {
        /// Why.
        reason: SessionEndReason,
    },
    /// Before a compaction.
    PreCompact {
        /// What started it.
        trigger: CompactTrigger,
        /// What the user asked the summary to focus on (empty when nothing).
        custom_instructions: String,
    },
    /// After a compaction.
    PostCompact {
        /// What started it.
        trigger: CompactTrigger,
    },
    /// rein wants the user's attention.
    Notification {
        /// What to tell the user.
        message: String,
        /// `permission_prompt`, `idle_prompt`, …
        notification_type: String,
    },
}

impl EventInput {
    /// The event.
    pub fn event(&self) -> HookEvent {
        match self {
            Self::PreToolUse { .. } => HookEvent::PreToolUse,
            Self::PostToolUse { .. } => HookEvent::PostToolUse,
            Self::PostToolUseFailure { .. } => HookEvent::PostToolUseFailure,
            Self::PermissionRequest { .. } => HookEvent::PermissionRequest,
            Self::UserPromptSubmit { .. } => HookEvent::UserPromptSubmit,
            Self::Stop { .. } => HookEvent::Stop,
            Self::SubagentStop { .. } => HookEvent::SubagentStop,
            Self::SessionStart { .. } => HookEvent::SessionStart,
            Self::SessionEnd { .. } => HookEvent::SessionEnd,
            Self::PreCompact { .. } => HookEvent::PreCompact,
            Self::PostCompact { .. } => HookEvent::PostCompact,
            Self::Notification { .. } => HookEvent::Notification,
        }
    }

    /// What matchers are tested against; empty for events without a matcher. A tool matches
    /// by Claude Code's name or by rein's.
    pub(crate) fn subjects(&self) -> Vec<&str> {
        match self {
            Self::PreToolUse { tool }
            | Self::PostToolUse { tool, .. }
            | Self::PostToolUseFailure { tool, .. }
            | Self::PermissionRequest { tool } => vec![hook_tool_name(&tool.name), &tool.name],
            Self::SessionStart { source } => vec![source.as_str()],
            Self::PreCompact { trigger, .. } | Self::PostCompact { trigger } => {
                vec![trigger.as_str()]
            }
            Self::Notification { notification_type, .. } => vec![notification_type],
            Self::UserPromptSubmit { .. }
            | Self::Stop { .. }
            | Self::SubagentStop { .. }
            | Self::SessionEnd { .. } => Vec::new(),
        }
    }

    /// The whole stdin document.
    pub fn to_json(&self, context: &HookContext) -> Value {
        let mut object = Map::new();
        object.insert("session_id".into(), json!(context.session_id));
        object.insert("transcript_path".into(), json!(context.transcript_path));
        object.insert("cwd".into(), json!(context.cwd));
        object.insert("permission_mode".into(), json!(context.permission_mode));
        object.insert("hook_event_name".into(), json!(self.event().name()));
        let tool_fields = |object: &mut Map<String, Value>, tool: &ToolUse| {
            object.insert("tool_name".into(), json!(hook_tool_name(&tool.name)));
            object.insert("tool_input".into(), hook_tool_input(&tool.input));
            object.insert("tool_use_id".into(), json!(tool.id));
        };
        match self {
            Self::PreToolUse { tool } | Self::PermissionRequest { tool } => {
                tool_fields(&mut object, tool);
            }
            Self::PostToolUse { tool, output } => {
                tool_fields(&mut object, tool);
                object.insert("tool_response".into(), hook_tool_response(&tool.input, output));
            }
            Self::PostToolUseFailure { tool, error } => {
                tool_fields(&mut object, tool);
                object.insert("error".into(), json!(error));
            }
            Self::UserPromptSubmit { prompt } => {
                object.insert("prompt".into(), json!(prompt));
            }
            Self::Stop { stop_hook_active } | Self::SubagentStop { stop_hook_active } => {
                object.insert("stop_hook_active".into(), json!(stop_hook_active));
            }
            Self::SessionStart { source } => {
                object.insert("source".into(), json!(source.as_str()));
            }
            Self::SessionEnd { reason } => {
                object.insert("reason".into(), json!(reason.as_str()));
            }
            Self::PreCompact { trigger, custom_instructions } => {
                object.insert("trigger".into(), json!(trigger.as_str()));
                object.insert("custom_instructions".into(), json!(custom_instructions));
            }
            Self::PostCompact { trigger } => {
                object.insert("trigger".into(), json!(trigger.as_str()));
            }
            Self::Notification { message, notification_type } => {
                object.insert("message".into(), json!(message));
                object.insert("notification_type".into(), json!(notification_type));
            }
        }
        Value::Object(object)
    }
}
