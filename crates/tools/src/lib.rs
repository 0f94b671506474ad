//! Built-in tools of rein: files, search, shell, web, todo list and questions to the user.
//!
//! A tool implements [`Tool`] (or, more conveniently, [`TypedTool`], whose arguments are a Rust
//! type that also generates the JSON schema). Tools are collected in a [`ToolRegistry`];
//! [`builtin_tools`] returns one holding every built-in tool. Each call receives the session's
//! [`ToolContext`]: workspace root, shell working directory, which files were read (and how
//! they looked then), the todo list, background jobs, HTTP client and user prompter.
//!
//! Failures the model should see are [`ToolOutput`]s with `is_error` set, never `Err`s or
//! panics.

mod args;
mod ask_user;
mod blocking;
mod context;
mod files;
mod list;
mod paths;
mod read_state;
mod registry;
mod search;
mod shell;
mod text;
mod todo;
mod tool;
mod web;

pub use args::{parse as parse_args, schema_for};
pub use ask_user::AskUserTool;
pub use context::{ToolContext, UserPrompter};
pub use files::{
    AttachError, AttachedFile, EditTool, MultiEditTool, ReadTool, WriteTool, attach_file,
    write_atomic,
};
pub use list::ListTool;
pub use read_state::FileStamp;
pub use registry::{MCP_PREFIX, ToolRegistry, builtin_tools};
pub use search::{GlobTool, GrepTool};
pub use shell::{BashKillTool, BashOutputTool, BashTool};
pub use todo::{TodoItem, TodoStatus, TodoTool};
pub use tool::{Tool, ToolOutput, TypedTool};
pub use web::WebFetchTool;
