//! The `ask_user` tool.

use crate::context::ToolContext;
use crate::tool::{ToolOutput, TypedTool};
use schemars::JsonSchema;
use serde::Deserialize;

/// Asks the user a question. Marked read-only: it touches nothing, and plan mode must allow it.
#[derive(Debug, Clone, Copy, Default)]
pub struct AskUserTool;

/// Arguments of `ask_user`.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct AskUserArgs {
    /// The question, self-contained.
    question: String,
    /// Suggested answers, best first; the user may still answer freely.
    options: Option<Vec<String>>,
}

#[async_trait::async_trait]
impl TypedTool for AskUserTool {
    type Args = AskUserArgs;
    const NAME: &'static str = "ask_user";
    const DESCRIPTION: &'static str = "Ask the user a question when a decision really needs \
        them (ambiguous requirements, a choice between approaches with real trade-offs). Offer \
        options when you can. Not for permission to use tools.";
    const READ_ONLY: bool = true;

    async fn call(&self, args: AskUserArgs, ctx: &ToolContext) -> ToolOutput {
        if args.question.trim().is_empty() {
            return ToolOutput::error("question is empty");
        }
        let options = args.options.unwrap_or_default();
        let answer = match ctx.prompter() {
            Some(prompter) => prompter.ask(&args.question, &options).await,
            None => None,
        };
        match answer {
            Some(answer) => ToolOutput::ok(format!("The user answered: {answer}")),
            None => ToolOutput::ok(
                "No user is available to answer in this non-interactive run. Proceed on the \
                 most reasonable assumption and state that assumption in your final answer.",
            ),
        }
    }
}
