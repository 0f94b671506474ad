//! Commands that only run another command (`timeout 30 cargo test`, `env RUST_LOG=debug cargo
//! run`, `nice -n 10 make`) are judged by the command they run, so their own name and options
//! are stripped first. An option we do not know stops the stripping and is reported: guessing
//! whether it takes a value could make us judge the wrong word as the command.

use super::ShellWord;

/// The result of stripping wrappers from an argv.
#[derive(Debug, Default)]
pub(super) struct Unwrapped {
    /// Index of the first word of the real command.
    pub(super) start: usize,
    /// Files the wrappers themselves write (`time -o FILE`).
    pub(super) writes: Vec<ShellWord>,
    /// Variables the wrappers set for the command (`env NAME=value`).
    pub(super) assignments: Vec<String>,
    /// Why the wrapped command cannot be located, if it cannot.
    pub(super) problem: Option<String>,
}

/// How one wrapper's options are shaped.
struct WrapperSpec {
    name: &'static str,
    /// Options that stand alone.
    flags: &'static [&'static str],
    /// Options followed by a value (`-n 10`, `-n10`, `--adjustment=10`).
    valued: &'static [&'static str],
    /// Positional arguments the wrapper takes before the command (`timeout`'s duration).
    positionals: usize,
    /// Takes `NAME=value` words before the command (`env`).
    assignments: bool,
}

const WRAPPERS: &[WrapperSpec] = &[
    WrapperSpec {
        name: "timeout",
        flags: &["--preserve-status", "--foreground", "-v", "--verbose"],
        valued: &["-s", "--signal", "-k", "--kill-after"],
        positionals: 1,
        assignments: false,
    },
    WrapperSpec {
        name: "nice",
        flags: &[],
        valued: &["-n", "--adjustment"],
        positionals: 0,
        assignments: false,
    },
    WrapperSpec { name: "nohup", flags: &[], valued: &[], positionals: 0, assignments: false },
    WrapperSpec {
        name: "env",
        flags: &["-i", "--ignore-environment", "-0", "--null", "-v", "--debug"],
        valued: &["-u", "--unset"],
        positionals: 0,
        assignments: true,
    },
    WrapperSpec {
        name: "stdbuf",
        flags: &[],
        valued: &["-i", "-o", "-e", "--input", "--output", "--error"],
        positionals: 0,
        assignments: false,
    },
    WrapperSpec {
        name: "time",
        flags: &["-p", "--portability", "-v", "--verbose", "-q", "--quiet", "-a", "--append"],
        valued: &["-f", "--format", "-o", "--output"],
        positionals: 0,
        assignments: false,
    },
    WrapperSpec {
        name: "command",
        flags: &["-p"],
        valued: &[],
        positionals: 0,
        assignments: false,
    },
    WrapperSpec { name: "builtin", flags: &[], valued: &[], positionals: 0, assignments: false },
];

/// Options that make the wrapper run something other than its argument list.
const REFUSED_OPTIONS: &[(&str, &str, &str)] = &[
    ("env", "-S", "`env -S` splits a string into a command line"),
    ("env", "--split-string", "`env -S` splits a string into a command line"),
    ("env", "-C", "`env -C` runs the command in another directory"),
    ("env", "--chdir", "`env -C` runs the command in another directory"),
];

/// Strips every leading wrapper from `words`.
pub(super) fn strip(words: &[ShellWord]) -> Unwrapped {
    let mut out = Unwrapped::default();
    while let Some(name) = words.get(out.start) {
        if name.dynamic {
            break;
        }
        // `command -v x` / `command -V x` ask where `x` is; that is the command itself.
        if name.text == "command" && words.get(out.start + 1).is_some_and(is_lookup_flag) {
            break;
        }
        let Some(spec) = WRAPPERS.iter().find(|spec| spec.name == basename(&name.text)) else {
            break;
        };
        match strip_one(spec, words, out.start + 1, &mut out) {
            Ok(next) if next < words.len() => out.start = next,
            // The wrapper runs nothing (`env`, `time` on its own): it is the command.
            Ok(_) => break,
            Err(problem) => {
                out.problem = Some(problem);
                break;
            }
        }
    }
    out
}

fn is_lookup_flag(word: &ShellWord) -> bool {
    word.is("-v") || word.is("-V")
}

/// `/usr/bin/env` → `env`.
pub(super) fn basename(name: &str) -> &str {
    name.rsplit('/').next().unwrap_or(name)
}

/// Skips one wrapper's options, positionals and assignments starting at `at`; returns the
/// index of the wrapped command.
fn strip_one(
    spec: &WrapperSpec,
    words: &[ShellWord],
    mut at: usize,
    out: &mut Unwrapped,
) -> Result<usize, String> {
    let mut positionals = spec.positionals;
    while let Some(word) = words.get(at) {
        if word.dynamic {
            return Err(format!("`{}` has an argument computed at run time", spec.name));
        }
        let text = word.text.as_str();
        if text == "--" {
            at += 1;
            continue;
        }
        if let Some((_, _, reason)) = REFUSED_OPTIONS
            .iter()
            .find(|(wrapper, option, _)| *wrapper == spec.name && option_matches(text, option))
        {
            return Err((*reason).to_owned());
        }
        if text.starts_with('-') && text.len() > 1 && positionals == spec.positionals {
            at = skip_option(spec, words, at, out)?;
            continue;
        }
        if spec.assignments
            && let Some((name, _)) = text.split_once('=')
            && is_variable_name(name)
        {
            out.assignments.push(name.to_owned());
            at += 1;
            continue;
        }
        if positionals > 0 {
            positionals -= 1;
            at += 1;
            continue;
        }
        return Ok(at);
    }
    Ok(at)
}

/// Skips the option at `at` (and its value); returns the index after it.
fn skip_option(
    spec: &WrapperSpec,
    words: &[ShellWord],
    at: usize,
    out: &mut Unwrapped,
) -> Result<usize, String> {
    let text = words[at].text.as_str();
    if spec.flags.contains(&text) {
        return Ok(at + 1);
    }
    // `nice -10 make`: an old-style adjustment.
    if spec.name == "nice" && text[1..].chars().all(|c| c.is_ascii_digit()) {
        return Ok(at + 1);
    }
    for option in spec.valued {
        if text == *option {
            let value = words
                .get(at + 1)
                .ok_or_else(|| format!("`{} {option}` is missing its value", spec.name))?;
            record_output(spec, option, value, out);
            return Ok(at + 2);
        }
        let attached = if option.starts_with("--") {
            text.strip_prefix(option).and_then(|rest| rest.strip_prefix('='))
        } else {
            text.strip_prefix(option).filter(|rest| !rest.is_empty())
        };
        if let Some(value) = attached {
            record_output(spec, option, &ShellWord::literal(value), out);
            return Ok(at + 1);
        }
    }
    Err(format!("`{}` has an option this checker does not know: `{text}`", spec.name))
}

/// `time -o FILE` writes FILE.
fn record_output(spec: &WrapperSpec, option: &str, value: &ShellWord, out: &mut Unwrapped) {
    if spec.name == "time" && matches!(option, "-o" | "--output") {
        out.writes.push(value.clone());
    }
}

fn option_matches(text: &str, option: &str) -> bool {
    text == option
        || text.strip_prefix(option).is_some_and(|rest| {
            if option.starts_with("--") { rest.starts_with('=') } else { !rest.is_empty() }
        })
}

/// `NAME` in `NAME=value`: letters, digits and `_`, not starting with a digit.
pub(super) fn is_variable_name(name: &str) -> bool {
    let mut chars = name.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}
