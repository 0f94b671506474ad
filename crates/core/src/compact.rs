//! Compaction: when the conversation nears the context window (or the user asks), the model
//! summarises it, and the conversation continues from that summary, the user's own messages
//! verbatim, the files touched last, the todo list and the latest exchange. Everything before
//! stays in the transcript; only the model's view is replaced.

use crate::mentions;
use crate::model_call::{CallOutcome, ModelCall};
use crate::session::{Session, now};
use crate::sink::{EventSink, NullSink};
use rein_protocol::markers::COMPACTION_REQUEST;
use rein_protocol::{ContentBlock, Event, Message, Role};
use rein_store::TranscriptEntry;
use std::path::PathBuf;
use tokio_util::sync::CancellationToken;

/// Auto-compaction gives up after this many failures in a row (a summary that cannot be
/// made would otherwise be retried every turn).
pub(crate) const MAX_FAILURES: u32 = 3;
/// Files re-read into the compacted conversation, most recent first.
const FILES_TO_RESTORE: usize = 5;
/// Size limit of each re-read file.
const RESTORED_FILE_BYTES: u64 = 20 * 1024;
/// Token limit of all re-read files together (and never more than an eighth of the window).
const MAX_RESTORED_TOKENS: u64 = 50_000;
/// Window assumed for models the table does not know.
const DEFAULT_WINDOW: u64 = 200_000;

const SUMMARY_OPEN: &str = "<session-summary>";
const SUMMARY_CLOSE: &str = "</session-summary>";
const USER_OPEN: &str = "<user-message>";
const USER_CLOSE: &str = "</user-message>";

/// What the model is asked for, after [`COMPACTION_REQUEST`]. The user's messages are carried
/// over verbatim by rein, so the summary can spend its words on the work.
const SUMMARY_INSTRUCTIONS: &str = "Write a summary that lets you continue the work without \
the messages above. Do not call tools; answer with text only, in these sections:";

/// The sections of every summary rein asks for (compaction and running summary).
pub(crate) const SUMMARY_SECTIONS: &str = "\
1. Goal: what the user wants, in their terms, including constraints and preferences they stated.
2. Done so far: changes made (files and what changed in them), commands run and what they showed.
3. Decisions: choices made and why, approaches rejected and why.
4. Problems: errors met and how they were fixed, or that they are still open.
5. Current state: what was being worked on right before this summary.
6. Next step: the immediate next action, consistent with the user's latest request.
Be specific: file paths, function names, exact error messages. Leave out pleasantries.";

/// Why compaction runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CompactReason {
    /// The conversation neared the context window.
    Auto,
    /// The user asked (`/compact`).
    Manual,
}

impl CompactReason {
    fn label(self) -> &'static str {
        match self {
            Self::Auto => "auto",
            Self::Manual => "manual",
        }
    }
}

/// What a compaction did.
struct Compacted {
    messages_dropped: u64,
    summary_chars: u64,
    from_running_summary: bool,
}

/// Why compaction did not happen.
#[derive(Debug, thiserror::Error)]
pub enum CompactError {
    /// Nothing to compact yet.
    #[error("the conversation is empty; there is nothing to compact")]
    Empty,
    /// The model call failed.
    #[error("the summary request failed: {0}")]
    Provider(#[from] rein_provider::ProviderError),
    /// The model answered without text.
    #[error("the model returned no summary")]
    NoSummary,
    /// The user interrupted.
    #[error("compaction was interrupted")]
    Interrupted,
    /// The transcript could not be written.
    #[error(transparent)]
    Store(#[from] rein_store::StoreError),
}

/// A hook that runs before each compaction; what it returns is added to the summary request
/// (for example, facts that must survive).
pub trait CompactionHook: Send + Sync {
    /// Called with the reason and the user's focus, if any.
    fn before_compaction(&self, reason: CompactReason, focus: Option<&str>) -> Option<String>;
}

/// Tokens at which auto-compaction starts for a window: room is left for the reply and for
/// the summary request itself.
pub(crate) fn threshold(window: u64, max_output: u32) -> u64 {
    let reply = u64::from(max_output).min(20_000).min(window / 4);
    let margin = (window / 16).min(13_000);
    window.saturating_sub(reply + margin)
}

impl Session {
    /// The context window in tokens: the `context_window` setting, else what the provider
    /// knows of the model.
    pub fn context_window(&self) -> u64 {
        self.config
            .settings
            .context_window
            .or_else(|| self.provider.context_window(&self.model))
            .unwrap_or(DEFAULT_WINDOW)
    }

    /// Whether the conversation should be compacted before the next request. Not again
    /// right after a compaction that could not get below the threshold (what remains is
    /// too big to shrink; compacting every turn would only burn tokens): only once the
    /// conversation has grown by another eighth of the window.
    pub(crate) fn needs_compaction(&self) -> bool {
        let window = self.context_window();
        let over = self.context_tokens >= threshold(window, self.config.settings.max_output_tokens);
        let grown = self.compacted_to.is_none_or(|after| self.context_tokens >= after + window / 8);
        self.compaction_failures < MAX_FAILURES && over && grown
    }

    /// Summarises the conversation and continues from the summary. `focus` tells the summary
    /// what matters most (`/compact focus on the parser`).
    pub async fn compact(
        &mut self,
        reason: CompactReason,
        focus: Option<&str>,
        sink: &dyn EventSink,
        cancel: &CancellationToken,
    ) -> Result<(), CompactError> {
        if self.messages.is_empty() {
            return Err(CompactError::Empty);
        }
        self.pre_compact_hooks(reason, focus, sink).await;
        sink.emit(Event::Compacting {
            reason: reason.label().to_string(),
            tokens: self.context_tokens,
            threshold: threshold(self.context_window(), self.config.settings.max_output_tokens),
        });
        let result = self.compact_inner(reason, focus, sink, cancel).await;
        match &result {
            Ok(done) => {
                self.compaction_failures = 0;
                sink.emit(Event::Compacted {
                    messages_dropped: done.messages_dropped,
                    summary_chars: done.summary_chars,
                    from_running_summary: done.from_running_summary,
                });
                self.post_compact_hooks(reason, sink).await;
            }
            // An interrupt is the user's doing, not a sign that summaries cannot be made.
            Err(CompactError::Interrupted) => {}
            Err(error) => {
                self.compaction_failures += 1;
                sink.emit(Event::Warning { message: format!("compaction failed: {error}") });
            }
        }
        result.map(|_| ())
    }

    async fn compact_inner(
        &mut self,
        reason: CompactReason,
        focus: Option<&str>,
        sink: &dyn EventSink,
        cancel: &CancellationToken,
    ) -> Result<Compacted, CompactError> {
        let hook_text =
            self.compaction_hook.as_ref().and_then(|h| h.before_compaction(reason, focus));
        let focused = focus.is_some_and(|f| !f.trim().is_empty());
        // An automatic compaction starts from the running summary when it covers all but a
        // small tail; a summary with a focus, or asked for by hand, is written afresh.
        if reason == CompactReason::Auto && !focused {
            self.collect_summary(true, sink, cancel).await?;
            if let Some((summary, keep_from)) = self.summary_to_start_from() {
                let summary = match &hook_text {
                    Some(extra) => format!("{summary}\n\n{extra}"),
                    None => summary,
                };
                return self.replace_start(reason, summary, keep_from, true);
            }
        }
        if cancel.is_cancelled() {
            return Err(CompactError::Interrupted);
        }
        let mut ask = format!("{COMPACTION_REQUEST} {SUMMARY_INSTRUCTIONS}\n{SUMMARY_SECTIONS}");
        if let Some(focus) = focus.filter(|_| focused) {
            ask.push_str(&format!("\nThe user asks the summary to focus on: {focus}"));
        }
        if let Some(extra) = hook_text {
            ask.push_str(&format!("\n{extra}"));
        }
        // Same system prompt and tools as every other request, so the cached prefix is reused.
        let mut request = self.request();
        match request.messages.last_mut() {
            Some(last) if last.role == Role::User => last.content.push(ContentBlock::text(ask)),
            _ => request.messages.push(Message::user_text(ask)),
        }
        let call = ModelCall {
            provider: self.provider.as_ref(),
            retry: &self.retry,
            fallback_model: self.config.settings.fallback_model.as_deref(),
            sink: &NullSink,
            cancel,
        };
        let response = match call.run(&mut request).await? {
            CallOutcome::Completed(response) => response,
            CallOutcome::Interrupted { .. } => return Err(CompactError::Interrupted),
        };
        let cost = self.cost_of(&request.model, &response.usage);
        self.record_usage(response.usage, cost.usd)?;
        let summary = Message { role: Role::Assistant, content: response.content }.text();
        let summary = summary.trim().to_string();
        if summary.is_empty() {
            return Err(CompactError::NoSummary);
        }
        let keep_from = self.messages.len() - self.kept_tail_len();
        self.replace_start(reason, summary, keep_from, false)
    }

    /// The running summary and where the verbatim tail after it starts (what it does not
    /// cover, and at least the latest tool round), when that tail takes at most a third of
    /// the window.
    fn summary_to_start_from(&self) -> Option<(String, usize)> {
        let covered = self.running_summary.usable(&self.messages)?;
        let keep_from = covered.messages.min(self.messages.len() - self.kept_tail_len());
        let tail = &self.messages[keep_from..];
        if tail.first().is_some_and(|m| m.role != Role::Assistant) {
            return None;
        }
        (estimate_tokens(tail) <= self.context_window() / 3)
            .then(|| (covered.text.clone(), keep_from))
    }

    /// Replaces the messages before `keep_from` with a start built on `summary`, and records
    /// the change in the transcript.
    fn replace_start(
        &mut self,
        reason: CompactReason,
        summary: String,
        keep_from: usize,
        from_running_summary: bool,
    ) -> Result<Compacted, CompactError> {
        let start = self.compacted_start(&summary, keep_from);
        let dropped = keep_from as u64;
        self.writer_append(&TranscriptEntry::Compaction {
            ts: now(),
            reason: reason.label().to_string(),
            tokens_before: self.context_tokens,
            messages_dropped: dropped,
            summary: summary.clone(),
            from_running_summary,
            messages: start.clone(),
        })?;
        let summary_chars = summary.chars().count() as u64;
        if let Some(head) = start.first() {
            self.running_summary.rebase(summary, head);
        }
        self.messages = start;
        self.context_tokens = self.estimate_request_tokens();
        self.compacted_to = Some(self.context_tokens);
        self.cache_watch.reset();
        Ok(Compacted { messages_dropped: dropped, summary_chars, from_running_summary })
    }

    /// Messages at the end kept verbatim: the latest exchange when it is a tool round the
    /// model is in the middle of (its calls and their results) and it is small enough; the
    /// summary was written with it in view either way.
    fn kept_tail_len(&self) -> usize {
        match self.messages.as_slice() {
            [.., call, results]
                if call.role == Role::Assistant
                    && results.role == Role::User
                    && results
                        .content
                        .iter()
                        .any(|b| matches!(b, ContentBlock::ToolResult { .. }))
                    && estimate_tokens(&self.messages[self.messages.len() - 2..])
                        <= self.context_window() / 4 =>
            {
                2
            }
            _ => 0,
        }
    }

    /// The conversation's new start: session context, summary, the user's messages verbatim,
    /// restored files and todos in one user message, then the messages from `keep_from` on.
    fn compacted_start(&self, summary: &str, keep_from: usize) -> Vec<Message> {
        let tail = &self.messages[keep_from..];
        let mut head = self.session_context();
        head.push(ContentBlock::text(summary_block(summary, &user_messages(&self.messages))));
        head.extend(self.restored_files(tail));
        if let Some(todos) = todo_block(&self.tool_ctx.todos()) {
            head.push(ContentBlock::text(todos));
        }
        let mut start = vec![Message { role: Role::User, content: head }];
        start.extend(tail.iter().cloned());
        start
    }

    /// The files touched last, read again (and so counted as read), except those the kept
    /// `tail` already shows.
    fn restored_files(&self, tail: &[Message]) -> Vec<ContentBlock> {
        let cwd = self.tool_ctx.cwd();
        let in_tail: Vec<PathBuf> = tail
            .iter()
            .flat_map(Message::tool_uses)
            .filter_map(|(_, _, input)| input.get("path").and_then(serde_json::Value::as_str))
            .map(|path| cwd.join(path))
            .collect();
        let mut seen: Vec<&PathBuf> = Vec::new();
        for path in self.recent_files.iter().rev() {
            if !seen.contains(&path) && !in_tail.contains(path) && seen.len() < FILES_TO_RESTORE {
                seen.push(path);
            }
        }
        // All restored files together take at most an eighth of the window.
        let mut budget = (self.context_window() / 8).min(MAX_RESTORED_TOKENS) * 4;
        let mut blocks = Vec::new();
        for path in seen {
            let raw = path.to_string_lossy();
            let Ok(file) = rein_tools::attach_file(&self.tool_ctx, &raw, RESTORED_FILE_BYTES)
            else {
                continue;
            };
            let shown = path.strip_prefix(&self.config.cwd).unwrap_or(path).to_string_lossy();
            let text = mentions::render(&shown, &file.content);
            let Some(left) = budget.checked_sub(text.len() as u64) else {
                continue;
            };
            budget = left;
            blocks.push(ContentBlock::text(text));
        }
        blocks
    }
}

/// Every message the user wrote, in order: prompts of user messages that hold no tool
/// results, and those carried in earlier summaries. Context blocks rein adds are skipped.
pub(crate) fn user_messages(messages: &[Message]) -> Vec<String> {
    let mut found = Vec::new();
    for message in messages.iter().filter(|m| m.role == Role::User) {
        if message.content.iter().any(|b| matches!(b, ContentBlock::ToolResult { .. })) {
            continue;
        }
        for block in &message.content {
            let ContentBlock::Text { text } = block else { continue };
            if text.starts_with(SUMMARY_OPEN) {
                found.extend(carried_user_messages(text));
            } else if !is_context_block(text) {
                found.push(text.clone());
            }
        }
    }
    found
}

/// Blocks rein writes itself: environment, instructions, todos, attached files, hook output.
pub(crate) fn is_context_block(text: &str) -> bool {
    let tags = ["<environment>", "<instructions>", "<todos>", "<hook-context ", "<hook-feedback "];
    if tags.iter().any(|tag| text.starts_with(tag)) {
        return true;
    }
    mentions::is_rendered_file(text)
}

fn carried_user_messages(summary: &str) -> Vec<String> {
    summary
        .split(USER_OPEN)
        .skip(1)
        .filter_map(|part| {
            part.split_once(USER_CLOSE).map(|(message, _)| message.trim().to_string())
        })
        .collect()
}

fn summary_block(summary: &str, user_messages: &[String]) -> String {
    let mut out = format!(
        "{SUMMARY_OPEN}\nThis session was compacted to fit the context window. The summary of \
         the work so far:\n\n{summary}\n\nEverything the user has written in this session, \
         verbatim and in order. Their instructions stay in force unless a later message \
         changed them:\n"
    );
    for message in user_messages {
        out.push_str(&format!("{USER_OPEN}\n{message}\n{USER_CLOSE}\n"));
    }
    out.push_str(SUMMARY_CLOSE);
    out
}

fn todo_block(todos: &[rein_tools::TodoItem]) -> Option<String> {
    if todos.is_empty() {
        return None;
    }
    let mut out = String::from("<todos>\nThe todo list as it stood:\n");
    for item in todos {
        let mark = match item.status {
            rein_tools::TodoStatus::Completed => "[x]",
            rein_tools::TodoStatus::InProgress => "[~]",
            rein_tools::TodoStatus::Pending => "[ ]",
        };
        out.push_str(&format!("{mark} {}\n", item.content));
    }
    out.push_str("</todos>");
    Some(out)
}

/// A rough token count of messages (four characters per token), for what the provider has
/// not counted yet: new messages, and whole conversations after compaction or on resume.
pub(crate) fn estimate_tokens(messages: &[Message]) -> u64 {
    let chars: usize =
        messages.iter().map(|m| serde_json::to_string(m).map_or(0, |s| s.len())).sum();
    (chars as u64).div_ceil(4)
}

impl Session {
    /// The estimated size of the next request: system prompt, tools and messages.
    pub(crate) fn estimate_request_tokens(&self) -> u64 {
        self.estimate_with(&self.messages)
    }

    /// The estimated size of a request with these messages.
    pub(crate) fn estimate_with(&self, messages: &[Message]) -> u64 {
        let fixed = serde_json::to_string(&self.tool_specs).map_or(0, |s| s.len())
            + self.system_prompt().len();
        (fixed as u64).div_ceil(4) + estimate_tokens(messages)
    }
}

#[cfg(test)]
#[path = "compact_tests.rs"]
mod tests;
