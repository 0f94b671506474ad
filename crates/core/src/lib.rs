//! The rein agent loop.
//!
//! A [`Session`] owns a conversation, its transcript and its tools. [`Session::run`] takes one
//! user prompt through the loop — model stream → tool calls → results → … → final answer —
//! reporting progress as protocol [`Event`](rein_protocol::Event)s to an [`EventSink`].

mod compact;
mod controls;
mod dispatch;
mod error;
mod git_snapshot;
mod hooks;
mod memory;
mod mentions;
mod model_call;
mod normalize;
mod permission;
mod profile;
mod prompt;
mod run;
mod running_summary;
mod session;
mod sink;
mod skills;
mod stale;
mod subagents;

pub use compact::{CompactError, CompactReason, CompactionHook};
pub use error::CoreError;
pub use memory::MemoryOptions;
pub use permission::{Approval, ApprovalRequest, Approver};
pub use profile::PromptProfile;
pub use prompt::{COMPACT_SYSTEM_PROMPT, SYSTEM_PROMPT};
pub use rein_hooks::SessionEndReason;
pub use rein_permissions::{PermissionMode, RuleLists};
pub use run::RunResult;
pub use session::{Session, SessionOptions};
pub use sink::{EventSink, NullSink};
pub use skills::SKILL_TOOL;
pub use subagents::{AGENT_TOOL, AgentCatalog, SubagentOptions};
