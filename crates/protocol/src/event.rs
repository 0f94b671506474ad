//! What a running session reports to front ends. `rein -p --output-format stream-json` prints
//! these, one JSON object per line; `docs/stream-json.md` documents the schema.

use crate::message::Message;
use crate::usage::Usage;
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// Why a session run (one user prompt and everything it caused) ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum StopReason {
    /// The model finished with a final answer.
    Completed,
    /// The run hit the configured maximum number of model turns.
    MaxTurns,
    /// The user interrupted the run.
    Interrupted,
    /// The run failed: the provider kept failing after retries, or state could not be saved.
    /// The `error` event before it says why.
    Error,
    /// The model refused to answer, or a `UserPromptSubmit` hook refused the prompt.
    Refused,
}

/// A compact view of a finished tool call.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ToolCallSummary {
    /// Call id.
    pub id: String,
    /// Tool name.
    pub name: String,
    /// Whether it failed.
    pub is_error: bool,
}

/// One event of a session run.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Event {
    /// The session is ready; emitted once per run, first.
    SessionStarted {
        /// Session id (use with `--resume`).
        session_id: String,
        /// Model id.
        model: String,
        /// Provider name (`anthropic`, `openai`, …).
        provider: String,
        /// Working directory.
        cwd: String,
        /// Whether an earlier session was resumed.
        resumed: bool,
    },
    /// A model call starts (turn numbers count model calls within the run, from 1).
    TurnStarted {
        /// Turn number.
        turn: u32,
    },
    /// Answer text as it streams.
    TextDelta {
        /// New text.
        text: String,
    },
    /// Reasoning text as it streams.
    ThinkingDelta {
        /// New reasoning text.
        text: String,
    },
    /// The complete assistant message of a turn.
    AssistantMessage {
        /// The message as stored in the transcript.
        message: Message,
    },
    /// A tool call is about to run.
    ToolCallStarted {
        /// Call id.
        id: String,
        /// Tool name.
        name: String,
        /// Arguments as the model sent them.
        input: Value,
    },
    /// A tool call finished.
    ToolCallFinished {
        /// Call id.
        id: String,
        /// Tool name.
        name: String,
        /// Whether it failed.
        is_error: bool,
        /// The result text given to the model.
        output: String,
        /// Wall time of the call.
        duration_ms: u64,
    },
    /// A model call failed and will be retried after a delay.
    Retrying {
        /// Retry number, from 1.
        attempt: u32,
        /// Delay before the retry.
        delay_ms: u64,
        /// What went wrong.
        error: String,
    },
    /// The run continues without new user input, and why (e.g. `max_tokens`).
    Continuing {
        /// Reason label.
        reason: String,
    },
    /// Token use of a turn and of the session so far.
    Usage {
        /// Turn number.
        turn: u32,
        /// This turn's tokens.
        usage: Usage,
        /// This turn's cost in dollars (0 when unknown or local).
        cost_usd: f64,
        /// Tokens of the whole session, resumed parts included.
        session_usage: Usage,
        /// Cost of the whole session in dollars.
        session_cost_usd: f64,
    },
    /// The provider's prompt cache served far fewer tokens than the previous request left in
    /// it: the turn paid for reprocessing the prefix.
    CacheBreak {
        /// Turn number.
        turn: u32,
        /// Tokens the previous request left in the cache.
        expected_tokens: u64,
        /// Tokens this request read from it.
        cached_tokens: u64,
        /// Most likely cause: `model_changed`, `tools_changed`, `system_changed`,
        /// `settings_changed`, `expired` or `server_side`.
        cause: String,
        /// The cause in words.
        message: String,
    },
    /// The conversation is about to be compacted into a summary (sent before the summary is
    /// requested, so the user sees why the run pauses).
    Compacting {
        /// `auto` (near the context window) or `manual`.
        reason: String,
        /// Tokens the conversation takes now.
        tokens: u64,
        /// Tokens at which compaction starts.
        threshold: u64,
    },
    /// The conversation was compacted.
    Compacted {
        /// Messages replaced by the summary (they stay in the transcript).
        messages_dropped: u64,
        /// Characters of the summary.
        summary_chars: u64,
        /// The summary was the running summary kept up to date in the background, so no
        /// summary request had to wait.
        #[serde(default)]
        from_running_summary: bool,
    },
    /// The running session summary was brought up to date in the background.
    SummaryUpdated {
        /// Messages of the conversation the summary now covers.
        messages_covered: u64,
        /// Characters of the summary.
        summary_chars: u64,
    },
    /// Older tool results were cleared from the model's view to make room (they stay in the
    /// transcript).
    ResultsCleared {
        /// Tool results cleared.
        results: u64,
        /// Characters they held.
        chars: u64,
    },
    /// A hook (a command from the `hooks` settings) ran.
    Hook {
        /// The hook event (`PreToolUse`, `Stop`, …).
        event: String,
        /// The command as configured.
        command: String,
        /// `success`, `blocked` (exit 2, or a deny/block decision), `error` or `timed_out`.
        outcome: String,
        /// What it said: a decision and its reason, or what went wrong.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        message: Option<String>,
    },
    /// Something the user should know that did not stop the run.
    Warning {
        /// Message.
        message: String,
    },
    /// The run failed.
    Error {
        /// Stable label (`provider`, `config`, `interrupted`, …).
        kind: String,
        /// Human-readable message.
        message: String,
    },
    /// The run ended; always the last event.
    Finished {
        /// Session id.
        session_id: String,
        /// Why the run ended.
        stop_reason: StopReason,
        /// The final answer text (may be empty).
        result: String,
        /// Model calls made in this run.
        turns: u32,
        /// Tokens of this run.
        usage: Usage,
        /// Cost of this run in dollars.
        cost_usd: f64,
        /// Wall time of this run.
        duration_ms: u64,
    },
}
