//! rein's permission rules engine: may this tool call run, must the user be asked, or is it
//! refused?
//!
//! - [`mode`]: the permission modes (`ask`, `accept-edits`, `plan`, `bypass`) and the coarse
//!   kind of each tool their defaults depend on.
//! - [`rule`]: rule strings such as `bash(git diff *)`, `edit(src/**)`,
//!   `web_fetch(domain:docs.rs)` or `mcp__github__*`, in rein's or Claude Code's spelling.
//! - [`shell`]: what a shell command line would run, parsed with a real bash parser so that
//!   `&&`, pipes, subshells, `$( … )`, here-documents and wrappers like `timeout` are seen
//!   through, and so that what cannot be judged statically (`eval`, `bash -c`, `… | sh`) is
//!   never allowed on its own.
//! - [`readonly`]: the built-in set of shell commands that only look.
//! - [`engine`]: [`Rules`], the compiled allow/ask/deny lists, and [`Rules::check`].
//! - [`suggest`]: the rule to offer for "always allow this in this project".
//!
//! ```
//! use rein_permissions::{Decision, PermissionMode, Rules, ToolRequest};
//! use serde_json::json;
//! use std::path::Path;
//!
//! let rules = Rules::from_strings(&["bash(cargo test *)"], &[], &["bash(rm *)"]).unwrap();
//! let input = json!({ "command": "cargo test -p x && git status" });
//! let request = ToolRequest::new("bash", &input, Path::new("/work/project"));
//! assert_eq!(rules.check(PermissionMode::Ask, &request), Decision::Allow);
//! ```
//!
//! Shell commands are parsed with `brush-parser`: it is a maintained, pure-Rust parser written
//! for a bash-compatible shell, so it reads here-documents, `[[ ]]`, process substitution and
//! nested `$( … )` the way bash does and refuses what bash would refuse (conch-parser is
//! unmaintained and POSIX-only, yash-syntax is GPL, tree-sitter-bash needs a C build and
//! produces a tree even for broken input).

#![warn(missing_docs)]

mod decision;
pub mod engine;
pub mod mode;
mod paths;
pub mod readonly;
mod request;
pub mod rule;
pub mod shell;
pub mod suggest;
mod tool_name;

pub use decision::Decision;
pub use engine::{RuleLists, Rules};
pub use mode::{PermissionMode, ToolKind, UnknownModeError};
pub use readonly::is_read_only;
pub use request::ToolRequest;
pub use rule::{Rule, RuleParseError};
pub use shell::{ShellAnalysis, ShellWord, SimpleCommand, Unjudgeable};
pub use suggest::suggest_rule;
pub use tool_name::canonical_tool_name;
