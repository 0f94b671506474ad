use super::*;
use pretty_assertions::assert_eq;
use serde_json::json;

fn call(name: &str, arguments: Value) -> Segment {
    Segment::Call { name: name.into(), arguments }
}

fn text(t: &str) -> Segment {
    Segment::Text(t.into())
}

#[test]
fn tagged_call() {
    let reply = "<tool_call>\n{\"name\": \"read\", \"arguments\": {\"path\": \"src/lib.rs\"}}\n</tool_call>";
    assert_eq!(parse_reply(reply), [call("read", json!({"path": "src/lib.rs"}))]);
}

#[test]
fn tagged_call_without_closing_tag() {
    let reply = "<tool_call>{\"name\": \"read\", \"arguments\": {\"path\": \"a\"}}";
    assert_eq!(parse_reply(reply), [call("read", json!({"path": "a"}))]);
}

#[test]
fn fenced_call_with_text_around() {
    let reply = "I will read it.\n```json\n{\n  \"name\": \"read\",\n  \"arguments\": {\n    \"path\": \"README.md\"\n  }\n}\n```\nDone.";
    assert_eq!(
        parse_reply(reply),
        [text("I will read it."), call("read", json!({"path": "README.md"})), text("Done.")]
    );
}

#[test]
fn fence_without_language_and_with_an_array_of_calls() {
    let reply = "```\n[{\"name\": \"a\", \"arguments\": {}}, {\"name\": \"b\", \"parameters\": {\"x\": 1}}]\n```";
    assert_eq!(parse_reply(reply), [call("a", json!({})), call("b", json!({"x": 1}))]);
}

#[test]
fn ordinary_code_blocks_stay_text() {
    let reply = "Here:\n```json\n{\"name\": \"pkg\", \"version\": \"1.0\"}\n```";
    assert_eq!(parse_reply(reply), [text(reply)]);
    let reply = "```rust\nfn main() { let x = {\"name\": 1}; }\n```";
    assert_eq!(parse_reply(reply), [text(reply)]);
}

#[test]
fn bare_objects_need_name_and_arguments() {
    let reply = "{\"name\": \"write\", \"arguments\": {\"path\": \"a.txt\", \"content\": \"hi\"}}";
    assert_eq!(parse_reply(reply), [call("write", json!({"path": "a.txt", "content": "hi"}))]);
    let prose = "The config is {\"name\": \"x\"} as shown.";
    assert_eq!(parse_reply(prose), [text(prose)]);
}

#[test]
fn several_calls_in_one_reply() {
    let reply = "<tool_call>\n{\"name\": \"read\", \"arguments\": {\"path\": \"a\"}}\n</tool_call>\n<tool_call>\n{\"name\": \"read\", \"arguments\": {\"path\": \"b\"}}\n</tool_call>";
    assert_eq!(
        parse_reply(reply),
        [call("read", json!({"path": "a"})), call("read", json!({"path": "b"}))]
    );
    let two_in_one_tag = "<tool_call>{\"name\": \"a\", \"arguments\": {}}\n{\"name\": \"b\", \"arguments\": {}}</tool_call>";
    assert_eq!(parse_reply(two_in_one_tag), [call("a", json!({})), call("b", json!({}))]);
}

#[test]
fn braces_and_quotes_inside_strings() {
    let reply =
        r#"{"name": "write", "arguments": {"path": "x.rs", "content": "fn f() { \"}\" }\n{"}}"#;
    assert_eq!(
        parse_reply(reply),
        [call("write", json!({"path": "x.rs", "content": "fn f() { \"}\" }\n{"}))]
    );
}

#[test]
fn string_arguments_are_decoded() {
    let reply = r#"<tool_call>{"name": "read", "arguments": "{\"path\": \"a\"}"}</tool_call>"#;
    assert_eq!(parse_reply(reply), [call("read", json!({"path": "a"}))]);
}

#[test]
fn unknown_tools_are_still_calls() {
    let reply = r#"<tool_call>{"name": "read_file", "arguments": {"path": "a"}}</tool_call>"#;
    assert_eq!(parse_reply(reply), [call("read_file", json!({"path": "a"}))]);
}

#[test]
fn garbage_is_text() {
    for reply in [
        "<tool_call>not json</tool_call>",
        "{\"name\": \"read\", \"arguments\": {\"path\": ",
        "}}{{ ]] [[",
        "<tool_call>{\"arguments\": {}}</tool_call>",
        "```json\n{broken\n```",
    ] {
        assert_eq!(parse_reply(reply), [text(reply.trim())], "{reply}");
    }
    assert_eq!(parse_reply("   "), []);
    assert_eq!(parse_reply("héllo wörld {"), [text("héllo wörld {")]);
}
