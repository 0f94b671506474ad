use super::*;
use crate::prompt::{ChatMessage, ToolCall};
use pretty_assertions::assert_eq;
use serde_json::json;

fn message(role: &'static str, content: &str) -> ChatMessage {
    ChatMessage { role, content: content.into(), tool_calls: vec![] }
}

fn prompt(messages: Vec<ChatMessage>) -> ChatPrompt {
    ChatPrompt { messages, tools: vec![] }
}

#[test]
fn chatml_when_the_model_has_no_template() {
    let template = ChatTemplate::new(None, "<s>", "</s>").unwrap();
    assert!(!template.takes_tools());
    let text = template
        .render(&prompt(vec![message("system", "Be brief."), message("user", "Hi")]))
        .unwrap();
    assert_eq!(
        text,
        "<|im_start|>system\nBe brief.<|im_end|>\n<|im_start|>user\nHi<|im_end|>\n<|im_start|>assistant\n"
    );
}

#[test]
fn a_small_handwritten_template_with_tools() {
    let source = r#"{{ bos_token }}{% if tools %}[TOOLS]{% for t in tools %}{{ t | tojson }}{% endfor %}[/TOOLS]
{% endif %}
{% for m in messages %}
{{ m.role | upper }}: {{ m.content | trim }}{% for c in m.tool_calls %} CALL {{ c.function.name }} {{ c.function.arguments | tojson }}{% endfor %}{{ eos_token }}
{% endfor %}
{% if add_generation_prompt %}ASSISTANT:{% endif %}"#;
    let template = ChatTemplate::new(Some(source), "<s>", "</s>").unwrap();
    assert!(template.takes_tools() && template.takes_tool_calls());
    let mut assistant = message("assistant", "Reading.");
    assistant
        .tool_calls
        .push(ToolCall { name: "read".into(), arguments: json!({"path": "a<b>.rs"}) });
    let chat = ChatPrompt {
        messages: vec![message("user", " Show a "), assistant],
        tools: vec![ToolDef {
            name: "read".into(),
            description: "Read a file.".into(),
            parameters: crate::schema::compact_schema(&json!({
                "type": "object",
                "properties": {"path": {"type": "string"}},
                "required": ["path"]
            })),
        }],
    };
    assert_eq!(
        template.render(&chat).unwrap(),
        "<s>[TOOLS]{\"type\": \"function\", \"function\": {\"name\": \"read\", \"description\": \"Read a file.\", \"parameters\": {\"type\": \"object\", \"properties\": {\"path\": {\"type\": \"string\"}}, \"required\": [\"path\"]}}}[/TOOLS]\nUSER: Show a</s>\nASSISTANT: Reading. CALL read {\"path\": \"a<b>.rs\"}</s>\nASSISTANT:"
    );
}

#[test]
fn python_methods_and_indented_json() {
    let source = "{{ messages[0].content.strip().upper() }}|{{ {'a': [1, 2], 'b': none} | tojson(indent=2) }}";
    let template = ChatTemplate::new(Some(source), "", "").unwrap();
    assert_eq!(
        template.render(&prompt(vec![message("user", "  hi ")])).unwrap(),
        "HI|{\n  \"a\": [\n    1,\n    2\n  ],\n  \"b\": null\n}"
    );
}

#[test]
fn template_errors_are_reported() {
    let err = ChatTemplate::new(Some("{% for %}"), "", "").unwrap_err();
    assert!(matches!(err, LocalError::Template { .. }), "{err}");
    let template =
        ChatTemplate::new(Some("{{ raise_exception('roles must alternate') }}"), "", "").unwrap();
    let err = template.render(&prompt(vec![])).unwrap_err();
    assert!(err.to_string().contains("roles must alternate"), "{err}");
}

#[test]
fn dates() {
    assert_eq!(civil_date(0), (1970, 1, 1));
    assert_eq!(civil_date(19_723), (2024, 1, 1));
    assert_eq!(civil_date(11_016), (2000, 2, 29));
    let today = strftime_now("%d %b %Y".into());
    assert_eq!(today.len(), 11, "{today}");
}
