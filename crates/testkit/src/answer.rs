//! A scripted [`Reply`] resolved into what one response carries, independent of wire format.

use crate::script::Reply;
use serde_json::Value;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

/// Message text of the error returned once the script has no replies left.
pub(crate) const EXHAUSTED_MESSAGE: &str = "fake model server: script exhausted";

/// The wire format of an endpoint.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Format {
    Anthropic,
    OpenAi,
}

/// What one request is answered with.
#[derive(Debug, Clone)]
pub(crate) enum Outcome {
    Answer(Answer),
    Failure(Failure),
}

/// An assistant message, possibly ending abnormally.
#[derive(Debug, Clone)]
pub(crate) struct Answer {
    pub(crate) thinking: Option<Thinking>,
    /// Empty when the message has no text block.
    pub(crate) text: String,
    pub(crate) tools: Vec<ToolUse>,
    pub(crate) stop: Stop,
    pub(crate) ending: Ending,
}

#[derive(Debug, Clone)]
pub(crate) struct Thinking {
    pub(crate) text: String,
    pub(crate) signature: String,
}

#[derive(Debug, Clone)]
pub(crate) struct ToolUse {
    pub(crate) id: String,
    pub(crate) name: String,
    /// Argument text exactly as sent on the wire.
    pub(crate) arguments: String,
}

impl ToolUse {
    /// The arguments as a JSON value; text that does not parse is kept as a JSON string.
    pub(crate) fn input(&self) -> Value {
        serde_json::from_str(&self.arguments)
            .unwrap_or_else(|_| Value::String(self.arguments.clone()))
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Stop {
    EndTurn,
    ToolUse,
    MaxTokens,
}

/// How the response body ends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Ending {
    /// A well-formed, finished message.
    Complete,
    /// An overload error after the text.
    Overloaded,
    /// The connection drops after the text.
    Cut,
}

/// An HTTP error response.
#[derive(Debug, Clone)]
pub(crate) struct Failure {
    pub(crate) status: u16,
    pub(crate) error_type: Option<String>,
    pub(crate) message: String,
    pub(crate) retry_after_secs: Option<u64>,
}

impl Failure {
    pub(crate) fn exhausted() -> Self {
        Self {
            status: 500,
            error_type: None,
            message: EXHAUSTED_MESSAGE.to_owned(),
            retry_after_secs: None,
        }
    }
}

/// Counters behind generated ids, shared by all requests of one server so ids are
/// deterministic in request order.
#[derive(Debug, Default)]
pub(crate) struct Ids {
    tool: AtomicU64,
    message: AtomicU64,
}

impl Ids {
    /// The next message number, from 1.
    pub(crate) fn next_message(&self) -> u64 {
        self.message.fetch_add(1, Ordering::Relaxed) + 1
    }

    fn next_tool_id(&self, format: Format) -> String {
        let n = self.tool.fetch_add(1, Ordering::Relaxed) + 1;
        match format {
            Format::Anthropic => format!("toolu_fake_{n}"),
            Format::OpenAi => format!("call_fake_{n}"),
        }
    }
}

/// Resolves `reply` for one request: the delay before answering and the outcome.
pub(crate) fn resolve(reply: Reply, format: Format, ids: &Ids, seq: u64) -> (Duration, Outcome) {
    let mut delay = Duration::ZERO;
    let mut reply = reply;
    while let Reply::Delay { millis, reply: inner } = reply {
        delay += Duration::from_millis(millis);
        reply = *inner;
    }
    (delay, outcome(reply, format, ids, seq))
}

fn outcome(reply: Reply, format: Format, ids: &Ids, seq: u64) -> Outcome {
    let answer = |text: String, stop, ending| Answer {
        thinking: None,
        text,
        tools: Vec::new(),
        stop,
        ending,
    };
    Outcome::Answer(match reply {
        Reply::Text { text } => answer(text, Stop::EndTurn, Ending::Complete),
        Reply::MaxTokens { text } => answer(text, Stop::MaxTokens, Ending::Complete),
        Reply::OverloadedMidStream { text } => answer(text, Stop::EndTurn, Ending::Overloaded),
        Reply::CutStream { text } => answer(text, Stop::EndTurn, Ending::Cut),
        Reply::Thinking { thinking, text } => Answer {
            thinking: Some(Thinking { text: thinking, signature: format!("sig_fake_{seq}") }),
            ..answer(text, Stop::EndTurn, Ending::Complete)
        },
        Reply::ToolCalls { text, calls } => Answer {
            tools: calls
                .into_iter()
                .map(|call| ToolUse {
                    id: call.id.unwrap_or_else(|| ids.next_tool_id(format)),
                    name: call.name,
                    arguments: call.input.to_string(),
                })
                .collect(),
            ..answer(text.unwrap_or_default(), Stop::ToolUse, Ending::Complete)
        },
        Reply::RawToolInput { name, raw_arguments } => Answer {
            tools: vec![ToolUse { id: ids.next_tool_id(format), name, arguments: raw_arguments }],
            ..answer(String::new(), Stop::ToolUse, Ending::Complete)
        },
        Reply::Error { status, error_type, message, retry_after_secs } => {
            return Outcome::Failure(Failure { status, error_type, message, retry_after_secs });
        }
        // Unwrapped by `resolve`; kept total so a nested delay still answers.
        Reply::Delay { reply, .. } => return outcome(*reply, format, ids, seq),
    })
}
