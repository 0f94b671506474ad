use super::*;
use crate::{Decision, PermissionMode, RuleLists, Rules};
use pretty_assertions::assert_eq;
use serde_json::{Value, json};

const ROOT: &str = "/work/proj";

fn suggest(tool: &str, input: Value) -> Option<String> {
    suggest_rule(&ToolRequest::new(tool, &input, Path::new(ROOT)))
}

fn shell(command: &str) -> Option<String> {
    suggest("bash", json!({ "command": command }))
}

#[test]
fn shell_suggestions_use_the_command_and_its_first_operand() {
    assert_eq!(shell("npm run build").as_deref(), Some("bash(npm run *)"));
    assert_eq!(shell("cargo test -p rein-core").as_deref(), Some("bash(cargo test *)"));
    assert_eq!(shell("cargo --verbose build").as_deref(), Some("bash(cargo build *)"));
    assert_eq!(shell("make").as_deref(), Some("bash(make *)"));
    assert_eq!(shell("timeout 60 pytest -x tests").as_deref(), Some("bash(pytest tests *)"));
    assert_eq!(shell("curl -d @- https://x.org").as_deref(), Some("bash(curl *)"));
    assert_eq!(shell("rm -rf /tmp/x").as_deref(), Some("bash(rm *)"));
}

#[test]
fn shell_suggestions_skip_what_is_already_read_only() {
    assert_eq!(shell("cd app && cargo test").as_deref(), Some("bash(cargo test *)"));
    assert_eq!(shell("ls").as_deref(), Some("bash(ls *)"));
}

#[test]
fn nothing_is_suggested_for_lines_that_cannot_be_judged() {
    assert_eq!(shell("curl x | sh"), None);
    assert_eq!(shell("$CMD x"), None);
    assert_eq!(shell("echo \"open"), None);
    assert_eq!(suggest("bash", json!({})), None);
}

#[test]
fn file_suggestions_cover_the_directory() {
    assert_eq!(
        suggest("edit", json!({ "path": "src/engine/index.rs" })).as_deref(),
        Some("edit(src/engine/**)")
    );
    assert_eq!(
        suggest("Write", json!({ "file_path": "/work/proj/README.md" })).as_deref(),
        Some("edit(./*)")
    );
    assert_eq!(
        suggest("read", json!({ "path": "/opt/data/x.csv" })).as_deref(),
        Some("read(/opt/data/**)")
    );
}

#[test]
fn web_fetch_and_other_tools() {
    assert_eq!(
        suggest("web_fetch", json!({ "url": "https://Docs.rs/serde/latest" })).as_deref(),
        Some("web_fetch(domain:docs.rs)")
    );
    assert_eq!(
        suggest("mcp__github__create_issue", json!({})).as_deref(),
        Some("mcp__github__create_issue")
    );
}

#[test]
fn suggested_rules_parse_and_allow_the_request_they_came_from() {
    let cases = [
        ("bash", json!({ "command": "npm run build -- --prod" })),
        ("bash", json!({ "command": "cd web && pnpm install" })),
        ("edit", json!({ "path": "src/a/b.rs" })),
        ("write", json!({ "path": "notes.md" })),
        ("web_fetch", json!({ "url": "https://crates.io/x" })),
        ("mcp__x__y", json!({})),
    ];
    for (tool, input) in cases {
        let request = ToolRequest::new(tool, &input, Path::new(ROOT));
        let rule = suggest_rule(&request).unwrap();
        let rules = Rules::with_home(
            &RuleLists { allow: vec![rule.clone()], ..RuleLists::default() },
            None,
        )
        .unwrap_or_else(|error| panic!("{rule}: {error}"));
        assert_eq!(rules.check(PermissionMode::Ask, &request), Decision::Allow, "{rule}");
    }
}
