//! rein's context engine: what the model is told besides the conversation.
//!
//! [`instructions`] finds the instruction files (`AGENTS.md`, `CLAUDE.md`, `CLAUDE.local.md`)
//! that apply to a working directory, expands their `@path` imports, and finds the files of
//! subdirectories the first time the agent works there. [`cache_watch`] notices when the
//! provider's prompt cache stops matching, and says why. [`budget`] keeps each tool result
//! within its tool's budget, saving large ones to a file.

pub mod budget;
pub mod cache_watch;
pub mod extensions;
pub mod instructions;

pub use budget::{ResultBudget, budget_for};
pub use cache_watch::{BreakCause, CacheBreak, CacheWatch, PrefixFingerprint};
pub use instructions::{
    InstructionFile, InstructionOrigin, InstructionSources, Instructions, NestedInstructions,
    render_instructions,
};
