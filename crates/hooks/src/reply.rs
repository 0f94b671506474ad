//! How one hook's run reads under the exit-code contract: 0 is success (stdout may be JSON),
//! 2 is a blocking error whose stderr is the reason, anything else is a non-blocking error.

use crate::error::HookError;
use crate::event::HookEvent;
use crate::output::HookJson;
use crate::runner::{Exit, Finished};
use std::time::Duration;

/// The exit code that blocks.
const BLOCKING_EXIT: i32 = 2;
/// Characters of stderr quoted in a warning.
const QUOTED_STDERR: usize = 500;

/// One hook's answer, before the event's rules combine it with the others.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Reply {
    pub(crate) command: String,
    pub(crate) kind: ReplyKind,
    /// Problems and `systemMessage`s, for the user.
    pub(crate) warnings: Vec<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) enum ReplyKind {
    /// Exit 0: the JSON it printed (default when none), and stdout when that was not JSON.
    Success { json: Box<HookJson>, plain: String },
    /// Exit 2.
    Blocking { reason: String },
    /// Another exit code, a signal, a timeout or a failure to start.
    Failed { timed_out: bool },
}

impl Reply {
    pub(crate) fn new(
        event: HookEvent,
        command: &str,
        timeout: Duration,
        run: Result<Finished, HookError>,
    ) -> Self {
        let mut warnings = Vec::new();
        let shown = shown_command(command);
        let kind = match run {
            Err(error) => {
                warnings.push(error.to_string());
                ReplyKind::Failed { timed_out: false }
            }
            Ok(Finished { exit: Exit::TimedOut, .. }) => {
                warnings.push(format!(
                    "{event} hook `{shown}` timed out after {}s and was killed",
                    timeout.as_secs_f64()
                ));
                ReplyKind::Failed { timed_out: true }
            }
            Ok(Finished { exit: Exit::Code(0), stdout, .. }) => {
                let (json, plain) = read_stdout(event, &shown, stdout, &mut warnings);
                if let Some(message) = json.system_message.as_deref().filter(|m| !m.is_empty()) {
                    warnings.push(format!("{event} hook: {message}"));
                }
                ReplyKind::Success { json: Box::new(json), plain }
            }
            Ok(Finished { exit: Exit::Code(BLOCKING_EXIT), stderr, .. }) => {
                let reason = stderr.trim();
                let reason = if reason.is_empty() {
                    format!("blocked by the {event} hook `{shown}`")
                } else {
                    reason.to_string()
                };
                ReplyKind::Blocking { reason }
            }
            Ok(Finished { exit, stderr, .. }) => {
                let how = match exit {
                    Exit::Code(code) => format!("exit code {code}"),
                    _ => "killed by a signal".to_string(),
                };
                let said: String = stderr.trim().chars().take(QUOTED_STDERR).collect();
                let said = if said.is_empty() { String::new() } else { format!(": {said}") };
                warnings.push(format!("{event} hook `{shown}` failed ({how}){said}"));
                ReplyKind::Failed { timed_out: false }
            }
        };
        Self { command: command.to_string(), kind, warnings }
    }

    /// The JSON answer of a successful hook.
    pub(crate) fn json(&self) -> Option<&HookJson> {
        match &self.kind {
            ReplyKind::Success { json, .. } => Some(json),
            _ => None,
        }
    }
}

/// Stdout as JSON when it looks like an object, else as plain text. Output that looks like
/// JSON but does not parse is reported and used as plain text.
fn read_stdout(
    event: HookEvent,
    shown: &str,
    stdout: String,
    warnings: &mut Vec<String>,
) -> (HookJson, String) {
    if !stdout.trim_start().starts_with('{') {
        return (HookJson::default(), stdout);
    }
    match serde_json::from_str::<HookJson>(&stdout) {
        Ok(mut json) => {
            let named = json.hook_specific_output.as_ref().and_then(|s| s.hook_event_name.clone());
            if let Some(named) = named.filter(|name| name != event.name()) {
                warnings.push(format!(
                    "{event} hook `{shown}` answered with hookSpecificOutput for {named}; ignored"
                ));
                json.hook_specific_output = None;
            }
            (json, String::new())
        }
        Err(error) => {
            warnings.push(format!(
                "{event} hook `{shown}` printed invalid JSON ({error}); its output is treated as \
                 plain text"
            ));
            (HookJson::default(), stdout)
        }
    }
}

/// A command short enough for a one-line message.
pub(crate) fn shown_command(command: &str) -> String {
    let line = command.lines().next().unwrap_or_default();
    if line.chars().count() > 80 || line.len() < command.len() {
        format!("{}…", line.chars().take(80).collect::<String>())
    } else {
        line.to_string()
    }
}
