//! The built-in set of shell commands that only look: a command line made of nothing else (and
//! writing no file) runs without asking, in plan mode too.
//!
//! The set is deliberately small and each entry says which options would make it write or run
//! something. Arguments must be literal (only `echo`, `printf` and `test` may print or test
//! `$VARIABLES`), because a value known only at run time could be an option that writes. The
//! files a command reads are returned so the engine can apply `read` rules to them and ask
//! before reading outside the project.
//!
//! Deliberately absent: `sed` (`-i`, and its `w` and `e` commands write files and run
//! programs), `awk` (`system()`), `less`/`more` (`!cmd`), `xargs` and `tee`.

mod git;

use crate::shell::{ShellWord, SimpleCommand};

/// What a read-only command's operands are.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Operands {
    /// Files (or directories) it reads.
    Paths,
    /// Files, after a first operand that is a pattern or filter (`grep PATTERN FILE…`), unless
    /// the pattern was given with `-e`/`-f`.
    PathsAfterPattern,
    /// Plain text, not files (`echo hello`, `basename a/b`).
    Text,
}

/// One entry of the set.
struct Spec {
    name: &'static str,
    operands: Operands,
    /// Options that make the command write or run something: `-o` refuses `-o`, `-ofile` and
    /// `-ro`; `--output` refuses `--output` and `--output=file`.
    refused: &'static [&'static str],
    /// At most this many operands (`uniq IN OUT` writes OUT).
    max_operands: Option<usize>,
    /// Arguments may be `$VARIABLES` or `$(…)` output.
    dynamic_ok: bool,
    /// A glob argument that could expand to an option (`*`, `?x`) is harmless.
    glob_ok: bool,
}

const fn spec(name: &'static str, operands: Operands) -> Spec {
    Spec { name, operands, refused: &[], max_operands: None, dynamic_ok: false, glob_ok: true }
}

const fn refusing(
    name: &'static str,
    operands: Operands,
    refused: &'static [&'static str],
) -> Spec {
    Spec { name, operands, refused, max_operands: None, dynamic_ok: false, glob_ok: false }
}

const fn at_most(name: &'static str, operands: Operands, max: usize) -> Spec {
    Spec {
        name,
        operands,
        refused: &[],
        max_operands: Some(max),
        dynamic_ok: false,
        glob_ok: false,
    }
}

const fn printing(name: &'static str) -> Spec {
    Spec {
        name,
        operands: Operands::Text,
        refused: &[],
        max_operands: None,
        dynamic_ok: true,
        glob_ok: true,
    }
}

use Operands::{Paths, PathsAfterPattern, Text};

const SPECS: &[Spec] = &[
    spec("ls", Paths),
    spec("cat", Paths),
    spec("head", Paths),
    spec("tail", Paths),
    spec("wc", Paths),
    spec("stat", Paths),
    spec("du", Paths),
    spec("df", Paths),
    spec("nl", Paths),
    spec("tac", Paths),
    spec("cmp", Paths),
    spec("comm", Paths),
    spec("diff", Paths),
    spec("od", Paths),
    spec("hexdump", Paths),
    spec("cut", Paths),
    spec("paste", Paths),
    spec("fold", Paths),
    spec("rev", Paths),
    spec("column", Paths),
    spec("md5sum", Paths),
    spec("sha1sum", Paths),
    spec("sha256sum", Paths),
    spec("sha512sum", Paths),
    spec("b2sum", Paths),
    spec("cksum", Paths),
    spec("realpath", Paths),
    spec("readlink", Paths),
    spec("grep", PathsAfterPattern),
    spec("egrep", PathsAfterPattern),
    spec("fgrep", PathsAfterPattern),
    spec("jq", PathsAfterPattern),
    // `cd` moves later commands; its target is checked like a file read (no operand = home).
    at_most("cd", Paths, 1),
    // `uniq IN OUT` and `xxd IN OUT` write OUT.
    at_most("uniq", Paths, 1),
    at_most("xxd", Paths, 1),
    // `sort -o FILE` writes; `--compress-program` runs a program.
    refusing("sort", Paths, &["-o", "--output", "--compress-program"]),
    // `rg --pre CMD` runs CMD on every file.
    refusing("rg", PathsAfterPattern, &["--pre"]),
    // `tree -o FILE` writes FILE; `-R` with `-H` writes an index into every directory.
    refusing("tree", Paths, &["-o", "-R"]),
    // `file -C` compiles a magic file into the current directory.
    refusing("file", Paths, &["-C", "--compile"]),
    // `date -s` sets the clock.
    refusing("date", Text, &["-s", "--set"]),
    // `hostname NAME` renames the machine.
    at_most("hostname", Text, 0),
    printing("echo"),
    printing("printf"),
    printing("test"),
    printing("["),
    printing("[["),
    printing("true"),
    printing("false"),
    printing(":"),
    spec("pwd", Text),
    spec("which", Text),
    spec("type", Text),
    spec("whoami", Text),
    spec("id", Text),
    spec("groups", Text),
    spec("uname", Text),
    spec("nproc", Text),
    spec("arch", Text),
    spec("printenv", Text),
    spec("basename", Text),
    spec("dirname", Text),
    spec("seq", Text),
    spec("sleep", Text),
    spec("tr", Text),
    // `env` with no command (wrappers are stripped first) only prints the environment.
    spec("env", Text),
];

/// Toolchains whose `--version` (or `-V`, or `version` for Go) only prints a version.
const VERSION_QUERIES: &[&str] = &[
    "cargo", "rustc", "rustup", "rustfmt", "node", "npm", "npx", "pnpm", "yarn", "bun", "deno",
    "python", "python3", "pip", "pip3", "uv", "go", "java", "javac", "gcc", "g++", "clang",
    "clang++", "make", "cmake", "ninja", "docker", "ruby", "perl", "php", "tsc", "git", "gh",
];

/// Whether `command` is in the built-in read-only set: it reads or prints and nothing else,
/// and none of its redirections writes a file.
pub fn is_read_only(command: &SimpleCommand) -> bool {
    command.writes.is_empty() && command_inputs(command).is_some()
}

/// If the command itself (its redirections aside) is in the read-only set, the files it reads
/// (operands and `<` redirections), for the engine's path checks; otherwise `None`. Output
/// redirections are judged separately, like `write` calls.
pub(crate) fn command_inputs(command: &SimpleCommand) -> Option<Vec<String>> {
    let mut paths = match command.words.split_first() {
        None => Vec::new(),
        Some((name, args)) if !name.dynamic => inputs_of(&name.text, args)?,
        Some(_) => return None,
    };
    for input in &command.reads {
        if input.dynamic {
            return None;
        }
        paths.push(input.text.clone());
    }
    Some(paths)
}

fn inputs_of(name: &str, args: &[ShellWord]) -> Option<Vec<String>> {
    if is_version_query(name, args) {
        return Some(Vec::new());
    }
    if name == "git" {
        return git::inputs(args);
    }
    if name == "command" {
        // `command -v NAME` / `command -V NAME` only look a name up.
        let lookup = args.first().is_some_and(|flag| flag.is("-v") || flag.is("-V"));
        return (lookup && args.iter().all(|word| !word.dynamic)).then(Vec::new);
    }
    if name == "find" {
        return find_inputs(args);
    }
    let spec = SPECS.iter().find(|spec| spec.name == name)?;
    spec_inputs(spec, args)
}

fn spec_inputs(spec: &Spec, args: &[ShellWord]) -> Option<Vec<String>> {
    let mut operands = Vec::new();
    let mut flag_paths = Vec::new();
    let mut pattern_given = false;
    let mut options_done = false;
    for arg in args {
        if arg.dynamic && !spec.dynamic_ok {
            return None;
        }
        if arg.pattern && !spec.glob_ok && could_expand_to_option(&arg.text) {
            return None;
        }
        let text = arg.text.as_str();
        if !options_done && text == "--" {
            options_done = true;
            continue;
        }
        if !options_done && text.len() > 1 && text.starts_with('-') {
            if spec.refused.iter().any(|refused| option_hits(text, refused)) {
                return None;
            }
            pattern_given |= matches!(text, "-e" | "-f" | "--regexp" | "--file")
                || text.starts_with("--regexp=")
                || text.starts_with("--file=");
            flag_paths.extend(path_in_option(text));
            continue;
        }
        operands.push(text.to_owned());
    }
    if spec.max_operands.is_some_and(|max| operands.len() > max) {
        return None;
    }
    let mut paths = match spec.operands {
        Operands::Text => Vec::new(),
        Operands::Paths => operands,
        Operands::PathsAfterPattern if pattern_given => operands,
        Operands::PathsAfterPattern => operands.into_iter().skip(1).collect(),
    };
    if spec.name == "cd" {
        // `cd` alone goes home; `cd -` goes wherever the shell was before.
        if paths.iter().any(|path| path == "-") {
            return None;
        }
        if paths.is_empty() {
            paths.push("~".to_owned());
        }
    }
    paths.extend(flag_paths);
    Some(paths)
}

/// `find` without the actions that write, delete or run (`-exec` and `-delete` are already
/// "cannot judge"; `-fprint` and `-fls` write files). Its start points are the paths it reads.
fn find_inputs(args: &[ShellWord]) -> Option<Vec<String>> {
    const WRITES: &[&str] = &[
        "-exec", "-execdir", "-ok", "-okdir", "-delete", "-fprint", "-fprint0", "-fprintf", "-fls",
    ];
    let mut paths = Vec::new();
    let mut in_expression = false;
    for arg in args {
        if arg.dynamic || (arg.pattern && could_expand_to_option(&arg.text) && !in_expression) {
            return None;
        }
        let text = arg.text.as_str();
        if WRITES.contains(&text) {
            return None;
        }
        in_expression |= text.starts_with('-') || text == "(" || text == "!";
        if !in_expression {
            paths.push(text.to_owned());
        }
    }
    Some(paths)
}

/// Whether the option `text` is the refused option `refused` (or a cluster containing it).
fn option_hits(text: &str, refused: &str) -> bool {
    if refused.starts_with("--") {
        return text == refused
            || text.strip_prefix(refused).is_some_and(|rest| rest.starts_with('='));
    }
    let letter = &refused[1..];
    !text.starts_with("--") && text[1..].contains(letter)
}

/// The value of `--opt=VALUE` or `-fVALUE` if it looks like a path.
fn path_in_option(text: &str) -> Option<String> {
    let value = match text.split_once('=') {
        Some((_, value)) => value,
        None if !text.starts_with("--") => text.get(2..)?,
        None => return None,
    };
    looks_like_path(value).then(|| value.to_owned())
}

/// An argument that names somewhere outside the current directory or climbs out of it.
pub(crate) fn looks_like_path(text: &str) -> bool {
    text.starts_with('/')
        || text.starts_with('~')
        || text == ".."
        || text.starts_with("../")
        || text.contains("/../")
        || text.ends_with("/..")
}

/// A glob starting with a wildcard may match a file called `-rf` or `--output=x`.
fn could_expand_to_option(text: &str) -> bool {
    text.starts_with(['*', '?', '[', '{'])
}

fn is_version_query(name: &str, args: &[ShellWord]) -> bool {
    if !VERSION_QUERIES.contains(&name) {
        return false;
    }
    match args {
        [only] => only.is("--version") || only.is("-V") || (name == "go" && only.is("version")),
        _ => false,
    }
}

#[cfg(test)]
mod tests;
