//! Decoding of Chat Completions chunks into provider events and the final response.

use super::error;
use crate::error::ProviderError;
use crate::sse::SseEvent;
use crate::stream::{Flow, StreamDecoder};
use crate::wire;
use rein_protocol::{ContentBlock, ModelResponse, ProviderEvent, StopReason, Usage};
use serde_json::Value;
use std::collections::BTreeMap;

/// Assembles one streamed completion (choice 0).
#[derive(Debug, Default)]
pub(crate) struct OpenAiDecoder {
    model: String,
    text: String,
    thinking: String,
    /// Tool calls by their `index` in the stream.
    calls: BTreeMap<u64, ToolCall>,
    finish_reason: Option<StopReason>,
    /// The model sent a `refusal` instead of content.
    refused: bool,
    usage: Usage,
}

#[derive(Debug, Default)]
struct ToolCall {
    id: String,
    name: String,
    arguments: String,
    /// Whether `ToolUseStarted` was emitted for it.
    announced: bool,
}

impl OpenAiDecoder {
    /// `model` is reported when the chunks do not name the answering model.
    pub(crate) fn new(model: &str) -> Self {
        Self { model: model.to_string(), ..Self::default() }
    }

    fn chunk(&mut self, data: &Value, out: &mut Vec<ProviderEvent>) {
        if let Some(model) = data["model"].as_str().filter(|m| !m.is_empty()) {
            self.model = model.to_string();
        }
        if data["usage"].is_object() {
            self.usage = usage(&data["usage"]);
        }
        let choices = data["choices"].as_array().map(Vec::as_slice).unwrap_or_default();
        // Only one completion is requested; any other choice is not ours to assemble.
        let choice = choices.iter().find(|c| c["index"].as_u64().unwrap_or(0) == 0);
        let Some(choice) = choice else { return };
        let delta = &choice["delta"];
        // Servers name the reasoning field differently.
        for key in ["reasoning_content", "reasoning"] {
            if let Some(piece) = delta[key].as_str().filter(|s| !s.is_empty()) {
                self.thinking.push_str(piece);
                out.push(ProviderEvent::ThinkingDelta { text: piece.to_string() });
            }
        }
        if let Some(piece) = delta["content"].as_str().filter(|s| !s.is_empty()) {
            self.text.push_str(piece);
            out.push(ProviderEvent::TextDelta { text: piece.to_string() });
        }
        if let Some(piece) = delta["refusal"].as_str().filter(|s| !s.is_empty()) {
            self.refused = true;
            self.text.push_str(piece);
            out.push(ProviderEvent::TextDelta { text: piece.to_string() });
        }
        if let Some(calls) = delta["tool_calls"].as_array() {
            for call in calls {
                self.tool_call_fragment(call, out);
            }
        }
        if let Some(reason) = choice["finish_reason"].as_str() {
            self.finish_reason = Some(finish_reason(reason));
        }
    }

    fn tool_call_fragment(&mut self, fragment: &Value, out: &mut Vec<ProviderEvent>) {
        let id = fragment["id"].as_str().unwrap_or_default();
        let index = match fragment["index"].as_u64() {
            Some(index) => index,
            // Without an index, a new id starts a new call and anything else continues the last.
            None => {
                let known = self.calls.iter().find(|(_, c)| !id.is_empty() && c.id == id);
                let last = self.calls.keys().next_back().copied();
                match (known, last) {
                    (Some((index, _)), _) => *index,
                    (None, Some(last)) if id.is_empty() => last,
                    (None, Some(last)) => last + 1,
                    (None, None) => 0,
                }
            }
        };
        let call = self.calls.entry(index).or_default();
        if call.id.is_empty() && !id.is_empty() && !call.announced {
            call.id = id.to_string();
        }
        let function = &fragment["function"];
        // The name arrives whole; servers that repeat it on every fragment must not double it.
        if let Some(name) = function["name"].as_str().filter(|n| !n.is_empty())
            && call.name.is_empty()
        {
            call.name = name.to_string();
        }
        if let Some(arguments) = function["arguments"].as_str() {
            call.arguments.push_str(arguments);
        }
        if !call.announced && !call.name.is_empty() {
            announce(index, call, out);
        }
    }

    fn response(&mut self, out: &mut Vec<ProviderEvent>) -> ModelResponse {
        let mut content = Vec::new();
        if !self.thinking.is_empty() {
            let thinking = std::mem::take(&mut self.thinking);
            content.push(ContentBlock::Thinking { thinking, signature: None });
        }
        if !self.text.is_empty() {
            content.push(ContentBlock::Text { text: std::mem::take(&mut self.text) });
        }
        for (index, mut call) in std::mem::take(&mut self.calls) {
            if !call.announced {
                announce(index, &mut call, out);
            }
            let input = wire::parse_tool_input(&call.arguments);
            content.push(ContentBlock::ToolUse { id: call.id, name: call.name, input });
        }
        let has_calls = content.iter().any(|b| matches!(b, ContentBlock::ToolUse { .. }));
        let stop_reason = match self.finish_reason.take() {
            // Some local servers report "stop" even when the answer is tool calls.
            Some(StopReason::EndTurn) | None if has_calls => StopReason::ToolUse,
            Some(StopReason::EndTurn) | None if self.refused => StopReason::Refusal,
            Some(reason) => reason,
            None => StopReason::EndTurn,
        };
        ModelResponse {
            content,
            stop_reason,
            usage: self.usage,
            model: std::mem::take(&mut self.model),
        }
    }
}

impl StreamDecoder for OpenAiDecoder {
    fn on_event(
        &mut self,
        event: SseEvent,
        out: &mut Vec<ProviderEvent>,
    ) -> Result<Flow, ProviderError> {
        if event.data.trim() == "[DONE]" {
            let response = self.response(out);
            out.push(ProviderEvent::Completed { response });
            return Ok(Flow::Done);
        }
        let data: Value = serde_json::from_str(&event.data)
            .map_err(|e| ProviderError::malformed(format!("stream chunk is not JSON: {e}")))?;
        if event.event == "error" || !data["error"].is_null() {
            return Err(error::from_chunk(&data));
        }
        self.chunk(&data, out);
        Ok(Flow::Continue)
    }

    /// Some servers close the stream after the finish reason without sending `[DONE]`; the
    /// answer is complete then. Without a finish reason it was cut.
    fn on_end(&mut self, out: &mut Vec<ProviderEvent>) -> Result<(), ProviderError> {
        if self.finish_reason.is_none() {
            return Err(ProviderError::stream_cut(
                "the response ended without a finish_reason or [DONE]",
            ));
        }
        let response = self.response(out);
        out.push(ProviderEvent::Completed { response });
        Ok(())
    }
}

/// Emits `ToolUseStarted`, giving the call an id first if the server sent none.
fn announce(index: u64, call: &mut ToolCall, out: &mut Vec<ProviderEvent>) {
    if call.id.is_empty() {
        call.id = format!("call_{index}");
    }
    call.announced = true;
    out.push(ProviderEvent::ToolUseStarted { id: call.id.clone(), name: call.name.clone() });
}

/// OpenAI counts cached tokens inside `prompt_tokens`; the protocol counts them apart.
fn usage(usage: &Value) -> Usage {
    let prompt = usage["prompt_tokens"].as_u64().unwrap_or(0);
    let cached = usage["prompt_tokens_details"]["cached_tokens"].as_u64().unwrap_or(0).min(prompt);
    Usage {
        input_tokens: prompt - cached,
        output_tokens: usage["completion_tokens"].as_u64().unwrap_or(0),
        cache_read_tokens: cached,
        cache_creation_tokens: 0,
    }
}

fn finish_reason(reason: &str) -> StopReason {
    match reason {
        "stop" => StopReason::EndTurn,
        "tool_calls" | "function_call" => StopReason::ToolUse,
        "length" => StopReason::MaxTokens,
        "content_filter" => StopReason::Refusal,
        other => StopReason::Other(other.to_string()),
    }
}

#[cfg(test)]
#[path = "stream_tests.rs"]
mod tests;
