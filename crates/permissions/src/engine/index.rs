//! One rule list (allow, ask or deny) compiled for fast lookup: whole-tool rules in a map,
//! shell patterns bucketed by command name, path globs in one `GlobSet` per tool and anchor,
//! domains in a map. A check touches only the rules that could match, never re-parses one,
//! and reports the first matching rule in the order the user wrote them.

use crate::paths::ResolvedPath;
use crate::rule::path_pattern_glob;
use crate::rule::{DomainPattern, PathAnchor, Rule, RuleParseError, RuleTool, Specifier};
use crate::tool_name::{covering_rule_tools, mcp_server};
use globset::{GlobSet, GlobSetBuilder};
use std::collections::HashMap;
use std::path::Path;

/// Globs of one rule tool, split by what they are matched against.
#[derive(Debug, Default)]
struct PathGlobs {
    /// Matched against the path relative to the project root.
    project: GlobSet,
    project_rules: Vec<usize>,
    /// Matched against the absolute path (home patterns are made absolute when compiled).
    absolute: GlobSet,
    absolute_rules: Vec<usize>,
}

/// One compiled rule list.
#[derive(Debug, Default)]
pub(crate) struct RuleIndex {
    rules: Vec<Rule>,
    /// Rule tool → first rule covering every call of it.
    whole_tools: HashMap<String, usize>,
    /// MCP server → first rule covering all of its tools.
    mcp_servers: HashMap<String, usize>,
    /// Command name → rules whose pattern starts with it, in order.
    shell_by_name: HashMap<String, Vec<usize>>,
    /// Rules whose pattern starts with a wildcard, in order.
    shell_any_name: Vec<usize>,
    paths: HashMap<String, PathGlobs>,
    exact_domains: HashMap<String, usize>,
    subdomain_rules: Vec<usize>,
}

impl RuleIndex {
    /// Compiles `rules`; home-relative patterns need `home` (they never match without it).
    pub(crate) fn build(rules: Vec<Rule>, home: Option<&Path>) -> Result<Self, RuleParseError> {
        let mut index = Self::default();
        let mut globs: HashMap<String, (GlobSetBuilder, GlobSetBuilder)> = HashMap::new();
        for (position, rule) in rules.iter().enumerate() {
            let tool = match rule.tool() {
                RuleTool::McpServer(server) => {
                    index.mcp_servers.entry(server.clone()).or_insert(position);
                    continue;
                }
                RuleTool::Named(tool) => tool,
            };
            match rule.specifier() {
                Specifier::Any => {
                    index.whole_tools.entry(tool.clone()).or_insert(position);
                }
                Specifier::Command(pattern) => match pattern.command_name() {
                    Some(name) => {
                        index.shell_by_name.entry(name.to_owned()).or_default().push(position);
                    }
                    None => index.shell_any_name.push(position),
                },
                Specifier::Domain(DomainPattern::Exact(host)) => {
                    index.exact_domains.entry(host.clone()).or_insert(position);
                }
                Specifier::Domain(DomainPattern::Subdomains(_)) => {
                    index.subdomain_rules.push(position);
                }
                Specifier::Path(pattern) => {
                    let Some(glob_text) = pattern.glob_for(home) else {
                        tracing::warn!(rule = rule.text(), "home directory unknown; rule ignored");
                        continue;
                    };
                    let glob = path_pattern_glob(&glob_text).map_err(|error| {
                        RuleParseError::BadPathPattern {
                            rule: rule.text().to_owned(),
                            reason: error.kind().to_string(),
                        }
                    })?;
                    let (project, absolute) = globs
                        .entry(tool.clone())
                        .or_insert_with(|| (GlobSetBuilder::new(), GlobSetBuilder::new()));
                    let entry = index.paths.entry(tool.clone()).or_default();
                    if pattern.anchor() == PathAnchor::Project {
                        project.add(glob);
                        entry.project_rules.push(position);
                    } else {
                        absolute.add(glob);
                        entry.absolute_rules.push(position);
                    }
                }
            }
        }
        for (tool, (project, absolute)) in globs {
            let failed = |error: globset::Error| RuleParseError::BadPathPattern {
                rule: format!("{tool}(…)"),
                reason: error.to_string(),
            };
            let entry = index.paths.entry(tool.clone()).or_default();
            entry.project = project.build().map_err(failed)?;
            entry.absolute = absolute.build().map_err(failed)?;
        }
        index.rules = rules;
        Ok(index)
    }

    /// The number of rules in the list.
    pub(crate) fn len(&self) -> usize {
        self.rules.len()
    }

    fn rule(&self, position: Option<usize>) -> Option<&Rule> {
        position.and_then(|position| self.rules.get(position))
    }

    /// The first rule covering every call of `tool` (canonical): a bare `edit` covers `write`,
    /// `mcp__github__*` covers `mcp__github__create_issue`.
    pub(crate) fn whole_tool(&self, tool: &str) -> Option<&Rule> {
        self.rule(self.whole_tool_position(tool))
    }

    fn whole_tool_position(&self, tool: &str) -> Option<usize> {
        let covering = covering_rule_tools(tool);
        let named = if covering.is_empty() {
            self.whole_tools.get(tool).copied()
        } else {
            covering.iter().filter_map(|rule_tool| self.whole_tools.get(*rule_tool)).min().copied()
        };
        let server = mcp_server(tool).and_then(|server| self.mcp_servers.get(server)).copied();
        min_position(named, server)
    }

    /// The first `bash` rule (whole-tool or pattern) matching one command's argv.
    pub(crate) fn shell_command<S: AsRef<str>>(&self, argv: &[S]) -> Option<&Rule> {
        let whole = self.whole_tools.get("bash").copied();
        let by_name = argv
            .first()
            .and_then(|name| self.shell_by_name.get(name.as_ref()))
            .into_iter()
            .flatten();
        let pattern = by_name
            .chain(&self.shell_any_name)
            .copied()
            .filter(|position| match self.rules[*position].specifier() {
                Specifier::Command(pattern) => pattern.matches(argv),
                _ => false,
            })
            .min();
        self.rule(min_position(whole, pattern))
    }

    /// The first rule covering a call of `tool` on `path` (whole-tool rules included). A
    /// read may be of a directory (`grep ~/.ssh`, `ls /etc`), so reads are also matched as a
    /// file directly inside `path`: `read(~/.ssh/**)` covers reading `~/.ssh` itself.
    pub(crate) fn path(
        &self,
        tool: &str,
        path: &ResolvedPath,
        may_be_directory: bool,
    ) -> Option<&Rule> {
        let mut best = self.whole_tool_position(tool);
        let absolute = path.absolute.to_string_lossy();
        let relative = path.in_project.as_deref();
        let mut candidates: Vec<(Option<String>, String)> = vec![(
            relative.filter(|r| !r.is_empty()).map(str::to_owned),
            absolute.clone().into_owned(),
        )];
        if may_be_directory {
            let inside = |dir: &str| {
                if dir.is_empty() {
                    "_".to_owned()
                } else {
                    format!("{}/_", dir.trim_end_matches('/'))
                }
            };
            candidates.push((relative.map(inside), inside(&absolute)));
        }
        for rule_tool in covering_rule_tools(tool) {
            let Some(globs) = self.paths.get(*rule_tool) else { continue };
            for (relative, absolute) in &candidates {
                if let Some(relative) = relative {
                    best = min_position(
                        best,
                        first_hit(&globs.project, &globs.project_rules, relative),
                    );
                }
                best =
                    min_position(best, first_hit(&globs.absolute, &globs.absolute_rules, absolute));
            }
        }
        self.rule(best)
    }

    /// The first rule covering a `web_fetch` of `host` (normalised), whole-tool included.
    pub(crate) fn domain(&self, host: &str) -> Option<&Rule> {
        let whole = self.whole_tool_position("web_fetch");
        let exact = self.exact_domains.get(host).copied();
        let subdomain = self.subdomain_rules.iter().copied().find(|position| {
            matches!(self.rules[*position].specifier(), Specifier::Domain(pattern) if pattern.matches(host))
        });
        self.rule(min_position(min_position(whole, exact), subdomain))
    }
}

/// The first rule (in the user's order) whose glob in `set` matches `path`. `is_match` first:
/// it is much cheaper than collecting every match, and most checks match nothing.
fn first_hit(set: &GlobSet, rules: &[usize], path: &str) -> Option<usize> {
    if !set.is_match(path) {
        return None;
    }
    set.matches(path).into_iter().filter_map(|i| rules.get(i).copied()).min()
}

fn min_position(a: Option<usize>, b: Option<usize>) -> Option<usize> {
    match (a, b) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    }
}
