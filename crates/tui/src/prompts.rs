//! What the interface can ask the user while a session runs or before it starts: approve a
//! tool call, answer the model's question, pick a session to resume.

use serde_json::Value;

/// A tool call waiting for approval, as the interface shows it.
#[derive(Debug, Clone, PartialEq)]
pub struct ApprovalPrompt {
    /// The tool.
    pub tool: String,
    /// Its input.
    pub input: Value,
    /// Why it asks.
    pub reason: String,
    /// The rule "always" would add, if there is a sensible one.
    pub rule: Option<String>,
    /// The settings file that rule would be added to, as shown to the user.
    pub settings_file: String,
}

/// The user's answer to an approval prompt.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ApprovalAnswer {
    /// Run this call.
    Once,
    /// Run it and add the rule to the project's settings.
    Always,
    /// Do not run it.
    Deny,
}

/// A question from the model (`ask_user`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QuestionPrompt {
    /// The question.
    pub question: String,
    /// Suggested answers, best first.
    pub options: Vec<String>,
}

/// A session the resume picker offers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SessionRow {
    /// Session id.
    pub id: String,
    /// Its title (the first prompt, shortened).
    pub title: String,
    /// When it was last used, as shown.
    pub updated: String,
    /// Model turns it took.
    pub turns: u64,
}

/// The choices of an approval prompt, in the order shown.
pub(crate) fn approval_choices(prompt: &ApprovalPrompt) -> Vec<(ApprovalAnswer, String)> {
    let mut choices = vec![(ApprovalAnswer::Once, "Yes, this once".to_string())];
    if let Some(rule) = &prompt.rule {
        let text = format!("Yes, always: add `{rule}` to {}", prompt.settings_file);
        choices.push((ApprovalAnswer::Always, text));
    }
    choices.push((ApprovalAnswer::Deny, "No (esc)".to_string()));
    choices
}

/// The rows of `rows` whose title or id contains every word of `filter`.
pub(crate) fn filter_sessions<'a>(rows: &'a [SessionRow], filter: &str) -> Vec<&'a SessionRow> {
    let words: Vec<String> = filter.split_whitespace().map(str::to_lowercase).collect();
    rows.iter()
        .filter(|row| {
            let haystack = format!("{} {}", row.title.to_lowercase(), row.id);
            words.iter().all(|word| haystack.contains(word.as_str()))
        })
        .collect()
}
