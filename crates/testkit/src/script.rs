//! The script a fake model server plays: one reply per model call, in order.

use anyhow::Context as _;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::path::Path;

/// One scripted answer to one model call.
///
/// The JSON form (used by `rein-fake-model --script`) is tagged by `kind`, e.g.
/// `{"kind": "text", "text": "hi"}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Reply {
    /// A plain answer; stop reason `end_turn` / finish reason `stop`.
    Text {
        /// The answer text.
        text: String,
    },
    /// Optional preface text, then tool calls; stop reason `tool_use` / finish reason
    /// `tool_calls`.
    ToolCalls {
        /// Text before the calls, if any.
        #[serde(default)]
        text: Option<String>,
        /// The calls, in order.
        calls: Vec<ToolCall>,
    },
    /// A thinking block, then text (OpenAI: `reasoning_content`, then `content`).
    Thinking {
        /// The reasoning text.
        thinking: String,
        /// The answer text.
        text: String,
    },
    /// Text cut by the output limit: stop reason `max_tokens` / finish reason `length`.
    MaxTokens {
        /// The text produced before the cut.
        text: String,
    },
    /// An HTTP error response carrying the provider's error JSON body.
    Error {
        /// HTTP status code.
        status: u16,
        /// Provider error type; derived from the status when absent.
        #[serde(default)]
        error_type: Option<String>,
        /// Error message.
        message: String,
        /// Value of the `retry-after` header, if one should be sent.
        #[serde(default)]
        retry_after_secs: Option<u64>,
    },
    /// Starts streaming text, then reports an overload error inside the stream (Anthropic: an
    /// `error` event; OpenAI: a `data: {"error": …}` chunk). Non-streaming requests get an
    /// overload HTTP error instead.
    OverloadedMidStream {
        /// Text streamed before the error.
        text: String,
    },
    /// Starts streaming text, then drops the connection before the message is finished.
    CutStream {
        /// Text streamed before the cut.
        text: String,
    },
    /// A tool call whose arguments are sent verbatim, even when they are not valid JSON.
    RawToolInput {
        /// Tool name.
        name: String,
        /// Argument text exactly as it goes on the wire.
        raw_arguments: String,
    },
    /// Waits before answering with `reply`; the reply is taken from the script on arrival.
    Delay {
        /// Milliseconds to wait before the response starts.
        millis: u64,
        /// What to answer after the wait.
        reply: Box<Reply>,
    },
}

impl Reply {
    /// A plain text answer.
    pub fn text(text: impl Into<String>) -> Self {
        Self::Text { text: text.into() }
    }

    /// A single tool call with no preface text.
    pub fn tool_call(name: impl Into<String>, input: Value) -> Self {
        Self::ToolCalls { text: None, calls: vec![ToolCall::new(name, input)] }
    }

    /// Several tool calls with no preface text.
    pub fn tool_calls(calls: Vec<ToolCall>) -> Self {
        Self::ToolCalls { text: None, calls }
    }

    /// An HTTP error with the default error type for `status` and no `retry-after`.
    pub fn error(status: u16, message: impl Into<String>) -> Self {
        Self::Error { status, error_type: None, message: message.into(), retry_after_secs: None }
    }

    /// This reply, answered after `millis` milliseconds.
    pub fn delayed(self, millis: u64) -> Self {
        Self::Delay { millis, reply: Box::new(self) }
    }
}

/// One tool call in a [`Reply::ToolCalls`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ToolCall {
    /// Tool name.
    pub name: String,
    /// Arguments, sent as their compact JSON serialization.
    pub input: Value,
    /// Call id; `toolu_fake_<n>` (Anthropic) or `call_fake_<n>` (OpenAI) when absent, where
    /// `n` counts the tool calls this server has answered with, from 1.
    #[serde(default)]
    pub id: Option<String>,
}

impl ToolCall {
    /// A call with a generated id.
    pub fn new(name: impl Into<String>, input: Value) -> Self {
        Self { name: name.into(), input, id: None }
    }

    /// This call with a fixed id.
    pub fn with_id(mut self, id: impl Into<String>) -> Self {
        self.id = Some(id.into());
        self
    }
}

/// Fixed token counts that replace the size-based estimates; unset fields stay estimated
/// (cache counts come from [`CacheSettings`] emulation when enabled, and are 0 otherwise).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct UsageSettings {
    /// Uncached input tokens.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub input_tokens: Option<u64>,
    /// Output tokens.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub output_tokens: Option<u64>,
    /// Input tokens reported as read from the prompt cache.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cache_read_input_tokens: Option<u64>,
    /// Input tokens reported as written to the prompt cache.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cache_creation_input_tokens: Option<u64>,
}

/// Emulation of prompt caching, modelled on the Anthropic and OpenAI services.
///
/// Anthropic requests are cached at their `cache_control` breakpoints (at most four per
/// request); OpenAI requests are cached automatically at message boundaries. Cached and written
/// tokens show up in the usage of each response. JSON form: every field is optional, e.g.
/// `{"min_cacheable_tokens": 1024, "ttl_seconds": 300, "openai_automatic": true}`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct CacheSettings {
    /// Smallest prefix, in estimated tokens, that is read from or written to the cache.
    pub min_cacheable_tokens: u64,
    /// Seconds an entry lives after its last use.
    pub ttl_seconds: u64,
    /// Whether OpenAI requests get automatic prefix caching.
    pub openai_automatic: bool,
}

impl Default for CacheSettings {
    fn default() -> Self {
        Self { min_cacheable_tokens: 1024, ttl_seconds: 300, openai_automatic: true }
    }
}

/// The replies a server plays, in order, plus usage and cache settings.
///
/// JSON form: `{"replies": [...], "usage": {...}, "cache": {...}, "summary_reply": "..."}`
/// with everything but `replies` optional.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Script {
    /// Replies, one per request, in order.
    pub replies: Vec<Reply>,
    /// Token count overrides.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub usage: Option<UsageSettings>,
    /// Prompt cache emulation; without it, cache counts come only from `usage`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cache: Option<CacheSettings>,
    /// Text answering every summary request rein makes: when it compacts a conversation (a
    /// request whose last user message contains [`SUMMARY_MARKER`](crate::SUMMARY_MARKER)) and
    /// when it updates its running summary ([`SUMMARY_UPDATE_MARKER`](crate::SUMMARY_UPDATE_MARKER)).
    /// Such requests then take no reply off the script, so the script stays in step however
    /// many compactions happen; usage and cache accounting are those of a scripted text reply.
    /// Without it, a summary request takes the next reply like any other.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub summary_reply: Option<String>,
}

impl Script {
    /// A script of `replies` with estimated usage and no prompt cache.
    pub fn new(replies: Vec<Reply>) -> Self {
        Self { replies, usage: None, cache: None, summary_reply: None }
    }

    /// This script with fixed token counts.
    pub fn with_usage(mut self, usage: UsageSettings) -> Self {
        self.usage = Some(usage);
        self
    }

    /// This script with prompt cache emulation.
    pub fn with_cache(mut self, cache: CacheSettings) -> Self {
        self.cache = Some(cache);
        self
    }

    /// This script answering summary requests with `text`, out of order; see
    /// [`Script::summary_reply`].
    pub fn with_summary_reply(mut self, text: impl Into<String>) -> Self {
        self.summary_reply = Some(text.into());
        self
    }

    /// Parses the JSON form.
    pub fn from_json_str(json: &str) -> anyhow::Result<Self> {
        serde_json::from_str(json).context("invalid fake model script")
    }

    /// Reads and parses a JSON script file.
    pub fn from_json_file(path: impl AsRef<Path>) -> anyhow::Result<Self> {
        let path = path.as_ref();
        let json = std::fs::read_to_string(path)
            .with_context(|| format!("cannot read script {}", path.display()))?;
        Self::from_json_str(&json).with_context(|| format!("in {}", path.display()))
    }
}

impl From<Vec<Reply>> for Script {
    fn from(replies: Vec<Reply>) -> Self {
        Self::new(replies)
    }
}
