//! Provider events as `chat.completion.chunk` objects.
//!
//! The order follows OpenAI's streams: a first chunk with the role, content (and reasoning)
//! deltas as they arrive, a tool call's id and name when the model starts it, its arguments
//! once the answer is complete (rein's providers deliver arguments whole), then a chunk with
//! the finish reason and, if asked for, one with the usage and no choices.

use crate::response::CompletionId;
use crate::wire;
use rein_protocol::{ContentBlock, ModelResponse, ProviderEvent};
use serde_json::{Value, json};

/// Turns one answer's events into chunks.
#[derive(Debug)]
pub(crate) struct ChunkWriter {
    meta: CompletionId,
    include_usage: bool,
    /// Ids of the tool calls announced so far; a call's position is its `index`.
    announced: Vec<String>,
    /// Text sent so far, to send whatever the final answer holds beyond it.
    streamed_text: String,
}

impl ChunkWriter {
    pub(crate) fn new(meta: CompletionId, include_usage: bool) -> Self {
        Self { meta, include_usage, announced: Vec::new(), streamed_text: String::new() }
    }

    /// The first chunk: the role, with empty content.
    pub(crate) fn opening(&self) -> Value {
        self.chunk(json!({"role": "assistant", "content": ""}), None)
    }

    /// The chunks for one event; the completed event yields the closing ones.
    pub(crate) fn event(&mut self, event: &ProviderEvent) -> Vec<Value> {
        match event {
            ProviderEvent::TextDelta { text } if text.is_empty() => Vec::new(),
            ProviderEvent::TextDelta { text } => {
                self.streamed_text.push_str(text);
                vec![self.chunk(json!({"content": text}), None)]
            }
            ProviderEvent::ThinkingDelta { text } if text.is_empty() => Vec::new(),
            ProviderEvent::ThinkingDelta { text } => {
                vec![self.chunk(json!({"reasoning_content": text}), None)]
            }
            ProviderEvent::ToolUseStarted { id, name } => vec![self.announce(id, name)],
            ProviderEvent::Completed { response } => self.closing(response),
        }
    }

    fn announce(&mut self, id: &str, name: &str) -> Value {
        let index = self.announced.len();
        self.announced.push(id.to_string());
        self.chunk(
            json!({"tool_calls": [{
                "index": index,
                "id": id,
                "type": "function",
                "function": {"name": name, "arguments": ""},
            }]}),
            None,
        )
    }

    fn closing(&mut self, response: &ModelResponse) -> Vec<Value> {
        let mut out = Vec::new();
        // Text the provider put in the answer without streaming it first.
        let text = wire::text(response);
        if let Some(rest) = text.strip_prefix(self.streamed_text.as_str()).filter(|r| !r.is_empty())
        {
            out.push(self.chunk(json!({"content": rest}), None));
        }
        // Each announced call is matched once, so repeated ids still get their own index.
        let mut matched = vec![false; self.announced.len()];
        for block in &response.content {
            let ContentBlock::ToolUse { id, name, input } = block else { continue };
            let known = (0..matched.len()).find(|&i| !matched[i] && self.announced[i] == *id);
            let index = match known {
                Some(index) => {
                    matched[index] = true;
                    index
                }
                None => {
                    out.push(self.announce(id, name));
                    self.announced.len() - 1
                }
            };
            let arguments = wire::arguments_text(input);
            if !arguments.is_empty() {
                out.push(self.chunk(
                    json!({"tool_calls": [{"index": index, "function": {"arguments": arguments}}]}),
                    None,
                ));
            }
        }
        out.push(self.chunk(json!({}), Some(wire::finish_reason(response))));
        if self.include_usage {
            out.push(self.base(json!([]), wire::usage(&response.usage)));
        }
        out
    }

    fn chunk(&self, delta: Value, finish_reason: Option<&str>) -> Value {
        let choices = json!([{
            "index": 0,
            "delta": delta,
            "finish_reason": finish_reason,
            "logprobs": null,
        }]);
        // With usage requested, every other chunk carries `usage: null`, as OpenAI's do.
        self.base(choices, Value::Null)
    }

    fn base(&self, choices: Value, usage: Value) -> Value {
        let mut chunk = json!({
            "id": self.meta.id,
            "object": "chat.completion.chunk",
            "created": self.meta.created,
            "model": self.meta.model,
            "choices": choices,
        });
        if self.include_usage {
            chunk["usage"] = usage;
        }
        chunk
    }
}
