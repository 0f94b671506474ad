//! The JSON a hook may print on stdout (exit 0), in Claude Code's field names.

use serde::Deserialize;
use serde_json::Value;

/// A hook's structured answer. Every field is optional; fields that do not apply to the event
/// are ignored.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct HookJson {
    /// `false` stops the whole run.
    #[serde(rename = "continue")]
    pub(crate) keep_going: Option<bool>,
    /// Shown to the user when `continue` is false.
    pub(crate) stop_reason: Option<String>,
    /// Keep the hook's output out of the event log.
    pub(crate) suppress_output: Option<bool>,
    /// A warning for the user.
    pub(crate) system_message: Option<String>,
    /// `block` (PostToolUse, Stop, UserPromptSubmit); PreToolUse also accepts the older
    /// `approve`.
    pub(crate) decision: Option<Decision>,
    /// Why, with `decision`.
    pub(crate) reason: Option<String>,
    pub(crate) hook_specific_output: Option<SpecificOutput>,
}

/// The top-level `decision`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub(crate) enum Decision {
    Block,
    Approve,
}

/// `hookSpecificOutput`.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct SpecificOutput {
    /// Must name the event the hook ran for, when given.
    pub(crate) hook_event_name: Option<String>,
    /// PreToolUse.
    pub(crate) permission_decision: Option<PermissionDecision>,
    /// PreToolUse.
    pub(crate) permission_decision_reason: Option<String>,
    /// PreToolUse: replaces the tool input.
    pub(crate) updated_input: Option<Value>,
    /// PermissionRequest.
    pub(crate) decision: Option<PermissionAnswer>,
    /// UserPromptSubmit, SessionStart, PostToolUse.
    pub(crate) additional_context: Option<String>,
}

/// A PreToolUse hook's say on a call. Several hooks combine as deny > ask > allow.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum PermissionDecision {
    /// Run without asking (deny rules from the settings still win).
    Allow,
    /// Ask the user even when the rules would allow it.
    Ask,
    /// Refuse the call.
    Deny,
}

impl PermissionDecision {
    /// The spelling in hook output.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Allow => "allow",
            Self::Ask => "ask",
            Self::Deny => "deny",
        }
    }
}

/// A PermissionRequest hook's answer, in the user's place.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct PermissionAnswer {
    pub(crate) behavior: PermissionBehavior,
    pub(crate) updated_input: Option<Value>,
    pub(crate) message: Option<String>,
}

/// Allow or deny a call that needs approval. Several hooks combine as deny > allow.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum PermissionBehavior {
    /// Run it.
    Allow,
    /// Refuse it.
    Deny,
}

impl PermissionBehavior {
    /// The spelling in hook output.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Allow => "allow",
            Self::Deny => "deny",
        }
    }
}
