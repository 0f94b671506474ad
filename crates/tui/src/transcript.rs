//! The conversation as the view shows it: cells built from session events, wrapped lines
//! cached per cell so a streamed token re-renders only the cell it belongs to.

use crate::cells::{Cell, Notice, ToolCard, ToolResult};
use crate::theme::Theme;
use crate::wrap::wrap_lines;
use ratatui::text::Line;
use rein_protocol::{ContentBlock, Event, Message, Role, SessionStopReason as StopReason};

#[derive(Debug, Default)]
pub(crate) struct Transcript {
    entries: Vec<Entry>,
    /// Text deltas go to the last cell only while nothing else happened since.
    streaming: Option<Streaming>,
    /// Whether the current model call streamed any answer text (a provider that does not
    /// stream delivers it only in the complete message).
    streamed_text: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Streaming {
    Text,
    Thinking,
}

#[derive(Debug)]
struct Entry {
    cell: Cell,
    /// Wrapped lines for (width, expanded).
    cache: Option<(u16, bool, Vec<Line<'static>>)>,
}

impl Transcript {
    pub(crate) fn push(&mut self, cell: Cell) {
        self.streaming = None;
        self.entries.push(Entry { cell, cache: None });
    }

    pub(crate) fn clear(&mut self) {
        *self = Self::default();
    }

    /// Wraps what changed and returns the number of rows of the whole conversation, one blank
    /// row between cells.
    pub(crate) fn layout(&mut self, width: u16, theme: Theme, expanded: bool) -> usize {
        let mut total = 0;
        for (index, entry) in self.entries.iter_mut().enumerate() {
            let fresh = matches!(&entry.cache, Some((w, e, _)) if *w == width && *e == expanded);
            if !fresh {
                let wrapped = wrap_lines(&entry.cell.lines(theme, expanded), width);
                entry.cache = Some((width, expanded, wrapped));
            }
            total += usize::from(index > 0)
                + entry.cache.as_ref().map_or(0, |(_, _, lines)| lines.len());
        }
        total
    }

    /// `count` rows from row `start`, as laid out by the last [`Transcript::layout`].
    pub(crate) fn rows(&self, start: usize, count: usize) -> Vec<Line<'static>> {
        let mut rows = Vec::with_capacity(count);
        let mut row = 0;
        for (index, entry) in self.entries.iter().enumerate() {
            if rows.len() == count {
                break;
            }
            let Some((_, _, lines)) = &entry.cache else { continue };
            let separator = usize::from(index > 0);
            let height = separator + lines.len();
            if row + height <= start {
                row += height;
                continue;
            }
            if separator == 1 && row >= start {
                rows.push(Line::default());
            }
            let skip = start.saturating_sub(row + separator);
            let room = count - rows.len();
            rows.extend(lines.iter().skip(skip).take(room).cloned());
            row += height;
        }
        rows.truncate(count);
        rows
    }

    /// Takes in one session event. Returns false for events that change nothing on screen.
    pub(crate) fn apply(&mut self, event: &Event) -> bool {
        match event {
            Event::TurnStarted { .. } => {
                self.streamed_text = false;
                self.streaming = None;
                false
            }
            Event::TextDelta { text } => {
                self.streamed_text = true;
                self.append(Streaming::Text, text);
                true
            }
            Event::ThinkingDelta { text } => {
                self.append(Streaming::Thinking, text);
                true
            }
            Event::AssistantMessage { message } => {
                let text = message.text();
                if !self.streamed_text && !text.trim().is_empty() {
                    self.push(Cell::Assistant(text));
                }
                self.streaming = None;
                true
            }
            Event::ToolCallStarted { id, name, input } => {
                self.push(Cell::Tool(ToolCard::new(id, name, input)));
                true
            }
            Event::ToolCallFinished { id, is_error, output, duration_ms, .. } => {
                let result = ToolResult {
                    is_error: *is_error,
                    output: output.clone(),
                    duration_ms: *duration_ms,
                };
                self.finish_tool(id, result);
                true
            }
            Event::Retrying { attempt, delay_ms, error } => {
                let text = format!(
                    "model call failed ({error}); retry {attempt} in {:.1}s",
                    *delay_ms as f64 / 1000.0
                );
                self.push(Cell::Notice(Notice::Warning, text));
                true
            }
            Event::CacheBreak { message, .. } => {
                self.push(Cell::Notice(Notice::Warning, format!("prompt cache missed: {message}")));
                true
            }
            Event::Compacting { reason, tokens, .. } => {
                let text = format!("compacting the conversation ({reason}, {tokens} tokens)…");
                self.push(Cell::Notice(Notice::Info, text));
                true
            }
            Event::Compacted { messages_dropped, .. } => {
                let text = format!(
                    "conversation compacted: {messages_dropped} messages summarised (they stay in the transcript)"
                );
                self.push(Cell::Notice(Notice::Info, text));
                true
            }
            Event::Hook { event, command, outcome, message } if outcome != "success" => {
                let detail = message.as_deref().map(|m| format!(": {m}")).unwrap_or_default();
                let text = format!("{event} hook `{command}` {outcome}{detail}");
                self.push(Cell::Notice(Notice::Warning, text));
                true
            }
            Event::Warning { message } => {
                self.push(Cell::Notice(Notice::Warning, message.clone()));
                true
            }
            Event::Error { kind, message } => {
                let notice = if kind == "interrupted" { Notice::Info } else { Notice::Error };
                self.push(Cell::Notice(notice, message.clone()));
                true
            }
            Event::Finished { stop_reason, turns, .. } => {
                self.streaming = None;
                match stop_reason {
                    StopReason::Interrupted => {
                        self.push(Cell::Notice(Notice::Info, "interrupted".into()))
                    }
                    StopReason::MaxTurns => self.push(Cell::Notice(
                        Notice::Warning,
                        format!(
                            "stopped after {turns} model turns (max_turns); send a message to go on"
                        ),
                    )),
                    _ => {}
                }
                // Calls that never got a result (an interrupted run) are shown as stopped.
                for entry in &mut self.entries {
                    if let Cell::Tool(card) = &mut entry.cell
                        && card.result.is_none()
                    {
                        card.result = Some(ToolResult {
                            is_error: true,
                            output: "stopped".into(),
                            duration_ms: 0,
                        });
                        entry.cache = None;
                    }
                }
                true
            }
            _ => false,
        }
    }

    /// Rebuilds the view of an earlier conversation from its messages.
    pub(crate) fn load(&mut self, messages: &[Message]) {
        for message in messages {
            for block in &message.content {
                match (message.role, block) {
                    // Only the typed prompt; attachments follow as further blocks.
                    (Role::User, ContentBlock::Text { text })
                        if !matches!(
                            self.entries.last(),
                            Some(Entry { cell: Cell::User(_), .. })
                        ) =>
                    {
                        self.push(Cell::User(text.clone()));
                    }
                    (Role::Assistant, ContentBlock::Text { text }) if !text.trim().is_empty() => {
                        self.push(Cell::Assistant(text.clone()));
                    }
                    (Role::Assistant, ContentBlock::ToolUse { id, name, input }) => {
                        self.push(Cell::Tool(ToolCard::new(id, name, input)));
                    }
                    (_, ContentBlock::ToolResult { tool_use_id, content, is_error }) => {
                        let result = ToolResult {
                            is_error: *is_error,
                            output: content.clone(),
                            duration_ms: 0,
                        };
                        self.finish_tool(tool_use_id, result);
                    }
                    _ => {}
                }
            }
        }
        self.streaming = None;
    }

    fn append(&mut self, kind: Streaming, text: &str) {
        if self.streaming == Some(kind)
            && let Some(entry) = self.entries.last_mut()
            && let Cell::Assistant(existing) | Cell::Thinking(existing) = &mut entry.cell
        {
            existing.push_str(text);
            entry.cache = None;
            return;
        }
        let cell = match kind {
            Streaming::Text => Cell::Assistant(text.to_string()),
            Streaming::Thinking => Cell::Thinking(text.to_string()),
        };
        self.push(cell);
        self.streaming = Some(kind);
    }

    fn finish_tool(&mut self, id: &str, result: ToolResult) {
        let found = self
            .entries
            .iter_mut()
            .rev()
            .find(|entry| matches!(&entry.cell, Cell::Tool(card) if card.id == id));
        if let Some(entry) = found
            && let Cell::Tool(card) = &mut entry.cell
        {
            card.result = Some(result);
            entry.cache = None;
        }
    }
}
