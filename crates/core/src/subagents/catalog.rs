//! The subagent types a session offers: four built in, plus the user's definitions (which may
//! replace a built-in one of the same name).

use rein_context::extensions::AgentDefinition;

/// Tools a read-only subagent gets: it looks, it does not touch.
const READ_ONLY_TOOLS: &[&str] =
    &["read", "grep", "glob", "list", "bash", "bash_output", "web_fetch"];

const GENERAL_PROMPT: &str = "\
You take on one self-contained task for the agent that started you, which is busy with the \
larger job. Do the task completely with the tools you have: search, read, edit and run \
commands as the task needs. You cannot ask anyone questions; where the task is unclear, make \
the most sensible choice and say which one you made.";

const EXPLORE_PROMPT: &str = "\
You explore a codebase to answer a question for the agent that started you. Search widely \
first (glob, grep), then read what matters. You change nothing: no edits, no commands that \
write. Answer with the facts found: file paths with line numbers, the names of the functions \
and types involved, and how the pieces connect. Say plainly what you could not find.";

const PLAN_PROMPT: &str = "\
You design how to carry out a change, for the agent that started you. Read the code the change \
touches and the conventions around it; change nothing. Answer with a plan: the files to change \
and what changes in each, in order, the risks and open questions, and how to test the result.";

const VERIFY_PROMPT: &str = "\
You check whether a piece of work is really done, for the agent that started you. Read the \
change, run the project's tests, build and linters that apply, and try the behaviour the task \
asked for. Do not fix anything. Answer with a verdict first (PASS, FAIL or PARTIAL), then the \
evidence: the commands you ran with their outcome, and each problem with its file and line.";

/// The built-in types.
fn builtin() -> Vec<AgentDefinition> {
    let read_only = Some(READ_ONLY_TOOLS.iter().map(|t| (*t).to_owned()).collect::<Vec<_>>());
    vec![
        AgentDefinition {
            name: "general".into(),
            description: "Any multi-step task: research, code changes, running commands. Gets \
                          every tool the main session has."
                .into(),
            prompt: GENERAL_PROMPT.into(),
            ..AgentDefinition::default()
        },
        AgentDefinition {
            name: "explore".into(),
            description: "Read-only search of the codebase: finds files, definitions and how \
                          things connect, and reports back with paths and line numbers."
                .into(),
            tools: read_only.clone(),
            permission_mode: Some("plan".into()),
            prompt: EXPLORE_PROMPT.into(),
            ..AgentDefinition::default()
        },
        AgentDefinition {
            name: "plan".into(),
            description: "Read-only design of a change: which files change and how, risks, \
                          and how to test it."
                .into(),
            tools: read_only,
            permission_mode: Some("plan".into()),
            prompt: PLAN_PROMPT.into(),
            ..AgentDefinition::default()
        },
        AgentDefinition {
            name: "verify".into(),
            description: "Checks finished work: runs tests, builds and linters and reports \
                          PASS/FAIL with evidence. Changes no files."
                .into(),
            tools: Some(
                ["read", "grep", "glob", "list", "bash", "bash_output", "bash_kill"]
                    .iter()
                    .map(|t| (*t).to_owned())
                    .collect(),
            ),
            prompt: VERIFY_PROMPT.into(),
            ..AgentDefinition::default()
        },
    ]
}

/// The subagent types offered, sorted by name.
#[derive(Debug, Clone)]
pub struct AgentCatalog {
    agents: Vec<AgentDefinition>,
}

impl AgentCatalog {
    /// The built-in types with `custom` added (a custom type replaces a built-in one of the
    /// same name).
    pub fn new(custom: Vec<AgentDefinition>) -> Self {
        let mut agents = builtin();
        for agent in custom {
            match agents.iter_mut().find(|existing| existing.name == agent.name) {
                Some(existing) => *existing = agent,
                None => agents.push(agent),
            }
        }
        agents.sort_by(|a, b| a.name.cmp(&b.name));
        Self { agents }
    }

    /// The type called `name` (Claude Code's spellings of the built-in ones too).
    pub fn get(&self, name: &str) -> Option<&AgentDefinition> {
        let name = match name.trim() {
            "general-purpose" | "" => "general",
            "Explore" => "explore",
            "Plan" => "plan",
            other => other,
        };
        self.agents.iter().find(|agent| agent.name == name)
    }

    /// Every type.
    pub fn all(&self) -> &[AgentDefinition] {
        &self.agents
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn custom_types_join_and_replace_built_in_ones() {
        let custom = |name: &str| AgentDefinition {
            name: name.into(),
            description: format!("custom {name}"),
            ..AgentDefinition::default()
        };
        let catalog = AgentCatalog::new(vec![custom("reviewer"), custom("explore")]);
        let names: Vec<_> = catalog.all().iter().map(|a| a.name.as_str()).collect();
        assert_eq!(names, ["explore", "general", "plan", "reviewer", "verify"]);
        assert_eq!(catalog.get("Explore").unwrap().description, "custom explore");
        assert_eq!(catalog.get("general-purpose").unwrap().name, "general");
        assert!(catalog.get("nobody").is_none());
    }
}
