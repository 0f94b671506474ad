//! Pieces of the OpenAI answer format shared by whole responses and streamed chunks.

use rein_protocol::{ContentBlock, ModelResponse, StopReason, Usage};
use serde_json::{Value, json};

/// The `finish_reason` for how the model stopped. An answer carrying tool calls always
/// reports `tool_calls`, whatever the provider said, because clients key on it.
pub(crate) fn finish_reason(response: &ModelResponse) -> &'static str {
    let has_calls = response.content.iter().any(|b| matches!(b, ContentBlock::ToolUse { .. }));
    match &response.stop_reason {
        _ if has_calls => "tool_calls",
        StopReason::ToolUse => "tool_calls",
        StopReason::MaxTokens => "length",
        StopReason::Refusal => "content_filter",
        StopReason::EndTurn | StopReason::StopSequence | StopReason::Other(_) => "stop",
    }
}

/// OpenAI counts cached tokens inside `prompt_tokens`; rein counts them apart.
pub(crate) fn usage(usage: &Usage) -> Value {
    let prompt = usage.total_input();
    json!({
        "prompt_tokens": prompt,
        "completion_tokens": usage.output_tokens,
        "total_tokens": prompt + usage.output_tokens,
        "prompt_tokens_details": {"cached_tokens": usage.cache_read_tokens},
    })
}

/// Tool arguments as JSON text. Malformed output rein kept as a string goes out verbatim, so
/// the client sees exactly what the model wrote.
pub(crate) fn arguments_text(input: &Value) -> String {
    match input {
        Value::String(raw) => raw.clone(),
        other => other.to_string(),
    }
}

/// The answer's text blocks joined.
pub(crate) fn text(response: &ModelResponse) -> String {
    collect(response, |block| match block {
        ContentBlock::Text { text } => Some(text),
        _ => None,
    })
}

/// The answer's reasoning joined.
pub(crate) fn thinking(response: &ModelResponse) -> String {
    collect(response, |block| match block {
        ContentBlock::Thinking { thinking, .. } => Some(thinking),
        _ => None,
    })
}

fn collect(response: &ModelResponse, pick: impl Fn(&ContentBlock) -> Option<&String>) -> String {
    response.content.iter().filter_map(pick).map(String::as_str).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn response(content: Vec<ContentBlock>, stop_reason: StopReason) -> ModelResponse {
        ModelResponse { content, stop_reason, usage: Usage::default(), model: "m".into() }
    }

    #[test]
    fn finish_reasons() {
        let call = ContentBlock::ToolUse { id: "c".into(), name: "f".into(), input: json!({}) };
        assert_eq!(finish_reason(&response(vec![call], StopReason::EndTurn)), "tool_calls");
        assert_eq!(finish_reason(&response(vec![], StopReason::EndTurn)), "stop");
        assert_eq!(finish_reason(&response(vec![], StopReason::MaxTokens)), "length");
        assert_eq!(finish_reason(&response(vec![], StopReason::Other("x".into()))), "stop");
    }

    #[test]
    fn usage_folds_cache_reads_into_prompt_tokens() {
        let u = Usage {
            input_tokens: 10,
            output_tokens: 5,
            cache_read_tokens: 4,
            cache_creation_tokens: 1,
        };
        assert_eq!(
            usage(&u),
            json!({"prompt_tokens": 15, "completion_tokens": 5, "total_tokens": 20,
                   "prompt_tokens_details": {"cached_tokens": 4}})
        );
    }

    #[test]
    fn arguments_keep_raw_text() {
        assert_eq!(arguments_text(&json!({"a": 1})), r#"{"a":1}"#);
        assert_eq!(arguments_text(&json!("{broken")), "{broken");
    }
}
