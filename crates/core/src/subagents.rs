//! Subagents: the `agent` tool runs a task in a child session with a fresh context and its own
//! tools, model, permission mode and turn limit, in the foreground (several at once) or in the
//! background, optionally in a git worktree of its own.

mod background;
mod catalog;
mod host;
mod session;
mod spawn;
mod tool;
mod worktree;

pub use catalog::AgentCatalog;
pub use host::SubagentOptions;
pub use tool::AGENT_TOOL;

pub(crate) use host::{ParentView, SubagentHost};
pub(crate) use session::Subagents;
pub(crate) use tool::AgentTool;
