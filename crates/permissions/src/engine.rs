//! The rules engine: allow, ask and deny lists compiled once, and [`Rules::check`], which
//! decides one tool call.
//!
//! Precedence, highest first:
//! 1. a deny rule matching the call (or any command of a shell line, any file it redirects to
//!    or reads) denies it, in every mode;
//! 2. bypass mode allows everything else;
//! 3. plan mode denies whatever could change something;
//! 4. a shell line that cannot be judged statically is asked about;
//! 5. an ask rule matching the call (or any command of it) asks;
//! 6. allow rules and the built-in read-only set allow — a shell line only if every one of its
//!    commands and redirections is allowed;
//! 7. otherwise the mode decides: read-only tools run inside the project, accept-edits mode
//!    lets edits inside the project through, everything else is asked about.

mod index;
mod shell_check;

use crate::decision::Decision;
use crate::mode::{PermissionMode, ToolKind};
use crate::paths::{self, ResolvedPath};
use crate::request::ToolRequest;
use crate::rule::{Rule, RuleParseError, normalize_host};
use crate::tool_name::canonical_tool_name;
use index::RuleIndex;
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

/// Rule strings as they appear in settings (`permissions.allow = ["bash(git diff *)"]`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RuleLists {
    /// Calls that may run without asking.
    #[serde(default)]
    pub allow: Vec<String>,
    /// Calls that must be asked about even if allowed.
    #[serde(default)]
    pub ask: Vec<String>,
    /// Calls that are refused in every mode.
    #[serde(default)]
    pub deny: Vec<String>,
}

/// Project directories whose files can change what the agent is allowed to do or what runs on
/// the next git command (hooks, settings, permission rules): accept-edits mode still asks
/// before editing them, unless an allow rule names them.
const PROTECTED_DIRS: &[&str] = &[".git", ".rein", ".claude"];

/// Compiled permission rules.
#[derive(Debug)]
pub struct Rules {
    allow: RuleIndex,
    ask: RuleIndex,
    deny: RuleIndex,
    home: Option<PathBuf>,
}

impl Default for Rules {
    /// No rules at all: only the modes' defaults and the read-only set apply.
    fn default() -> Self {
        Self {
            allow: RuleIndex::default(),
            ask: RuleIndex::default(),
            deny: RuleIndex::default(),
            home: dirs::home_dir(),
        }
    }
}

impl Rules {
    /// Compiles the lists; `~/` in rules and tool inputs means the current user's home.
    pub fn new(lists: &RuleLists) -> Result<Self, RuleParseError> {
        Self::with_home(lists, dirs::home_dir())
    }

    /// Compiles the lists with an explicit home directory (`None`: `~/` matches nothing).
    pub fn with_home(lists: &RuleLists, home: Option<PathBuf>) -> Result<Self, RuleParseError> {
        let parse_all = |texts: &[String]| -> Result<Vec<Rule>, RuleParseError> {
            texts.iter().map(|text| Rule::parse(text)).collect()
        };
        let (allow, ask, deny) =
            (parse_all(&lists.allow)?, parse_all(&lists.ask)?, parse_all(&lists.deny)?);
        Self::compile(allow, ask, deny, home)
    }

    /// Compiles rules from plain string lists.
    pub fn from_strings<S: AsRef<str>>(
        allow: &[S],
        ask: &[S],
        deny: &[S],
    ) -> Result<Self, RuleParseError> {
        let owned = |list: &[S]| list.iter().map(|s| s.as_ref().to_owned()).collect();
        Self::new(&RuleLists { allow: owned(allow), ask: owned(ask), deny: owned(deny) })
    }

    /// Compiles every rule that parses and returns the errors of the others, for settings
    /// files where one typo should not switch all rules off. Callers should show the errors:
    /// a skipped deny rule protects nothing.
    pub fn lenient(lists: &RuleLists, home: Option<PathBuf>) -> (Self, Vec<RuleParseError>) {
        let mut errors = Vec::new();
        let mut parse_all = |texts: &[String]| -> Vec<Rule> {
            texts
                .iter()
                .filter_map(|text| Rule::parse(text).map_err(|error| errors.push(error)).ok())
                .collect()
        };
        let (allow, ask, deny) =
            (parse_all(&lists.allow), parse_all(&lists.ask), parse_all(&lists.deny));
        match Self::compile(allow, ask, deny, home.clone()) {
            Ok(rules) => (rules, errors),
            Err(error) => {
                errors.push(error);
                (Self { home, ..Self::default() }, errors)
            }
        }
    }

    fn compile(
        allow: Vec<Rule>,
        ask: Vec<Rule>,
        deny: Vec<Rule>,
        home: Option<PathBuf>,
    ) -> Result<Self, RuleParseError> {
        let home_ref = home.as_deref();
        Ok(Self {
            allow: RuleIndex::build(allow, home_ref)?,
            ask: RuleIndex::build(ask, home_ref)?,
            deny: RuleIndex::build(deny, home_ref)?,
            home,
        })
    }

    /// The total number of rules.
    pub fn len(&self) -> usize {
        self.allow.len() + self.ask.len() + self.deny.len()
    }

    /// Whether there are no rules at all.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Decides one tool call in `mode`.
    pub fn check(&self, mode: PermissionMode, request: &ToolRequest<'_>) -> Decision {
        let tool = canonical_tool_name(request.tool);
        let decision = match ToolKind::of(&tool) {
            ToolKind::Execute => shell_check::check(self, mode, request),
            kind => self.check_tool(mode, &tool, kind, request),
        };
        tracing::debug!(tool, %mode, %decision, "permission check");
        decision
    }

    /// Decides a call of a tool other than the shell.
    fn check_tool(
        &self,
        mode: PermissionMode,
        tool: &str,
        kind: ToolKind,
        request: &ToolRequest<'_>,
    ) -> Decision {
        let target = Target::of(tool, kind, request, self.home.as_deref());
        let shown = target.describe(tool);
        if let Some(rule) = target.matching_rule(&self.deny, tool) {
            return Decision::deny(format!("{shown} is denied by rule `{rule}`"));
        }
        if mode == PermissionMode::Bypass {
            return Decision::Allow;
        }
        if mode == PermissionMode::Plan && !matches!(kind, ToolKind::ReadOnly | ToolKind::Network) {
            return Decision::deny(format!("plan mode is read-only: {shown} is refused"));
        }
        if let Some(rule) = target.matching_rule(&self.ask, tool) {
            return Decision::ask(format!("{shown} needs approval (rule `{rule}`)"));
        }
        if target.matching_rule(&self.allow, tool).is_some() {
            return Decision::Allow;
        }
        match (kind, &target) {
            (ToolKind::ReadOnly, Target::Path { resolved: Some(path), .. })
                if path.in_project.is_none() =>
            {
                Decision::ask(format!("{shown} is outside the project"))
            }
            (ToolKind::ReadOnly, Target::Path { resolved: None, .. }) => {
                Decision::ask(format!("{shown}: the path cannot be resolved"))
            }
            (ToolKind::ReadOnly, _) => Decision::Allow,
            (ToolKind::Edit, Target::Path { resolved: Some(path), .. })
                if mode == PermissionMode::AcceptEdits && is_editable_in_project(path) =>
            {
                Decision::Allow
            }
            (ToolKind::Edit, Target::Path { resolved: Some(path), .. })
                if mode == PermissionMode::AcceptEdits && path.in_project.is_some() =>
            {
                Decision::ask(format!(
                    "{shown} needs approval: files there can change what runs or what is allowed"
                ))
            }
            _ => Decision::ask(format!("{shown} needs approval")),
        }
    }

    /// The first rule of `list` covering a write of `path` (the shell's `>` redirections are
    /// judged as `write` calls).
    fn write_rule<'r>(&self, list: &'r RuleIndex, path: &ResolvedPath) -> Option<&'r Rule> {
        list.path("write", path, false)
    }

    /// The first rule of `list` covering a read of `path` (files a shell command reads).
    fn read_rule<'r>(&self, list: &'r RuleIndex, path: &ResolvedPath) -> Option<&'r Rule> {
        list.path("read", path, true)
    }

    fn resolve(&self, raw: &str, root: &Path) -> Option<ResolvedPath> {
        paths::resolve(raw, root, self.home.as_deref())
    }
}

/// Inside the project, and not in a directory that holds hooks or settings.
fn is_editable_in_project(path: &ResolvedPath) -> bool {
    path.in_project.as_deref().is_some_and(|relative| {
        !relative.is_empty()
            && !PROTECTED_DIRS.iter().any(|dir| {
                relative == *dir
                    || relative.strip_prefix(dir).is_some_and(|rest| rest.starts_with('/'))
            })
    })
}

/// What a non-shell call acts on.
enum Target {
    /// Nothing rules can narrow down: only whole-tool rules apply.
    Nothing,
    /// A file or directory.
    Path { raw: String, resolved: Option<ResolvedPath> },
    /// A URL and its host (if it has one).
    Url { raw: String, host: Option<String> },
}

impl Target {
    fn of(tool: &str, kind: ToolKind, request: &ToolRequest<'_>, home: Option<&Path>) -> Self {
        if crate::tool_name::takes_path_specifier(tool) {
            // Search tools without a path search the project.
            let raw = match (request.path(), kind) {
                (Some(raw), _) => raw,
                (None, ToolKind::ReadOnly) => ".",
                (None, _) => return Self::Nothing,
            };
            let resolved = paths::resolve(raw, request.project_root, home);
            return Self::Path { raw: raw.to_owned(), resolved };
        }
        if tool == "web_fetch" {
            let Some(raw) = request.url() else { return Self::Nothing };
            let host = url::Url::parse(raw).ok().and_then(|url| url.host_str().map(normalize_host));
            return Self::Url { raw: raw.to_owned(), host };
        }
        Self::Nothing
    }

    fn describe(&self, tool: &str) -> String {
        match self {
            Self::Nothing => format!("`{tool}`"),
            Self::Path { raw, .. } | Self::Url { raw, .. } => format!("`{tool}` on `{raw}`"),
        }
    }

    fn matching_rule<'r>(&self, list: &'r RuleIndex, tool: &str) -> Option<&'r Rule> {
        match self {
            Self::Path { resolved: Some(path), .. } => {
                list.path(tool, path, ToolKind::of(tool) == ToolKind::ReadOnly)
            }
            Self::Url { host: Some(host), .. } => list.domain(host),
            _ => list.whole_tool(tool),
        }
    }
}

#[cfg(test)]
mod tests;
