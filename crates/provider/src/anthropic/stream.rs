//! Decoding of the Messages API event stream into provider events and the final response.

use super::error;
use crate::error::ProviderError;
use crate::sse::SseEvent;
use crate::stream::{Flow, StreamDecoder};
use crate::wire;
use rein_protocol::{ContentBlock, ModelResponse, ProviderEvent, StopReason, Usage};
use serde_json::Value;
use std::collections::BTreeMap;

/// Assembles one streamed message.
#[derive(Debug, Default)]
pub(crate) struct AnthropicDecoder {
    model: String,
    usage: Usage,
    /// Content blocks by their stream index.
    blocks: BTreeMap<u64, Block>,
    stop_reason: Option<StopReason>,
}

#[derive(Debug)]
enum Block {
    Text(String),
    Thinking {
        thinking: String,
        signature: Option<String>,
    },
    ToolUse {
        id: String,
        name: String,
        /// Concatenated `input_json_delta` fragments.
        json: String,
        /// The `input` of `content_block_start`, used when no fragments follow.
        initial: Value,
    },
    /// A block type rein does not model (e.g. `redacted_thinking`, server tools); its deltas
    /// are skipped.
    Other,
}

impl AnthropicDecoder {
    /// `model` is reported when the stream does not name the answering model.
    pub(crate) fn new(model: &str) -> Self {
        Self { model: model.to_string(), ..Self::default() }
    }

    fn message_start(&mut self, data: &Value) {
        let message = &data["message"];
        if let Some(model) = message["model"].as_str().filter(|m| !m.is_empty()) {
            self.model = model.to_string();
        }
        self.merge_usage(&message["usage"]);
    }

    /// Usage fields are cumulative wherever they appear, so the largest value is the latest.
    fn merge_usage(&mut self, usage: &Value) {
        let merge = |field: &mut u64, key: &str| {
            if let Some(value) = usage[key].as_u64() {
                *field = (*field).max(value);
            }
        };
        merge(&mut self.usage.input_tokens, "input_tokens");
        merge(&mut self.usage.output_tokens, "output_tokens");
        merge(&mut self.usage.cache_read_tokens, "cache_read_input_tokens");
        merge(&mut self.usage.cache_creation_tokens, "cache_creation_input_tokens");
    }

    fn block_start(
        &mut self,
        data: &Value,
        out: &mut Vec<ProviderEvent>,
    ) -> Result<(), ProviderError> {
        let index = block_index(data)?;
        let start = &data["content_block"];
        let text_of = |key: &str| start[key].as_str().unwrap_or_default().to_string();
        let block = match start["type"].as_str().unwrap_or_default() {
            "text" => {
                let text = text_of("text");
                push_text(out, &text);
                Block::Text(text)
            }
            "thinking" => {
                let thinking = text_of("thinking");
                push_thinking(out, &thinking);
                let signature = Some(text_of("signature")).filter(|s| !s.is_empty());
                Block::Thinking { thinking, signature }
            }
            "tool_use" => {
                let (id, name) = (text_of("id"), text_of("name"));
                out.push(ProviderEvent::ToolUseStarted { id: id.clone(), name: name.clone() });
                let initial = start["input"].clone();
                Block::ToolUse { id, name, json: String::new(), initial }
            }
            other => {
                tracing::debug!(block_type = other, "skipping unsupported content block");
                Block::Other
            }
        };
        self.blocks.insert(index, block);
        Ok(())
    }

    fn block_delta(
        &mut self,
        data: &Value,
        out: &mut Vec<ProviderEvent>,
    ) -> Result<(), ProviderError> {
        let index = block_index(data)?;
        let delta = &data["delta"];
        let delta_type = delta["type"].as_str().unwrap_or_default();
        let fragment = |key: &str| delta[key].as_str().unwrap_or_default();
        let Some(block) = self.blocks.get_mut(&index) else {
            return Err(ProviderError::malformed(format!(
                "{delta_type} for content block {index}, which was never started"
            )));
        };
        match (delta_type, block) {
            ("text_delta", Block::Text(text)) => {
                let piece = fragment("text");
                text.push_str(piece);
                push_text(out, piece);
            }
            ("thinking_delta", Block::Thinking { thinking, .. }) => {
                let piece = fragment("thinking");
                thinking.push_str(piece);
                push_thinking(out, piece);
            }
            ("signature_delta", Block::Thinking { signature, .. }) => {
                signature.get_or_insert_default().push_str(fragment("signature"));
            }
            ("input_json_delta", Block::ToolUse { json, .. }) => {
                json.push_str(fragment("partial_json"));
            }
            ("text_delta" | "thinking_delta" | "signature_delta" | "input_json_delta", block)
                if !matches!(block, Block::Other) =>
            {
                return Err(ProviderError::malformed(format!(
                    "{delta_type} does not fit content block {index}"
                )));
            }
            // Citations and deltas of unsupported blocks carry nothing rein keeps.
            _ => {}
        }
        Ok(())
    }

    fn response(&mut self) -> ModelResponse {
        let content: Vec<ContentBlock> =
            std::mem::take(&mut self.blocks).into_values().filter_map(finish_block).collect();
        let has_tool_use = content.iter().any(|b| matches!(b, ContentBlock::ToolUse { .. }));
        let stop_reason = self.stop_reason.take().unwrap_or(if has_tool_use {
            StopReason::ToolUse
        } else {
            StopReason::EndTurn
        });
        ModelResponse {
            content,
            stop_reason,
            usage: self.usage,
            model: std::mem::take(&mut self.model),
        }
    }
}

impl StreamDecoder for AnthropicDecoder {
    fn on_event(
        &mut self,
        event: SseEvent,
        out: &mut Vec<ProviderEvent>,
    ) -> Result<Flow, ProviderError> {
        let data: Value = serde_json::from_str(&event.data).map_err(|e| {
            ProviderError::malformed(format!("{} event is not JSON: {e}", event.event))
        })?;
        // The JSON `type` is authoritative; the SSE event name is a fallback for proxies that
        // strip it.
        let kind = data["type"].as_str().unwrap_or(event.event.as_str());
        match kind {
            "message_start" => self.message_start(&data),
            "content_block_start" => self.block_start(&data, out)?,
            "content_block_delta" => self.block_delta(&data, out)?,
            "message_delta" => {
                if let Some(reason) = data["delta"]["stop_reason"].as_str() {
                    self.stop_reason = Some(stop_reason(reason));
                }
                self.merge_usage(&data["usage"]);
            }
            "message_stop" => {
                out.push(ProviderEvent::Completed { response: self.response() });
                return Ok(Flow::Done);
            }
            "error" => return Err(error::from_event(&data)),
            // content_block_stop, ping, and event types added after this was written.
            _ => {}
        }
        Ok(Flow::Continue)
    }

    fn on_end(&mut self, _out: &mut Vec<ProviderEvent>) -> Result<(), ProviderError> {
        Err(ProviderError::stream_cut("the response ended before message_stop"))
    }
}

fn block_index(data: &Value) -> Result<u64, ProviderError> {
    data["index"]
        .as_u64()
        .ok_or_else(|| ProviderError::malformed("content block event without index"))
}

fn push_text(out: &mut Vec<ProviderEvent>, text: &str) {
    if !text.is_empty() {
        out.push(ProviderEvent::TextDelta { text: text.to_string() });
    }
}

fn push_thinking(out: &mut Vec<ProviderEvent>, text: &str) {
    if !text.is_empty() {
        out.push(ProviderEvent::ThinkingDelta { text: text.to_string() });
    }
}

/// The protocol block for an assembled stream block; empty text is dropped because the API
/// rejects empty text blocks when the message is sent back.
fn finish_block(block: Block) -> Option<ContentBlock> {
    match block {
        Block::Text(text) if text.is_empty() => None,
        Block::Text(text) => Some(ContentBlock::Text { text }),
        Block::Thinking { thinking, signature } if thinking.is_empty() && signature.is_none() => {
            None
        }
        Block::Thinking { thinking, signature } => {
            Some(ContentBlock::Thinking { thinking, signature })
        }
        Block::ToolUse { id, name, json, initial } => {
            let input = if json.trim().is_empty() && initial.is_object() {
                initial
            } else {
                wire::parse_tool_input(&json)
            };
            Some(ContentBlock::ToolUse { id, name, input })
        }
        Block::Other => None,
    }
}

fn stop_reason(reason: &str) -> StopReason {
    match reason {
        "end_turn" => StopReason::EndTurn,
        "tool_use" => StopReason::ToolUse,
        "max_tokens" => StopReason::MaxTokens,
        "stop_sequence" => StopReason::StopSequence,
        "refusal" => StopReason::Refusal,
        other => StopReason::Other(other.to_string()),
    }
}

#[cfg(test)]
#[path = "stream_tests.rs"]
mod tests;
