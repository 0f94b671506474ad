use super::*;
use crate::shell::ShellAnalysis;

fn read_only(line: &str) -> bool {
    let analysis = ShellAnalysis::parse(line);
    analysis.can_judge() && analysis.commands.iter().all(is_read_only)
}

fn inputs(line: &str) -> Vec<String> {
    let analysis = ShellAnalysis::parse(line);
    command_inputs(&analysis.commands[0]).unwrap_or_default()
}

#[test]
fn everyday_looking_commands_are_read_only() {
    for line in [
        "ls -la src",
        "cat Cargo.toml",
        "head -n 20 README.md",
        "tail -f log.txt",
        "wc -l src/*.rs",
        "grep -rn TODO src",
        "rg -n 'fn main' crates",
        "find . -name '*.rs' -type f",
        "pwd",
        "echo hello",
        "echo $HOME",
        "which cargo",
        "file x.bin",
        "stat x",
        "du -sh .",
        "df -h",
        "tree src",
        "sort names.txt",
        "uniq -c names.txt",
        "cut -d: -f1 x",
        "diff a b",
        "test -f x",
        "cargo --version",
        "go version",
        "command -v rg",
    ] {
        assert!(read_only(line), "{line}");
    }
}

#[test]
fn options_that_write_or_run_are_not_read_only() {
    for line in [
        "sort -o out.txt names.txt",
        "sort --output=out.txt names.txt",
        "sort -ro out.txt names.txt",
        "sort --compress-program=evil x",
        "rg --pre ./evil x",
        "tree -o out.txt",
        "uniq in.txt out.txt",
        "date -s 2020-01-01",
        "hostname newname",
        "find . -fprint out.txt",
        "find . -delete",
        "file -C -m magic",
        "cd -",
    ] {
        assert!(!read_only(line), "{line}");
    }
}

#[test]
fn read_only_git_is_inspection_and_listing_only() {
    for line in [
        "git status",
        "git diff --stat HEAD~1",
        "git log --oneline -n 5",
        "git show HEAD:README.md",
        "git branch",
        "git branch -a -v",
        "git branch --list 'feat/*'",
        "git branch --contains main",
        "git rev-parse --show-toplevel",
        "git ls-files",
        "git blame src/lib.rs",
        "git grep -n foo",
        "git --no-pager log",
        "git -C sub status",
        "git tag -l",
        "git remote -v",
        "git stash list",
        "git config --get user.name",
        "git --version",
    ] {
        assert!(read_only(line), "{line}");
    }
    for line in [
        "git branch -D main",
        "git branch new-feature",
        "git branch -m old new",
        "git tag v1.0",
        "git tag -d v1.0",
        "git push",
        "git commit -m x",
        "git checkout .",
        "git diff --output=/tmp/x",
        "git log --ext-diff",
        "git grep -O foo",
        "git -c core.pager=evil log",
        "git --exec-path=/tmp log",
        "git config user.name x",
        "git remote add x y",
        "git stash",
        "git reflog expire --all",
        "git",
    ] {
        assert!(!read_only(line), "{line}");
    }
}

#[test]
fn computed_arguments_are_not_read_only_except_for_printing() {
    assert!(!read_only("cat $FILE"));
    assert!(!read_only("find . $ACTION"));
    assert!(!read_only("git diff $(echo --output=x)"));
    assert!(read_only("echo \"$HOME\" $(pwd)"));
    assert!(read_only("test -n \"$X\""));
}

#[test]
fn globs_that_could_expand_to_options_matter_only_where_options_are_dangerous() {
    assert!(read_only("ls *"));
    assert!(read_only("cat *.md"));
    assert!(!read_only("sort *"));
    assert!(!read_only("find * -type f"));
    assert!(read_only("sort data/*.csv"));
}

#[test]
fn redirected_output_makes_a_command_not_read_only() {
    assert!(!read_only("ls > listing.txt"));
    assert!(read_only("ls 2>/dev/null"));
}

#[test]
fn inputs_are_the_files_read() {
    assert_eq!(inputs("cat a.txt ../b.txt"), ["a.txt", "../b.txt"]);
    assert_eq!(inputs("grep -rn pattern src"), ["src"]);
    // The value of `-e` is not told apart from operands: checked as a path, to be safe.
    assert_eq!(inputs("grep -e pattern src"), ["pattern", "src"]);
    assert_eq!(inputs("wc -l < /etc/passwd"), ["/etc/passwd"]);
    assert_eq!(inputs("cd"), ["~"]);
    assert_eq!(inputs("git -C /elsewhere log"), ["/elsewhere"]);
    assert_eq!(inputs("git diff HEAD~1 -- ../outside"), ["../outside"]);
    assert_eq!(inputs("grep --file=/etc/patterns x"), ["x", "/etc/patterns"]);
    assert!(inputs("echo /etc/passwd").is_empty());
}
