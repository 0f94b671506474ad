//! Runs the tool calls of one assistant message: consecutive read-only calls concurrently
//! (bounded), mutating calls one at a time in order. Every call gets exactly one result, even
//! when the tool is unknown, the arguments are malformed or the user interrupts.

use crate::permission::{Approval, Gate, Permissions};
use crate::sink::EventSink;
use futures::StreamExt;
use rein_context::ResultBudget;
use rein_protocol::{ContentBlock, Event};
use rein_tools::{ToolContext, ToolOutput, ToolRegistry};
use serde_json::Value;
use std::time::Instant;
use tokio_util::sync::CancellationToken;

/// Largest result handed to the model; tools cap their own output well below this, so this is
/// only a backstop against a misbehaving tool.
const MAX_RESULT_CHARS: usize = 200_000;

pub(crate) struct ToolCall {
    pub(crate) id: String,
    pub(crate) name: String,
    pub(crate) input: Value,
}

pub(crate) struct Dispatcher<'a> {
    pub(crate) tools: &'a ToolRegistry,
    pub(crate) ctx: &'a ToolContext,
    pub(crate) concurrency: usize,
    pub(crate) budget: &'a ResultBudget,
    pub(crate) permissions: &'a Permissions,
    pub(crate) sink: &'a dyn EventSink,
    pub(crate) cancel: &'a CancellationToken,
}

impl Dispatcher<'_> {
    /// Runs the calls and returns their results in call order.
    pub(crate) async fn run_all(&self, calls: Vec<ToolCall>) -> Vec<ContentBlock> {
        let mut results = Vec::with_capacity(calls.len());
        let mut batch: Vec<ToolCall> = Vec::new();
        for call in calls {
            if self.is_read_only(&call) {
                batch.push(call);
                continue;
            }
            results.extend(self.run_concurrently(std::mem::take(&mut batch)).await);
            results.push(self.run_one(call).await);
        }
        results.extend(self.run_concurrently(batch).await);
        results
    }

    /// Calls that cannot run (unknown tool, malformed input) count as read-only: they only
    /// produce an error result.
    fn is_read_only(&self, call: &ToolCall) -> bool {
        match self.tools.get(&call.name) {
            Some(tool) if call.input.is_object() => tool.is_read_only(&call.input),
            _ => true,
        }
    }

    async fn run_concurrently(&self, batch: Vec<ToolCall>) -> Vec<ContentBlock> {
        futures::stream::iter(batch)
            .map(|call| self.run_one(call))
            .buffered(self.concurrency)
            .collect()
            .await
    }

    async fn run_one(&self, call: ToolCall) -> ContentBlock {
        let started = Instant::now();
        let output = if self.cancel.is_cancelled() {
            ToolOutput::error("interrupted by the user before this tool call ran")
        } else {
            self.sink.emit(Event::ToolCallStarted {
                id: call.id.clone(),
                name: call.name.clone(),
                input: call.input.clone(),
            });
            let output = self.execute(&call).await;
            self.sink.emit(Event::ToolCallFinished {
                id: call.id.clone(),
                name: call.name.clone(),
                is_error: output.is_error,
                output: output.content.clone(),
                duration_ms: u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX),
            });
            output
        };
        let content = cap(self.budget.apply(&call.name, &call.id, output.content));
        ContentBlock::ToolResult { tool_use_id: call.id, content, is_error: output.is_error }
    }

    async fn execute(&self, call: &ToolCall) -> ToolOutput {
        let Some(tool) = self.tools.get(&call.name) else {
            return ToolOutput::error(format!(
                "unknown tool `{}`. Available tools: {}",
                call.name,
                self.tools.names().join(", ")
            ));
        };
        if !call.input.is_object() {
            return ToolOutput::error(malformed_arguments(&call.input));
        }
        if let Some(refusal) = self.permission_refusal(call).await {
            return ToolOutput::error(refusal);
        }
        tokio::select! {
            biased;
            () = self.cancel.cancelled() => ToolOutput::error("interrupted by the user while this tool call was running"),
            output = tool.run(call.input.clone(), self.ctx) => output,
        }
    }
}

impl Dispatcher<'_> {
    /// Why `call` may not run: the rules refuse it, or it needs approval and the user (if
    /// anyone can be asked) declines.
    async fn permission_refusal(&self, call: &ToolCall) -> Option<String> {
        let request = match self.permissions.gate(&call.name, &call.input, &self.ctx.cwd()) {
            Gate::Run => return None,
            Gate::Refuse(text) => return Some(text),
            Gate::Ask(request) => request,
        };
        let Some(approver) = &self.permissions.approver else {
            return Some(self.permissions.no_one_to_ask(&request));
        };
        let approval = tokio::select! {
            biased;
            () = self.cancel.cancelled() => {
                return Some("interrupted by the user while asking for approval".to_string());
            }
            approval = approver.approve(&request) => approval,
        };
        match approval {
            Approval::Once => None,
            Approval::Always(rule) => match self.permissions.allow_always(&rule) {
                Ok(()) => None,
                Err(error) => {
                    tracing::warn!(%error, rule, "the approved rule could not be added");
                    None
                }
            },
            Approval::Deny => Some(format!(
                "the user declined this call ({}). It did not run. Do not retry it; ask the \
                 user how to proceed if it is needed.",
                request.reason
            )),
        }
    }
}

fn malformed_arguments(input: &Value) -> String {
    let raw = match input {
        Value::String(raw) => raw.clone(),
        other => other.to_string(),
    };
    let shown: String = raw.chars().take(500).collect();
    format!(
        "the arguments were not a JSON object, so the tool did not run. Send the arguments as \
         one JSON object matching the tool's schema. Received: {shown}"
    )
}

fn cap(mut content: String) -> String {
    if content.len() > MAX_RESULT_CHARS {
        let mut cut = MAX_RESULT_CHARS;
        while !content.is_char_boundary(cut) {
            cut -= 1;
        }
        let dropped = content.len() - cut;
        content.truncate(cut);
        content.push_str(&format!("\n[output truncated: {dropped} more bytes]"));
    }
    if content.is_empty() {
        // An empty result confuses some models into thinking the call never ran.
        content.push_str("(no output)");
    }
    content
}
