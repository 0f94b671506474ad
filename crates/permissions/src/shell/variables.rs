//! Variables that change what a command does without appearing in its argv: `PATH=/tmp/x ls`
//! runs whatever `/tmp/x/ls` is, `LD_PRELOAD=x.so ls` loads code into `ls`, and
//! `GIT_EXTERNAL_DIFF=./x git diff` runs `./x`. A command that sets one cannot be judged by
//! its words.

use super::ShellWord;

/// Variables that change which program later commands run or how they parse their input: a
/// command prefixed with one of them is not what it looks like.
const DANGEROUS_VARIABLES: &[&str] = &[
    "PATH",
    "IFS",
    "ENV",
    "BASH_ENV",
    "SHELLOPTS",
    "BASHOPTS",
    "PROMPT_COMMAND",
    "PS4",
    "HOME",
    "CDPATH",
    "PAGER",
    "MANPAGER",
    "EDITOR",
    "VISUAL",
    "BROWSER",
    "LESSOPEN",
    "LESSCLOSE",
    "SSH_ASKPASS",
    "SUDO_ASKPASS",
    "GIT_EXTERNAL_DIFF",
    "GIT_PAGER",
    "GIT_EDITOR",
    "GIT_SSH",
    "GIT_SSH_COMMAND",
    "GIT_ASKPASS",
    "GIT_EXEC_PATH",
    "GIT_DIR",
    "GIT_WORK_TREE",
    "GIT_PROXY_COMMAND",
    "GIT_SEQUENCE_EDITOR",
    "RUSTC_WRAPPER",
    "RUSTC",
    "CC",
    "CXX",
];
const DANGEROUS_PREFIXES: &[&str] =
    &["LD_", "DYLD_", "GIT_CONFIG", "PYTHON", "PERL5", "RUBY", "NODE_", "BASH_FUNC_"];

pub(super) fn is_dangerous_variable(name: &str) -> bool {
    DANGEROUS_VARIABLES.contains(&name) || DANGEROUS_PREFIXES.iter().any(|p| name.starts_with(p))
}

/// `NAME` of each `NAME=value` argument of `export`, `declare`, `local` and friends.
pub(super) fn declared_variables(words: &[ShellWord]) -> Vec<String> {
    let declares = words.first().is_some_and(|name| {
        ["export", "declare", "typeset", "local", "readonly"].iter().any(|d| name.is(d))
    });
    if !declares {
        return Vec::new();
    }
    words[1..]
        .iter()
        .filter_map(|word| word.text.split_once('=').map(|(name, _)| name.to_owned()))
        .collect()
}
