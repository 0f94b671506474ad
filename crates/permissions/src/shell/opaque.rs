//! Commands whose effect cannot be known from the command line: they run code that is not
//! written there (`eval "$X"`, `curl … | sh`, `source x.sh`), choose the program at run time
//! (`$CMD`, `xargs rm`), or run another command in a way rules cannot see (`find -exec`,
//! `sudo`). Such commands are never allowed automatically. Where the code they would run *is*
//! on the line (`bash -c 'rm -rf /'`, `xargs rm`), it is still returned so deny rules apply.

use super::ShellWord;
use super::wrappers::basename;

/// Why a command cannot be judged, and what is known of what it would run.
#[derive(Debug, Default)]
pub(super) struct Finding {
    pub(super) reason: String,
    /// Shell code given literally (`bash -c 'ls'`, `eval 'ls'`): analysed for deny rules.
    pub(super) scripts: Vec<String>,
    /// Commands given as words (`xargs rm -f`, `find -exec rm {} ;`, `sudo rm`).
    pub(super) commands: Vec<Vec<ShellWord>>,
}

impl Finding {
    fn new(reason: impl Into<String>) -> Self {
        Self { reason: reason.into(), ..Self::default() }
    }
}

const SHELLS: &[&str] = &["sh", "bash", "zsh", "dash", "ksh", "mksh", "ash", "fish", "csh", "tcsh"];

/// Interpreters, the options that hand them code inline, and the options that take a value.
const INTERPRETERS: &[(&str, &[&str], &[&str])] = &[
    ("python", &["-c"], &["-W", "-X"]),
    ("pypy", &["-c"], &["-W", "-X"]),
    ("perl", &["-e", "-E"], &["-I", "-M"]),
    ("ruby", &["-e"], &["-I", "-r"]),
    ("node", &["-e", "--eval", "-p", "--print"], &["-r", "--require", "--import"]),
    ("nodejs", &["-e", "--eval", "-p", "--print"], &["-r", "--require", "--import"]),
    ("php", &["-r"], &["-d", "-c"]),
    ("lua", &["-e"], &["-l"]),
    ("Rscript", &["-e"], &[]),
    ("osascript", &["-e"], &[]),
];

/// Runs its argument list (or a string) as another user or under another identity.
const PRIVILEGE: &[&str] = &["sudo", "doas", "pkexec", "su", "runuser"];

/// Inspects one simple command (wrappers already stripped). `piped` says whether its input is
/// the output of the previous command in a pipeline.
pub(super) fn inspect(words: &[ShellWord], piped: bool) -> Option<Finding> {
    let name = words.first()?;
    if name.dynamic {
        return Some(Finding::new("the command name is only known at run time"));
    }
    if name.pattern {
        return Some(Finding::new("the command name is a pattern the shell expands"));
    }
    let args = &words[1..];
    let command = basename(&name.text);
    match command {
        "eval" => Some(Finding {
            reason: "`eval` runs a string as shell code".to_owned(),
            scripts: literal_script(args).into_iter().collect(),
            commands: Vec::new(),
        }),
        "trap" => Some(Finding {
            reason: "`trap` runs a string as shell code later".to_owned(),
            scripts: args
                .first()
                .filter(|word| !word.dynamic)
                .map(|w| w.text.clone())
                .into_iter()
                .collect(),
            commands: Vec::new(),
        }),
        "watch" => Some(Finding::new("`watch` runs its arguments through a shell, repeatedly")),
        "source" | "." => Some(Finding::new(format!("`{command}` runs the commands in a file"))),
        "exec" => exec(args),
        "xargs" | "parallel" => xargs(command, args),
        "find" => find(args),
        _ if SHELLS.contains(&command) => shell(command, args, piped),
        _ if PRIVILEGE.contains(&command) => Some(Finding {
            reason: format!("`{command}` runs a command with other privileges"),
            scripts: Vec::new(),
            commands: first_operand_onward(args, &["-u", "-g", "-C", "-D", "-h", "-p", "-U", "-T"])
                .into_iter()
                .collect(),
        }),
        _ => interpreter(command, args, piped),
    }
}

/// `bash -c 'script'`, `bash` reading its input, or `bash script.sh` (judged like any command).
fn shell(shell: &str, args: &[ShellWord], piped: bool) -> Option<Finding> {
    if is_version_query(args) {
        return None;
    }
    let mut inline = false;
    let mut reads_input = false;
    let mut index = 0;
    while let Some(arg) = args.get(index) {
        if arg.dynamic {
            return Some(Finding::new(format!("`{shell}` has an argument computed at run time")));
        }
        let text = arg.text.as_str();
        if text == "--" {
            index += 1;
            break;
        }
        if !(text.starts_with('-') || text.starts_with('+')) || text.len() < 2 {
            break;
        }
        if matches!(text, "-o" | "+o" | "-O" | "+O" | "--rcfile" | "--init-file") {
            index += 1;
        } else if !text.starts_with("--") {
            inline |= text.contains('c');
            reads_input |= text.contains('s');
        }
        index += 1;
    }
    if inline {
        return Some(Finding {
            reason: format!("`{shell} -c` runs a string as shell code"),
            scripts: args
                .get(index)
                .filter(|word| !word.dynamic)
                .map(|w| w.text.clone())
                .into_iter()
                .collect(),
            commands: Vec::new(),
        });
    }
    if reads_input || index >= args.len() || args[index].is("-") {
        return Some(Finding::new(if piped {
            format!("piping into `{shell}` runs whatever the pipe produces")
        } else {
            format!("`{shell}` runs commands read from its input")
        }));
    }
    None
}

/// `python -c …` and friends, or an interpreter reading its program from input.
fn interpreter(command: &str, args: &[ShellWord], piped: bool) -> Option<Finding> {
    let family = if command.starts_with("python") { "python" } else { command };
    let family = if family.starts_with("pypy") { "pypy" } else { family };
    let (_, inline, valued) = INTERPRETERS.iter().find(|(name, _, _)| *name == family)?;
    if is_version_query(args) || (family.starts_with("node") && args.len() == 1 && args[0].is("-v"))
    {
        return None;
    }
    let mut index = 0;
    while let Some(arg) = args.get(index) {
        let text = arg.text.as_str();
        if inline.iter().any(|flag| text == *flag || (flag.len() == 2 && text.starts_with(flag))) {
            return Some(Finding::new(format!(
                "`{command} {text}` runs code given on the command line"
            )));
        }
        if family == "python" && (text == "-m" || text.starts_with("-m")) {
            return None;
        }
        if text == "-" || !text.starts_with('-') {
            break;
        }
        index += if valued.contains(&text) { 2 } else { 1 };
    }
    if index >= args.len() || args[index].is("-") {
        return Some(Finding::new(if piped {
            format!("piping into `{command}` runs whatever the pipe produces")
        } else {
            format!("`{command}` runs a program read from its input")
        }));
    }
    None
}

/// `exec cmd …` (with `-c`, `-l`, `-a name`); `exec` with only redirections runs nothing.
fn exec(args: &[ShellWord]) -> Option<Finding> {
    let command = first_operand_onward(args, &["-a"])?;
    Some(Finding {
        reason: "`exec` replaces the shell with another command".to_owned(),
        scripts: Vec::new(),
        commands: vec![command],
    })
}

/// `xargs [options] cmd …`: the command runs with arguments nobody has seen yet.
fn xargs(name: &str, args: &[ShellWord]) -> Option<Finding> {
    let valued = [
        "-a",
        "-d",
        "-E",
        "-I",
        "-L",
        "-n",
        "-P",
        "-s",
        "--arg-file",
        "--delimiter",
        "--eof",
        "--replace",
        "--max-lines",
        "--max-args",
        "--max-procs",
        "--max-chars",
        "--process-slot-var",
    ];
    let command = first_operand_onward(args, &valued)?;
    Some(Finding {
        reason: format!("`{name}` runs `{}` with arguments read from its input", command[0].text),
        scripts: Vec::new(),
        commands: vec![command],
    })
}

/// `find … -exec cmd {} ;` and `find … -delete`.
fn find(args: &[ShellWord]) -> Option<Finding> {
    let mut finding: Option<Finding> = None;
    let mut index = 0;
    while let Some(arg) = args.get(index) {
        index += 1;
        if matches!(arg.text.as_str(), "-exec" | "-execdir" | "-ok" | "-okdir") {
            let end = args[index..]
                .iter()
                .position(|word| word.is(";") || word.is("+"))
                .map_or(args.len(), |offset| index + offset);
            let found = finding.get_or_insert_with(|| {
                Finding::new(format!("`find {}` runs a command for every file found", arg.text))
            });
            if end > index {
                found.commands.push(args[index..end].to_vec());
            }
            index = end + 1;
        } else if arg.is("-delete") {
            finding.get_or_insert_with(|| Finding::new("`find -delete` deletes the files found"));
        }
    }
    finding
}

/// The words from the first operand on, skipping options (and the values of `valued` ones).
fn first_operand_onward(args: &[ShellWord], valued: &[&str]) -> Option<Vec<ShellWord>> {
    let mut index = 0;
    while let Some(arg) = args.get(index) {
        let text = arg.text.as_str();
        if text == "--" {
            index += 1;
            break;
        }
        if arg.dynamic || !text.starts_with('-') || text.len() < 2 {
            break;
        }
        index += if valued.contains(&text) { 2 } else { 1 };
    }
    let rest = args.get(index..)?;
    (!rest.is_empty()).then(|| rest.to_vec())
}

/// The words of `eval a b c` joined as eval does, if none is only known at run time.
fn literal_script(args: &[ShellWord]) -> Option<String> {
    if args.is_empty() || args.iter().any(|word| word.dynamic) {
        return None;
    }
    Some(args.iter().map(|word| word.text.as_str()).collect::<Vec<_>>().join(" "))
}

fn is_version_query(args: &[ShellWord]) -> bool {
    matches!(args, [only] if only.is("--version") || only.is("-V") || only.is("--help"))
}
