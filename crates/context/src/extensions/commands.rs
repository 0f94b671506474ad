//! Custom slash commands: `<name>.md` files whose body becomes the prompt, with `$ARGUMENTS`
//! (and `$1` … `$9`) replaced by what follows the command. A file in a subfolder is namespaced:
//! `git/commit.md` is `/git:commit`.

use super::frontmatter::{self, ListField};
use super::sources::{ExtensionSources, Found, markdown_files, merge_by_name, read_definition};
use serde::Deserialize;

/// One custom command.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CustomCommand {
    /// Name without the slash.
    pub name: String,
    /// One line on what it does (the frontmatter's, or the body's first line).
    pub description: String,
    /// What it takes, e.g. `<file> [focus]`.
    pub argument_hint: String,
    /// Model to run it with, when it names one.
    pub model: Option<String>,
    /// Tools the command expects to use (informational: permissions still decide).
    pub allowed_tools: Vec<String>,
    /// The prompt template.
    pub body: String,
}

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "kebab-case")]
struct Meta {
    description: Option<String>,
    argument_hint: Option<String>,
    model: Option<String>,
    allowed_tools: Option<ListField>,
}

/// Longest description kept for listings.
const MAX_DESCRIPTION_CHARS: usize = 200;

/// Every custom command of `sources`, by name; warnings name files that could not be used.
pub fn load_commands(sources: &ExtensionSources) -> (Vec<Found<CustomCommand>>, Vec<String>) {
    let mut found = Vec::new();
    let mut warnings = Vec::new();
    for (dir, project) in sources.dirs("commands") {
        for (relative, path) in markdown_files(&dir, 2) {
            let name = command_name(&relative);
            match read_definition(&path).and_then(|text| parse(&name, &text)) {
                Ok(item) => found.push(Found { item, path, project }),
                Err(error) => warnings.push(format!("command {}: {error}", path.display())),
            }
        }
    }
    (merge_by_name(found, |c| c.name.as_str()), warnings)
}

/// `git/commit.md` → `git:commit`.
fn command_name(relative: &std::path::Path) -> String {
    let stem = relative.with_extension("");
    stem.components()
        .map(|part| part.as_os_str().to_string_lossy().into_owned())
        .collect::<Vec<_>>()
        .join(":")
}

fn parse(name: &str, text: &str) -> Result<CustomCommand, String> {
    let (meta, body) = frontmatter::parse::<Meta>(text)?;
    let body = body.trim().to_owned();
    if body.is_empty() {
        return Err("the command has no prompt text".into());
    }
    let description = meta
        .description
        .unwrap_or_else(|| body.lines().next().unwrap_or_default().trim_start_matches('#').into());
    Ok(CustomCommand {
        name: name.to_owned(),
        description: one_line(&description, MAX_DESCRIPTION_CHARS),
        argument_hint: meta.argument_hint.unwrap_or_default(),
        model: meta.model,
        allowed_tools: meta.allowed_tools.unwrap_or_default().0,
        body,
    })
}

impl CustomCommand {
    /// The prompt this command sends when called with `arguments`.
    pub fn expand(&self, arguments: &str) -> String {
        expand_arguments(&self.body, arguments)
    }
}

/// `template` with `$ARGUMENTS` replaced by `arguments` and `$1` … `$9` by its words (quoted
/// words keep their spaces). A template that takes no arguments gets them appended, so nothing
/// the user typed is lost.
pub fn expand_arguments(template: &str, arguments: &str) -> String {
    let arguments = arguments.trim();
    let words = split_words(arguments);
    let mut out = String::with_capacity(template.len() + arguments.len());
    let mut used = false;
    let mut rest = template;
    while let Some(at) = rest.find('$') {
        out.push_str(&rest[..at]);
        let after = &rest[at + 1..];
        if let Some(tail) = after.strip_prefix("ARGUMENTS") {
            out.push_str(arguments);
            used = true;
            rest = tail;
        } else if let Some(digit) =
            after.chars().next().and_then(|c| c.to_digit(10)).filter(|d| *d > 0)
        {
            out.push_str(words.get(digit as usize - 1).map_or("", String::as_str));
            used = true;
            rest = &after[1..];
        } else {
            out.push('$');
            rest = after;
        }
    }
    out.push_str(rest);
    if !used && !arguments.is_empty() {
        out.push_str("\n\nArguments: ");
        out.push_str(arguments);
    }
    out
}

/// Words split at whitespace; `"two words"` and `'two words'` stay one.
pub fn split_words(text: &str) -> Vec<String> {
    let mut words = Vec::new();
    let mut current = String::new();
    let mut quote = None;
    let mut in_word = false;
    for c in text.chars() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), c) => current.push(c),
            (None, '"' | '\'') => {
                quote = Some(c);
                in_word = true;
            }
            (None, c) if c.is_whitespace() => {
                if in_word {
                    words.push(std::mem::take(&mut current));
                    in_word = false;
                }
            }
            (None, c) => {
                current.push(c);
                in_word = true;
            }
        }
    }
    if in_word {
        words.push(current);
    }
    words
}

/// The first line of `text`, trimmed and cut to `max` characters.
pub(crate) fn one_line(text: &str, max: usize) -> String {
    let line = text.lines().map(str::trim).find(|l| !l.is_empty()).unwrap_or_default();
    if line.chars().count() <= max {
        return line.to_owned();
    }
    let mut cut: String = line.chars().take(max.saturating_sub(1)).collect();
    cut.push('…');
    cut
}

#[cfg(test)]
mod tests {
    use super::*;
    use pretty_assertions::assert_eq;

    #[test]
    fn arguments_fill_the_template() {
        assert_eq!(expand_arguments("Review $ARGUMENTS now", "a.rs b.rs"), "Review a.rs b.rs now");
        assert_eq!(
            expand_arguments("Fix #$1 in $2", "42 \"src/my file.rs\""),
            "Fix #42 in src/my file.rs"
        );
        assert_eq!(expand_arguments("Cost: $5 and $$", ""), "Cost:  and $$");
        assert_eq!(expand_arguments("Summarise", "the diff"), "Summarise\n\nArguments: the diff");
        assert_eq!(expand_arguments("Summarise", ""), "Summarise");
    }

    #[test]
    fn loads_namespaced_commands_and_lets_the_project_win() {
        let home = tempfile::tempdir().unwrap();
        let root = tempfile::tempdir().unwrap();
        let write = |path: std::path::PathBuf, text: &str| {
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, text).unwrap();
        };
        write(home.path().join(".claude/commands/review.md"), "user review $ARGUMENTS");
        write(
            root.path().join(".rein/commands/review.md"),
            "---\ndescription: Review a change\nargument-hint: <files>\n---\nproject review $ARGUMENTS",
        );
        write(
            root.path().join(".claude/commands/git/commit.md"),
            "# Commit the staged work\nCommit.",
        );
        write(root.path().join(".claude/commands/empty.md"), "---\ndescription: x\n---\n");
        let sources = ExtensionSources {
            home: Some(home.path().into()),
            config_dir: None,
            project_root: root.path().into(),
        };
        let (commands, warnings) = load_commands(&sources);
        let names: Vec<_> = commands.iter().map(|c| c.item.name.as_str()).collect();
        assert_eq!(names, ["git:commit", "review"]);
        assert_eq!(commands[0].item.description, "Commit the staged work");
        assert_eq!(commands[1].item.argument_hint, "<files>");
        assert!(commands[1].project);
        assert_eq!(commands[1].item.expand("x.rs"), "project review x.rs");
        assert_eq!(warnings.len(), 1, "{warnings:?}");
        assert!(warnings[0].contains("no prompt text"));
    }
}
