//! The user's extensions a session factory loads once: subagent definitions, skills and custom
//! slash commands, and what a slash command typed as a prompt stands for.

use rein_config::Config;
use rein_context::extensions::{
    AgentDefinition, CustomCommand, ExtensionSources, Skill, load_agents, load_commands,
    load_skills,
};

/// Subagent definitions, skills and custom commands.
#[derive(Debug, Default)]
pub(crate) struct Extensions {
    pub(crate) agents: Vec<AgentDefinition>,
    pub(crate) skills: Vec<Skill>,
    pub(crate) commands: Vec<CustomCommand>,
    /// Files that could not be used, for the user.
    pub(crate) warnings: Vec<String>,
}

/// A slash command as listed for completion and `/help`: (name, arguments, description).
pub(crate) type Listed = (String, String, String);

impl Extensions {
    /// Reads every extension folder of the user and the project.
    pub(crate) fn load(config: &Config) -> Self {
        let sources = ExtensionSources {
            home: config.paths.home.clone(),
            config_dir: Some(config.paths.config_dir.clone()),
            project_root: config.project_root.clone(),
        };
        let (agents, mut warnings) = load_agents(&sources);
        let (skills, skill_warnings) = load_skills(&sources);
        let (commands, command_warnings) = load_commands(&sources);
        warnings.extend(skill_warnings);
        warnings.extend(command_warnings);
        Self {
            agents: agents.into_iter().map(|found| found.item).collect(),
            skills: skills.into_iter().map(|found| found.item).collect(),
            commands: commands.into_iter().map(|found| found.item).collect(),
            warnings,
        }
    }

    /// The prompt `/name arguments` stands for: a custom command's text, or a skill's
    /// instructions; `None` when neither has that name.
    pub(crate) fn expand(&self, name: &str, arguments: &str) -> Option<String> {
        if let Some(command) = self.commands.iter().find(|c| c.name == name) {
            return Some(command.expand(arguments));
        }
        let skill = self.skills.iter().find(|s| s.name == name && s.user_invocable)?;
        Some(skill.render(arguments))
    }

    /// The slash commands to offer: custom commands, then skills the user may invoke.
    pub(crate) fn listed(&self) -> Vec<Listed> {
        let commands = self
            .commands
            .iter()
            .map(|c| (c.name.clone(), c.argument_hint.clone(), c.description.clone()));
        let skills = self
            .skills
            .iter()
            .filter(|s| s.user_invocable && !self.commands.iter().any(|c| c.name == s.name))
            .map(|s| {
                (s.name.clone(), s.argument_hint.clone(), format!("skill: {}", s.description))
            });
        commands.chain(skills).collect()
    }
}

/// Splits a prompt of the form `/name arguments`; `None` for anything else (including paths
/// such as `/usr/bin/env is missing`).
pub(crate) fn slash_prompt(prompt: &str) -> Option<(&str, &str)> {
    let rest = prompt.trim_start().strip_prefix('/')?;
    let (name, arguments) = rest.split_once(char::is_whitespace).unwrap_or((rest, ""));
    let plain = !name.is_empty()
        && name.chars().all(|c| c.is_alphanumeric() || matches!(c, '-' | '_' | ':' | '.'));
    plain.then_some((name, arguments.trim()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slash_prompts_are_told_from_paths() {
        assert_eq!(slash_prompt("/review a.rs b.rs"), Some(("review", "a.rs b.rs")));
        assert_eq!(slash_prompt("  /git:commit"), Some(("git:commit", "")));
        assert_eq!(slash_prompt("/usr/bin/env is missing"), None);
        assert_eq!(slash_prompt("fix /review"), None);
        assert_eq!(slash_prompt("/"), None);
    }
}
