//! The points of a session's life at which hooks run, named as in Claude Code's settings.

use std::fmt;

/// A hook event.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum HookEvent {
    /// Before a tool call; may allow, deny, ask or rewrite it.
    PreToolUse,
    /// After a tool call that succeeded.
    PostToolUse,
    /// After a tool call that returned an error.
    PostToolUseFailure,
    /// A tool call needs the user's approval; may answer for the user.
    PermissionRequest,
    /// The user sent a prompt; may refuse it or add context.
    UserPromptSubmit,
    /// The agent is about to end its run with a final answer; may make it go on.
    Stop,
    /// A subagent is about to finish (rein has no subagents yet).
    SubagentStop,
    /// The first run of a session starts.
    SessionStart,
    /// The session ends.
    SessionEnd,
    /// Before the conversation is compacted.
    PreCompact,
    /// After the conversation was compacted.
    PostCompact,
    /// rein wants the user's attention.
    Notification,
}

impl HookEvent {
    /// Every event, in the order above.
    pub const ALL: [Self; 12] = [
        Self::PreToolUse,
        Self::PostToolUse,
        Self::PostToolUseFailure,
        Self::PermissionRequest,
        Self::UserPromptSubmit,
        Self::Stop,
        Self::SubagentStop,
        Self::SessionStart,
        Self::SessionEnd,
        Self::PreCompact,
        Self::PostCompact,
        Self::Notification,
    ];

    /// The name used in settings files and in `hook_event_name`.
    pub fn name(self) -> &'static str {
        match self {
            Self::PreToolUse => "PreToolUse",
            Self::PostToolUse => "PostToolUse",
            Self::PostToolUseFailure => "PostToolUseFailure",
            Self::PermissionRequest => "PermissionRequest",
            Self::UserPromptSubmit => "UserPromptSubmit",
            Self::Stop => "Stop",
            Self::SubagentStop => "SubagentStop",
            Self::SessionStart => "SessionStart",
            Self::SessionEnd => "SessionEnd",
            Self::PreCompact => "PreCompact",
            Self::PostCompact => "PostCompact",
            Self::Notification => "Notification",
        }
    }

    /// The event a settings key names (exact spelling, as Claude Code requires).
    pub fn from_name(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|event| event.name() == name)
    }
}

impl fmt::Display for HookEvent {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}
