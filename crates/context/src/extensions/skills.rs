//! Skills: folders holding a `SKILL.md` (instructions, with supporting files beside it). Only
//! each skill's name and description are in the model's context; the body loads when the model
//! or the user invokes the skill, so a hundred skills cost a few hundred tokens.

use super::commands::one_line;
use super::frontmatter::{self, ListField};
use super::sources::{ExtensionSources, Found, merge_by_name, read_definition};
use serde::Deserialize;
use std::fmt::Write;
use std::path::PathBuf;

/// The file that makes a folder a skill.
pub const SKILL_FILE: &str = "SKILL.md";

/// Longest description kept in the listing.
const MAX_DESCRIPTION_CHARS: usize = 250;

/// One skill.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Skill {
    /// Name (the frontmatter's, else the folder's).
    pub name: String,
    /// When to use it, for the model's listing.
    pub description: String,
    /// What it takes when the user invokes it.
    pub argument_hint: String,
    /// The instructions.
    pub body: String,
    /// The skill's folder (its supporting files are there).
    pub dir: PathBuf,
    /// Whether the model may load it on its own (otherwise only the user, by `/name`).
    pub model_invocable: bool,
    /// Whether the user may invoke it as a slash command.
    pub user_invocable: bool,
    /// Tools the skill expects to use (informational: permissions still decide).
    pub allowed_tools: Vec<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "kebab-case")]
struct Meta {
    name: Option<String>,
    description: Option<String>,
    argument_hint: Option<String>,
    #[serde(default)]
    disable_model_invocation: bool,
    user_invocable: Option<bool>,
    allowed_tools: Option<ListField>,
}

/// Every skill of `sources`, by name; warnings name folders that could not be used.
pub fn load_skills(sources: &ExtensionSources) -> (Vec<Found<Skill>>, Vec<String>) {
    let mut found = Vec::new();
    let mut warnings = Vec::new();
    for (dir, project) in sources.dirs("skills") {
        let Ok(entries) = std::fs::read_dir(&dir) else { continue };
        let mut folders: Vec<PathBuf> = entries.flatten().map(|e| e.path()).collect();
        folders.sort();
        for folder in folders {
            let path = folder.join(SKILL_FILE);
            if !path.is_file() {
                continue;
            }
            match read_definition(&path).and_then(|text| parse(&folder, &text)) {
                Ok(item) => found.push(Found { item, path, project }),
                Err(error) => warnings.push(format!("skill {}: {error}", path.display())),
            }
        }
    }
    (merge_by_name(found, |s| s.name.as_str()), warnings)
}

fn parse(folder: &std::path::Path, text: &str) -> Result<Skill, String> {
    let (meta, body) = frontmatter::parse::<Meta>(text)?;
    let folder_name = folder.file_name().map(|n| n.to_string_lossy().into_owned());
    let name = meta.name.or(folder_name).unwrap_or_default().trim().to_owned();
    if name.is_empty() || name.contains(char::is_whitespace) || name.starts_with('/') {
        return Err(format!("`{name}` is not a usable skill name"));
    }
    let description = meta.description.map(|d| one_line(&d, MAX_DESCRIPTION_CHARS));
    let Some(description) = description.filter(|d| !d.is_empty()) else {
        return Err("a skill needs a description: it is how the model knows when to use it".into());
    };
    Ok(Skill {
        name,
        description,
        argument_hint: meta.argument_hint.unwrap_or_default(),
        body: body.trim().to_owned(),
        dir: folder.to_path_buf(),
        model_invocable: !meta.disable_model_invocation,
        user_invocable: meta.user_invocable.unwrap_or(true),
        allowed_tools: meta.allowed_tools.unwrap_or_default().0,
    })
}

impl Skill {
    /// What the model or the user gets when the skill is invoked: its instructions, where its
    /// files are, and the arguments it was given.
    pub fn render(&self, arguments: &str) -> String {
        let mut text = format!("<skill name=\"{}\">\n", self.name);
        let _ = writeln!(text, "Skill folder (its other files are here): {}\n", self.dir.display());
        text.push_str(&super::expand_arguments(&self.body, arguments));
        text.push_str("\n</skill>");
        text
    }
}

/// The listing the model sees: one line per skill it may load, cut to `budget` characters
/// (skills past the budget are named without their description, then dropped).
pub fn skill_listing(skills: &[Skill], budget: usize) -> Option<String> {
    let usable: Vec<&Skill> = skills.iter().filter(|s| s.model_invocable).collect();
    if usable.is_empty() {
        return None;
    }
    let mut text = String::from(
        "Skills you can load with the `skill` tool when a task matches one (its instructions \
         then arrive as the tool's result):\n",
    );
    let mut left_out = 0;
    for skill in usable {
        let full = format!("- {}: {}\n", skill.name, skill.description);
        let short = format!("- {}\n", skill.name);
        if text.len() + full.len() <= budget {
            text.push_str(&full);
        } else if text.len() + short.len() <= budget {
            text.push_str(&short);
        } else {
            left_out += 1;
        }
    }
    if left_out > 0 {
        let _ = writeln!(text, "({left_out} more; `skill` with an unknown name lists them all)");
    }
    Some(text)
}

#[cfg(test)]
mod tests {
    use super::*;
    use pretty_assertions::assert_eq;

    fn skill(name: &str, description: &str) -> Skill {
        Skill {
            name: name.into(),
            description: description.into(),
            argument_hint: String::new(),
            body: "do it with $ARGUMENTS".into(),
            dir: PathBuf::from("/skills").join(name),
            model_invocable: true,
            user_invocable: true,
            allowed_tools: Vec::new(),
        }
    }

    #[test]
    fn loads_skill_folders_and_reports_bad_ones() {
        let root = tempfile::tempdir().unwrap();
        let dir = root.path().join(".claude/skills");
        for (name, text) in [
            ("pdf", "---\nname: pdf-tools\ndescription: Fill and split PDF files\n---\nUse pdftk."),
            ("plain", "---\ndescription: No name given\n---\nBody."),
            ("nodesc", "---\nname: nodesc\n---\nBody."),
        ] {
            std::fs::create_dir_all(dir.join(name)).unwrap();
            std::fs::write(dir.join(name).join(SKILL_FILE), text).unwrap();
        }
        std::fs::create_dir_all(dir.join("not-a-skill")).unwrap();
        let sources = ExtensionSources { project_root: root.path().into(), ..Default::default() };
        let (skills, warnings) = load_skills(&sources);
        let names: Vec<_> = skills.iter().map(|s| s.item.name.as_str()).collect();
        assert_eq!(names, ["pdf-tools", "plain"]);
        assert_eq!(warnings.len(), 1);
        assert!(warnings[0].contains("needs a description"), "{warnings:?}");
        let rendered = skills[0].item.render("a.pdf");
        assert!(rendered.contains("Use pdftk.\n\nArguments: a.pdf"), "{rendered}");
    }

    #[test]
    fn listing_stays_within_its_budget() {
        let skills: Vec<Skill> =
            (0..50).map(|i| skill(&format!("skill-{i}"), &"long description ".repeat(5))).collect();
        let listing = skill_listing(&skills, 1_000).unwrap();
        assert!(listing.len() <= 1_000 + 80, "{}", listing.len());
        assert!(listing.contains("- skill-0: long"));
        assert!(listing.contains("more; `skill`"));
        let mut hidden = skill("secret", "x");
        hidden.model_invocable = false;
        assert_eq!(skill_listing(&[hidden], 1_000), None);
    }
}
