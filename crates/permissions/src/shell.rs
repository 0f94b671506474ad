//! What a shell command line would run, found by parsing it with a real bash parser
//! (`brush-parser`) rather than by splitting on `&&` and `;`.
//!
//! [`ShellAnalysis::parse`] turns a command line into the simple commands it runs — including
//! those inside `( … )`, `{ …; }`, `$( … )`, backticks, here-documents, loops and functions —
//! each with its argv after quote removal and after wrappers such as `timeout 5` or `env X=1`
//! are stripped, plus the files its output redirections write. Whatever cannot be judged
//! statically (`eval`, `bash -c`, `… | sh`, `$CMD args`, `xargs`, `find -exec`, a parse error,
//! more than [`MAX_SUBCOMMANDS`] commands) is reported in [`ShellAnalysis::unjudgeable`]; the
//! engine never allows such a command line on its own.

mod opaque;
mod variables;
mod walker;
mod words;
mod wrappers;

use std::fmt;

/// More simple commands than this in one command line is not judged command by command; it
/// is asked about (deny rules are still checked against every command found).
pub const MAX_SUBCOMMANDS: usize = 50;

/// Command lines longer than this (in bytes) are not parsed at all.
pub const MAX_COMMAND_BYTES: usize = 64 * 1024;

/// One word of a command after quote removal.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ShellWord {
    /// The word's value after quote removal; for a [`dynamic`](Self::dynamic) word, the source
    /// text (`$HOME/x`, `$(date)`), which is what messages show.
    pub text: String,
    /// The value is only known at run time: it contains a parameter, command or arithmetic
    /// expansion, or an ANSI-C string with escapes (`$'\x72\x6d'` spells `rm`).
    pub dynamic: bool,
    /// The word contains unquoted glob or brace-expansion syntax (`*.rs`, `{a,b}`), so the
    /// shell may turn it into other words (even into options, if it starts with `*`).
    pub pattern: bool,
}

impl ShellWord {
    /// A plain word, as if it had been written without any quoting or expansion.
    pub fn literal(text: impl Into<String>) -> Self {
        Self { text: text.into(), dynamic: false, pattern: false }
    }

    /// Whether the word is exactly `text` as the shell will see it.
    pub fn is(&self, text: &str) -> bool {
        !self.dynamic && self.text == text
    }
}

/// One simple command the command line would run.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct SimpleCommand {
    /// The command name and its arguments, wrappers removed. Empty for a command that only
    /// assigns variables or redirects (`> file` truncates `file`).
    pub words: Vec<ShellWord>,
    /// Files written through output redirections (`>`, `>>`, `&>`, `>&file`, `time -o`).
    pub writes: Vec<ShellWord>,
    /// Files read through input redirections (`< file`).
    pub reads: Vec<ShellWord>,
}

impl SimpleCommand {
    /// The command name, if any.
    pub fn name(&self) -> Option<&ShellWord> {
        self.words.first()
    }

    /// The words as strings, for matching against rule patterns.
    pub fn argv(&self) -> Vec<&str> {
        self.words.iter().map(|word| word.text.as_str()).collect()
    }
}

impl fmt::Display for SimpleCommand {
    /// The command as a person would type it, for messages: `git diff --stat > out.txt`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut first = true;
        let mut separate = |f: &mut fmt::Formatter<'_>| {
            let result = if first { Ok(()) } else { f.write_str(" ") };
            first = false;
            result
        };
        for word in &self.words {
            separate(f)?;
            write_quoted(f, word)?;
        }
        for (arrow, targets) in [("<", &self.reads), (">", &self.writes)] {
            for target in targets {
                separate(f)?;
                f.write_str(arrow)?;
                f.write_str(" ")?;
                write_quoted(f, target)?;
            }
        }
        Ok(())
    }
}

fn write_quoted(f: &mut fmt::Formatter<'_>, word: &ShellWord) -> fmt::Result {
    let needs_quotes = !word.dynamic
        && (word.text.is_empty() || word.text.chars().any(|c| c.is_whitespace() || c == '\''));
    if needs_quotes {
        write!(f, "'{}'", word.text.replace('\'', r"'\''"))
    } else {
        f.write_str(&word.text)
    }
}

/// A part of a command line that cannot be judged without running it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unjudgeable {
    /// The command concerned, as shown to the user.
    pub command: String,
    /// Why it cannot be judged.
    pub reason: String,
}

impl fmt::Display for Unjudgeable {
    /// "`eval "$X"` cannot be checked without running it: `eval` runs a string as shell code".
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.command.is_empty() {
            write!(f, "the command line cannot be checked without running it: {}", self.reason)
        } else {
            write!(f, "`{}` cannot be checked without running it: {}", self.command, self.reason)
        }
    }
}

/// Everything a command line would run, as far as can be told without running it.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ShellAnalysis {
    /// Every simple command, outer ones before the substitutions inside them.
    pub commands: Vec<SimpleCommand>,
    /// Constructs that make the command line impossible to judge statically.
    pub unjudgeable: Vec<Unjudgeable>,
}

impl ShellAnalysis {
    /// Analyses one command line. Never panics; a parse failure is reported as unjudgeable.
    pub fn parse(command_line: &str) -> Self {
        let mut analysis = walker::analyze(command_line);
        if analysis.commands.len() > MAX_SUBCOMMANDS {
            analysis.unjudgeable.push(Unjudgeable {
                command: String::new(),
                reason: format!(
                    "the command line runs {} commands; more than {MAX_SUBCOMMANDS} are not \
                     checked one by one",
                    analysis.commands.len()
                ),
            });
        }
        analysis
    }

    /// Whether every part could be judged statically.
    pub fn can_judge(&self) -> bool {
        self.unjudgeable.is_empty()
    }
}

#[cfg(test)]
mod tests;
