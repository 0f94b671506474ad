//! One tool call as the engine sees it: the tool's name, its JSON input and the project root
//! that relative paths (and "inside the project") are judged against.

use serde_json::Value;
use std::path::Path;

/// A tool call to be checked.
#[derive(Debug, Clone, Copy)]
pub struct ToolRequest<'a> {
    /// The tool's name, in any spelling (`bash`, `Bash`, `WebFetch`).
    pub tool: &'a str,
    /// The tool's input: `bash` has `command`, file tools `path` (or Claude Code's
    /// `file_path`), `web_fetch` has `url`; other tools are judged by name only.
    pub input: &'a Value,
    /// The project root: relative paths resolve against it, and shell commands are assumed
    /// to start in it.
    pub project_root: &'a Path,
    /// Whether a `bash` call will run in a complete sandbox (writes limited to the workspace,
    /// settings read-only, network off): then the modes that ask let it run unless a rule
    /// says otherwise.
    pub sandboxed: bool,
}

impl<'a> ToolRequest<'a> {
    /// A request for `tool` with `input`, in the project at `project_root`.
    pub fn new(tool: &'a str, input: &'a Value, project_root: &'a Path) -> Self {
        Self { tool, input, project_root, sandboxed: false }
    }

    /// The same request, marked as running in a complete sandbox.
    pub fn sandboxed(mut self, sandboxed: bool) -> Self {
        self.sandboxed = sandboxed;
        self
    }

    /// The shell command of a `bash` call.
    pub(crate) fn command(&self) -> Option<&'a str> {
        self.input.get("command").and_then(Value::as_str)
    }

    /// The path of a file tool's call.
    pub(crate) fn path(&self) -> Option<&'a str> {
        ["path", "file_path", "notebook_path"]
            .iter()
            .find_map(|key| self.input.get(key).and_then(Value::as_str))
    }

    /// The URL of a `web_fetch` call.
    pub(crate) fn url(&self) -> Option<&'a str> {
        self.input.get("url").and_then(Value::as_str)
    }
}
