//! The rule to offer when the user answers "always allow this in this project": broad enough
//! to stop the same question next time, narrow enough to say what it allows.

use crate::mode::ToolKind;
use crate::paths;
use crate::readonly;
use crate::request::ToolRequest;
use crate::shell::{ShellAnalysis, ShellWord};
use crate::tool_name::{canonical_tool_name, takes_path_specifier};
use std::path::Path;

/// A rule that would allow `request` (and calls like it), or `None` when no rule could do so
/// safely (a shell line that cannot be judged, a path that cannot be resolved).
///
/// - shell: the command name and its first non-option argument plus ` *`
///   (`npm run build` → `bash(npm run *)`), taken from the first command of the line that the
///   read-only set does not already allow (`cd app && cargo test` → `bash(cargo test *)`);
/// - file tools: the file's directory (`src/a/b.rs` → `edit(src/a/**)`; reads → `read(…)`);
/// - `web_fetch`: the URL's host (`web_fetch(domain:docs.rs)`);
/// - anything else: the tool's name.
pub fn suggest_rule(request: &ToolRequest<'_>) -> Option<String> {
    let tool = canonical_tool_name(request.tool);
    let kind = ToolKind::of(&tool);
    if kind == ToolKind::Execute {
        return suggest_shell(request.command()?);
    }
    if takes_path_specifier(&tool) {
        let family = if kind == ToolKind::Edit { "edit" } else { "read" };
        let home = dirs::home_dir();
        return suggest_path(family, request.path()?, request.project_root, home.as_deref());
    }
    if tool == "web_fetch" {
        let url = url::Url::parse(request.url()?).ok()?;
        let host = crate::rule::normalize_host(url.host_str()?);
        return Some(format!("web_fetch(domain:{host})"));
    }
    Some(tool)
}

fn suggest_shell(line: &str) -> Option<String> {
    let analysis = ShellAnalysis::parse(line);
    if !analysis.can_judge() {
        return None;
    }
    let mut with_words = analysis.commands.iter().filter(|command| !command.words.is_empty());
    let first = with_words.clone().next()?;
    let chosen = with_words.find(|command| !readonly::is_read_only(command)).unwrap_or(first);
    let (name, args) = chosen.words.split_first()?;
    if !is_plain_token(name) {
        return None;
    }
    // Only a word that looks like a subcommand (`run`, `test`, `compose`): a path, a file
    // name or an option's value (`curl -d @-`) would make a rule that never matches again.
    let argument = args.iter().find(|arg| !arg.text.starts_with('-')).filter(|arg| {
        is_plain_token(arg)
            && arg.text.starts_with(|c: char| c.is_ascii_alphanumeric())
            && arg.text.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | ':'))
    });
    Some(match argument {
        Some(argument) => format!("bash({} {} *)", name.text, argument.text),
        None => format!("bash({} *)", name.text),
    })
}

/// A word that can appear in a rule as is: literal, no globbing, no quoting needed.
fn is_plain_token(word: &ShellWord) -> bool {
    !word.dynamic
        && !word.pattern
        && !word.text.is_empty()
        && word.text.chars().all(|c| {
            c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.' | '/' | ':' | '@' | '+' | '=')
        })
}

fn suggest_path(family: &str, raw: &str, root: &Path, home: Option<&Path>) -> Option<String> {
    let resolved = paths::resolve(raw, root, home)?;
    if let Some(relative) = &resolved.in_project {
        let directory = relative.rsplit_once('/').map(|(directory, _)| directory);
        return Some(match directory {
            Some(directory) => format!("{family}({}/**)", globset::escape(directory)),
            // A file at the top of the project: `./*` is anchored, so it covers only the
            // top-level files.
            None => format!("{family}(./*)"),
        });
    }
    let directory = resolved.absolute.parent()?;
    if let Some(home) = home
        && let Ok(below_home) = directory.strip_prefix(home)
    {
        let below = paths::slash_separated(below_home);
        return Some(if below.is_empty() {
            format!("{family}(~/*)")
        } else {
            format!("{family}(~/{}/**)", globset::escape(&below))
        });
    }
    let absolute = directory.to_string_lossy();
    if absolute == "/" {
        return Some(format!("{family}(/*)"));
    }
    Some(format!("{family}({}/**)", globset::escape(&absolute)))
}

#[cfg(test)]
mod tests;
