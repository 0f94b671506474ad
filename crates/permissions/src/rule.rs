//! Permission rules as users write them: a tool name, optionally followed by a pattern in
//! parentheses that narrows which calls of the tool the rule covers.
//!
//! | Rule                         | Covers                                               |
//! |------------------------------|------------------------------------------------------|
//! | `bash`                       | every shell command                                  |
//! | `bash(git diff *)`           | `git diff` with any arguments (also bare `git diff`)  |
//! | `bash(npm run test:*)`       | the same as `bash(npm run test *)`                   |
//! | `edit(src/**)`               | edits (and writes) under `src/` in the project       |
//! | `read(~/.ssh/**)`            | reads under `~/.ssh`                                 |
//! | `web_fetch(domain:docs.rs)`  | fetches from `docs.rs`                               |
//! | `mcp__github__create_issue`  | one MCP tool                                         |
//! | `mcp__github__*`             | every tool of one MCP server                         |
//!
//! Tool names are case-insensitive and may use Claude Code's spelling (`Bash(…)`, `WebFetch`).

mod command_pattern;
mod domain_pattern;
mod path_pattern;

pub use command_pattern::CommandPattern;
pub use domain_pattern::DomainPattern;
pub(crate) use domain_pattern::normalize_host;
pub(crate) use path_pattern::build_glob as path_pattern_glob;
pub use path_pattern::{PathAnchor, PathPattern};

use crate::tool_name::{MCP_PREFIX, canonical_tool_name, takes_path_specifier};
use std::fmt;
use std::str::FromStr;

/// A rule string that could not be understood. Every variant carries the rule as written, so
/// the message can point at the offending line of a settings file.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RuleParseError {
    /// Nothing but whitespace.
    #[error("empty permission rule `{rule}`")]
    Empty {
        /// The rule as written.
        rule: String,
    },
    /// The part before `(` is not a tool name.
    #[error("permission rule `{rule}`: `{name}` is not a tool name")]
    InvalidToolName {
        /// The rule as written.
        rule: String,
        /// The offending tool name.
        name: String,
    },
    /// `(` without a closing `)` at the end.
    #[error("permission rule `{rule}`: the pattern must end with `)`")]
    UnclosedParenthesis {
        /// The rule as written.
        rule: String,
    },
    /// `tool()`: write the bare tool name to cover every call.
    #[error(
        "permission rule `{rule}`: empty pattern; write the bare tool name to cover every call"
    )]
    EmptyPattern {
        /// The rule as written.
        rule: String,
    },
    /// A pattern given to a tool whose calls have nothing to match it against.
    #[error("permission rule `{rule}`: `{tool}` rules take no pattern")]
    PatternNotSupported {
        /// The rule as written.
        rule: String,
        /// The tool, in rein's spelling.
        tool: String,
    },
    /// A quote in a command pattern is never closed.
    #[error("permission rule `{rule}`: unbalanced quote in the command pattern")]
    UnbalancedQuote {
        /// The rule as written.
        rule: String,
    },
    /// A path pattern that is not a valid glob, or that climbs out with `..`.
    #[error("permission rule `{rule}`: bad path pattern: {reason}")]
    BadPathPattern {
        /// The rule as written.
        rule: String,
        /// What is wrong with it.
        reason: String,
    },
    /// A `web_fetch` pattern not of the form `domain:host` or `domain:*.host`.
    #[error("permission rule `{rule}`: web_fetch patterns look like `domain:example.com`")]
    BadDomainPattern {
        /// The rule as written.
        rule: String,
    },
}

/// Which tool (or tools) a rule is about.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum RuleTool {
    /// One tool, in rein's spelling (`bash`, `edit`, `mcp__github__create_issue`).
    Named(String),
    /// Every tool of one MCP server (`mcp__github__*` or `mcp__github`).
    McpServer(String),
}

/// What a rule's pattern matches, chosen by its tool.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Specifier {
    /// No pattern (or `(*)`): every call of the tool.
    Any,
    /// A shell command pattern (`bash(...)`).
    Command(CommandPattern),
    /// A path glob (`read(...)`, `edit(...)`, `write(...)` …).
    Path(PathPattern),
    /// A destination (`web_fetch(domain:...)`).
    Domain(DomainPattern),
}

/// One parsed permission rule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rule {
    text: String,
    tool: RuleTool,
    specifier: Specifier,
}

impl Rule {
    /// Parses one rule string such as `Bash(git diff *)` or `edit(src/**)`.
    pub fn parse(text: &str) -> Result<Self, RuleParseError> {
        let trimmed = text.trim();
        if trimmed.is_empty() {
            return Err(RuleParseError::Empty { rule: text.to_owned() });
        }
        let (name, pattern) = split_name_and_pattern(trimmed)?;
        let tool = parse_tool(trimmed, name)?;
        let specifier = match (&tool, pattern) {
            (_, None) => Specifier::Any,
            (_, Some(pattern)) if pattern.trim().is_empty() => {
                return Err(RuleParseError::EmptyPattern { rule: trimmed.to_owned() });
            }
            (_, Some(pattern)) if pattern.trim() == "*" => Specifier::Any,
            (RuleTool::Named(tool), Some(pattern)) => parse_specifier(trimmed, tool, pattern)?,
            (RuleTool::McpServer(server), Some(_)) => {
                return Err(RuleParseError::PatternNotSupported {
                    rule: trimmed.to_owned(),
                    tool: format!("{MCP_PREFIX}{server}"),
                });
            }
        };
        Ok(Self { text: trimmed.to_owned(), tool, specifier })
    }

    /// The rule as written (trimmed), for messages that name it.
    pub fn text(&self) -> &str {
        &self.text
    }

    /// The tool the rule is about.
    pub fn tool(&self) -> &RuleTool {
        &self.tool
    }

    /// What the rule's pattern matches.
    pub fn specifier(&self) -> &Specifier {
        &self.specifier
    }
}

impl FromStr for Rule {
    type Err = RuleParseError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s)
    }
}

impl fmt::Display for Rule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

/// `Bash(git diff *)` → (`Bash`, `Some("git diff *")`); `bash` → (`bash`, `None`).
fn split_name_and_pattern(rule: &str) -> Result<(&str, Option<&str>), RuleParseError> {
    let Some(open) = rule.find('(') else {
        return Ok((rule, None));
    };
    let Some(inner) = rule[open + 1..].strip_suffix(')') else {
        return Err(RuleParseError::UnclosedParenthesis { rule: rule.to_owned() });
    };
    Ok((rule[..open].trim_end(), Some(inner)))
}

fn parse_tool(rule: &str, name: &str) -> Result<RuleTool, RuleParseError> {
    let invalid =
        || RuleParseError::InvalidToolName { rule: rule.to_owned(), name: name.to_owned() };
    let valid_chars =
        name.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '*'));
    if name.is_empty() || !valid_chars {
        return Err(invalid());
    }
    let canonical = canonical_tool_name(name);
    let Some(rest) = canonical.strip_prefix(MCP_PREFIX) else {
        return if canonical.contains('*') {
            Err(invalid())
        } else {
            Ok(RuleTool::Named(canonical))
        };
    };
    if let Some(server) = rest.strip_suffix("__*") {
        if server.is_empty() || server.contains('*') || server.contains("__") {
            return Err(invalid());
        }
        return Ok(RuleTool::McpServer(server.to_owned()));
    }
    if rest.is_empty() || rest.contains('*') {
        return Err(invalid());
    }
    if rest.contains("__") {
        Ok(RuleTool::Named(canonical))
    } else {
        Ok(RuleTool::McpServer(rest.to_owned()))
    }
}

fn parse_specifier(rule: &str, tool: &str, pattern: &str) -> Result<Specifier, RuleParseError> {
    if tool == "bash" {
        return CommandPattern::parse(rule, pattern).map(Specifier::Command);
    }
    if takes_path_specifier(tool) {
        return PathPattern::parse(rule, pattern).map(Specifier::Path);
    }
    if tool == "web_fetch" {
        return DomainPattern::parse(rule, pattern).map(Specifier::Domain);
    }
    Err(RuleParseError::PatternNotSupported { rule: rule.to_owned(), tool: tool.to_owned() })
}

#[cfg(test)]
mod tests;
