//! What a wire-format renderer needs to know about the request it answers.

use crate::usage::TokenUsage;
use serde_json::Value;

/// Model id echoed when a request names none.
const DEFAULT_MODEL: &str = "fake-model";

/// Unix time reported in OpenAI `created` fields; fixed so responses are reproducible.
pub(crate) const CREATED: u64 = 1_700_000_000;

/// Facts about one request, plus its token usage.
#[derive(Debug, Clone)]
pub(crate) struct Turn {
    /// Model id from the request.
    pub(crate) model: String,
    /// Request number on this server, from 1; makes ids unique.
    pub(crate) seq: u64,
    /// Whether the client asked for a stream.
    pub(crate) stream: bool,
    /// Whether an OpenAI client asked for a final usage chunk.
    pub(crate) include_usage: bool,
    pub(crate) usage: TokenUsage,
}

impl Turn {
    /// Reads the request fields that shape the response.
    pub(crate) fn new(request: &Value, seq: u64, usage: TokenUsage) -> Self {
        Self {
            model: request.get("model").and_then(Value::as_str).unwrap_or(DEFAULT_MODEL).to_owned(),
            seq,
            stream: request.get("stream").and_then(Value::as_bool).unwrap_or(false),
            include_usage: request
                .pointer("/stream_options/include_usage")
                .and_then(Value::as_bool)
                .unwrap_or(false),
            usage,
        }
    }
}
