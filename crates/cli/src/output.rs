//! Event sinks for the three output formats of `rein -p`.

use crate::args::OutputFormat;
use rein_core::EventSink;
use rein_protocol::Event;
use std::io::{IsTerminal, Write};
use std::sync::atomic::{AtomicBool, Ordering};

/// Builds the sink for a format.
pub(crate) fn sink(format: OutputFormat, verbose: bool) -> Box<dyn EventSink> {
    match format {
        OutputFormat::Text => Box::new(TextSink::new(verbose || std::io::stderr().is_terminal())),
        OutputFormat::Json => Box::new(JsonSink::default()),
        OutputFormat::StreamJson => Box::new(StreamJsonSink),
    }
}

// Write errors (a closed pipe, say) are ignored: the run and its transcript go on either way.
fn out(bytes: &[u8]) {
    let mut stdout = std::io::stdout().lock();
    let _ = stdout.write_all(bytes);
    let _ = stdout.flush();
}

fn err(line: &str) {
    let _ = writeln!(std::io::stderr().lock(), "{line}");
}

/// The answer as it streams on stdout; progress, warnings and errors on stderr.
struct TextSink {
    show_progress: bool,
    /// Whether stdout's last byte was a newline (so output ends cleanly).
    at_line_start: AtomicBool,
}

impl TextSink {
    fn new(show_progress: bool) -> Self {
        Self { show_progress, at_line_start: AtomicBool::new(true) }
    }

    fn text(&self, text: &str) {
        if text.is_empty() {
            return;
        }
        out(text.as_bytes());
        self.at_line_start.store(text.ends_with('\n'), Ordering::Relaxed);
    }

    fn end_line(&self) {
        if !self.at_line_start.swap(true, Ordering::Relaxed) {
            out(b"\n");
        }
    }
}

impl EventSink for TextSink {
    fn emit(&self, event: Event) {
        match event {
            Event::TextDelta { text } => self.text(&text),
            Event::AssistantMessage { .. } => self.end_line(),
            Event::ToolCallStarted { name, input, .. } if self.show_progress => {
                err(&format!("● {name} {}", brief(&input)));
            }
            Event::ToolCallFinished { name, is_error: true, output, .. } if self.show_progress => {
                let first = output.lines().next().unwrap_or_default();
                err(&format!("  ✗ {name}: {first}"));
            }
            Event::Retrying { attempt, delay_ms, error } => {
                err(&format!("rein: retry {attempt} in {:.1}s: {error}", delay_ms as f64 / 1000.0));
            }
            Event::Continuing { reason } if self.show_progress => {
                err(&format!("rein: continuing ({reason})"));
            }
            Event::CacheBreak { expected_tokens, cached_tokens, message, .. }
                if self.show_progress =>
            {
                err(&format!(
                    "rein: prompt cache break: {cached_tokens} of {expected_tokens} tokens served                      from cache; {message}"
                ));
            }
            Event::Compacting { reason, tokens, threshold } => {
                self.end_line();
                err(&format!(
                    "rein: compacting the conversation ({reason}: {tokens} tokens, limit \
                     {threshold}); the full history stays in the transcript"
                ));
            }
            Event::Compacted { messages_dropped, .. } if self.show_progress => {
                err(&format!("rein: compacted {messages_dropped} messages into a summary"));
            }
            Event::Warning { message } => err(&format!("rein: warning: {message}")),
            Event::Error { message, .. } => {
                self.end_line();
                err(&format!("rein: error: {message}"));
            }
            Event::Finished { .. } => self.end_line(),
            _ => {}
        }
    }
}

/// A one-line view of tool arguments for progress lines.
fn brief(input: &serde_json::Value) -> String {
    let key = ["path", "command", "pattern", "url", "question"]
        .iter()
        .find_map(|k| input.get(*k).and_then(|v| v.as_str()));
    let text = match key {
        Some(text) => text.to_string(),
        None => input.to_string(),
    };
    let line = text.lines().next().unwrap_or_default();
    if line.chars().count() > 100 {
        format!("{}…", line.chars().take(100).collect::<String>())
    } else {
        line.to_string()
    }
}

/// Every event as one JSON line.
struct StreamJsonSink;

impl EventSink for StreamJsonSink {
    fn emit(&self, event: Event) {
        if let Ok(mut line) = serde_json::to_vec(&event) {
            line.push(b'\n');
            out(&line);
        }
    }
}

/// One JSON object when the run ends; errors also go to stderr.
#[derive(Default)]
struct JsonSink {
    /// The last error, reported in the result object.
    error: std::sync::Mutex<Option<String>>,
}

impl EventSink for JsonSink {
    fn emit(&self, event: Event) {
        match event {
            Event::Finished {
                session_id,
                stop_reason,
                result,
                turns,
                usage,
                cost_usd,
                duration_ms,
            } => {
                let value = serde_json::json!({
                    "type": "result",
                    "session_id": session_id,
                    "stop_reason": stop_reason,
                    "is_error": !matches!(stop_reason, rein_protocol::SessionStopReason::Completed),
                    "result": result,
                    "turns": turns,
                    "usage": usage,
                    "cost_usd": cost_usd,
                    "duration_ms": duration_ms,
                    "error": self.error.lock().ok().and_then(|mut e| e.take()),
                });
                let mut line = value.to_string().into_bytes();
                line.push(b'\n');
                out(&line);
            }
            Event::Error { message, .. } => {
                err(&format!("rein: error: {message}"));
                if let Ok(mut error) = self.error.lock() {
                    *error = Some(message);
                }
            }
            Event::Warning { message } => err(&format!("rein: warning: {message}")),
            _ => {}
        }
    }
}

/// A warning line on stderr, outside any run.
pub(crate) fn warn(message: &str) {
    err(&format!("warning: {message}"));
}

/// A notice line on stderr, outside any run.
pub(crate) fn notice(message: &str) {
    err(message);
}
