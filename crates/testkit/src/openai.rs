//! The OpenAI Chat Completions wire format (`POST /v1/chat/completions`).

use crate::answer::{Answer, Ending, Failure, Outcome, Stop};
use crate::response::Rendered;
use crate::sse;
use crate::turn::{CREATED, Turn};
use bytes::Bytes;
use serde_json::{Value, json};

/// Renders `outcome` as the response to an OpenAI request.
pub(crate) fn render(outcome: &Outcome, turn: &Turn) -> Rendered {
    let rendered = match outcome {
        Outcome::Failure(failure) => render_failure(failure),
        Outcome::Answer(answer) if turn.stream => {
            Rendered::event_stream(stream_frames(answer, turn), answer.ending == Ending::Cut)
        }
        Outcome::Answer(answer) => match answer.ending {
            Ending::Complete => Rendered::json(200, &completion(answer, turn)),
            Ending::Cut => Rendered::truncated_json(&completion(answer, turn)),
            Ending::Overloaded => render_failure(&overloaded()),
        },
    };
    rendered.with_header("x-request-id", format!("req_fake_{}", turn.seq))
}

fn overloaded() -> Failure {
    Failure {
        status: 503,
        error_type: Some("server_error".to_owned()),
        message: "Overloaded".to_owned(),
        retry_after_secs: None,
    }
}

fn render_failure(failure: &Failure) -> Rendered {
    let rendered = Rendered::json(failure.status, &error_body(failure));
    match failure.retry_after_secs {
        Some(secs) => rendered.with_header("retry-after", secs.to_string()),
        None => rendered,
    }
}

fn error_body(failure: &Failure) -> Value {
    let (default_type, code) = defaults_for_status(failure.status);
    let error_type = failure.error_type.as_deref().unwrap_or(default_type);
    json!({"error": {
        "message": failure.message,
        "type": error_type,
        "param": null,
        "code": code,
    }})
}

/// Error `type` and `code` the service uses for a status.
fn defaults_for_status(status: u16) -> (&'static str, Option<&'static str>) {
    match status {
        400 | 404 | 413 => ("invalid_request_error", None),
        401 => ("invalid_request_error", Some("invalid_api_key")),
        403 => ("permission_error", None),
        429 => ("requests", Some("rate_limit_exceeded")),
        _ => ("server_error", None),
    }
}

fn finish_reason(stop: Stop) -> &'static str {
    match stop {
        Stop::EndTurn => "stop",
        Stop::ToolUse => "tool_calls",
        Stop::MaxTokens => "length",
    }
}

fn usage(turn: &Turn) -> Value {
    let prompt = turn.usage.prompt_total();
    json!({
        "prompt_tokens": prompt,
        "completion_tokens": turn.usage.output,
        "total_tokens": prompt + turn.usage.output,
        "prompt_tokens_details": {"cached_tokens": turn.usage.cache_read},
    })
}

fn completion_id(turn: &Turn) -> String {
    format!("chatcmpl-fake-{}", turn.seq)
}

/// The complete non-streaming response.
fn completion(answer: &Answer, turn: &Turn) -> Value {
    let content = if answer.text.is_empty() && !answer.tools.is_empty() {
        Value::Null
    } else {
        Value::String(answer.text.clone())
    };
    let mut message = json!({"role": "assistant", "content": content, "refusal": null});
    if let Some(thinking) = &answer.thinking {
        message["reasoning_content"] = Value::String(thinking.text.clone());
    }
    if !answer.tools.is_empty() {
        let calls: Vec<Value> = answer
            .tools
            .iter()
            .map(|tool| {
                json!({
                    "id": tool.id,
                    "type": "function",
                    "function": {"name": tool.name, "arguments": tool.arguments},
                })
            })
            .collect();
        message["tool_calls"] = Value::Array(calls);
    }
    json!({
        "id": completion_id(turn),
        "object": "chat.completion",
        "created": CREATED,
        "model": turn.model,
        "choices": [{
            "index": 0,
            "message": message,
            "logprobs": null,
            "finish_reason": finish_reason(answer.stop),
        }],
        "usage": usage(turn),
    })
}

/// The SSE chunks of a streamed completion, in order.
fn stream_frames(answer: &Answer, turn: &Turn) -> Vec<Bytes> {
    let chunks = Chunks { id: completion_id(turn), turn, frames: Vec::new() };
    chunks.render(answer)
}

/// Accumulates `chat.completion.chunk` frames sharing one id.
struct Chunks<'a> {
    id: String,
    turn: &'a Turn,
    frames: Vec<Bytes>,
}

impl Chunks<'_> {
    fn render(mut self, answer: &Answer) -> Vec<Bytes> {
        self.delta(json!({"role": "assistant", "content": ""}));
        if let Some(thinking) = &answer.thinking {
            for piece in sse::pieces(&thinking.text) {
                self.delta(json!({"reasoning_content": piece}));
            }
        }
        for piece in sse::pieces(&answer.text) {
            self.delta(json!({"content": piece}));
        }
        match answer.ending {
            Ending::Complete => {}
            Ending::Overloaded => {
                let mut error = error_body(&overloaded());
                error["error"]["code"] = json!("overloaded");
                self.frames.push(sse::data(&error));
                return self.frames;
            }
            Ending::Cut => return self.frames,
        }
        for (index, tool) in answer.tools.iter().enumerate() {
            self.delta(json!({"tool_calls": [{
                "index": index,
                "id": tool.id,
                "type": "function",
                "function": {"name": tool.name, "arguments": ""},
            }]}));
            for piece in sse::pieces(&tool.arguments) {
                self.delta(json!({"tool_calls": [{
                    "index": index,
                    "function": {"arguments": piece},
                }]}));
            }
        }
        self.chunk(json!([{
            "index": 0,
            "delta": {},
            "logprobs": null,
            "finish_reason": finish_reason(answer.stop),
        }]));
        if self.turn.include_usage {
            let mut last = self.envelope(json!([]));
            last["usage"] = usage(self.turn);
            self.frames.push(sse::data(&last));
        }
        self.frames.push(sse::done());
        self.frames
    }

    fn delta(&mut self, delta: Value) {
        self.chunk(json!([{"index": 0, "delta": delta, "logprobs": null, "finish_reason": null}]));
    }

    fn chunk(&mut self, choices: Value) {
        let chunk = self.envelope(choices);
        self.frames.push(sse::data(&chunk));
    }

    /// A chunk object; with `include_usage` every chunk carries `usage: null` except the last.
    fn envelope(&self, choices: Value) -> Value {
        let mut chunk = json!({
            "id": self.id,
            "object": "chat.completion.chunk",
            "created": CREATED,
            "model": self.turn.model,
            "choices": choices,
        });
        if self.turn.include_usage {
            chunk["usage"] = Value::Null;
        }
        chunk
    }
}
