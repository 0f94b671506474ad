use super::*;
use pretty_assertions::assert_eq;
use serde_json::json;

fn tool(name: &str, input_schema: Value) -> ToolSpec {
    ToolSpec { name: name.into(), description: String::new(), input_schema }
}

/// The tool-specific lines of a grammar (the shared JSON rules left out).
fn tool_rules(grammar: &str) -> String {
    let lines: Vec<&str> = grammar.lines().filter(|l| !COMMON_RULES.contains(*l)).collect();
    lines.join("\n")
}

#[test]
fn read_and_write_tools() {
    let tools = [
        tool(
            "read",
            json!({"type": "object", "properties": {"path": {"type": "string"}, "limit": {"type": "integer"}}, "required": ["path"]}),
        ),
        tool(
            "write",
            json!({"type": "object", "properties": {"path": {"type": "string"}, "content": {"type": "string"}}, "required": ["path", "content"]}),
        ),
    ];
    let grammar = tool_call_grammar(&tools);
    assert!(grammar.ends_with(COMMON_RULES));
    assert_eq!(
        tool_rules(&grammar),
        r#"root-tagged ::= ws tagged (ws tagged)*
root-fenced ::= ws "```" "json"? ws call ws "```"
root-bare ::= ws call
tagged ::= "<tool_call>" ws call ws "</tool_call>"
call ::= "{" ws "\"name\"" ws ":" ws (call-0 | call-1) ws "}"
call-0 ::= "\"read\"" ws "," ws "\"arguments\"" ws ":" ws args-0
args-0 ::= "{" ws "\"path\"" ws ":" ws string (ws "," ws "\"limit\"" ws ":" ws integer)? ws "}"
call-1 ::= "\"write\"" ws "," ws "\"arguments\"" ws ":" ws args-1
args-1 ::= "{" ws "\"path\"" ws ":" ws string ws "," ws "\"content\"" ws ":" ws string ws "}""#
    );
}

#[test]
fn nested_arrays_enums_unions_and_unknown_parts() {
    let tools = [tool(
        "todo",
        json!({"type": "object", "properties": {
            "items": {"type": "array", "items": {"type": "object", "properties": {"text": {"type": "string"}, "done": {"type": "boolean"}}, "required": ["text"]}},
            "mode": {"enum": ["add", "replace"]},
            "weight": {"type": ["number", "null"]},
            "extra": {"description": "anything"}
        }}),
    )];
    assert_eq!(
        tool_rules(&tool_call_grammar(&tools)),
        r#"root-tagged ::= ws tagged (ws tagged)*
root-fenced ::= ws "```" "json"? ws call ws "```"
root-bare ::= ws call
tagged ::= "<tool_call>" ws call ws "</tool_call>"
call ::= "{" ws "\"name\"" ws ":" ws call-0 ws "}"
call-0 ::= "\"todo\"" ws "," ws "\"arguments\"" ws ":" ws args-0
args-0-items-item ::= "{" ws "\"text\"" ws ":" ws string (ws "," ws "\"done\"" ws ":" ws boolean)? ws "}"
args-0-items ::= "[" ws (args-0-items-item (ws "," ws args-0-items-item)*)? ws "]"
args-0 ::= "{" ws ("\"extra\"" ws ":" ws value (ws "," ws "\"items\"" ws ":" ws args-0-items)? (ws "," ws "\"mode\"" ws ":" ws ("\"add\"" | "\"replace\""))? (ws "," ws "\"weight\"" ws ":" ws (number | null))? | "\"items\"" ws ":" ws args-0-items (ws "," ws "\"mode\"" ws ":" ws ("\"add\"" | "\"replace\""))? (ws "," ws "\"weight\"" ws ":" ws (number | null))? | "\"mode\"" ws ":" ws ("\"add\"" | "\"replace\"") (ws "," ws "\"weight\"" ws ":" ws (number | null))? | "\"weight\"" ws ":" ws (number | null))? ws "}""#
    );
}

#[test]
fn tools_without_arguments_and_odd_names() {
    let tools = [
        tool("noop", json!({"type": "object", "properties": {}})),
        tool("free", json!({"type": "object"})),
        tool(
            "odd",
            json!({"type": "object", "properties": {"a_b": {"type": "array", "items": {"type": "integer"}}, "a-b": {"const": 1}}}),
        ),
    ];
    let rules = tool_rules(&tool_call_grammar(&tools));
    assert!(rules.contains("args-0 ::= \"{\" ws \"}\"\n"), "{rules}");
    assert!(rules.contains("args-1 ::= object\n"), "{rules}");
    assert!(
        rules.contains("args-2-a-b ::= \"[\" ws (integer (ws \",\" ws integer)*)? ws \"]\"\n"),
        "{rules}"
    );
    assert!(rules.contains("\"\\\"a-b\\\"\" ws \":\" ws \"1\""), "{rules}");
}

#[test]
fn literals_escape_quotes_backslashes_and_control_characters() {
    assert_eq!(literal(r#"a"b\c"#), r#""a\"b\\c""#);
    assert_eq!(literal("line\nnext\t\u{1}"), r#""line\nnext\t\x01""#);
    assert_eq!(json_literal(&json!("say \"hi\"")), r#""\"say \\\"hi\\\"\"""#);
}
