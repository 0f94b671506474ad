//! The Anthropic Messages wire format (`POST /v1/messages`).

use crate::answer::{Answer, Ending, Failure, Outcome, Stop};
use crate::response::Rendered;
use crate::sse;
use crate::turn::Turn;
use bytes::Bytes;
use serde_json::{Value, json};

/// Renders `outcome` as the response to an Anthropic request.
pub(crate) fn render(outcome: &Outcome, turn: &Turn) -> Rendered {
    let rendered = match outcome {
        Outcome::Failure(failure) => render_failure(failure),
        Outcome::Answer(answer) if turn.stream => {
            Rendered::event_stream(stream_frames(answer, turn), answer.ending == Ending::Cut)
        }
        Outcome::Answer(answer) => match answer.ending {
            Ending::Complete => Rendered::json(200, &message(answer, turn)),
            Ending::Cut => Rendered::truncated_json(&message(answer, turn)),
            Ending::Overloaded => render_failure(&overloaded()),
        },
    };
    rendered.with_header("request-id", format!("req_fake_{}", turn.seq))
}

fn overloaded() -> Failure {
    Failure {
        status: 529,
        error_type: Some("overloaded_error".to_owned()),
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
    let error_type = failure.error_type.as_deref().unwrap_or(default_error_type(failure.status));
    json!({"type": "error", "error": {"type": error_type, "message": failure.message}})
}

fn default_error_type(status: u16) -> &'static str {
    match status {
        400 => "invalid_request_error",
        401 => "authentication_error",
        402 => "billing_error",
        403 => "permission_error",
        404 => "not_found_error",
        413 => "request_too_large",
        429 => "rate_limit_error",
        504 => "timeout_error",
        529 => "overloaded_error",
        _ => "api_error",
    }
}

fn stop_reason(stop: Stop) -> &'static str {
    match stop {
        Stop::EndTurn => "end_turn",
        Stop::ToolUse => "tool_use",
        Stop::MaxTokens => "max_tokens",
    }
}

fn usage(turn: &Turn, output_tokens: u64) -> Value {
    json!({
        "input_tokens": turn.usage.input,
        "cache_creation_input_tokens": turn.usage.cache_creation,
        "cache_read_input_tokens": turn.usage.cache_read,
        "output_tokens": output_tokens,
    })
}

fn message_id(turn: &Turn) -> String {
    format!("msg_fake_{}", turn.seq)
}

/// The complete non-streaming message.
fn message(answer: &Answer, turn: &Turn) -> Value {
    let mut content = Vec::new();
    if let Some(thinking) = &answer.thinking {
        content.push(json!({
            "type": "thinking",
            "thinking": thinking.text,
            "signature": thinking.signature,
        }));
    }
    if !answer.text.is_empty() {
        content.push(json!({"type": "text", "text": answer.text}));
    }
    for tool in &answer.tools {
        content.push(json!({
            "type": "tool_use",
            "id": tool.id,
            "name": tool.name,
            "input": tool.input(),
        }));
    }
    json!({
        "id": message_id(turn),
        "type": "message",
        "role": "assistant",
        "model": turn.model,
        "content": content,
        "stop_reason": stop_reason(answer.stop),
        "stop_sequence": null,
        "usage": usage(turn, turn.usage.output),
    })
}

/// The SSE events of a streamed message, in order.
fn stream_frames(answer: &Answer, turn: &Turn) -> Vec<Bytes> {
    let mut frames = Frames::default();
    frames.push(
        "message_start",
        json!({"type": "message_start", "message": {
            "id": message_id(turn),
            "type": "message",
            "role": "assistant",
            "model": turn.model,
            "content": [],
            "stop_reason": null,
            "stop_sequence": null,
            "usage": usage(turn, 1),
        }}),
    );
    frames.push("ping", json!({"type": "ping"}));

    if let Some(thinking) = &answer.thinking {
        let index = frames.start_block(json!({"type": "thinking", "thinking": ""}));
        for piece in sse::pieces(&thinking.text) {
            frames.delta(index, json!({"type": "thinking_delta", "thinking": piece}));
        }
        frames.delta(index, json!({"type": "signature_delta", "signature": thinking.signature}));
        frames.stop_block(index);
    }

    if !answer.text.is_empty() {
        let index = frames.start_block(json!({"type": "text", "text": ""}));
        for piece in sse::pieces(&answer.text) {
            frames.delta(index, json!({"type": "text_delta", "text": piece}));
        }
        if answer.ending != Ending::Complete {
            return frames.end_abnormally(answer.ending);
        }
        frames.stop_block(index);
    } else if answer.ending != Ending::Complete {
        return frames.end_abnormally(answer.ending);
    }

    for tool in &answer.tools {
        let index = frames.start_block(json!({
            "type": "tool_use",
            "id": tool.id,
            "name": tool.name,
            "input": {},
        }));
        // The first fragment is empty, as the real service sends it.
        frames.delta(index, json!({"type": "input_json_delta", "partial_json": ""}));
        for piece in sse::pieces(&tool.arguments) {
            frames.delta(index, json!({"type": "input_json_delta", "partial_json": piece}));
        }
        frames.stop_block(index);
    }

    frames.push(
        "message_delta",
        json!({
            "type": "message_delta",
            "delta": {"stop_reason": stop_reason(answer.stop), "stop_sequence": null},
            "usage": {"output_tokens": turn.usage.output},
        }),
    );
    frames.push("message_stop", json!({"type": "message_stop"}));
    frames.frames
}

/// Accumulates SSE frames and numbers content blocks.
#[derive(Default)]
struct Frames {
    frames: Vec<Bytes>,
    next_index: usize,
}

impl Frames {
    fn push(&mut self, name: &str, data: Value) {
        self.frames.push(sse::event(name, &data));
    }

    fn start_block(&mut self, content_block: Value) -> usize {
        let index = self.next_index;
        self.next_index += 1;
        self.push(
            "content_block_start",
            json!({"type": "content_block_start", "index": index, "content_block": content_block}),
        );
        index
    }

    fn delta(&mut self, index: usize, delta: Value) {
        self.push(
            "content_block_delta",
            json!({"type": "content_block_delta", "index": index, "delta": delta}),
        );
    }

    fn stop_block(&mut self, index: usize) {
        self.push("content_block_stop", json!({"type": "content_block_stop", "index": index}));
    }

    /// Frames so far, plus an overload error event when the ending calls for one; a cut stream
    /// simply stops here.
    fn end_abnormally(mut self, ending: Ending) -> Vec<Bytes> {
        if ending == Ending::Overloaded {
            self.push("error", error_body(&overloaded()));
        }
        self.frames
    }
}
