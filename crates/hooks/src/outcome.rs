//! What the hooks of one event decided together. Several hooks combine deterministically:
//! deny > ask > allow, any block blocks, and texts are joined in source order.

use crate::event::HookEvent;
use crate::output::{Decision, PermissionBehavior, PermissionDecision};
use crate::reply::{Reply, ReplyKind, shown_command};
use serde_json::Value;

/// How one hook ended, for the event log.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HookStatus {
    /// Exit 0 and nothing blocking.
    Success,
    /// Exit 2, or a deny/block decision.
    Blocked,
    /// Another exit code, a failure to start, or unusable output.
    Error,
    /// Killed after its timeout.
    TimedOut,
}

impl HookStatus {
    /// A stable label.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Success => "success",
            Self::Blocked => "blocked",
            Self::Error => "error",
            Self::TimedOut => "timed_out",
        }
    }
}

/// One hook that ran.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HookReport {
    /// The event.
    pub event: HookEvent,
    /// The command as configured.
    pub command: String,
    /// How it ended.
    pub status: HookStatus,
    /// What it said (a reason, a decision, an error), unless it asked for `suppressOutput`.
    pub message: Option<String>,
}

/// What every event's outcome carries besides its decisions.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct HookNotes {
    /// For the user: failures, timeouts, `systemMessage`s, exit-2 text of events that cannot
    /// block.
    pub warnings: Vec<String>,
    /// A hook answered `"continue": false`: the run must stop, for this reason.
    pub stop: Option<String>,
    /// Each hook that ran, in source order.
    pub reports: Vec<HookReport>,
}

/// PreToolUse.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct PreToolOutcome {
    /// The strongest decision any hook made.
    pub decision: Option<PermissionDecision>,
    /// Why, from the hooks that made that decision.
    pub reason: Option<String>,
    /// The input to use instead of the model's (in rein's field names).
    pub updated_input: Option<Value>,
    /// Warnings, stop request and reports.
    pub notes: HookNotes,
}

/// PermissionRequest.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct PermissionOutcome {
    /// The hooks' answer; `None` leaves the question to the user.
    pub decision: Option<PermissionBehavior>,
    /// Why, from the hooks that gave that answer.
    pub message: Option<String>,
    /// With `allow`: the input to run instead (in rein's field names).
    pub updated_input: Option<Value>,
    /// Warnings, stop request and reports.
    pub notes: HookNotes,
}

/// PostToolUse and PostToolUseFailure.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct PostToolOutcome {
    /// Feedback the model must see after the result.
    pub block_reason: Option<String>,
    /// Extra context for the model.
    pub additional_context: Option<String>,
    /// Warnings, stop request and reports.
    pub notes: HookNotes,
}

/// UserPromptSubmit.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct PromptOutcome {
    /// The prompt is refused (and not recorded), for this reason shown to the user.
    pub block_reason: Option<String>,
    /// Context to add beside the prompt.
    pub additional_context: Option<String>,
    /// Warnings, stop request and reports.
    pub notes: HookNotes,
}

/// Stop and SubagentStop.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct StopOutcome {
    /// The agent must go on, with this as its next instruction.
    pub block_reason: Option<String>,
    /// Warnings, stop request and reports.
    pub notes: HookNotes,
}

/// SessionStart.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SessionStartOutcome {
    /// Context for the model's first turn.
    pub additional_context: Option<String>,
    /// Warnings, stop request and reports.
    pub notes: HookNotes,
}

/// Warnings, the stop request and a report for each reply, before the event's own rules.
fn base_notes(event: HookEvent, replies: &[Reply]) -> HookNotes {
    let mut notes = HookNotes::default();
    for reply in replies {
        notes.warnings.extend(reply.warnings.iter().cloned());
        let json = reply.json();
        if notes.stop.is_none() && json.is_some_and(|j| j.keep_going == Some(false)) {
            let reason = json.and_then(|j| j.stop_reason.clone()).filter(|r| !r.is_empty());
            notes.stop = Some(reason.unwrap_or_else(|| format!("a {event} hook stopped the run")));
        }
        let (status, message) = match &reply.kind {
            ReplyKind::Success { .. } => (HookStatus::Success, None),
            ReplyKind::Blocking { reason } => (HookStatus::Blocked, Some(reason.clone())),
            ReplyKind::Failed { timed_out: true } => {
                (HookStatus::TimedOut, reply.warnings.first().cloned())
            }
            ReplyKind::Failed { timed_out: false } => {
                (HookStatus::Error, reply.warnings.first().cloned())
            }
        };
        notes.reports.push(HookReport { event, command: reply.command.clone(), status, message });
    }
    notes
}

impl HookNotes {
    /// Records what hook `index` decided in its report (a JSON decision reads as exit 2 did).
    fn decided(&mut self, index: usize, replies: &[Reply], status: HookStatus, said: String) {
        let suppressed = replies[index].json().is_some_and(|j| j.suppress_output == Some(true));
        if let Some(report) = self.reports.get_mut(index) {
            report.status = status;
            report.message = if suppressed { None } else { Some(said) };
        }
    }

    /// Exit 2 of an event that cannot block shows the text to the user.
    fn blocking_as_warnings(&mut self, event: HookEvent, replies: &[Reply]) {
        for (index, reply) in replies.iter().enumerate() {
            if let ReplyKind::Blocking { reason } = &reply.kind {
                self.warnings.push(format!("{event} hook: {reason}"));
                if let Some(report) = self.reports.get_mut(index) {
                    report.status = HookStatus::Error;
                }
            }
        }
    }
}

fn joined(parts: Vec<String>, separator: &str) -> Option<String> {
    let parts: Vec<String> = parts.into_iter().filter(|p| !p.trim().is_empty()).collect();
    if parts.is_empty() { None } else { Some(parts.join(separator)) }
}

fn default_reason(event: HookEvent, reply: &Reply) -> String {
    format!("blocked by the {event} hook `{}`", shown_command(&reply.command))
}

pub(crate) fn pre_tool(
    replies: &[Reply],
    original_input: &Value,
    to_rein: impl Fn(&Value, Value) -> Value,
) -> PreToolOutcome {
    let event = HookEvent::PreToolUse;
    let mut notes = base_notes(event, replies);
    let mut decisions: Vec<(PermissionDecision, String)> = Vec::new();
    let mut updated_input = None;
    for (index, reply) in replies.iter().enumerate() {
        let (decision, reason) = match &reply.kind {
            ReplyKind::Blocking { reason } => (PermissionDecision::Deny, reason.clone()),
            ReplyKind::Success { json, .. } => {
                let specific = json.hook_specific_output.as_ref();
                if let Some(input) = specific.and_then(|s| s.updated_input.clone()) {
                    updated_input = Some(to_rein(original_input, input));
                }
                let said = specific
                    .and_then(|s| {
                        s.permission_decision.map(|d| (d, s.permission_decision_reason.clone()))
                    })
                    .or_else(|| match json.decision {
                        Some(Decision::Block) => {
                            Some((PermissionDecision::Deny, json.reason.clone()))
                        }
                        Some(Decision::Approve) => {
                            Some((PermissionDecision::Allow, json.reason.clone()))
                        }
                        None => None,
                    });
                let Some((decision, reason)) = said else { continue };
                let reason = reason.filter(|r| !r.is_empty()).unwrap_or_else(|| match decision {
                    PermissionDecision::Deny => default_reason(event, reply),
                    _ => String::new(),
                });
                (decision, reason)
            }
            ReplyKind::Failed { .. } => continue,
        };
        let status = match decision {
            PermissionDecision::Deny => HookStatus::Blocked,
            _ => HookStatus::Success,
        };
        let said = if reason.is_empty() {
            decision.as_str().to_string()
        } else {
            format!("{}: {reason}", decision.as_str())
        };
        notes.decided(index, replies, status, said);
        decisions.push((decision, reason));
    }
    let decision = decisions.iter().map(|(d, _)| *d).max();
    let reason = decision.and_then(|winner| {
        let reasons = decisions.into_iter().filter(|(d, _)| *d == winner).map(|(_, r)| r).collect();
        joined(reasons, "\n")
    });
    PreToolOutcome { decision, reason, updated_input, notes }
}

pub(crate) fn permission(
    replies: &[Reply],
    original_input: &Value,
    to_rein: impl Fn(&Value, Value) -> Value,
) -> PermissionOutcome {
    let event = HookEvent::PermissionRequest;
    let mut notes = base_notes(event, replies);
    let mut answers: Vec<(PermissionBehavior, String)> = Vec::new();
    let mut updated_input = None;
    for (index, reply) in replies.iter().enumerate() {
        let (behavior, message) = match &reply.kind {
            ReplyKind::Blocking { reason } => (PermissionBehavior::Deny, reason.clone()),
            ReplyKind::Success { json, .. } => {
                let Some(answer) =
                    json.hook_specific_output.as_ref().and_then(|s| s.decision.clone())
                else {
                    continue;
                };
                if answer.behavior == PermissionBehavior::Allow
                    && let Some(input) = answer.updated_input
                {
                    updated_input = Some(to_rein(original_input, input));
                }
                let message = answer.message.filter(|m| !m.is_empty());
                let message = message.unwrap_or_else(|| match answer.behavior {
                    PermissionBehavior::Deny => default_reason(event, reply),
                    PermissionBehavior::Allow => String::new(),
                });
                (answer.behavior, message)
            }
            ReplyKind::Failed { .. } => continue,
        };
        let status = match behavior {
            PermissionBehavior::Deny => HookStatus::Blocked,
            PermissionBehavior::Allow => HookStatus::Success,
        };
        let said = if message.is_empty() {
            behavior.as_str().to_string()
        } else {
            format!("{}: {message}", behavior.as_str())
        };
        notes.decided(index, replies, status, said);
        answers.push((behavior, message));
    }
    let decision = answers.iter().map(|(b, _)| *b).max();
    let message = decision.and_then(|winner| {
        joined(answers.into_iter().filter(|(b, _)| *b == winner).map(|(_, m)| m).collect(), "\n")
    });
    if decision != Some(PermissionBehavior::Allow) {
        updated_input = None;
    }
    PermissionOutcome { decision, message, updated_input, notes }
}

/// Block reasons and contexts, shared by the events whose hooks can block with
/// `decision: "block"` and add context. `plain_is_context`: plain stdout of a successful hook
/// counts as context (UserPromptSubmit, SessionStart).
struct Feedback {
    block_reason: Option<String>,
    additional_context: Option<String>,
    notes: HookNotes,
}

fn feedback(event: HookEvent, replies: &[Reply], plain_is_context: bool) -> Feedback {
    let mut notes = base_notes(event, replies);
    let mut reasons = Vec::new();
    let mut contexts = Vec::new();
    for (index, reply) in replies.iter().enumerate() {
        match &reply.kind {
            ReplyKind::Blocking { reason } => reasons.push(reason.clone()),
            ReplyKind::Success { json, plain } => {
                if plain_is_context {
                    contexts.push(plain.trim().to_string());
                }
                if let Some(context) =
                    json.hook_specific_output.as_ref().and_then(|s| s.additional_context.clone())
                {
                    contexts.push(context);
                }
                if json.decision == Some(Decision::Block) {
                    let reason = json.reason.clone().filter(|r| !r.is_empty());
                    let reason = reason.unwrap_or_else(|| default_reason(event, reply));
                    notes.decided(index, replies, HookStatus::Blocked, format!("block: {reason}"));
                    reasons.push(reason);
                }
            }
            ReplyKind::Failed { .. } => {}
        }
    }
    Feedback {
        block_reason: joined(reasons, "\n"),
        additional_context: joined(contexts, "\n\n"),
        notes,
    }
}

pub(crate) fn post_tool(event: HookEvent, replies: &[Reply]) -> PostToolOutcome {
    let Feedback { block_reason, additional_context, notes } = feedback(event, replies, false);
    PostToolOutcome { block_reason, additional_context, notes }
}

pub(crate) fn prompt(replies: &[Reply]) -> PromptOutcome {
    let Feedback { block_reason, additional_context, notes } =
        feedback(HookEvent::UserPromptSubmit, replies, true);
    PromptOutcome { block_reason, additional_context, notes }
}

pub(crate) fn stop(event: HookEvent, replies: &[Reply]) -> StopOutcome {
    let Feedback { block_reason, notes, .. } = feedback(event, replies, false);
    StopOutcome { block_reason, notes }
}

pub(crate) fn session_start(replies: &[Reply]) -> SessionStartOutcome {
    let event = HookEvent::SessionStart;
    let mut notes = base_notes(event, replies);
    notes.blocking_as_warnings(event, replies);
    let contexts = replies
        .iter()
        .filter_map(|reply| match &reply.kind {
            ReplyKind::Success { json, plain } => {
                let specific =
                    json.hook_specific_output.as_ref().and_then(|s| s.additional_context.clone());
                Some([plain.trim().to_string(), specific.unwrap_or_default()])
            }
            _ => None,
        })
        .flatten()
        .collect();
    SessionStartOutcome { additional_context: joined(contexts, "\n\n"), notes }
}

/// Events whose hooks only observe: SessionEnd, PreCompact, PostCompact, Notification.
pub(crate) fn notice(event: HookEvent, replies: &[Reply]) -> HookNotes {
    let mut notes = base_notes(event, replies);
    notes.blocking_as_warnings(event, replies);
    notes
}

#[cfg(test)]
#[path = "outcome_tests.rs"]
mod tests;
