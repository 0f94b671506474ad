//! rein's tools as Claude Code's hooks know them: hook scripts written for Claude Code test
//! `tool_name == "Bash"` and read `.tool_input.file_path`, so they see those spellings.

use serde_json::Value;

/// Claude Code's name for one of rein's tools, or rein's own name when Claude Code has no
/// such tool (`list`, `ask_user`, MCP tools, …).
pub fn hook_tool_name(rein_name: &str) -> &str {
    match rein_name {
        "bash" => "Bash",
        "read" => "Read",
        "write" => "Write",
        "edit" => "Edit",
        "multi_edit" => "MultiEdit",
        "grep" => "Grep",
        "glob" => "Glob",
        "web_fetch" => "WebFetch",
        "web_search" => "WebSearch",
        "todo" | "todo_write" => "TodoWrite",
        other => other,
    }
}

/// The tool input as hooks see it: rein's fields, plus `file_path` beside `path`.
pub(crate) fn hook_tool_input(input: &Value) -> Value {
    let mut shown = input.clone();
    if let Some(object) = shown.as_object_mut()
        && let Some(path) = object.get("path").cloned()
        && !object.contains_key("file_path")
    {
        object.insert("file_path".into(), path);
    }
    shown
}

/// Turns an `updatedInput` from a hook back into rein's fields: a changed `file_path` becomes
/// `path`, and the `file_path` that [`hook_tool_input`] added goes away again.
pub(crate) fn rein_tool_input(original: &Value, updated: Value) -> Value {
    let Value::Object(mut object) = updated else { return updated };
    let had_file_path = original.get("file_path").is_some();
    if !had_file_path && let Some(file_path) = object.remove("file_path") {
        let original_path = original.get("path");
        let path_unchanged = object.get("path") == original_path;
        // Whichever of the two the hook changed is the one it meant.
        if path_unchanged || !object.contains_key("path") {
            object.insert("path".into(), file_path);
        }
    }
    Value::Object(object)
}

/// The `tool_response` hooks get: rein's tools answer with text, so it is carried as
/// `output`, plus Claude Code's `filePath` for file tools.
pub(crate) fn hook_tool_response(input: &Value, output: &str) -> Value {
    let mut response = serde_json::Map::new();
    response.insert("output".into(), Value::String(output.to_string()));
    if let Some(path) = input.get("path") {
        response.insert("filePath".into(), path.clone());
    }
    Value::Object(response)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn tools_carry_claude_code_names_where_there_is_one() {
        assert_eq!(hook_tool_name("bash"), "Bash");
        assert_eq!(hook_tool_name("web_fetch"), "WebFetch");
        assert_eq!(hook_tool_name("todo"), "TodoWrite");
        assert_eq!(hook_tool_name("list"), "list");
        assert_eq!(hook_tool_name("mcp__github__search"), "mcp__github__search");
    }

    #[test]
    fn file_path_is_added_and_mapped_back() {
        let input = json!({"path": "src/a.rs", "content": "x"});
        let shown = hook_tool_input(&input);
        assert_eq!(shown, json!({"path": "src/a.rs", "file_path": "src/a.rs", "content": "x"}));
        // A hook that rewrote file_path moved the call.
        let moved = json!({"path": "src/a.rs", "file_path": "src/b.rs", "content": "x"});
        assert_eq!(rein_tool_input(&input, moved), json!({"path": "src/b.rs", "content": "x"}));
        // One that rewrote path (and kept the old file_path) meant path.
        let moved = json!({"path": "src/c.rs", "file_path": "src/a.rs", "content": "x"});
        assert_eq!(rein_tool_input(&input, moved), json!({"path": "src/c.rs", "content": "x"}));
        // One that answers with Claude Code's fields only.
        let claude = json!({"file_path": "src/d.rs", "content": "y"});
        assert_eq!(rein_tool_input(&input, claude), json!({"path": "src/d.rs", "content": "y"}));
        let command = json!({"command": "ls"});
        assert_eq!(hook_tool_input(&command), command);
        assert_eq!(
            rein_tool_input(&command, json!({"command": "ls -a"})),
            json!({"command": "ls -a"})
        );
    }
}
