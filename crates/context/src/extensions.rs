//! What users add to rein as Markdown files: custom slash commands, skills and subagent
//! definitions. Each kind lives in a folder of the user's config and of the project, in rein's
//! own place (`.rein/<kind>/`) and where Claude Code keeps it (`.claude/<kind>/`), so existing
//! definitions work unchanged.

mod agents;
mod commands;
mod frontmatter;
mod skills;
mod sources;

pub use agents::{AgentDefinition, load_agents};
pub use commands::{CustomCommand, expand_arguments, load_commands, split_words};
pub use frontmatter::{ListField, split_frontmatter};
pub use skills::{SKILL_FILE, Skill, load_skills, skill_listing};
pub use sources::{ExtensionSources, Found};
