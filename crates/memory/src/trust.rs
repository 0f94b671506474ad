//! Which content comes from outside, and the session-long mark it leaves.
//!
//! Once content from outside (a web page, an MCP server, the output of a command that
//! fetches things, a file outside the workspace) has entered a conversation, anything the
//! model writes to memory afterwards may carry instructions planted there — even after a
//! compaction has folded that content into a summary. So the mark lasts for the rest of the
//! session (and across resume), and memory written under it goes to quarantine.

use serde_json::Value;
use std::path::Path;
use std::sync::{Arc, Mutex, PoisonError};

/// The mark a session carries once content from outside entered it. Cheap to clone; clones
/// share the mark.
#[derive(Debug, Clone, Default)]
pub struct Taint(Arc<Mutex<Option<String>>>);

impl Taint {
    /// Marks the session; the first reason is kept.
    pub fn mark(&self, reason: impl Into<String>) {
        let mut slot = self.0.lock().unwrap_or_else(PoisonError::into_inner);
        if slot.is_none() {
            *slot = Some(reason.into());
        }
    }

    /// Why the session is marked, if it is.
    pub fn reason(&self) -> Option<String> {
        self.0.lock().unwrap_or_else(PoisonError::into_inner).clone()
    }
}

/// Programs whose output is content from outside: they fetch from the network or print text
/// other people wrote (issues, pull requests, packages).
const FETCHING_PROGRAMS: &[&str] = &[
    "curl", "wget", "gh", "glab", "http", "https", "xh", "lynx", "w3m", "links", "aria2c", "nc",
    "ncat", "ssh", "scp", "rsync", "ftp", "sftp", "telnet",
];

/// `git` subcommands that bring in other people's content.
const FETCHING_GIT: &[&str] = &["clone", "fetch", "pull", "ls-remote", "archive", "request-pull"];

/// Why the result of this tool call is content from outside, or `None` when it comes from
/// the user's repository or rein itself. `workspace` is the session's root.
pub fn untrusted_source(tool: &str, input: &Value, workspace: &Path) -> Option<String> {
    let text = |key: &str| input.get(key).and_then(Value::as_str).unwrap_or_default();
    match tool {
        "web_fetch" | "web_search" => Some(format!("{tool} {}", text("url"))),
        // `mcp__server__tool`, and the resource helpers `mcp_list_resources`/`mcp_read_resource`.
        name if name.starts_with("mcp_") => Some(format!("{name} (an MCP server)")),
        "bash" => {
            fetching_command(text("command")).map(|program| format!("bash running {program}"))
        }
        "read" | "grep" | "glob" | "list" => {
            let path = text("path");
            if path.is_empty() {
                return None;
            }
            let path = Path::new(path);
            if path.is_absolute() && !path.starts_with(workspace) {
                return Some(format!("{tool} of {} outside the workspace", path.display()));
            }
            holds_outside_content(path).then(|| {
                format!("{tool} of {}, which may hold content from outside", path.display())
            })
        }
        _ => None,
    }
}

/// Whether `path` is a memory folder's quarantine or its logs: both may hold text from
/// outside that was kept for the user to look at, not to act on.
fn holds_outside_content(path: &Path) -> bool {
    let parts: Vec<_> = path.components().map(|c| c.as_os_str().to_string_lossy()).collect();
    parts.windows(3).any(|w| {
        w[0] == ".rein"
            && w[1] == "memory"
            && (w[2] == crate::dirs::QUARANTINE_DIR || w[2] == crate::dirs::LOGS_DIR)
    })
}

/// Commands that run the command after them.
const WRAPPERS: &[&str] =
    &["sudo", "env", "time", "nice", "nohup", "xargs", "command", "exec", "timeout"];

/// The first program of a shell line that fetches outside content. Only words in command
/// position count: `grep -r curl src` runs grep.
fn fetching_command(command: &str) -> Option<String> {
    let segments = command.split([';', '|', '&', '(', ')', '`', '\n']);
    for segment in segments {
        let mut words = segment
            .split_whitespace()
            .skip_while(|w| w.contains('=') || WRAPPERS.contains(w) || w.starts_with('-'))
            .skip_while(|w| w.chars().all(|c| c.is_ascii_digit() || c == '.' || c == 's'));
        let Some(first) = words.next() else { continue };
        let program = first.rsplit('/').next().unwrap_or(first);
        if FETCHING_PROGRAMS.contains(&program) {
            return Some(program.to_string());
        }
        let rest: Vec<&str> = words.collect();
        if program == "git" {
            let sub = rest.iter().enumerate().find(|(i, w)| {
                !(w.starts_with('-') || *i > 0 && matches!(rest[i - 1], "-C" | "-c"))
            });
            if let Some((_, sub)) = sub.filter(|(_, sub)| FETCHING_GIT.contains(sub)) {
                return Some(format!("git {sub}"));
            }
        }
        if matches!(program, "npm" | "pnpm" | "yarn" | "pip" | "cargo")
            && rest.first().is_some_and(|w| matches!(*w, "view" | "info" | "search" | "show"))
        {
            return Some(format!("{program} {}", rest[0]));
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn check(tool: &str, input: Value) -> Option<String> {
        untrusted_source(tool, &input, Path::new("/repo"))
    }

    #[test]
    fn web_and_mcp_results_are_outside_content() {
        assert!(
            check("web_fetch", json!({"url": "https://x.example"})).unwrap().contains("x.example")
        );
        assert!(check("mcp__everything__echo", json!({})).is_some());
        assert!(check("mcp_read_resource", json!({"server": "s", "uri": "x://y"})).is_some());
    }

    #[test]
    fn commands_that_fetch_are_outside_content_and_local_ones_are_not() {
        for line in [
            "curl -s https://x.example",
            "cd /tmp && /usr/bin/wget x",
            "gh issue view 12",
            "git -C repo fetch origin",
            "npm view left-pad",
            "cat a | nc host 80",
            "x=$(curl -s u)",
            "timeout 5 wget u",
        ] {
            assert!(check("bash", json!({"command": line})).is_some(), "{line}");
        }
        for line in ["cargo test", "git status", "git log -3", "ls -la", "grep -r curl src"] {
            assert_eq!(check("bash", json!({"command": line})), None, "{line}");
        }
    }

    #[test]
    fn reads_outside_the_workspace_are_outside_content() {
        assert!(check("read", json!({"path": "/tmp/page.html"})).is_some());
        assert_eq!(check("read", json!({"path": "/repo/src/main.rs"})), None);
        assert_eq!(check("read", json!({"path": "src/main.rs"})), None);
        assert!(check("read", json!({"path": ".rein/memory/quarantine/x.md"})).is_some());
        assert!(check("grep", json!({"path": "/repo/.rein/memory/logs"})).is_some());
        assert_eq!(check("read", json!({"path": ".rein/memory/build.md"})), None);
        assert_eq!(check("edit", json!({"path": "/tmp/x"})), None);
    }

    #[test]
    fn the_first_reason_sticks() {
        let taint = Taint::default();
        assert_eq!(taint.reason(), None);
        let clone = taint.clone();
        clone.mark("web_fetch a");
        taint.mark("web_fetch b");
        assert_eq!(taint.reason().as_deref(), Some("web_fetch a"));
    }
}
