//! Subagent definitions: `<name>.md` files whose frontmatter says what the subagent may use
//! and whose body is its instructions.

use super::commands::one_line;
use super::frontmatter::{self, ListField};
use super::sources::{ExtensionSources, Found, markdown_files, merge_by_name, read_definition};
use serde::Deserialize;

/// One subagent type a user defined.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AgentDefinition {
    /// Name the model asks for it by.
    pub name: String,
    /// When to use it, for the model.
    pub description: String,
    /// Tools it may use; `None` means every tool the main session has.
    pub tools: Option<Vec<String>>,
    /// Tools taken away from the set above.
    pub disallowed_tools: Vec<String>,
    /// Model id or alias; `None` (or `inherit`) runs on the main session's model.
    pub model: Option<String>,
    /// Permission mode, as written (`default`, `acceptEdits`, `plan`, …).
    pub permission_mode: Option<String>,
    /// Model calls it may make.
    pub max_turns: Option<u32>,
    /// Whether it works in a git worktree of its own.
    pub worktree: bool,
    /// Whether it always runs in the background.
    pub background: bool,
    /// Its instructions (the system prompt's role section).
    pub prompt: String,
}

#[derive(Debug, Default, Deserialize)]
struct Meta {
    name: Option<String>,
    description: Option<String>,
    tools: Option<ListField>,
    #[serde(alias = "disallowedTools", alias = "disallowed-tools")]
    disallowed_tools: Option<ListField>,
    model: Option<String>,
    #[serde(alias = "permissionMode", alias = "permission-mode")]
    permission_mode: Option<String>,
    #[serde(alias = "maxTurns", alias = "max-turns")]
    max_turns: Option<u32>,
    isolation: Option<String>,
    #[serde(default)]
    background: bool,
}

/// Longest description kept.
const MAX_DESCRIPTION_CHARS: usize = 400;

/// Every subagent definition of `sources`, by name; warnings name files that could not be used.
pub fn load_agents(sources: &ExtensionSources) -> (Vec<Found<AgentDefinition>>, Vec<String>) {
    let mut found = Vec::new();
    let mut warnings = Vec::new();
    for (dir, project) in sources.dirs("agents") {
        for (_, path) in markdown_files(&dir, 0) {
            let stem = path.file_stem().map(|s| s.to_string_lossy().into_owned());
            match read_definition(&path).and_then(|text| parse(stem.unwrap_or_default(), &text)) {
                Ok(item) => found.push(Found { item, path, project }),
                Err(error) => warnings.push(format!("agent {}: {error}", path.display())),
            }
        }
    }
    (merge_by_name(found, |a| a.name.as_str()), warnings)
}

fn parse(stem: String, text: &str) -> Result<AgentDefinition, String> {
    let (meta, body) = frontmatter::parse::<Meta>(text)?;
    let name = meta.name.unwrap_or(stem).trim().to_owned();
    if name.is_empty() || name.contains(char::is_whitespace) {
        return Err(format!("`{name}` is not a usable agent name"));
    }
    let Some(description) = meta.description.filter(|d| !d.trim().is_empty()) else {
        return Err("an agent needs a description: it is how the model knows when to use it".into());
    };
    let worktree = match meta.isolation.as_deref().map(str::trim) {
        None | Some("" | "none") => false,
        Some("worktree") => true,
        Some(other) => return Err(format!("isolation `{other}` is unknown (use `worktree`)")),
    };
    Ok(AgentDefinition {
        name,
        description: one_line(&description, MAX_DESCRIPTION_CHARS),
        tools: meta.tools.map(|list| list.0).filter(|tools| !tools.iter().any(|t| t == "*")),
        disallowed_tools: meta.disallowed_tools.unwrap_or_default().0,
        model: meta.model.map(|m| m.trim().to_owned()).filter(|m| !m.is_empty() && m != "inherit"),
        permission_mode: meta.permission_mode,
        max_turns: meta.max_turns,
        worktree,
        background: meta.background,
        prompt: body.trim().to_owned(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use pretty_assertions::assert_eq;

    #[test]
    fn reads_the_frontmatter_claude_code_writes() {
        let text = "---\nname: reviewer\ndescription: Reviews diffs for bugs\ntools: Read, Grep, Glob\n\
                    model: inherit\npermissionMode: plan\nmaxTurns: 7\nisolation: worktree\n---\n\
                    You review code.\n";
        let agent = parse("file".into(), text).unwrap();
        assert_eq!(
            agent,
            AgentDefinition {
                name: "reviewer".into(),
                description: "Reviews diffs for bugs".into(),
                tools: Some(vec!["Read".into(), "Grep".into(), "Glob".into()]),
                disallowed_tools: Vec::new(),
                model: None,
                permission_mode: Some("plan".into()),
                max_turns: Some(7),
                worktree: true,
                background: false,
                prompt: "You review code.".into(),
            }
        );
    }

    #[test]
    fn bad_definitions_are_reported() {
        let root = tempfile::tempdir().unwrap();
        let dir = root.path().join(".rein/agents");
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join("ok.md"), "---\ndescription: fine\n---\nGo.").unwrap();
        std::fs::write(dir.join("nodesc.md"), "Go.").unwrap();
        std::fs::write(dir.join("iso.md"), "---\ndescription: x\nisolation: cloud\n---\n").unwrap();
        let sources = ExtensionSources { project_root: root.path().into(), ..Default::default() };
        let (agents, warnings) = load_agents(&sources);
        assert_eq!(agents.len(), 1);
        assert_eq!(agents[0].item.name, "ok");
        assert_eq!(agents[0].item.tools, None);
        assert_eq!(warnings.len(), 2, "{warnings:?}");
    }
}
