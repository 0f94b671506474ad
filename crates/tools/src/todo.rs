//! The `todo` tool: the model's task list for the session.

use crate::context::ToolContext;
use crate::tool::{ToolOutput, TypedTool};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// Replaces the session's todo list. Marked read-only: it changes session state shown in the
/// UI but touches no files, so it may run alongside reads (and in plan mode).
#[derive(Debug, Clone, Copy, Default)]
pub struct TodoTool;

/// One task of the todo list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct TodoItem {
    /// What to do, imperative and short.
    pub content: String,
    /// Progress.
    pub status: TodoStatus,
}

/// Progress of a task.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum TodoStatus {
    // Not started.
    Pending,
    // Being worked on now.
    InProgress,
    // Done.
    Completed,
}

/// Arguments of `todo`.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct TodoArgs {
    /// The complete new list (replaces the previous one).
    todos: Vec<TodoItem>,
}

#[async_trait::async_trait]
impl TypedTool for TodoTool {
    type Args = TodoArgs;
    const NAME: &'static str = "todo";
    const DESCRIPTION: &'static str = "Replace your task list for this session (send the whole \
        list each time). Use it for work with several steps: keep exactly one task \
        in_progress, mark tasks completed as soon as they are done.";
    const READ_ONLY: bool = true;

    async fn call(&self, args: TodoArgs, ctx: &ToolContext) -> ToolOutput {
        if let Some(i) = args.todos.iter().position(|t| t.content.trim().is_empty()) {
            return ToolOutput::error(format!("todo {} has empty content", i + 1));
        }
        let rendered = render(&args.todos);
        ctx.set_todos(args.todos);
        ToolOutput::ok(rendered)
    }
}

/// The list as shown to the model: a summary line, then one line per task.
pub(crate) fn render(todos: &[TodoItem]) -> String {
    if todos.is_empty() {
        return "Todo list cleared.".into();
    }
    let done = todos.iter().filter(|t| t.status == TodoStatus::Completed).count();
    let mut out = format!("Todo list updated ({done}/{} completed):", todos.len());
    for todo in todos {
        let mark = match todo.status {
            TodoStatus::Pending => "[ ]",
            TodoStatus::InProgress => "[~]",
            TodoStatus::Completed => "[x]",
        };
        out.push('\n');
        out.push_str(mark);
        out.push(' ');
        out.push_str(todo.content.trim());
    }
    out
}
