//! The running summary. Once a conversation comes within an eighth of the window of the
//! compaction threshold, rein keeps a summary of it up to date in the background: each update
//! starts from the previous summary and reads only the messages since (tool output shortened),
//! so its cost follows what is new, not the length of the conversation, and there are about
//! as many updates as compactions would need summaries. When the threshold is reached,
//! compaction starts from this summary at once instead of waiting for the model to read the
//! whole conversation again.
//!
//! Updates run on their own task while the session goes on; their result is picked up at the
//! next turn, and compaction waits for one that is under way. The embedded local model serves
//! one request at a time, so it gets no background updates.

use crate::compact::{SUMMARY_SECTIONS, estimate_tokens, is_context_block, threshold};
use crate::model_call::{CallOutcome, ModelCall};
use crate::session::Session;
use crate::sink::{EventSink, NullSink};
use rein_protocol::markers::SUMMARY_UPDATE_REQUEST;
use rein_protocol::{ContentBlock, Event, Message, ModelRequest, ModelResponse, Role, SystemBlock};
use rein_provider::{Provider, ProviderError, RetryPolicy};
use rein_store::StoreError;
use std::sync::Arc;
use tokio::task::JoinHandle;
use tokio_util::sync::CancellationToken;

/// Characters of each tool result the summariser sees.
const RESULT_CHARS: usize = 2_000;
/// Characters of any other block it sees (long pasted prompts, long answers).
const TEXT_CHARS: usize = 8_000;
/// Output limit of one update.
const MAX_SUMMARY_TOKENS: u32 = 4_096;
/// Updates that fail in a row before the session stops asking for them.
const MAX_FAILURES: u32 = 3;
/// Fewest new tokens worth an update.
const MIN_NEW_TOKENS: u64 = 2_000;

const SYSTEM: &str = "You keep the running summary of a coding session between a user and a \
coding agent. You never call tools and never address anyone: you only write the summary.";

/// What the summary covers and what is being written.
#[derive(Default)]
pub(crate) struct RunningSummary {
    latest: Option<Covered>,
    job: Option<Job>,
    failures: u32,
}

/// A summary of the conversation's first `messages` messages.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Covered {
    pub(crate) text: String,
    pub(crate) messages: usize,
    /// Blocks the last covered message had. Messages of the same role merge, so a message
    /// that has grown since holds something the summary has not seen.
    last_blocks: usize,
}

struct Job {
    handle: JoinHandle<Result<Update, ProviderError>>,
    messages: usize,
    last_blocks: usize,
    cancel: CancellationToken,
}

struct Update {
    response: ModelResponse,
    model: String,
}

impl Drop for RunningSummary {
    fn drop(&mut self) {
        if let Some(job) = self.job.take() {
            job.cancel.cancel();
            job.handle.abort();
        }
    }
}

impl RunningSummary {
    /// The summary, when it still describes the start of `messages`.
    pub(crate) fn usable(&self, messages: &[Message]) -> Option<&Covered> {
        let covered = self.latest.as_ref()?;
        let last = messages.get(covered.messages.checked_sub(1)?)?;
        (last.content.len() == covered.last_blocks).then_some(covered)
    }

    /// After a compaction the conversation starts with one message holding `summary`.
    pub(crate) fn rebase(&mut self, summary: String, head: &Message) {
        self.latest = Some(Covered { text: summary, messages: 1, last_blocks: head.content.len() });
    }
}

impl Session {
    /// Whether background updates apply to this session.
    fn running_summary_enabled(&self) -> bool {
        self.config.settings.running_summary && self.provider.name() != "local"
    }

    /// Starts an update when none is under way, the conversation is within an eighth of the
    /// window of the compaction threshold, clearing stale results would not make much room, and a
    /// quarter of the window is new since the last summary (a compaction keeps up to a third
    /// of the window uncovered). Called right before a model request, when the conversation
    /// ends with a user message.
    pub(crate) fn maybe_update_summary(&mut self) {
        let summary = &self.running_summary;
        if !self.running_summary_enabled() || summary.job.is_some() {
            return;
        }
        if summary.failures >= MAX_FAILURES {
            return;
        }
        let window = self.context_window();
        let threshold = threshold(window, self.config.settings.max_output_tokens);
        if self.context_tokens + window / 8 < threshold {
            return;
        }
        let Some(last) = self.messages.last().filter(|m| m.role == Role::User) else {
            return;
        };
        let last_blocks = last.content.len();
        let covered = summary.usable(&self.messages);
        let from = covered.map_or(0, |c| c.messages);
        let new = &self.messages[from..];
        if estimate_tokens(new) < (window / 4).max(MIN_NEW_TOKENS) {
            return;
        }
        // Clearing stale results would take the conversation a third of the window below the
        // threshold: a compaction is not near yet.
        if self.stale_clearing().is_some_and(|c| c.estimate + window / 3 <= threshold) {
            return;
        }
        let request = update_request(&self.model, covered.map(|c| c.text.as_str()), new);
        let cancel = CancellationToken::new();
        let handle = tokio::spawn(run_update(
            Arc::clone(&self.provider),
            self.retry,
            request,
            cancel.clone(),
        ));
        self.running_summary.job =
            Some(Job { handle, messages: self.messages.len(), last_blocks, cancel });
    }

    /// Takes the result of a finished update; with `wait`, waits for one under way (or until
    /// `cancel`). A failed update is logged and retried later with more messages.
    pub(crate) async fn collect_summary(
        &mut self,
        wait: bool,
        sink: &dyn EventSink,
        cancel: &CancellationToken,
    ) -> Result<(), StoreError> {
        let Some(job) = self.running_summary.job.as_ref() else {
            return Ok(());
        };
        if !wait && !job.handle.is_finished() {
            return Ok(());
        }
        let Some(mut job) = self.running_summary.job.take() else {
            return Ok(());
        };
        let joined = tokio::select! {
            joined = &mut job.handle => joined,
            () = cancel.cancelled() => {
                // Put it back: the update goes on and a later turn collects it.
                self.running_summary.job = Some(job);
                return Ok(());
            }
        };
        let update = match joined {
            Ok(Ok(update)) => update,
            Ok(Err(error)) => return self.summary_failed(&error.to_string()),
            Err(error) => return self.summary_failed(&error.to_string()),
        };
        let cost = self.cost_of(&update.model, &update.response.usage);
        self.record_usage(update.response.usage, cost.usd)?;
        let text = Message { role: Role::Assistant, content: update.response.content }.text();
        let text = text.trim().to_string();
        if text.is_empty() {
            return self.summary_failed("the model returned no summary");
        }
        self.running_summary.failures = 0;
        sink.emit(Event::SummaryUpdated {
            messages_covered: job.messages as u64,
            summary_chars: text.chars().count() as u64,
        });
        let dir = self.store.session_dir(&self.id);
        let path = dir.join("summary.md");
        let saved =
            std::fs::create_dir_all(&dir).and_then(|()| std::fs::write(&path, format!("{text}\n")));
        if let Err(error) = saved {
            tracing::warn!(%error, path = %path.display(), "could not save the running summary");
        }
        self.note(
            "running_summary",
            format!("summary of the first {} messages updated:\n{text}", job.messages),
        )?;
        self.running_summary.latest =
            Some(Covered { text, messages: job.messages, last_blocks: job.last_blocks });
        Ok(())
    }

    fn summary_failed(&mut self, error: &str) -> Result<(), StoreError> {
        self.running_summary.failures += 1;
        tracing::warn!(error, "running summary update failed");
        self.note("running_summary_failed", error.to_string())
    }
}

/// Runs one update on its own task.
async fn run_update(
    provider: Arc<dyn Provider>,
    retry: RetryPolicy,
    mut request: ModelRequest,
    cancel: CancellationToken,
) -> Result<Update, ProviderError> {
    let call = ModelCall {
        provider: provider.as_ref(),
        retry: &retry,
        fallback_model: None,
        sink: &NullSink,
        cancel: &cancel,
    };
    match call.run(&mut request).await? {
        CallOutcome::Completed(response) => Ok(Update { response, model: request.model }),
        CallOutcome::Interrupted { .. } => Err(ProviderError::StreamCut {
            message: "the summary update was cancelled".to_string(),
        }),
    }
}

/// The request that updates `previous` with `new` messages: one user message, no tools, no
/// cache (it shares no prefix with the session's requests).
fn update_request(model: &str, previous: Option<&str>, new: &[Message]) -> ModelRequest {
    let mut text = String::new();
    match previous {
        Some(previous) => {
            text.push_str(&format!("<previous-summary>\n{previous}\n</previous-summary>\n\n"));
        }
        None => text.push_str("There is no summary yet; the session starts below.\n\n"),
    }
    text.push_str(&format!("<new-messages>\n{}</new-messages>\n\n", render_messages(new)));
    text.push_str(&format!(
        "{SUMMARY_UPDATE_REQUEST} Write the whole summary again so that it covers the previous \
         summary and the new messages, and keep it under 1,500 words. Tool output above is \
         shortened; keep the facts it shows. Use these sections:\n{SUMMARY_SECTIONS}"
    ));
    ModelRequest {
        model: model.to_string(),
        system: vec![SystemBlock { text: SYSTEM.to_string(), cache: false }],
        messages: vec![Message::user_text(text)],
        tools: Vec::new(),
        max_tokens: MAX_SUMMARY_TOKENS,
        temperature: None,
        thinking_budget: None,
        cache_last_message: false,
    }
}

/// Messages as plain text for the summariser: who said what, tool calls with their input,
/// results shortened. Context blocks rein adds (environment, instructions, files) are left
/// out.
pub(crate) fn render_messages(messages: &[Message]) -> String {
    let mut out = String::new();
    for message in messages {
        for block in &message.content {
            match block {
                ContentBlock::Text { text } if message.role == Role::User => {
                    // Context blocks rein adds are left out.
                    if is_context_block(text) {
                        continue;
                    }
                    out.push_str(&format!("[user]\n{}\n", shorten(text, TEXT_CHARS)));
                }
                ContentBlock::Text { text } => {
                    out.push_str(&format!("[agent]\n{}\n", shorten(text, TEXT_CHARS)));
                }
                ContentBlock::ToolUse { name, input, .. } => {
                    let input = serde_json::to_string(input).unwrap_or_default();
                    out.push_str(&format!("[tool call] {name} {}\n", shorten(&input, TEXT_CHARS)));
                }
                ContentBlock::ToolResult { content, is_error, .. } => {
                    let label = if *is_error { "[tool error]" } else { "[tool result]" };
                    out.push_str(&format!("{label}\n{}\n", shorten(content, RESULT_CHARS)));
                }
                _ => {}
            }
        }
    }
    out
}

/// The first `limit` characters of `text`, with a note of how much was left out.
fn shorten(text: &str, limit: usize) -> String {
    match text.char_indices().nth(limit) {
        None => text.to_string(),
        Some((cut, _)) => {
            let left = text[cut..].chars().count();
            format!("{}\n[… {left} more characters]", &text[..cut])
        }
    }
}

#[cfg(test)]
#[path = "running_summary_tests.rs"]
mod tests;
