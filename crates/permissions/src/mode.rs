//! Permission modes (how much the user has agreed to up front) and the coarse kind of each tool
//! (what a mode's defaults are decided on).

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// How much the agent may do without asking. Explicit deny rules apply in every mode.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum PermissionMode {
    /// Ask before anything a rule or the read-only set does not allow.
    #[default]
    Ask,
    /// Like `Ask`, but file edits inside the project go ahead without asking.
    AcceptEdits,
    /// Read-only: every tool that could change something is refused, not asked about.
    Plan,
    /// Everything is allowed except what an explicit deny rule forbids.
    Bypass,
}

impl PermissionMode {
    /// The spelling used in settings and on the command line.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Ask => "ask",
            Self::AcceptEdits => "accept-edits",
            Self::Plan => "plan",
            Self::Bypass => "bypass",
        }
    }
}

impl fmt::Display for PermissionMode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A permission mode name that is not one of `ask|accept-edits|plan|bypass`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown permission mode `{0}` (expected ask, accept-edits, plan or bypass)")]
pub struct UnknownModeError(pub String);

impl FromStr for PermissionMode {
    type Err = UnknownModeError;

    /// Accepts rein's names and Claude Code's (`default`, `acceptEdits`, `bypassPermissions`),
    /// so a `.claude/settings.json` `defaultMode` can be read as is.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim() {
            "ask" | "default" => Ok(Self::Ask),
            "accept-edits" | "accept_edits" | "acceptEdits" => Ok(Self::AcceptEdits),
            "plan" => Ok(Self::Plan),
            "bypass" | "bypassPermissions" | "bypass-permissions" => Ok(Self::Bypass),
            other => Err(UnknownModeError(other.to_owned())),
        }
    }
}

/// What a tool can do to the world, which decides what each mode lets it do by default.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ToolKind {
    /// Looks without touching: never asked about inside the project, allowed in plan mode.
    ReadOnly,
    /// Writes files: allowed inside the project in accept-edits mode, refused in plan mode.
    Edit,
    /// Runs shell commands: judged command by command.
    Execute,
    /// Reaches the network: asked about unless a rule allows the destination.
    Network,
    /// Anything else (MCP tools, tools added later): asked about, refused in plan mode.
    Other,
}

impl ToolKind {
    /// The kind of the tool named `tool` (any spelling; see [`crate::canonical_tool_name`]).
    pub fn of(tool: &str) -> Self {
        match crate::canonical_tool_name(tool).as_str() {
            "read" | "grep" | "glob" | "list" => Self::ReadOnly,
            // Reading a background job's output, keeping the todo list, asking the user a
            // question and entering/leaving plan mode change nothing outside the session.
            "bash_output" | "todo" | "ask_user" | "enter_plan_mode" | "exit_plan_mode" => {
                Self::ReadOnly
            }
            // Memory writes stay inside rein's memory folders, are versioned and can be
            // reverted; content from outside is quarantined rather than written.
            "memory" => Self::ReadOnly,
            // A subagent's own tool calls are checked one by one, so starting one is harmless.
            "task" | "agent" => Self::ReadOnly,
            // Loading a skill only hands the model instructions.
            "skill" => Self::ReadOnly,
            "edit" | "write" | "multi_edit" | "notebook_edit" | "apply_patch" => Self::Edit,
            "bash" => Self::Execute,
            "web_fetch" | "web_search" => Self::Network,
            _ => Self::Other,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use pretty_assertions::assert_eq;

    #[test]
    fn modes_round_trip_through_their_names() {
        for mode in [
            PermissionMode::Ask,
            PermissionMode::AcceptEdits,
            PermissionMode::Plan,
            PermissionMode::Bypass,
        ] {
            assert_eq!(mode.to_string().parse::<PermissionMode>(), Ok(mode));
            let json = serde_json::to_string(&mode).unwrap();
            assert_eq!(json, format!("\"{mode}\""));
            assert_eq!(serde_json::from_str::<PermissionMode>(&json).unwrap(), mode);
        }
    }

    #[test]
    fn claude_code_mode_names_parse_and_unknown_names_fail() {
        assert_eq!("acceptEdits".parse(), Ok(PermissionMode::AcceptEdits));
        assert_eq!("bypassPermissions".parse(), Ok(PermissionMode::Bypass));
        assert_eq!("default".parse(), Ok(PermissionMode::Ask));
        let error = "yolo".parse::<PermissionMode>().unwrap_err();
        assert!(error.to_string().contains("`yolo`"), "{error}");
    }

    #[test]
    fn tools_are_classified_by_what_they_do() {
        assert_eq!(ToolKind::of("Read"), ToolKind::ReadOnly);
        assert_eq!(ToolKind::of("grep"), ToolKind::ReadOnly);
        assert_eq!(ToolKind::of("MultiEdit"), ToolKind::Edit);
        assert_eq!(ToolKind::of("write"), ToolKind::Edit);
        assert_eq!(ToolKind::of("Bash"), ToolKind::Execute);
        assert_eq!(ToolKind::of("WebFetch"), ToolKind::Network);
        assert_eq!(ToolKind::of("mcp__github__create_issue"), ToolKind::Other);
    }
}
