//! The loop of one prompt: model call → tool calls → results → … until a final answer, the
//! turn limit, an unrecoverable error or an interrupt.

use crate::compact::{CompactError, CompactReason};
use crate::dispatch::{Dispatcher, ToolCall};
use crate::hooks::PromptGate;
use crate::model_call::{CallOutcome, ModelCall, interrupted_content};
use crate::session::Session;
use crate::sink::EventSink;
use rein_protocol::{ContentBlock, Event, Message, Role, SessionStopReason, StopReason, Usage};
use rein_store::StoreError;
use std::time::{Duration, Instant};
use tokio_util::sync::CancellationToken;

/// Continuations after an answer was cut by the output limit, before giving up.
const MAX_CONTINUATIONS: u32 = 3;

const CONTINUE_PROMPT: &str = "Your last reply was cut off by the output limit. Continue exactly \
where it stopped, without repeating anything. If a tool call was cut, make it again with \
smaller arguments.";

/// How a run ended.
#[derive(Debug, Clone, PartialEq)]
pub struct RunResult {
    /// Why it ended.
    pub stop_reason: SessionStopReason,
    /// The final answer text.
    pub result: String,
    /// Model calls made.
    pub turns: u32,
    /// Tokens used, summary requests included.
    pub usage: Usage,
    /// Dollars spent, summary requests included.
    pub cost_usd: f64,
    /// Wall time.
    pub duration: Duration,
    /// What went wrong, when `stop_reason` is `Error`.
    pub error: Option<String>,
}

/// Why the loop stops, before it is turned into a [`RunResult`].
enum Stop {
    Completed,
    MaxTurns,
    Interrupted,
    Refused,
    Failed {
        kind: &'static str,
        message: String,
    },
    /// A UserPromptSubmit hook refused the prompt, for this reason.
    PromptRefused(String),
    /// A hook answered `"continue": false`, for this reason.
    HookStopped(String),
    /// The run used its token budget.
    Budget(u64),
}

struct RunState {
    started: Instant,
    turns: u32,
    /// The session's totals when the run started: the run's usage is what they grew by, so
    /// summary requests count too.
    usage_before: Usage,
    cost_before: f64,
    continuations: u32,
    /// Times a Stop hook kept this run going.
    stop_hook_continuations: u32,
    /// Answer text since the last tool round (continuations append to it).
    answer: String,
    /// A context-overflow error already led to a compaction in this run.
    compacted_for_overflow: bool,
}

impl Session {
    /// Takes one user prompt through the loop. Progress goes to `sink`; the last event is
    /// always [`Event::Finished`]. Cancelling `cancel` interrupts the run cleanly: every tool
    /// call gets a result and the transcript stays valid.
    pub async fn run(
        &mut self,
        prompt: &str,
        sink: &dyn EventSink,
        cancel: &CancellationToken,
    ) -> RunResult {
        let mut state = RunState {
            started: Instant::now(),
            turns: 0,
            usage_before: self.usage,
            cost_before: self.cost_usd,
            continuations: 0,
            stop_hook_continuations: 0,
            answer: String::new(),
            compacted_for_overflow: false,
        };
        sink.emit(Event::SessionStarted {
            session_id: self.id.clone(),
            model: self.model.clone(),
            provider: self.provider.name().to_string(),
            cwd: self.config.cwd.to_string_lossy().into_owned(),
            resumed: self.resumed,
        });
        for message in std::mem::take(&mut self.load_warnings) {
            sink.emit(Event::Warning { message });
        }
        let stop = match self.run_loop(prompt, &mut state, sink, cancel).await {
            Ok(stop) => stop,
            Err(error) => Stop::Failed { kind: "storage", message: error.to_string() },
        };
        self.finish(stop, state, sink)
    }

    async fn run_loop(
        &mut self,
        prompt: &str,
        state: &mut RunState,
        sink: &dyn EventSink,
        cancel: &CancellationToken,
    ) -> Result<Stop, StoreError> {
        // A refused prompt is not recorded anywhere: the hook may have refused it for a secret.
        let hook_context = match self.prompt_hooks(prompt, sink).await {
            PromptGate::Go(blocks) => blocks,
            PromptGate::Refused(reason) => return Ok(Stop::PromptRefused(reason)),
            PromptGate::Stopped(reason) => return Ok(Stop::HookStopped(reason)),
        };
        if self.title.is_empty() {
            self.title = crate::session::title_of(prompt);
        }
        let recalled = self.recalled_memory(prompt);
        self.activity.prompts.push(prompt.to_string());
        let (mut message, warnings) = self.user_message(prompt);
        message.content.extend(recalled);
        message.content.extend(hook_context);
        message.content.extend(self.agent_notifications());
        for message in warnings {
            sink.emit(Event::Warning { message });
        }
        self.context_tokens += crate::compact::estimate_tokens(std::slice::from_ref(&message));
        self.push(message)?;
        let max_turns = self.config.settings.max_turns;
        loop {
            if cancel.is_cancelled() {
                return Ok(Stop::Interrupted);
            }
            if state.turns >= max_turns {
                return Ok(Stop::MaxTurns);
            }
            if let Some(budget) = self.token_budget {
                // The next call sends the whole conversation again: stop before it would
                // cross the budget, not after.
                let used = self.usage.minus(state.usage_before);
                if used.total_input() + used.output_tokens + self.context_tokens >= budget {
                    return Ok(Stop::Budget(budget));
                }
            }
            // Stale results go when the cache is cold anyway, or instead of a compaction when
            // that frees room for a while; otherwise the compaction summarises the unchanged,
            // still cached conversation.
            let cache_cold = self
                .last_request_at
                .is_some_and(|at| at.elapsed() > rein_context::cache_watch::CACHE_TTL);
            self.collect_summary(false, sink, cancel).await?;
            if cache_cold || self.needs_compaction() {
                self.clear_stale_results(!cache_cold, sink)?;
            }
            if self.needs_compaction() {
                // A failure is reported as a warning; the run goes on with the whole
                // conversation (the provider may still accept it).
                if let Err(CompactError::Store(error)) =
                    self.compact(CompactReason::Auto, None, sink, cancel).await
                {
                    return Err(error);
                }
                if cancel.is_cancelled() {
                    return Ok(Stop::Interrupted);
                }
            }
            self.maybe_update_summary();
            state.turns += 1;
            sink.emit(Event::TurnStarted { turn: state.turns });

            let mut request = self.request();
            let sent_at = std::time::Instant::now();
            self.last_request_at = Some(sent_at);
            self.cache_watch.before_request(fingerprint(&request), sent_at);
            let call = ModelCall {
                provider: self.provider.as_ref(),
                retry: &self.retry,
                fallback_model: self.config.settings.fallback_model.as_deref(),
                sink,
                cancel,
            };
            let response = match call.run(&mut request).await {
                Ok(CallOutcome::Completed(response)) => response,
                Ok(CallOutcome::Interrupted { partial_text }) => {
                    let content = interrupted_content(partial_text);
                    if !content.is_empty() {
                        self.push(Message { role: Role::Assistant, content })?;
                    }
                    return Ok(Stop::Interrupted);
                }
                Err(error)
                    if error.action() == rein_provider::ErrorAction::Compact
                        && !state.compacted_for_overflow =>
                {
                    // The provider says the prompt is too long: compact once and retry.
                    state.compacted_for_overflow = true;
                    state.turns -= 1;
                    match self.compact(CompactReason::Auto, None, sink, cancel).await {
                        Ok(()) => continue,
                        Err(CompactError::Store(error)) => return Err(error),
                        Err(_) => {
                            return Ok(Stop::Failed {
                                kind: "provider",
                                message: error.to_string(),
                            });
                        }
                    }
                }
                Err(error) => {
                    let message = match error.action() {
                        rein_provider::ErrorAction::Compact => format!(
                            "{error}. The conversation no longer fits the model's context window; \
                             start a new session or continue with a model that has a larger window"
                        ),
                        _ => error.to_string(),
                    };
                    return Ok(Stop::Failed { kind: "provider", message });
                }
            };
            if request.model != self.model {
                self.model = request.model;
            }

            let usage = response.usage;
            self.context_tokens = usage.input_tokens
                + usage.cache_read_tokens
                + usage.cache_creation_tokens
                + usage.output_tokens;
            if let Some(broken) = self
                .cache_watch
                .after_response(usage.cache_read_tokens, usage.cache_creation_tokens)
            {
                tracing::info!(
                    expected = broken.expected_tokens,
                    cached = broken.cached_tokens,
                    cause = broken.cause.label(),
                    "prompt cache break"
                );
                sink.emit(Event::CacheBreak {
                    turn: state.turns,
                    expected_tokens: broken.expected_tokens,
                    cached_tokens: broken.cached_tokens,
                    cause: broken.cause.label().to_string(),
                    message: broken.cause.describe().to_string(),
                });
            }
            let cost = self.cost_of(&self.model, &response.usage);
            self.record_usage(response.usage, cost.usd)?;
            sink.emit(Event::Usage {
                turn: state.turns,
                usage: response.usage,
                cost_usd: cost.usd,
                session_usage: self.usage,
                session_cost_usd: self.cost_usd,
            });

            let mut content = response.content;
            if content.is_empty() {
                // Providers reject empty assistant messages when the conversation continues.
                content.push(ContentBlock::text("(no answer)"));
            }
            let message = Message { role: Role::Assistant, content };
            state.answer.push_str(&message.text());
            let calls: Vec<ToolCall> = message
                .tool_uses()
                .map(|(id, name, input)| ToolCall {
                    id: id.to_string(),
                    name: name.to_string(),
                    input: input.clone(),
                })
                .collect();
            self.push(message.clone())?;
            sink.emit(Event::AssistantMessage { message });

            if !calls.is_empty() {
                state.answer.clear();
                self.note_activity(&calls);
                let outside = self.outside_sources(&calls);
                // Tools see this run's token, so an interrupt also stops their processes.
                let ctx = self.tool_ctx.clone().with_cancel(cancel.clone());
                let hooks = self.hooks.for_tools(&ctx.cwd());
                let dispatcher = Dispatcher {
                    tools: &self.tools,
                    ctx: &ctx,
                    concurrency: self.config.settings.tool_concurrency,
                    budget: &self.result_budget,
                    permissions: &self.permissions,
                    hooks: &hooks,
                    sink,
                    cancel,
                };
                let touched = touched_paths(&calls, &ctx.cwd());
                self.sync_subagents();
                let mut results = dispatcher.run_all(calls).await;
                self.note_outside_content(&outside, &results);
                self.note_touched(&touched);
                // Instruction files of directories the agent just reached ride along with
                // the results, once each.
                let nested: Vec<_> =
                    touched.iter().flat_map(|p| self.nested_instructions.for_path(p)).collect();
                if let Some(text) = rein_context::render_instructions(&nested) {
                    results.push(ContentBlock::text(text));
                }
                results.extend(self.agent_notifications());
                let message = Message { role: Role::User, content: results };
                self.context_tokens +=
                    crate::compact::estimate_tokens(std::slice::from_ref(&message));
                self.push(message)?;
                if let Some(reason) = hooks.stopped() {
                    return Ok(Stop::HookStopped(reason));
                }
                continue;
            }
            match response.stop_reason {
                StopReason::MaxTokens if state.continuations < MAX_CONTINUATIONS => {
                    state.continuations += 1;
                    sink.emit(Event::Continuing { reason: "max_tokens".into() });
                    self.push(Message::user_text(CONTINUE_PROMPT))?;
                }
                StopReason::Refusal => return Ok(Stop::Refused),
                _ => {
                    self.activity.last_answer.clone_from(&state.answer);
                    let Some(reason) = self.stop_hook(state.stop_hook_continuations, sink).await
                    else {
                        // Background subagents still at work: their results come first.
                        if self.await_background(sink, cancel).await? {
                            state.answer.clear();
                            continue;
                        }
                        return Ok(Stop::Completed);
                    };
                    // The hook's reason becomes the agent's next instruction.
                    state.stop_hook_continuations += 1;
                    state.answer.clear();
                    sink.emit(Event::Continuing { reason: "stop_hook".into() });
                    let text = crate::hooks::labelled(
                        "feedback",
                        rein_hooks::HookEvent::Stop,
                        &format!("A Stop hook did not let the run end yet:\n{reason}"),
                    );
                    self.push(Message::user_text(text))?;
                }
            }
        }
    }

    fn finish(&mut self, stop: Stop, mut state: RunState, sink: &dyn EventSink) -> RunResult {
        let (stop_reason, error) = match stop {
            Stop::Completed => (SessionStopReason::Completed, None),
            Stop::MaxTurns => {
                let message = format!(
                    "stopped after {} model turns (max_turns); continue with --continue or raise max_turns",
                    state.turns
                );
                sink.emit(Event::Warning { message });
                (SessionStopReason::MaxTurns, None)
            }
            Stop::Budget(budget) => {
                sink.emit(Event::Warning {
                    message: format!("stopped after using the run's budget of {budget} tokens"),
                });
                (SessionStopReason::MaxTurns, None)
            }
            Stop::Interrupted => (SessionStopReason::Interrupted, None),
            Stop::Refused => (SessionStopReason::Refused, None),
            Stop::PromptRefused(reason) => {
                sink.emit(Event::Warning {
                    message: format!("a UserPromptSubmit hook refused the prompt: {reason}"),
                });
                state.answer = reason;
                (SessionStopReason::Refused, None)
            }
            Stop::HookStopped(reason) => {
                sink.emit(Event::Warning { message: format!("a hook stopped the run: {reason}") });
                state.answer = reason;
                (SessionStopReason::Completed, None)
            }
            Stop::Failed { kind, message } => {
                sink.emit(Event::Error { kind: kind.to_string(), message: message.clone() });
                (SessionStopReason::Error, Some(message))
            }
        };
        if stop_reason != SessionStopReason::Completed {
            let text = error.clone().unwrap_or_else(|| format!("{stop_reason:?}"));
            if let Err(e) = self.note("run_stopped", text) {
                tracing::warn!(error = %e, "could not record the stop in the transcript");
            }
        }
        let result = RunResult {
            stop_reason,
            result: state.answer,
            turns: state.turns,
            usage: self.usage.minus(state.usage_before),
            cost_usd: (self.cost_usd - state.cost_before).max(0.0),
            duration: state.started.elapsed(),
            error,
        };
        sink.emit(Event::Finished {
            session_id: self.id.clone(),
            stop_reason: result.stop_reason,
            result: result.result.clone(),
            turns: result.turns,
            usage: result.usage,
            cost_usd: result.cost_usd,
            duration_ms: u64::try_from(result.duration.as_millis()).unwrap_or(u64::MAX),
        });
        result
    }
}

/// Paths the calls name in a `path` argument, resolved against the working directory.
fn touched_paths(calls: &[ToolCall], cwd: &std::path::Path) -> Vec<std::path::PathBuf> {
    calls
        .iter()
        .filter_map(|call| call.input.get("path").and_then(serde_json::Value::as_str))
        .map(|path| cwd.join(path))
        .collect()
}

/// The parts of a request whose change invalidates the provider's prompt cache.
fn fingerprint(request: &rein_protocol::ModelRequest) -> rein_context::PrefixFingerprint {
    let tools = serde_json::to_string(&request.tools).unwrap_or_default();
    let system: String = request.system.iter().map(|b| b.text.as_str()).collect();
    let settings = format!("thinking={:?}", request.thinking_budget);
    rein_context::PrefixFingerprint::new(&request.model, &tools, &system, &settings)
}

/// How many touched paths are remembered for re-reading after compaction.
const RECENT_FILES: usize = 50;

impl Session {
    fn note_touched(&mut self, paths: &[std::path::PathBuf]) {
        self.recent_files.extend(paths.iter().cloned());
        let excess = self.recent_files.len().saturating_sub(RECENT_FILES);
        self.recent_files.drain(..excess);
    }
}
