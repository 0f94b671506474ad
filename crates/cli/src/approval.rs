//! Asking on the terminal about tool calls that need the user's approval: yes once, always
//! (the suggested rule is added to the project's settings, where the user can read and remove
//! it), or no.

use rein_core::{Approval, ApprovalRequest, Approver};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use tokio::io::{AsyncBufRead, Lines};
use tokio::sync::Mutex;

/// Characters of a call's input shown in the question.
const SHOWN_INPUT_CHARS: usize = 300;

/// Reads answers from the same lines the conversation reads its prompts from.
pub(crate) struct TerminalApprover<R> {
    input: Arc<Mutex<Lines<R>>>,
    project_settings: PathBuf,
}

impl<R> TerminalApprover<R> {
    pub(crate) fn new(input: Arc<Mutex<Lines<R>>>, project_settings: PathBuf) -> Self {
        Self { input, project_settings }
    }
}

#[derive(Debug, PartialEq, Eq)]
enum Answer {
    Yes,
    Always,
    No,
}

#[async_trait::async_trait]
impl<R: AsyncBufRead + Unpin + Send> Approver for TerminalApprover<R> {
    async fn approve(&self, request: &ApprovalRequest) -> Approval {
        let mut input = self.input.lock().await;
        say(&question(request, &self.project_settings));
        loop {
            // End of input or a read error: nobody is there to say yes.
            let Ok(Some(line)) = input.next_line().await else { return Approval::Deny };
            match parse_answer(&line, request.suggested_rule.is_some()) {
                Some(Answer::Yes) => return Approval::Once,
                Some(Answer::No) => return Approval::Deny,
                Some(Answer::Always) => {
                    let Some(rule) = request.suggested_rule.clone() else { continue };
                    match add_allow_rule(&self.project_settings, &rule) {
                        Ok(()) => say(&format!(
                            "added `{rule}` to [permissions] allow in {}\n",
                            self.project_settings.display()
                        )),
                        Err(error) => say(&format!(
                            "could not write {}: {error}; `{rule}` is allowed for this session \
                             only\n",
                            self.project_settings.display()
                        )),
                    }
                    return Approval::Always(rule);
                }
                None => say("answer y (yes, once), a (always) or n (no): "),
            }
        }
    }
}

fn question(request: &ApprovalRequest, settings: &Path) -> String {
    let what = match (request.input.get("command"), request.input.get("path")) {
        (Some(command), _) => command.as_str().unwrap_or_default().to_string(),
        (None, Some(path)) => path.as_str().unwrap_or_default().to_string(),
        _ => request.input.to_string(),
    };
    let what: String = what.chars().take(SHOWN_INPUT_CHARS).collect();
    let always = match &request.suggested_rule {
        Some(rule) => format!("  [a] always: add `{rule}` to {}\n", settings.display()),
        None => String::new(),
    };
    format!(
        "\nrein wants to use {tool}: {what}\n  why it asks: {reason}\n  [y] yes, this once\n\
         {always}  [n] no\n? ",
        tool = request.tool,
        reason = request.reason,
    )
}

fn parse_answer(line: &str, can_always: bool) -> Option<Answer> {
    match line.trim().to_ascii_lowercase().as_str() {
        "y" | "yes" => Some(Answer::Yes),
        "a" | "always" if can_always => Some(Answer::Always),
        "n" | "no" => Some(Answer::No),
        _ => None,
    }
}

/// Appends `rule` to `[permissions] allow` in the settings file at `path`, keeping the rest of
/// the file (comments, order) as it was.
pub(crate) fn add_allow_rule(path: &Path, rule: &str) -> anyhow::Result<()> {
    let text = match std::fs::read_to_string(path) {
        Ok(text) => text,
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => String::new(),
        Err(error) => return Err(error.into()),
    };
    let mut document: toml_edit::DocumentMut = text.parse()?;
    let permissions = document
        .entry("permissions")
        .or_insert_with(|| toml_edit::Item::Table(toml_edit::Table::new()))
        .as_table_like_mut()
        .ok_or_else(|| anyhow::anyhow!("`permissions` is not a table"))?;
    let allow = permissions
        .entry("allow")
        .or_insert(toml_edit::value(toml_edit::Array::new()))
        .as_array_mut()
        .ok_or_else(|| anyhow::anyhow!("`permissions.allow` is not a list"))?;
    if !allow.iter().any(|item| item.as_str() == Some(rule)) {
        allow.push(rule);
    }
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)?;
    }
    std::fs::write(path, document.to_string())?;
    Ok(())
}

fn say(text: &str) {
    let mut stderr = std::io::stderr().lock();
    let _ = stderr.write_all(text.as_bytes());
    let _ = stderr.flush();
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;
    use tokio::io::{AsyncBufReadExt, BufReader};

    fn request(rule: Option<&str>) -> ApprovalRequest {
        ApprovalRequest {
            tool: "bash".into(),
            input: json!({"command": "npm run build"}),
            reason: "`npm run build` is not allowed by any rule".into(),
            suggested_rule: rule.map(str::to_string),
        }
    }

    fn approver(
        answers: &'static str,
        settings: PathBuf,
    ) -> TerminalApprover<BufReader<&'static [u8]>> {
        let lines = BufReader::new(answers.as_bytes()).lines();
        TerminalApprover::new(Arc::new(Mutex::new(lines)), settings)
    }

    #[tokio::test]
    async fn answers_yes_no_and_end_of_input() {
        let dir = tempfile::tempdir().unwrap();
        let settings = dir.path().join(".rein/config.toml");
        assert_eq!(approver("y\n", settings.clone()).approve(&request(None)).await, Approval::Once);
        assert_eq!(
            approver("no\n", settings.clone()).approve(&request(None)).await,
            Approval::Deny
        );
        // Unclear answers are asked again; `a` without a rule to add is unclear too.
        let asked_twice = approver("maybe\na\nyes\n", settings.clone());
        assert_eq!(asked_twice.approve(&request(None)).await, Approval::Once);
        assert_eq!(approver("", settings.clone()).approve(&request(None)).await, Approval::Deny);
        assert!(!settings.exists());
    }

    #[tokio::test]
    async fn always_adds_the_rule_to_the_project_settings_keeping_the_file() {
        let dir = tempfile::tempdir().unwrap();
        let settings = dir.path().join(".rein/config.toml");
        std::fs::create_dir_all(settings.parent().unwrap()).unwrap();
        std::fs::write(&settings, "# my settings\nmax_turns = 60\n").unwrap();
        let rule = "bash(npm run *)";
        let answer = approver("a\n", settings.clone()).approve(&request(Some(rule))).await;
        assert_eq!(answer, Approval::Always(rule.into()));
        // Twice: the rule is not repeated.
        approver("always\n", settings.clone()).approve(&request(Some(rule))).await;
        let text = std::fs::read_to_string(&settings).unwrap();
        assert!(text.starts_with("# my settings\nmax_turns = 60\n"), "{text}");
        let parsed: toml_edit::DocumentMut = text.parse().unwrap();
        let allow = parsed["permissions"]["allow"].as_array().unwrap();
        assert_eq!(allow.len(), 1, "{text}");
        assert_eq!(allow.get(0).and_then(|v| v.as_str()), Some(rule));
    }

    #[test]
    fn a_settings_file_with_the_wrong_shape_is_not_overwritten() {
        let dir = tempfile::tempdir().unwrap();
        let settings = dir.path().join("config.toml");
        std::fs::write(&settings, "permissions = 3\n").unwrap();
        assert!(add_allow_rule(&settings, "bash(ls *)").is_err());
        assert_eq!(std::fs::read_to_string(&settings).unwrap(), "permissions = 3\n");
    }

    #[test]
    fn the_question_names_the_call_the_reason_and_the_rule() {
        let text = question(&request(Some("bash(npm run *)")), Path::new(".rein/config.toml"));
        assert!(text.contains("rein wants to use bash: npm run build"), "{text}");
        assert!(text.contains("why it asks: `npm run build` is not allowed"), "{text}");
        assert!(text.contains("[a] always: add `bash(npm run *)` to .rein/config.toml"), "{text}");
    }
}
