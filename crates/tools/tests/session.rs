//! todo and ask_user: session state and the user prompter.

mod common;

use common::Ws;
use pretty_assertions::assert_eq;
use rein_tools::{TodoItem, TodoStatus, UserPrompter};
use serde_json::json;
use std::sync::{Arc, Mutex};

#[tokio::test]
async fn todo_replaces_the_list_and_renders_it() {
    let ws = Ws::new();
    let out = ws
        .call(
            "todo",
            json!({"todos": [
                {"content": "parse input", "status": "completed"},
                {"content": "write tests", "status": "in_progress"},
                {"content": "document", "status": "pending"}
            ]}),
        )
        .await;
    assert!(!out.is_error);
    assert_eq!(
        out.content,
        "Todo list updated (1/3 completed):\n[x] parse input\n[~] write tests\n[ ] document"
    );
    assert_eq!(
        ws.ctx.todos()[1],
        TodoItem { content: "write tests".into(), status: TodoStatus::InProgress }
    );
    // Clones share the list.
    let clone = ws.ctx.clone();
    common::call(&clone, "todo", json!({"todos": []})).await;
    assert!(ws.ctx.todos().is_empty());
    let out = ws.call("todo", json!({"todos": [{"content": " ", "status": "pending"}]})).await;
    assert!(out.is_error);
}

struct Scripted {
    answer: Option<String>,
    asked: Mutex<Vec<(String, Vec<String>)>>,
}

#[allow(clippy::unwrap_used)]
#[async_trait::async_trait]
impl UserPrompter for Scripted {
    async fn ask(&self, question: &str, options: &[String]) -> Option<String> {
        self.asked.lock().unwrap().push((question.to_owned(), options.to_vec()));
        self.answer.clone()
    }
}

#[tokio::test]
async fn ask_user_without_a_user_proceeds_on_assumptions() {
    let ws = Ws::new();
    let out = ws.call("ask_user", json!({"question": "Which DB?"})).await;
    assert!(!out.is_error);
    assert!(out.content.contains("No user is available"), "{}", out.content);

    let nobody = Arc::new(Scripted { answer: None, asked: Mutex::new(Vec::new()) });
    let ctx = ws.ctx.clone().with_user_prompter(nobody.clone());
    let out = common::call(&ctx, "ask_user", json!({"question": "Which DB?"})).await;
    assert!(!out.is_error && out.content.contains("most reasonable assumption"));
    assert_eq!(nobody.asked.lock().unwrap().len(), 1);
}

#[tokio::test]
async fn ask_user_relays_the_answer() {
    let ws = Ws::new();
    let user =
        Arc::new(Scripted { answer: Some("Postgres".into()), asked: Mutex::new(Vec::new()) });
    let ctx = ws.ctx.clone().with_user_prompter(user.clone());
    let out = common::call(
        &ctx,
        "ask_user",
        json!({"question": "Which DB?", "options": ["Postgres", "SQLite"]}),
    )
    .await;
    assert_eq!(out.content, "The user answered: Postgres");
    assert_eq!(
        user.asked.lock().unwrap()[0],
        ("Which DB?".to_owned(), vec!["Postgres".to_owned(), "SQLite".to_owned()])
    );
}
