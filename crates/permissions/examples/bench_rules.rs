//! Times `Rules::check` against 1,000 mixed rules: 10,000 checks of mixed requests (simple and
//! compound shell commands, file edits and reads, fetches, MCP calls), reporting the median and
//! the 99th percentile per check. Run with `bench/permissions.sh`.

#![allow(clippy::print_stdout, reason = "a benchmark reports on stdout")]

use rein_permissions::{PermissionMode, RuleLists, Rules, ToolRequest};
use serde_json::{Value, json};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

const RULES: usize = 1_000;
const CHECKS: usize = 10_000;

/// 1,000 rules in the proportions a large settings file might have: mostly shell prefixes,
/// then paths, domains and MCP tools; most allow, some ask, some deny.
fn rule_lists() -> RuleLists {
    let mut lists = RuleLists::default();
    for i in 0..RULES {
        let rule = match i % 10 {
            0..=4 => format!("bash(tool{i} run *)"),
            5 => format!("bash(tool{i}:*)"),
            6 => format!("edit(src/module{i}/**)"),
            7 => format!("Read(~/data{i}/**/*.csv)"),
            8 => format!("web_fetch(domain:site{i}.example.com)"),
            _ => format!("mcp__server{i}__*"),
        };
        match i % 20 {
            0 => lists.deny.push(rule),
            1 | 2 => lists.ask.push(rule),
            _ => lists.allow.push(rule),
        }
    }
    lists
        .allow
        .extend(["bash(cargo test *)", "bash(npm run *)", "Bash(git push:*)"].map(String::from));
    lists.deny.extend(["bash(rm -rf *)", "read(~/.ssh/**)", "edit(.env)"].map(String::from));
    lists
}

fn requests() -> Vec<(&'static str, Value)> {
    let shell = |command: &str| ("bash", json!({ "command": command }));
    vec![
        shell("git status"),
        shell("cargo test -p rein-core -- --nocapture"),
        shell("tool13 run --fast && tool23 run && git diff --stat | head -n 20"),
        shell("npm run build > build.log 2>&1 && echo done"),
        shell("for f in $(ls src); do wc -l \"src/$f\"; done"),
        shell("timeout 30 env RUST_LOG=debug cargo test 2>&1 | tail -n 50"),
        shell("ls; rm -rf /"),
        shell("echo cm0gLXJmIC8= | base64 -d | sh"),
        shell("grep -rn TODO crates | sort | uniq -c | sort -rn | head"),
        ("edit", json!({ "path": "src/module16/lib.rs" })),
        ("write", json!({ "path": "src/../.git/config" })),
        ("read", json!({ "path": "~/data17/x/y.csv" })),
        ("multi_edit", json!({ "file_path": "/work/proj/.env" })),
        ("web_fetch", json!({ "url": "https://site18.example.com/page" })),
        ("web_fetch", json!({ "url": "https://unknown.org/" })),
        ("mcp__server19__do_thing", json!({})),
    ]
}

fn main() {
    let started = Instant::now();
    let rules = match Rules::with_home(&rule_lists(), Some(PathBuf::from("/home/bench"))) {
        Ok(rules) => rules,
        Err(error) => {
            println!("rules did not compile: {error}");
            std::process::exit(1);
        }
    };
    let compile = started.elapsed();
    let requests = requests();
    let root = Path::new("/work/proj");
    let modes = [PermissionMode::Ask, PermissionMode::AcceptEdits, PermissionMode::Plan];
    let mut times: Vec<Duration> = Vec::with_capacity(CHECKS);
    let mut by_shape: Vec<Vec<Duration>> = vec![Vec::new(); requests.len()];
    let mut allowed = 0usize;
    for i in 0..CHECKS {
        let (tool, input) = &requests[i % requests.len()];
        let request = ToolRequest::new(tool, input, root);
        let mode = modes[i / requests.len() % modes.len()];
        let started = Instant::now();
        let decision = rules.check(mode, &request);
        let elapsed = started.elapsed();
        times.push(elapsed);
        by_shape[i % requests.len()].push(elapsed);
        allowed += usize::from(decision.is_allow());
    }
    times.sort_unstable();
    let micros = |d: Duration| d.as_secs_f64() * 1e6;
    let median = times[times.len() / 2];
    let p99 = times[times.len() * 99 / 100];
    println!("rules: {} (compiled in {:.1} ms)", rules.len(), compile.as_secs_f64() * 1e3);
    println!("checks: {CHECKS} over {} request shapes ({allowed} allowed)", requests.len());
    println!("median: {:.1} µs per check", micros(median));
    println!("p99:    {:.1} µs per check", micros(p99));
    println!("max:    {:.1} µs per check", micros(times[times.len() - 1]));
    println!("median per request shape:");
    for ((tool, input), mut shape) in requests.iter().zip(by_shape) {
        shape.sort_unstable();
        println!("  {:>7.1} µs  {tool} {input}", micros(shape[shape.len() / 2]));
    }
}
