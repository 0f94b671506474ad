//! Runs the tool calls of one assistant message: consecutive read-only calls concurrently
//! (bounded), mutating calls one at a time in order. Every call gets exactly one result, even
//! when the tool is unknown, the arguments are malformed or the user interrupts.

use crate::hooks::ToolHooks;
use crate::permission::{Approval, ApprovalRequest, Gate, Permissions};
use crate::sink::EventSink;
use futures::StreamExt;
use rein_context::ResultBudget;
use rein_hooks::{PermissionBehavior, PermissionDecision, PreToolOutcome};
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
    pub(crate) hooks: &'a ToolHooks,
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
        if let Some(reason) = self.hooks.stopped() {
            return ToolOutput::error(format!("not run: a hook stopped the run ({reason})"));
        }
        let Some(pre) = self.unless_cancelled(self.hooks.pre_tool_use(call, self.sink)).await
        else {
            return ToolOutput::error("interrupted by the user before this tool call ran");
        };
        if let Some(reason) = self.hooks.stopped() {
            return ToolOutput::error(format!("not run: a hook stopped the run ({reason})"));
        }
        if pre.decision == Some(PermissionDecision::Deny) {
            let reason = pre.reason.unwrap_or_default();
            return ToolOutput::error(format!(
                "refused by a PreToolUse hook: {reason}\nThe call did not run."
            ));
        }
        // A hook's rewritten input replaces the model's before the rules judge it.
        let mut input = match pre.updated_input.clone().filter(Value::is_object) {
            Some(updated) => updated,
            None => call.input.clone(),
        };
        if let Some(refusal) = self.permission_refusal(call, &mut input, &pre).await {
            return ToolOutput::error(refusal);
        }
        let Some(mut output) = self.unless_cancelled(tool.run(input.clone(), self.ctx)).await
        else {
            return ToolOutput::error("interrupted by the user while this tool call was running");
        };
        let after = self.hooks.after_tool(call, &input, &output, self.sink);
        if let Some(Some(said)) = self.unless_cancelled(after).await {
            output.content.push_str(&said);
        }
        output
    }

    /// `work`'s result, or `None` when the user interrupts first (dropping `work` stops what
    /// it started: tool processes, hook process groups).
    async fn unless_cancelled<T>(&self, work: impl Future<Output = T>) -> Option<T> {
        tokio::select! {
            biased;
            () = self.cancel.cancelled() => None,
            value = work => Some(value),
        }
    }
}

impl Dispatcher<'_> {
    /// Why `call` may not run: the rules refuse it, or it needs approval and neither a
    /// PermissionRequest hook nor the user (if anyone can be asked) allows it. A PreToolUse
    /// hook's `allow` skips the question and its `ask` forces it; deny rules win over both. A
    /// hook that allows with a rewritten input replaces `input`.
    async fn permission_refusal(
        &self,
        call: &ToolCall,
        input: &mut Value,
        pre: &PreToolOutcome,
    ) -> Option<String> {
        let cwd = self.ctx.cwd();
        let request = match (self.permissions.gate(&call.name, input, &cwd), pre.decision) {
            (Gate::Refuse(text), _) => return Some(text),
            (Gate::Run, Some(PermissionDecision::Ask)) => ApprovalRequest {
                tool: call.name.clone(),
                input: input.clone(),
                reason: match &pre.reason {
                    Some(reason) => format!("a PreToolUse hook asks: {reason}"),
                    None => "a PreToolUse hook asks for the user's approval".to_string(),
                },
                suggested_rule: None,
            },
            (Gate::Run, _) | (Gate::Ask(_), Some(PermissionDecision::Allow)) => return None,
            (Gate::Ask(request), _) => request,
        };
        let Some(answer) =
            self.unless_cancelled(self.hooks.permission_request(call, input, self.sink)).await
        else {
            return Some("interrupted by the user while asking for approval".to_string());
        };
        match answer.decision {
            Some(PermissionBehavior::Allow) => {
                if let Some(updated) = answer.updated_input.filter(Value::is_object) {
                    if let Gate::Refuse(text) = self.permissions.gate(&call.name, &updated, &cwd) {
                        return Some(text);
                    }
                    *input = updated;
                }
                return None;
            }
            Some(PermissionBehavior::Deny) => {
                let message = answer.message.unwrap_or_default();
                return Some(format!(
                    "denied by a PermissionRequest hook: {message}\nThe call did not run. Do not \
                     retry it; ask the user how to proceed if it is needed."
                ));
            }
            None => {}
        }
        if let Some(reason) = self.hooks.stopped() {
            return Some(format!("not run: a hook stopped the run ({reason})"));
        }
        let Some(approver) = &self.permissions.approver else {
            return Some(self.permissions.no_one_to_ask(&request));
        };
        self.hooks.notify_permission_prompt(&request);
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
