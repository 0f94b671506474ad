//! Hooks: the user's own commands, run at points of a session's life (before a tool call,
//! after one, when a prompt arrives, before the agent stops, …). They are configured and
//! spoken to exactly as Claude Code's hooks are — the same settings shape, the same JSON on
//! stdin, the same exit codes and JSON answers — so existing hook scripts work unchanged.
//!
//! [`HookSet::load`] reads every settings file; each event has a method on [`HookSet`] that runs
//! the matching hooks concurrently and combines their answers into a typed outcome.

mod config;
mod error;
mod event;
mod input;
mod matcher;
mod names;
mod outcome;
mod output;
mod reply;
mod runner;
mod set;
mod sources;

pub use error::HookError;
pub use event::HookEvent;
pub use input::{
    CompactTrigger, EventInput, HookContext, SessionEndReason, SessionStartSource, ToolUse,
};
pub use names::hook_tool_name;
pub use outcome::{
    HookNotes, HookReport, HookStatus, PermissionOutcome, PostToolOutcome, PreToolOutcome,
    PromptOutcome, SessionStartOutcome, StopOutcome,
};
pub use output::{PermissionBehavior, PermissionDecision};
pub use set::{DEFAULT_TIMEOUT, HookSet};
pub use sources::HookSources;
