//! Persistent memory of rein.
//!
//! Memory is plain Markdown the user can read, diff, edit and revert: a project folder
//! (`.rein/memory/`) and a user folder, each with an index (`MEMORY.md`, always loaded,
//! capped) and topic files with frontmatter (name, description, type, trust, provenance).
//! Standing preferences load into every session; other topics are recalled when a prompt
//! bears on them. Every change is a revision in the history database. Content written after
//! text from outside entered a session waits in quarantine for the user. Sessions append to
//! daily logs; dreams consolidate logs and topics into a smaller, truer memory.

mod context;
mod daily_log;
mod dirs;
pub mod dream;
mod error;
mod folder;
mod history;
mod index;
mod memory;
mod recall;
mod tool;
mod topic;
mod trust;

pub use context::{STANDING_BUDGET, SessionMemory, render_recalled};
pub use daily_log::{LogEntry, SessionDigest, parse_log};
pub use dirs::{DREAM_LOCK, DREAMS_DIR, INDEX_FILE, LOGS_DIR, MemoryDir, QUARANTINE_DIR, Scope};
pub use error::MemoryError;
pub use folder::{FoundTopic, MAX_TOPIC_FILES, TopicList};
pub use history::{Author, Versioned, render_diff};
pub use index::{LoadedIndex, MAX_INDEX_BYTES, MAX_INDEX_LINES, entry_line};
pub use memory::{Memory, Saved, TopicInput};
pub use recall::Recalled;
pub use tool::{Action, ActionKind, MemoryArgs, MemoryTool, Op, ToolState};
pub use topic::{Source, Topic, TopicKind, TopicMeta, Trust, valid_name};
pub use trust::{Taint, untrusted_source};
