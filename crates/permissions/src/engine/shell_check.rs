//! Shell commands are judged command by command: a line is allowed only if every simple
//! command in it — including those in substitutions, subshells and loops — is allowed by a
//! rule or is in the read-only set, and every file it writes through a redirection is allowed
//! as a `write` would be. One denied command denies the whole line; one command that cannot be
//! judged makes the whole line an "ask" (a refusal in plan mode).
//!
//! A rule allows a command, not the files its redirections write: `bash(echo *)` does not let
//! `echo x > ~/.bashrc` through.

use super::index::RuleIndex;
use super::{Rules, is_editable_in_project};
use crate::decision::Decision;
use crate::mode::PermissionMode;
use crate::readonly;
use crate::request::ToolRequest;
use crate::rule::Rule;
use crate::shell::{ShellAnalysis, ShellWord, SimpleCommand};
use std::path::Path;

/// What is known about one command of the line.
struct Facts<'a> {
    command: &'a SimpleCommand,
    shown: String,
    /// The files it reads, if the command (redirections aside) is in the read-only set.
    read_only_inputs: Option<Vec<String>>,
}

impl Facts<'_> {
    /// Files it reads: all its inputs if read-only, else only its `<` redirections.
    fn reads(&self) -> Vec<&str> {
        match &self.read_only_inputs {
            Some(inputs) => inputs.iter().map(String::as_str).collect(),
            None => literal_texts(&self.command.reads),
        }
        .into_iter()
        .filter(|path| *path != "-")
        .collect()
    }
}

fn literal_texts(words: &[ShellWord]) -> Vec<&str> {
    words.iter().filter(|word| !word.dynamic).map(|word| word.text.as_str()).collect()
}

pub(super) fn check(rules: &Rules, mode: PermissionMode, request: &ToolRequest<'_>) -> Decision {
    if let Some(rule) = rules.deny.whole_tool("bash") {
        return Decision::deny(format!("`bash` is denied by rule `{rule}`"));
    }
    let Some(line) = request.command() else {
        return match mode {
            PermissionMode::Bypass => Decision::Allow,
            PermissionMode::Plan => {
                Decision::deny("plan mode is read-only: a `bash` call without a command is refused")
            }
            _ => Decision::ask("`bash` was called without a command"),
        };
    };
    let analysis = ShellAnalysis::parse(line);
    let facts: Vec<Facts<'_>> = analysis
        .commands
        .iter()
        .map(|command| Facts {
            command,
            shown: command.to_string(),
            read_only_inputs: readonly::command_inputs(command),
        })
        .collect();
    let root = request.project_root;
    if let Some(denial) = first_match(rules, Verdict::Deny, &facts, root) {
        return denial;
    }
    if mode == PermissionMode::Bypass {
        return Decision::Allow;
    }
    if mode == PermissionMode::Plan
        && let Some(refusal) = plan_refusal(&analysis, &facts)
    {
        return refusal;
    }
    // A line that cannot be judged could hide a command a rule names; without such rules the
    // sandbox contains whatever it is.
    let rules_could_be_dodged = rules.deny.len() + rules.ask.len() > 0;
    if let Some(problem) = analysis.unjudgeable.first()
        && (!request.sandboxed || rules_could_be_dodged)
    {
        return Decision::ask(problem.to_string());
    }
    if let Some(question) = first_match(rules, Verdict::Ask, &facts, root) {
        return question;
    }
    if request.sandboxed && matches!(mode, PermissionMode::Ask | PermissionMode::AcceptEdits) {
        return Decision::Allow;
    }
    facts.iter().find_map(|fact| needs_approval(rules, mode, fact, root)).unwrap_or(Decision::Allow)
}

/// The first rule of `list` matching the command. `loose` also tries the command's base name
/// (`/usr/bin/rm` as `rm`): right for deny and ask rules, wrong for allow rules (`./ls` is
/// not `ls`).
fn command_rule<'r>(list: &'r RuleIndex, command: &SimpleCommand, loose: bool) -> Option<&'r Rule> {
    if command.words.is_empty() {
        return None;
    }
    let argv = command.argv();
    if let Some(rule) = list.shell_command(&argv) {
        return Some(rule);
    }
    let name = argv[0];
    let base = name.rsplit('/').next().unwrap_or(name);
    if !loose || base == name || base.is_empty() {
        return None;
    }
    let mut renamed = argv.clone();
    renamed[0] = base;
    list.shell_command(&renamed)
}

/// The list a rule match comes from, which decides the answer and its wording.
#[derive(Clone, Copy)]
enum Verdict {
    Deny,
    Ask,
}

impl Verdict {
    fn decide(self, why: String) -> Decision {
        match self {
            Self::Deny => Decision::deny(why),
            Self::Ask => Decision::ask(why),
        }
    }

    fn by_rule(self, shown: &str, rule: &str) -> String {
        match self {
            Self::Deny => format!("`{shown}` is denied by rule `{rule}`"),
            Self::Ask => format!("`{shown}` needs approval (rule `{rule}`)"),
        }
    }
}

/// The first command, written file or read file of the line that a rule of `verdict`'s list
/// matches, as that verdict.
fn first_match(
    rules: &Rules,
    verdict: Verdict,
    facts: &[Facts<'_>],
    root: &Path,
) -> Option<Decision> {
    let list = match verdict {
        Verdict::Deny => &rules.deny,
        Verdict::Ask => &rules.ask,
    };
    for fact in facts {
        if let Some(rule) = command_rule(list, fact.command, true) {
            return Some(verdict.decide(verdict.by_rule(&fact.shown, &rule.to_string())));
        }
        for target in literal_texts(&fact.command.writes) {
            let path = rules.resolve(target, root);
            if let Some(rule) = path.and_then(|path| rules.write_rule(list, &path)) {
                return Some(
                    verdict.decide(format!("`{}` writes `{target}` (rule `{rule}`)", fact.shown)),
                );
            }
        }
        for input in fact.reads() {
            let path = rules.resolve(input, root);
            if let Some(rule) = path.and_then(|path| rules.read_rule(list, &path)) {
                return Some(
                    verdict.decide(format!("`{}` reads `{input}` (rule `{rule}`)", fact.shown)),
                );
            }
        }
    }
    None
}

fn plan_refusal(analysis: &ShellAnalysis, facts: &[Facts<'_>]) -> Option<Decision> {
    if let Some(problem) = analysis.unjudgeable.first() {
        return Some(Decision::deny(format!("plan mode is read-only, and {problem}")));
    }
    facts.iter().find_map(|fact| {
        if let Some(target) = fact.command.writes.first() {
            return Some(Decision::deny(format!(
                "plan mode is read-only: `{}` writes `{}`",
                fact.shown, target.text
            )));
        }
        fact.read_only_inputs.is_none().then(|| {
            Decision::deny(format!(
                "plan mode is read-only: `{}` is not a read-only command",
                fact.shown
            ))
        })
    })
}

/// Why this command still needs the user's approval, if it does.
fn needs_approval(
    rules: &Rules,
    mode: PermissionMode,
    fact: &Facts<'_>,
    root: &Path,
) -> Option<Decision> {
    let allowed_by_rule = command_rule(&rules.allow, fact.command, false).is_some();
    if !fact.command.words.is_empty() && !allowed_by_rule {
        let Some(inputs) = &fact.read_only_inputs else {
            return Some(Decision::ask(format!("`{}` is not allowed by any rule", fact.shown)));
        };
        for input in inputs.iter().filter(|input| *input != "-") {
            let outside = match rules.resolve(input, root) {
                Some(path) => {
                    path.in_project.is_none() && rules.read_rule(&rules.allow, &path).is_none()
                }
                None => true,
            };
            if outside {
                return Some(Decision::ask(format!(
                    "`{}` reads `{input}`, outside the project",
                    fact.shown
                )));
            }
        }
    }
    fact.command
        .writes
        .iter()
        .find_map(|target| judge_write(rules, mode, &fact.shown, target, root))
}

/// A redirection's file is judged like a `write` call of it.
fn judge_write(
    rules: &Rules,
    mode: PermissionMode,
    shown: &str,
    target: &ShellWord,
    root: &Path,
) -> Option<Decision> {
    if target.dynamic {
        return Some(Decision::ask(format!(
            "`{shown}` writes to `{}`, a file named only at run time",
            target.text
        )));
    }
    let Some(path) = rules.resolve(&target.text, root) else {
        return Some(Decision::ask(format!("`{shown}` writes `{}`", target.text)));
    };
    let allowed = rules.write_rule(&rules.allow, &path).is_some()
        || (mode == PermissionMode::AcceptEdits && is_editable_in_project(&path));
    (!allowed).then(|| Decision::ask(format!("`{shown}` writes `{}`", target.text)))
}
