//! The registry, the schemas and malformed arguments for every tool.

mod common;

use common::{Ws, registry};
use serde_json::json;

#[test]
fn builtin_names_and_specs_are_sorted_and_stable() {
    let reg = registry();
    assert_eq!(
        reg.names(),
        [
            "ask_user",
            "bash",
            "bash_kill",
            "bash_output",
            "edit",
            "glob",
            "grep",
            "list",
            "multi_edit",
            "read",
            "todo",
            "web_fetch",
            "write"
        ]
    );
    let specs = reg.specs();
    let names: Vec<&str> = specs.iter().map(|s| s.name.as_str()).collect();
    assert_eq!(names, reg.names());
    let a = serde_json::to_string(&specs).unwrap();
    let b = serde_json::to_string(&rein_tools::builtin_tools().specs()).unwrap();
    assert_eq!(a, b, "specs are deterministic");
    for spec in &specs {
        let schema = &spec.input_schema;
        assert_eq!(schema["type"], "object", "{}", spec.name);
        assert!(schema.get("$schema").is_none() && schema.get("title").is_none());
        assert!(!a.contains("\"format\""), "no integer format noise");
        assert!(spec.description.len() < 400, "{} description too long", spec.name);
    }
    if std::env::var_os("REIN_PRINT_SPECS").is_some() {
        for spec in &specs {
            println!("{}: {}", spec.name, serde_json::to_string(&spec.input_schema).unwrap());
        }
    }
}

#[test]
fn read_only_flags() {
    let reg = registry();
    let ro = |name: &str| reg.get(name).unwrap().is_read_only(&json!({}));
    for name in ["read", "glob", "grep", "list", "todo", "ask_user", "bash_output", "web_fetch"] {
        assert!(ro(name), "{name}");
    }
    for name in ["write", "edit", "multi_edit", "bash", "bash_kill"] {
        assert!(!ro(name), "{name}");
    }
}

#[tokio::test]
async fn malformed_arguments_are_error_results_for_every_tool() {
    let ws = Ws::new();
    for name in registry().names() {
        // Not an object.
        let out = ws.call(name, json!([1, 2])).await;
        assert!(out.is_error, "{name}: {}", out.content);
        assert!(out.content.contains("expected a JSON object"), "{name}: {}", out.content);
        assert!(out.content.contains("Expected {"), "{name}: {}", out.content);
        // Wrong type for every field.
        let out = ws
            .call(
                name,
                json!({"path": 1, "command": 2, "pattern": 3, "url": 4,
            "todos": 5, "question": 6, "job_id": [], "content": 7, "old_string": 8,
            "new_string": 9, "edits": 10}),
            )
            .await;
        assert!(out.is_error, "{name}: {}", out.content);
        assert!(
            out.content.starts_with(&format!("invalid arguments for `{name}`")),
            "{}",
            out.content
        );
    }
    // Missing required fields name the field.
    let out = ws.call("read", json!({})).await;
    assert!(out.content.contains("missing field `path`"), "{}", out.content);
    let out = ws.call("edit", json!({"path": "a"})).await;
    assert!(out.content.contains("missing field `old_string`"), "{}", out.content);
    let out = ws.call("bash", json!({"cmd": "ls"})).await;
    assert!(out.content.contains("unknown field `cmd`"), "{}", out.content);
    let out = ws.call("grep", json!({"pattern": "x", "output_mode": "lines"})).await;
    assert!(out.content.contains("unknown variant `lines`"), "{}", out.content);
    let out = ws.call("todo", json!({"todos": [{"content": "a", "status": "doing"}]})).await;
    assert!(out.is_error && out.content.contains("unknown variant"), "{}", out.content);
}

#[test]
fn registry_register_replace_remove_retain() {
    let mut reg = rein_tools::builtin_tools();
    let n = reg.len();
    let old = reg.register(std::sync::Arc::new(rein_tools::ReadTool));
    assert!(old.is_some());
    assert_eq!(reg.len(), n);
    assert!(reg.remove("read").is_some());
    assert!(reg.get("read").is_none());
    reg.retain(|name| name.starts_with("bash"));
    assert_eq!(reg.names(), ["bash", "bash_kill", "bash_output"]);
    assert!(!reg.is_empty());
}
