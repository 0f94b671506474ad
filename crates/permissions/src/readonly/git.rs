//! Read-only `git`: the subcommands that only inspect the repository, and for the ones that
//! can also change it (`branch`, `tag`, `remote`, `stash`, `config`, `reflog`) only their
//! listing forms. Global options that change which programs or configuration git uses
//! (`-c`, `--exec-path`, `--git-dir`) are not read-only.

use super::{could_expand_to_option, looks_like_path, option_hits, path_in_option};
use crate::shell::ShellWord;

/// Subcommands that never write (beyond git's own caches).
const INSPECTING: &[&str] = &[
    "status",
    "diff",
    "log",
    "show",
    "rev-parse",
    "ls-files",
    "blame",
    "grep",
    "describe",
    "rev-list",
    "ls-tree",
    "shortlog",
    "merge-base",
    "whatchanged",
    "count-objects",
    "for-each-ref",
    "cat-file",
    "show-ref",
    "name-rev",
    "cherry",
    "diff-tree",
    "diff-files",
    "diff-index",
    "check-ignore",
    "check-attr",
    "show-branch",
    "version",
];

/// Options that write a file or start another program, whatever the subcommand.
const REFUSED: &[&str] = &["--output", "--ext-diff", "--open-files-in-pager"];

/// `git branch` options that list; any other option (`-d`, `-D`, `-m`, `-f`, `-u` …) changes
/// branches, and an operand without `--list` creates one.
const BRANCH_LISTING: &[&str] = &[
    "-a",
    "--all",
    "-r",
    "--remotes",
    "-v",
    "-vv",
    "--verbose",
    "--show-current",
    "--contains",
    "--no-contains",
    "--merged",
    "--no-merged",
    "--points-at",
    "--sort",
    "--format",
    "--color",
    "--no-color",
    "--column",
    "--no-column",
    "-i",
    "--ignore-case",
    "--abbrev",
    "--no-abbrev",
    "-l",
    "--list",
];

/// `git tag` options that list; `-d`, `-a`, `-s`, `-m`, `-f` create or delete tags.
const TAG_LISTING: &[&str] = &[
    "-l",
    "--list",
    "-n",
    "--sort",
    "--contains",
    "--no-contains",
    "--merged",
    "--no-merged",
    "--points-at",
    "--format",
    "--column",
    "--no-column",
    "--color",
    "-i",
    "--ignore-case",
];

/// Listing options whose value is the next word.
const VALUED: &[&str] = &[
    "--contains",
    "--no-contains",
    "--merged",
    "--no-merged",
    "--points-at",
    "--sort",
    "--format",
];

/// The paths a read-only `git` invocation reads (`-C DIR` and path-like operands), or `None`.
pub(super) fn inputs(args: &[ShellWord]) -> Option<Vec<String>> {
    if args.iter().any(|arg| arg.dynamic || (arg.pattern && could_expand_to_option(&arg.text))) {
        return None;
    }
    let mut paths = Vec::new();
    let mut index = 0;
    while let Some(arg) = args.get(index) {
        match arg.text.as_str() {
            "--no-pager" | "-P" | "--no-optional-locks" | "--literal-pathspecs" => index += 1,
            "-C" => {
                paths.push(args.get(index + 1)?.text.clone());
                index += 2;
            }
            "--version" if index + 1 == args.len() => return Some(paths),
            text if text.starts_with('-') => return None,
            _ => break,
        }
    }
    let subcommand = args.get(index)?.text.as_str();
    let rest = &args[index + 1..];
    let words: Vec<&str> = rest.iter().map(|arg| arg.text.as_str()).collect();
    if words.iter().any(|word| REFUSED.iter().any(|refused| option_hits(word, refused))) {
        return None;
    }
    let read_only = match subcommand {
        "grep" => !words.iter().any(|word| option_hits(word, "-O")),
        "branch" => listing_only(&words, BRANCH_LISTING),
        "tag" => listing_only(&words, TAG_LISTING),
        "remote" => matches!(words.as_slice(), [] | ["-v"] | ["--verbose"] | ["get-url", ..]),
        "stash" => matches!(words.first(), Some(&"list") | Some(&"show")),
        "reflog" => !matches!(words.first(), Some(&"expire") | Some(&"delete")),
        "config" => config_reads_only(&words),
        other => INSPECTING.contains(&other),
    };
    if !read_only {
        return None;
    }
    for word in words {
        if word.starts_with('-') {
            paths.extend(path_in_option(word));
        } else if looks_like_path(word) {
            paths.push(word.to_owned());
        }
    }
    Some(paths)
}

/// Only listing options; operands only as values of those options or after `--list`.
fn listing_only(words: &[&str], listing: &[&str]) -> bool {
    let listing_mode = words.iter().any(|word| matches!(*word, "-l" | "--list"));
    let mut expecting_value = false;
    for word in words {
        if expecting_value {
            expecting_value = false;
            continue;
        }
        if word.starts_with('-') {
            let name = word.split_once('=').map_or(*word, |(name, _)| name);
            let numbered = name.starts_with("-n") && name[2..].chars().all(|c| c.is_ascii_digit());
            if !listing.contains(&name) && !numbered {
                return false;
            }
            expecting_value = !word.contains('=') && VALUED.contains(&name);
        } else if !listing_mode {
            return false;
        }
    }
    true
}

/// `git config --get x`, `git config --list`, `git config get x`; nothing that sets or edits.
fn config_reads_only(words: &[&str]) -> bool {
    const READS: &[&str] =
        &["--get", "--get-all", "--get-regexp", "--get-urlmatch", "--list", "-l", "get", "list"];
    const WRITES: &[&str] = &[
        "--unset",
        "--unset-all",
        "--add",
        "--replace-all",
        "--edit",
        "-e",
        "--rename-section",
        "--remove-section",
        "set",
        "unset",
        "edit",
        "rename-section",
        "remove-section",
    ];
    words.iter().any(|word| READS.contains(word)) && !words.iter().any(|word| WRITES.contains(word))
}
