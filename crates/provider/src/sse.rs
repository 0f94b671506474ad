//! A server-sent events decoder: bytes in, `(event, data)` pairs out.
//!
//! Follows the WHATWG event-stream rules that matter for model APIs: lines end with LF, CRLF
//! or CR (also when a CRLF is split across chunks), `event:` names the event, `data:` lines are
//! joined with `\n`, one space after the colon is dropped, lines starting with `:` are
//! comments, and a blank line dispatches. Unlike a browser, the final event is dispatched even
//! when the body ends without a blank line, because some servers end that way.

use crate::error::ProviderError;

/// A line (and so an event) longer than this is treated as a broken stream rather than
/// buffered without bound.
const MAX_LINE_BYTES: usize = 64 * 1024 * 1024;

/// One dispatched event.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct SseEvent {
    /// The `event:` name, or `"message"` when the event named none.
    pub(crate) event: String,
    /// The `data:` lines joined with `\n`.
    pub(crate) data: String,
}

/// Incremental decoder; feed it chunks as they arrive.
#[derive(Debug, Default)]
pub(crate) struct SseDecoder {
    /// Bytes of the current, incomplete line.
    buf: Vec<u8>,
    /// The event being built from complete lines.
    pending: PendingEvent,
    /// Whether the first line was seen (a UTF-8 byte-order mark may precede it).
    started: bool,
}

#[derive(Debug, Default)]
struct PendingEvent {
    event: Option<String>,
    data: String,
    has_data: bool,
}

impl SseDecoder {
    pub(crate) fn new() -> Self {
        Self::default()
    }

    /// Decodes one chunk, appending the events it completed to `out`. On error, `out` still
    /// holds the events completed before the bad line.
    pub(crate) fn push(
        &mut self,
        chunk: &[u8],
        out: &mut Vec<SseEvent>,
    ) -> Result<(), ProviderError> {
        let scan_from = self.buf.len();
        self.buf.extend_from_slice(chunk);
        let mut line_start = 0;
        // A CR at the end of the buffer from the previous chunk was left unconsumed, so scanning
        // restarts one byte early to see whether this chunk begins with its LF.
        let mut i = scan_from.saturating_sub(1);
        while let Some(&byte) = self.buf.get(i) {
            let next = match byte {
                b'\n' => i + 1,
                b'\r' => match self.buf.get(i + 1) {
                    Some(b'\n') => i + 2,
                    Some(_) => i + 1,
                    // Whether an LF follows is only known with the next chunk.
                    None => break,
                },
                _ => {
                    i += 1;
                    continue;
                }
            };
            let line = self.buf.get(line_start..i).unwrap_or_default();
            let text = line_text(line, &mut self.started)?;
            self.pending.line(text, out);
            line_start = next;
            i = next;
        }
        self.buf.drain(..line_start);
        if self.buf.len() > MAX_LINE_BYTES {
            return Err(ProviderError::malformed("event stream line exceeds 64 MiB"));
        }
        Ok(())
    }

    /// Ends the stream: a last line without terminator and a last event without a blank line
    /// are still delivered.
    pub(crate) fn finish(&mut self, out: &mut Vec<SseEvent>) -> Result<(), ProviderError> {
        let rest = std::mem::take(&mut self.buf);
        let rest = rest.strip_suffix(b"\r").unwrap_or(&rest);
        if !rest.is_empty() {
            let text = line_text(rest, &mut self.started)?;
            self.pending.line(text, out);
        }
        self.pending.dispatch(out);
        Ok(())
    }
}

/// Decodes one line's bytes, dropping a byte-order mark before the very first line.
fn line_text<'a>(line: &'a [u8], started: &mut bool) -> Result<&'a str, ProviderError> {
    let line = if *started { line } else { line.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(line) };
    *started = true;
    std::str::from_utf8(line)
        .map_err(|e| ProviderError::malformed(format!("event stream is not valid UTF-8: {e}")))
}

impl PendingEvent {
    fn line(&mut self, line: &str, out: &mut Vec<SseEvent>) {
        if line.is_empty() {
            self.dispatch(out);
            return;
        }
        if line.starts_with(':') {
            return;
        }
        let (field, value) = match line.split_once(':') {
            Some((field, value)) => (field, value.strip_prefix(' ').unwrap_or(value)),
            None => (line, ""),
        };
        match field {
            "event" => self.event = Some(value.to_string()),
            "data" => {
                if self.has_data {
                    self.data.push('\n');
                }
                self.data.push_str(value);
                self.has_data = true;
            }
            // `id` and `retry` only matter for browser reconnection; unknown fields are ignored.
            _ => {}
        }
    }

    /// Emits the event if it has data; an event without data is dropped, as the spec says.
    fn dispatch(&mut self, out: &mut Vec<SseEvent>) {
        let pending = std::mem::take(self);
        if pending.has_data {
            let event = pending.event.filter(|e| !e.is_empty());
            out.push(SseEvent {
                event: event.unwrap_or_else(|| "message".to_string()),
                data: pending.data,
            });
        }
    }
}

#[cfg(test)]
#[path = "sse_tests.rs"]
mod tests;
