//! Skills in a session: their names and descriptions open the conversation, and the `skill`
//! tool hands the model a skill's instructions when a task calls for it.

use async_trait::async_trait;
use rein_context::extensions::{Skill, skill_listing};
use rein_tools::{Tool, ToolContext, ToolOutput};
use schemars::JsonSchema;
use serde::Deserialize;
use serde_json::Value;

/// The tool's name.
pub const SKILL_TOOL: &str = "skill";

/// Most characters the skill listing takes in the opening message.
const LISTING_BUDGET: usize = 6_000;

#[derive(Debug, Deserialize, JsonSchema)]
struct SkillArgs {
    /// The skill's name, as listed.
    name: String,
    /// What to apply it to, if the skill takes anything.
    #[serde(default)]
    arguments: Option<String>,
}

/// Loads a skill's instructions on the model's request.
pub(crate) struct SkillTool {
    skills: Vec<Skill>,
}

impl SkillTool {
    /// The tool for the skills the model may load; `None` when there are none.
    pub(crate) fn new(skills: &[Skill]) -> Option<Self> {
        let skills: Vec<Skill> = skills.iter().filter(|s| s.model_invocable).cloned().collect();
        (!skills.is_empty()).then_some(Self { skills })
    }
}

/// The listing that opens a conversation, when there are skills the model may load.
pub(crate) fn listing(skills: &[Skill]) -> Option<String> {
    skill_listing(skills, LISTING_BUDGET).map(|text| format!("<skills>\n{text}</skills>"))
}

#[async_trait]
impl Tool for SkillTool {
    fn name(&self) -> &str {
        SKILL_TOOL
    }

    fn description(&self) -> &str {
        "Loads the instructions of a skill listed at the start of the conversation. Call it \
         as soon as a task matches a skill's description, before doing the work, and then \
         follow what it says."
    }

    fn input_schema(&self) -> Value {
        rein_tools::schema_for::<SkillArgs>()
    }

    fn is_read_only(&self, _input: &Value) -> bool {
        true
    }

    async fn run(&self, input: Value, _ctx: &ToolContext) -> ToolOutput {
        let args = match rein_tools::parse_args::<SkillArgs>(SKILL_TOOL, input) {
            Ok(args) => args,
            Err(message) => return ToolOutput::error(message),
        };
        let name = args.name.trim().trim_start_matches('/');
        match self.skills.iter().find(|skill| skill.name == name) {
            Some(skill) => ToolOutput::ok(skill.render(args.arguments.as_deref().unwrap_or(""))),
            None => {
                let names: Vec<&str> = self.skills.iter().map(|s| s.name.as_str()).collect();
                ToolOutput::error(format!(
                    "there is no skill `{name}`; the skills are: {}",
                    names.join(", ")
                ))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn skill(name: &str, model_invocable: bool) -> Skill {
        Skill {
            name: name.into(),
            description: format!("about {name}"),
            argument_hint: String::new(),
            body: "Steps for $ARGUMENTS.".into(),
            dir: std::path::PathBuf::from("/s").join(name),
            model_invocable,
            user_invocable: true,
            allowed_tools: Vec::new(),
        }
    }

    #[tokio::test]
    async fn loads_a_listed_skill_and_names_the_others_on_a_miss() {
        let tool = SkillTool::new(&[skill("pdf", true), skill("secret", false)]).unwrap();
        let ctx = ToolContext::new(std::env::temp_dir());
        let out = tool.run(serde_json::json!({"name": "pdf", "arguments": "a.pdf"}), &ctx).await;
        assert!(!out.is_error);
        assert!(out.content.contains("Steps for a.pdf."), "{}", out.content);
        let miss = tool.run(serde_json::json!({"name": "secret"}), &ctx).await;
        assert!(miss.is_error);
        assert!(miss.content.contains("the skills are: pdf"), "{}", miss.content);
        assert!(SkillTool::new(&[skill("secret", false)]).is_none());
        assert!(listing(&[skill("pdf", true)]).unwrap().contains("- pdf: about pdf"));
    }
}
