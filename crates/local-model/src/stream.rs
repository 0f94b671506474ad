//! Turning the inference thread's progress into provider events: text streams until a tool
//! call starts, and the finished reply is parsed into text and tool-use blocks.

use crate::blocks::parse_blocks;
use crate::detect::TextGate;
use crate::engine::{EngineEvent, Finish, Stop};
use crate::error::LocalError;
use crate::parse::{Segment, parse_reply};
use rein_protocol::{ContentBlock, ModelResponse, ProviderEvent, StopReason, Usage};
use rein_provider::{EventStream, ProviderError};
use std::collections::VecDeque;
use std::sync::atomic::{AtomicU64, Ordering};
use tokio::sync::mpsc::UnboundedReceiver;

type Item = Result<ProviderEvent, ProviderError>;

/// How a finished reply is read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ReplyParse {
    /// All text: no tools were offered.
    Text,
    /// Text and JSON tool calls.
    ToolCalls,
    /// Text whose fenced blocks are also `write` (when `files`) and `bash` (when `commands`)
    /// calls.
    Blocks {
        /// Blocks after a path write files.
        files: bool,
        /// Shell blocks run commands.
        commands: bool,
    },
}

struct State {
    events: UnboundedReceiver<EngineEvent>,
    gate: TextGate,
    parse: ReplyParse,
    model: String,
    queue: VecDeque<Item>,
    done: bool,
}

/// The provider event stream for one generation. Dropping it tells the inference thread to
/// stop (its sends start failing).
pub(crate) fn event_stream(
    events: UnboundedReceiver<EngineEvent>,
    model: String,
    parse: ReplyParse,
) -> EventStream {
    let state = State {
        events,
        // Only JSON calls are held back from the text stream; blocks are part of the prose.
        gate: TextGate::new(parse == ReplyParse::ToolCalls),
        parse,
        model,
        queue: VecDeque::new(),
        done: false,
    };
    Box::pin(futures::stream::unfold(state, |mut state| async move {
        loop {
            if let Some(item) = state.queue.pop_front() {
                return Some((item, state));
            }
            if state.done {
                return None;
            }
            match state.events.recv().await {
                Some(EngineEvent::Started) => {}
                Some(EngineEvent::Text(text)) => {
                    if let Some(text) = state.gate.push(&text) {
                        state.queue.push_back(Ok(ProviderEvent::TextDelta { text }));
                    }
                }
                Some(EngineEvent::Done(finish)) => state.complete(&finish),
                Some(EngineEvent::Failed(error)) => {
                    state.queue.push_back(Err(error));
                    state.done = true;
                }
                None => {
                    state.queue.push_back(Err(LocalError::EngineStopped.into()));
                    state.done = true;
                }
            }
        }
    }))
}

impl State {
    fn complete(&mut self, finish: &Finish) {
        if let Some(text) = self.gate.finish() {
            self.queue.push_back(Ok(ProviderEvent::TextDelta { text }));
        }
        let response = build_response(self.gate.text(), finish, &self.model, self.parse);
        for block in &response.content {
            if let ContentBlock::ToolUse { id, name, .. } = block {
                self.queue.push_back(Ok(ProviderEvent::ToolUseStarted {
                    id: id.clone(),
                    name: name.clone(),
                }));
            }
        }
        self.queue.push_back(Ok(ProviderEvent::Completed { response }));
        self.done = true;
    }
}

/// The assembled answer for a finished generation.
pub(crate) fn build_response(
    text: &str,
    finish: &Finish,
    model: &str,
    parse: ReplyParse,
) -> ModelResponse {
    let trimmed = text.trim();
    let whole_text =
        || if trimmed.is_empty() { vec![] } else { vec![Segment::Text(trimmed.to_string())] };
    let segments = match parse {
        ReplyParse::Text => whole_text(),
        ReplyParse::ToolCalls => parse_reply(text),
        // The text stays whole, blocks included, so the next prompt shows the model exactly
        // what it wrote (and the KV cache still matches it).
        ReplyParse::Blocks { files, commands } => {
            let mut segments = whole_text();
            segments.extend(parse_blocks(trimmed, files, commands).into_iter().map(|call| {
                Segment::Call { name: call.name.to_string(), arguments: call.arguments }
            }));
            segments
        }
    };
    let content: Vec<ContentBlock> = segments
        .into_iter()
        .map(|segment| match segment {
            Segment::Text(text) => ContentBlock::Text { text },
            Segment::Call { name, arguments } => {
                ContentBlock::ToolUse { id: next_call_id(), name, input: arguments }
            }
        })
        .collect();
    let calls = content.iter().any(|b| matches!(b, ContentBlock::ToolUse { .. }));
    let stop_reason = match finish.stop {
        _ if calls => StopReason::ToolUse,
        Stop::MaxTokens | Stop::ContextFull => StopReason::MaxTokens,
        Stop::EndOfTurn | Stop::Repetition | Stop::GrammarDeadEnd => StopReason::EndTurn,
    };
    ModelResponse {
        content,
        stop_reason,
        usage: Usage {
            input_tokens: finish.prefilled,
            output_tokens: finish.generated,
            cache_read_tokens: finish.reused,
            cache_creation_tokens: 0,
        },
        model: model.to_string(),
    }
}

/// A call id unique within the process and, because the counter starts from the clock,
/// across restarts of a resumed session.
fn next_call_id() -> String {
    static NEXT: AtomicU64 = AtomicU64::new(0);
    let _ = NEXT.compare_exchange(
        0,
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(1, |d| d.as_micros() as u64),
        Ordering::Relaxed,
        Ordering::Relaxed,
    );
    format!("call_local_{}", NEXT.fetch_add(1, Ordering::Relaxed))
}

#[cfg(test)]
#[path = "stream_tests.rs"]
mod tests;
