//! The permission gate between the model's tool calls and the tools: the mode and rules from
//! the settings decide each call before it runs. A call that needs the user's approval is
//! refused with an explanation when nobody can be asked (headless runs), naming the rule that
//! would allow it.

use rein_permissions::{Decision, PermissionMode, Rules, ToolRequest, suggest_rule};
use serde_json::Value;
use std::path::{Path, PathBuf};

/// The mode and compiled rules of a session.
#[derive(Debug)]
pub(crate) struct Permissions {
    pub(crate) mode: PermissionMode,
    rules: Rules,
    project_root: PathBuf,
}

impl Permissions {
    /// Compiles the settings' rules; rules that do not parse are skipped and returned as
    /// warnings (a skipped deny rule protects nothing, so the user must hear of it).
    pub(crate) fn from_config(config: &rein_config::Config) -> (Self, Vec<String>) {
        let (rules, errors) =
            Rules::lenient(&config.settings.permissions, config.paths.home.clone());
        let warnings =
            errors.into_iter().map(|error| format!("permission rule skipped: {error}")).collect();
        let permissions = Self {
            mode: config.settings.permission_mode,
            rules,
            project_root: config.project_root.clone(),
        };
        (permissions, warnings)
    }

    /// Why the call may not run, as the text of its error result; `None` when it may. File
    /// tools resolve relative paths against the tools' working directory `cwd`, which can be
    /// below the project root, so the path is made absolute before the rules see it.
    pub(crate) fn refusal(&self, tool: &str, input: &Value, cwd: &Path) -> Option<String> {
        let anchored = anchor_path(input, cwd);
        let input = anchored.as_ref().unwrap_or(input);
        let request = ToolRequest::new(tool, input, &self.project_root);
        match self.rules.check(self.mode, &request) {
            Decision::Allow => None,
            Decision::Deny { reason } => {
                Some(format!("permission denied: {reason}. Do not retry this call."))
            }
            Decision::Ask { reason } => {
                let hint = suggest_rule(&request)
                    .map(|rule| format!(" (for example `--allowed-tools '{rule}'`)"))
                    .unwrap_or_default();
                Some(format!(
                    "this call needs the user's approval ({reason}), and this session has no \
                     one to ask ({mode} mode). It did not run. The user can allow such calls \
                     with a permissions.allow rule or --allowed-tools{hint}, or choose another \
                     --permission-mode. Carry on without it, or say what you need.",
                    mode = self.mode
                ))
            }
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
        let rules = Rules::from_strings(allow, &[], deny).unwrap();
        Permissions { mode, rules, project_root: PathBuf::from("/work/project") }
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
