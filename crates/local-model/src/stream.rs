//! Turning the inference thread's progress into provider events: text streams until a tool
//! call starts, and the finished reply is parsed into text and tool-use blocks.

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

struct State {
    events: UnboundedReceiver<EngineEvent>,
    gate: TextGate,
    tools_offered: bool,
    model: String,
    queue: VecDeque<Item>,
    done: bool,
}

/// The provider event stream for one generation. Dropping it tells the inference thread to
/// stop (its sends start failing).
pub(crate) fn event_stream(
    events: UnboundedReceiver<EngineEvent>,
    model: String,
    tools_offered: bool,
) -> EventStream {
    let state = State {
        events,
        gate: TextGate::new(tools_offered),
        tools_offered,
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
        let response = build_response(self.gate.text(), finish, &self.model, self.tools_offered);
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
    tools_offered: bool,
) -> ModelResponse {
    let segments = if tools_offered {
        parse_reply(text)
    } else {
        let text = text.trim();
        if text.is_empty() { vec![] } else { vec![Segment::Text(text.to_string())] }
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
