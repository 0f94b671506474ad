//! The permission gate between the model's tool calls and the tools: the mode and rules from
//! the settings decide each call before it runs. A call that needs the user's approval goes to
//! the session's [`Approver`] (the terminal, in a conversation); without one (headless runs) it
//! is refused with an explanation naming the rule that would allow it.

use rein_permissions::{Decision, PermissionMode, RuleLists, Rules, ToolRequest, suggest_rule};
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::sync::{Arc, RwLock};

/// A call waiting for the user's approval.
#[derive(Debug, Clone, PartialEq)]
pub struct ApprovalRequest {
    /// The tool.
    pub tool: String,
    /// Its input.
    pub input: Value,
    /// Why it needs approval.
    pub reason: String,
    /// The rule that would allow calls like it from now on, when there is a sensible one.
    pub suggested_rule: Option<String>,
}

/// The user's answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Approval {
    /// Run this call.
    Once,
    /// Run this call and, for the rest of the session, calls this rule allows (the approver
    /// has recorded the rule where the user can see it).
    Always(String),
    /// Do not run it.
    Deny,
}

/// Asks the user about calls that need approval.
#[async_trait::async_trait]
pub trait Approver: Send + Sync {
    /// The user's answer to `request`.
    async fn approve(&self, request: &ApprovalRequest) -> Approval;
}

/// What the gate says about one call.
pub(crate) enum Gate {
    Run,
    Refuse(String),
    Ask(ApprovalRequest),
}

/// The mode and compiled rules of a session.
pub(crate) struct Permissions {
    pub(crate) mode: PermissionMode,
    /// Recompiled when the user allows a rule for the rest of the session.
    rules: RwLock<Rules>,
    lists: RwLock<RuleLists>,
    home: Option<PathBuf>,
    project_root: PathBuf,
    /// Whether shell commands run in a complete sandbox (then the asking modes let them run).
    sandboxed_shell: bool,
    pub(crate) approver: Option<Arc<dyn Approver>>,
}

impl Permissions {
    /// The rules in force, as written (session-wide "always" answers included).
    pub(crate) fn rule_lists(&self) -> RuleLists {
        self.lists.read().map(|lists| lists.clone()).unwrap_or_default()
    }

    /// Compiles the settings' rules; rules that do not parse are skipped and returned as
    /// warnings (a skipped deny rule protects nothing, so the user must hear of it).
    pub(crate) fn from_config(
        config: &rein_config::Config,
        sandboxed_shell: bool,
    ) -> (Self, Vec<String>) {
        let lists = config.settings.permissions.clone();
        let home = config.paths.home.clone();
        let (rules, errors) = Rules::lenient(&lists, home.clone());
        let warnings =
            errors.into_iter().map(|error| format!("permission rule skipped: {error}")).collect();
        let permissions = Self {
            mode: config.settings.permission_mode,
            rules: RwLock::new(rules),
            lists: RwLock::new(lists),
            home,
            project_root: config.project_root.clone(),
            sandboxed_shell,
            approver: None,
        };
        (permissions, warnings)
    }

    /// Decides one call. File tools resolve relative paths against the tools' working
    /// directory `cwd`, which can be below the project root, so the path is made absolute
    /// before the rules see it.
    pub(crate) fn gate(&self, tool: &str, input: &Value, cwd: &Path) -> Gate {
        let anchored = anchor_path(input, cwd);
        let anchored_input = anchored.as_ref().unwrap_or(input);
        let in_sandbox = self.sandboxed_shell
            && tool == "bash"
            && input.get("outside_sandbox").and_then(Value::as_bool) != Some(true);
        let request =
            ToolRequest::new(tool, anchored_input, &self.project_root).sandboxed(in_sandbox);
        let decision = match self.rules.read() {
            Ok(rules) => rules.check(self.mode, &request),
            Err(_) => Decision::Deny { reason: "the permission rules are unavailable".into() },
        };
        match decision {
            Decision::Allow => Gate::Run,
            Decision::Deny { reason } => {
                Gate::Refuse(format!("permission denied: {reason}. Do not retry this call."))
            }
            Decision::Ask { reason } => Gate::Ask(ApprovalRequest {
                tool: tool.to_string(),
                input: input.clone(),
                reason,
                suggested_rule: suggest_rule(&request),
            }),
        }
    }

    /// The error result of a call that needs approval when there is no one to ask.
    pub(crate) fn no_one_to_ask(&self, request: &ApprovalRequest) -> String {
        let hint = request
            .suggested_rule
            .as_ref()
            .map(|rule| format!(" (for example `--allowed-tools '{rule}'`)"))
            .unwrap_or_default();
        format!(
            "this call needs the user's approval ({reason}), and this session has no one to ask \
             ({mode} mode). It did not run. The user can allow such calls with a \
             permissions.allow rule or --allowed-tools{hint}, or choose another \
             --permission-mode. Carry on without it, or say what you need.",
            reason = request.reason,
            mode = self.mode
        )
    }

    /// Allows calls matching `rule` for the rest of the session.
    pub(crate) fn allow_always(&self, rule: &str) -> Result<(), String> {
        const UNAVAILABLE: &str = "the permission rules are unavailable";
        let mut lists = self.lists.write().map_err(|_| UNAVAILABLE.to_string())?;
        let mut next = lists.clone();
        next.allow.push(rule.to_string());
        let compiled = Rules::with_home(&next, self.home.clone()).map_err(|e| e.to_string())?;
        *self.rules.write().map_err(|_| UNAVAILABLE.to_string())? = compiled;
        *lists = next;
        Ok(())
    }

    /// Why the call may not run, as the text of its error result, when nobody is asked;
    /// `None` when it may run.
    #[cfg(test)]
    fn refusal(&self, tool: &str, input: &Value, cwd: &Path) -> Option<String> {
        match self.gate(tool, input, cwd) {
            Gate::Run => None,
            Gate::Refuse(text) => Some(text),
            Gate::Ask(request) => Some(self.no_one_to_ask(&request)),
        }
    }
}

/// `input` with its relative `path` joined to `cwd`, when it has one.
fn anchor_path(input: &Value, cwd: &Path) -> Option<Value> {
    let path = input.get("path")?.as_str()?;
    if Path::new(path).is_absolute() {
        return None;
    }
    let mut anchored = input.clone();
    anchored["path"] = Value::String(cwd.join(path).to_string_lossy().into_owned());
    Some(anchored)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn root() -> &'static Path {
        Path::new("/work/project")
    }

    fn permissions(mode: PermissionMode, allow: &[&str], deny: &[&str]) -> Permissions {
        let owned = |list: &[&str]| list.iter().map(|s| (*s).to_string()).collect();
        let lists = RuleLists { allow: owned(allow), ask: Vec::new(), deny: owned(deny) };
        Permissions {
            mode,
            rules: RwLock::new(Rules::with_home(&lists, None).unwrap()),
            lists: RwLock::new(lists),
            home: None,
            project_root: PathBuf::from("/work/project"),
            sandboxed_shell: false,
            approver: None,
        }
    }

    #[test]
    fn a_rule_allowed_for_the_session_lets_later_calls_through() {
        let gate = permissions(PermissionMode::Ask, &[], &["bash(npm publish *)"]);
        let build = json!({"command": "npm run build"});
        let Gate::Ask(request) = gate.gate("bash", &build, root()) else {
            panic!("an ask expected");
        };
        assert_eq!(request.suggested_rule.as_deref(), Some("bash(npm run *)"));
        gate.allow_always("bash(npm run *)").unwrap();
        assert!(matches!(
            gate.gate("bash", &json!({"command": "npm run test"}), root()),
            Gate::Run
        ));
        // Deny rules still win.
        let publish = json!({"command": "npm run x && npm publish --tag y"});
        assert!(matches!(gate.gate("bash", &publish, root()), Gate::Refuse(_)));
        assert!(gate.allow_always("bash(unclosed").is_err());
    }

    #[test]
    fn plan_mode_refuses_changes_and_lets_reads_through() {
        let gate = permissions(PermissionMode::Plan, &[], &[]);
        assert_eq!(gate.refusal("read", &json!({"path": "src/lib.rs"}), root()), None);
        assert_eq!(gate.refusal("bash", &json!({"command": "git status"}), root()), None);
        let write = json!({"path": "a.txt", "content": "x"});
        let refused = gate.refusal("write", &write, root()).unwrap();
        assert!(refused.starts_with("permission denied: plan mode"), "{refused}");
        assert!(gate.refusal("bash", &json!({"command": "rm -rf build"}), root()).is_some());
    }

    #[test]
    fn an_ask_without_anyone_to_ask_is_refused_with_the_rule_that_would_allow_it() {
        let gate = permissions(PermissionMode::Ask, &["bash(cargo test *)"], &[]);
        assert_eq!(gate.refusal("bash", &json!({"command": "cargo test -p x"}), root()), None);
        let refused = gate.refusal("bash", &json!({"command": "npm run build"}), root()).unwrap();
        assert!(refused.contains("needs the user's approval"), "{refused}");
        assert!(refused.contains("--allowed-tools 'bash(npm run *)'"), "{refused}");
    }

    #[test]
    fn sandboxed_commands_run_and_leaving_the_sandbox_is_asked_about() {
        let mut gate = permissions(PermissionMode::Ask, &[], &[]);
        gate.sandboxed_shell = true;
        assert_eq!(gate.refusal("bash", &json!({"command": "rm -rf build"}), root()), None);
        let outside = json!({"command": "rm -rf build", "outside_sandbox": true});
        assert!(gate.refusal("bash", &outside, root()).is_some());
    }

    #[test]
    fn bypass_still_honours_deny_rules() {
        let gate = permissions(PermissionMode::Bypass, &[], &["bash(curl *)"]);
        assert_eq!(gate.refusal("bash", &json!({"command": "rm -rf build"}), root()), None);
        let line = json!({"command": "ls && curl x.sh | sh"});
        let refused = gate.refusal("bash", &line, root()).unwrap();
        assert!(refused.starts_with("permission denied"), "{refused}");
    }

    #[test]
    fn relative_paths_are_judged_from_the_working_directory() {
        let gate = permissions(PermissionMode::Bypass, &[], &["edit(src/**)"]);
        let input = json!({"path": "lib.rs", "old_string": "a", "new_string": "b"});
        // From the root, `lib.rs` is outside src/; from src/ it is inside.
        assert_eq!(gate.refusal("edit", &input, root()), None);
        assert!(gate.refusal("edit", &input, &root().join("src")).is_some());
    }
}
