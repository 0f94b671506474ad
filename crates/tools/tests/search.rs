//! glob, grep and list.

mod common;

use common::Ws;
use pretty_assertions::assert_eq;
use serde_json::json;
use std::time::{Duration, SystemTime};

#[allow(clippy::unwrap_used)]
fn set_mtime(path: &std::path::Path, secs_ago: u64) {
    let f = std::fs::File::options().write(true).open(path).unwrap();
    f.set_modified(SystemTime::now() - Duration::from_secs(secs_ago)).unwrap();
}

fn sample(ws: &Ws) {
    set_mtime(&ws.put("src/old.rs", "fn old() {}\n// TODO later\n"), 300);
    set_mtime(&ws.put("src/new.rs", "fn new() {}\nlet todo = 1; // TODO now\n"), 10);
    set_mtime(&ws.put("src/mid.rs", "fn mid() {}\n"), 100);
    set_mtime(&ws.put("docs/guide.md", "# Guide\nTODO: write\n"), 50);
    ws.put(".gitignore", "target/\n*.log\n");
    ws.put("target/debug/gen.rs", "// TODO generated\n");
    ws.put("build.log", "TODO in a log\n");
    ws.put(".github/ci.yml", "on: push # TODO\n");
}

#[tokio::test]
async fn glob_is_gitignore_aware_and_newest_first() {
    let ws = Ws::new();
    sample(&ws);
    let out = ws.call("glob", json!({"pattern": "**/*.rs"})).await;
    assert_eq!(out.content, "src/new.rs\nsrc/mid.rs\nsrc/old.rs");
    // Without a slash the pattern matches names at any depth.
    let out = ws.call("glob", json!({"pattern": "*.rs"})).await;
    assert_eq!(out.content, "src/new.rs\nsrc/mid.rs\nsrc/old.rs");
    let out = ws.call("glob", json!({"pattern": "*.yml"})).await;
    assert_eq!(out.content, ".github/ci.yml", "hidden files are included");
    let out = ws.call("glob", json!({"pattern": "*.log"})).await;
    assert!(out.content.starts_with("No files match"), "{}", out.content);
    let out = ws.call("glob", json!({"pattern": "*.rs", "path": "src"})).await;
    assert_eq!(out.content, "src/new.rs\nsrc/mid.rs\nsrc/old.rs");
    let abs = format!("{}/src/*.rs", ws.root().display());
    let out = ws.call("glob", json!({"pattern": abs})).await;
    assert_eq!(out.content, "src/new.rs\nsrc/mid.rs\nsrc/old.rs");
    let out = ws.call("glob", json!({"pattern": "[", "path": "src"})).await;
    assert!(out.is_error, "{}", out.content);
    let out = ws.call("glob", json!({"pattern": "*", "path": "nope"})).await;
    assert!(out.is_error && out.content.contains("not found"), "{}", out.content);
}

#[tokio::test]
async fn glob_caps_results() {
    let ws = Ws::new();
    for i in 0..250 {
        ws.put(&format!("many/f{i:03}.txt"), "x");
    }
    let out = ws.call("glob", json!({"pattern": "*.txt"})).await;
    assert_eq!(out.content.lines().count(), 201);
    assert!(out.content.ends_with("200 most recently modified of 250 matching files; narrow the pattern or path to see others.]"));
}

#[tokio::test]
async fn grep_files_mode_is_default_and_newest_first() {
    let ws = Ws::new();
    sample(&ws);
    let out = ws.call("grep", json!({"pattern": "TODO"})).await;
    assert!(!out.is_error, "{}", out.content);
    let mut lines: Vec<&str> = out.content.lines().collect();
    // .github/ci.yml and .gitignore have no reliable mtime order; check the set and order of the rest.
    lines.retain(|l| !l.starts_with(".github"));
    assert_eq!(lines, ["src/new.rs", "docs/guide.md", "src/old.rs"]);
    assert!(out.content.contains(".github/ci.yml"));
    assert!(!out.content.contains("target/") && !out.content.contains("build.log"));
}

#[tokio::test]
async fn grep_content_count_and_filters() {
    let ws = Ws::new();
    sample(&ws);
    let out =
        ws.call("grep", json!({"pattern": "TODO", "output_mode": "content", "glob": "*.rs"})).await;
    assert_eq!(out.content, "src/new.rs:2:let todo = 1; // TODO now\nsrc/old.rs:2:// TODO later");
    let out = ws.call("grep", json!({"pattern": "todo", "output_mode": "count", "type": "rust", "case_insensitive": true})).await;
    assert_eq!(out.content, "src/new.rs:1\nsrc/old.rs:1\n[2 matching lines in 2 files]");
    let out = ws
        .call("grep", json!({"pattern": "fn", "path": "src/mid.rs", "output_mode": "content"}))
        .await;
    assert_eq!(out.content, "src/mid.rs:1:fn mid() {}");
    let out = ws.call("grep", json!({"pattern": "nothing-here"})).await;
    assert!(!out.is_error && out.content.starts_with("No matches"), "{}", out.content);
    let out = ws.call("grep", json!({"pattern": "(unclosed"})).await;
    assert!(out.is_error && out.content.contains("invalid regex"), "{}", out.content);
    let out = ws.call("grep", json!({"pattern": "x", "type": "no-such-type"})).await;
    assert!(out.is_error && out.content.contains("unknown file type"), "{}", out.content);
}

#[tokio::test]
async fn grep_context_multiline_and_head_limit() {
    let ws = Ws::new();
    ws.put("a.txt", "l1\nl2\nhit\nl4\nl5\nl6\nl7\nhit\nl9\n");
    let out =
        ws.call("grep", json!({"pattern": "hit", "output_mode": "content", "context": 1})).await;
    assert_eq!(
        out.content,
        "a.txt-2-l2\na.txt:3:hit\na.txt-4-l4\n--\na.txt-7-l7\na.txt:8:hit\na.txt-9-l9"
    );
    let out = ws.call("grep", json!({"pattern": "l2\\nhit", "output_mode": "content"})).await;
    assert!(out.is_error && out.content.contains("multiline"), "{}", out.content);
    let out = ws
        .call("grep", json!({"pattern": "l2\\nhit", "output_mode": "content", "multiline": true}))
        .await;
    assert_eq!(out.content, "a.txt:2:l2\na.txt:3:hit");
    let out =
        ws.call("grep", json!({"pattern": "l", "output_mode": "content", "head_limit": 2})).await;
    assert_eq!(
        out.content,
        "a.txt:1:l1\na.txt:2:l2\n[Showing 2 of 7 lines; raise head_limit or narrow the search.]"
    );
}

#[tokio::test]
async fn grep_skips_binary_files() {
    let ws = Ws::new();
    std::fs::write(ws.path("blob.bin"), b"needle\0\0\0binary").unwrap();
    ws.put("text.txt", "needle\n");
    let out = ws.call("grep", json!({"pattern": "needle"})).await;
    assert_eq!(out.content, "text.txt");
}

#[tokio::test]
async fn list_shows_a_small_tree() {
    let ws = Ws::new();
    sample(&ws);
    let out = ws.call("list", json!({})).await;
    assert_eq!(
        out.content,
        ".\n  .github/\n    ci.yml\n  docs/\n    guide.md\n  src/\n    mid.rs\n    new.rs\n    old.rs\n  .gitignore"
            .replace(".\n", "./\n")
    );
    let out = ws.call("list", json!({"path": "src"})).await;
    assert_eq!(out.content, "src/\n  mid.rs\n  new.rs\n  old.rs");
    let out = ws.call("list", json!({"path": "src/mid.rs"})).await;
    assert!(out.is_error && out.content.contains("use `read`"), "{}", out.content);
    std::fs::create_dir(ws.path("empty")).unwrap();
    let out = ws.call("list", json!({"path": "empty"})).await;
    assert_eq!(out.content, "empty/ (empty)");
}

#[tokio::test]
async fn list_caps_large_directories() {
    let ws = Ws::new();
    for i in 0..60 {
        ws.put(&format!("d/f{i:02}"), "");
    }
    let out = ws.call("list", json!({})).await;
    assert!(out.content.contains("  d/\n    f00\n"), "{}", out.content);
    assert!(out.content.ends_with("    ... 20 more"), "{}", out.content);
}
