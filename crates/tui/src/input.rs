//! The prompt editor: several lines, a cursor, word motions, pasted text and the history of
//! earlier prompts (Up on the first line, Down on the last).

use unicode_segmentation::UnicodeSegmentation;
use unicode_width::UnicodeWidthStr;

/// Prompts kept in the history.
const HISTORY_LIMIT: usize = 500;

/// The text being typed. The cursor is a byte offset into `text` that always sits on a
/// grapheme boundary.
#[derive(Debug, Default)]
pub(crate) struct Input {
    text: String,
    cursor: usize,
    history: Vec<String>,
    /// Position while browsing the history, and the draft typed before browsing began.
    browsing: Option<(usize, String)>,
}

impl Input {
    pub(crate) fn with_history(history: Vec<String>) -> Self {
        let skip = history.len().saturating_sub(HISTORY_LIMIT);
        Self { history: history.into_iter().skip(skip).collect(), ..Self::default() }
    }

    pub(crate) fn text(&self) -> &str {
        &self.text
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.text.is_empty()
    }

    pub(crate) fn set(&mut self, text: &str) {
        self.text = text.to_string();
        self.cursor = self.text.len();
        self.browsing = None;
    }

    pub(crate) fn clear(&mut self) {
        self.set("");
    }

    /// Takes the text out for submission and remembers it in the history.
    pub(crate) fn submit(&mut self) -> String {
        let text = std::mem::take(&mut self.text);
        self.cursor = 0;
        self.browsing = None;
        if !text.trim().is_empty() && self.history.last() != Some(&text) {
            self.history.push(text.clone());
            if self.history.len() > HISTORY_LIMIT {
                self.history.remove(0);
            }
        }
        text
    }

    pub(crate) fn insert(&mut self, text: &str) {
        // Pasted text from Windows or old Macs uses \r line ends; the editor knows only \n.
        let text = text.replace("\r\n", "\n").replace('\r', "\n").replace('\t', "    ");
        self.text.insert_str(self.cursor, &text);
        self.cursor += text.len();
        self.browsing = None;
    }

    pub(crate) fn backspace(&mut self) {
        if let Some(start) = self.previous_boundary(self.cursor) {
            self.text.replace_range(start..self.cursor, "");
            self.cursor = start;
        }
    }

    pub(crate) fn delete(&mut self) {
        if let Some(end) = self.next_boundary(self.cursor) {
            self.text.replace_range(self.cursor..end, "");
        }
    }

    pub(crate) fn left(&mut self) {
        if let Some(start) = self.previous_boundary(self.cursor) {
            self.cursor = start;
        }
    }

    pub(crate) fn right(&mut self) {
        if let Some(end) = self.next_boundary(self.cursor) {
            self.cursor = end;
        }
    }

    pub(crate) fn line_start(&mut self) {
        self.cursor = self.current_line_start();
    }

    pub(crate) fn line_end(&mut self) {
        self.cursor = self.current_line_end();
    }

    pub(crate) fn word_left(&mut self) {
        let before = &self.text[..self.cursor];
        let trimmed = before.trim_end();
        self.cursor = trimmed.rfind(char::is_whitespace).map_or(0, |at| at + 1);
    }

    pub(crate) fn word_right(&mut self) {
        let after = &self.text[self.cursor..];
        let skipped = after.len() - after.trim_start().len();
        let word = after[skipped..].find(char::is_whitespace).unwrap_or(after.len() - skipped);
        self.cursor += skipped + word;
    }

    /// Ctrl-W: deletes the word before the cursor.
    pub(crate) fn delete_word_back(&mut self) {
        let end = self.cursor;
        self.word_left();
        self.text.replace_range(self.cursor..end, "");
    }

    /// Ctrl-U: deletes from the start of the line to the cursor.
    pub(crate) fn delete_to_line_start(&mut self) {
        let start = self.current_line_start();
        self.text.replace_range(start..self.cursor, "");
        self.cursor = start;
    }

    /// Ctrl-K: deletes from the cursor to the end of the line.
    pub(crate) fn delete_to_line_end(&mut self) {
        let end = self.current_line_end();
        self.text.replace_range(self.cursor..end, "");
    }

    /// Up: the line above, or the previous prompt from the history on the first line.
    pub(crate) fn up(&mut self) {
        if self.current_line_start() > 0 {
            self.move_vertically(-1);
            return;
        }
        let next = match &self.browsing {
            Some((at, _)) => at.checked_sub(1),
            None => self.history.len().checked_sub(1),
        };
        let Some(at) = next else { return };
        let draft = match self.browsing.take() {
            Some((_, draft)) => draft,
            None => self.text.clone(),
        };
        self.text = self.history[at].clone();
        self.cursor = self.text.len();
        self.browsing = Some((at, draft));
    }

    /// Down: the line below, or the next prompt (then the draft) while browsing the history.
    pub(crate) fn down(&mut self) {
        if self.current_line_end() < self.text.len() {
            self.move_vertically(1);
            return;
        }
        let Some((at, draft)) = self.browsing.take() else { return };
        if at + 1 < self.history.len() {
            self.text = self.history[at + 1].clone();
            self.browsing = Some((at + 1, draft));
        } else {
            self.text = draft;
        }
        self.cursor = self.text.len();
    }

    /// The cursor as (line, column in screen cells) of the unwrapped text.
    pub(crate) fn cursor_position(&self) -> (usize, usize) {
        let before = &self.text[..self.cursor];
        let line = before.matches('\n').count();
        let column = before.rsplit('\n').next().unwrap_or_default().width();
        (line, column)
    }

    fn current_line_start(&self) -> usize {
        self.text[..self.cursor].rfind('\n').map_or(0, |at| at + 1)
    }

    fn current_line_end(&self) -> usize {
        self.text[self.cursor..].find('\n').map_or(self.text.len(), |at| self.cursor + at)
    }

    /// Moves to the neighbouring line keeping the column as near as the line allows.
    fn move_vertically(&mut self, direction: i32) {
        let (_, column) = self.cursor_position();
        let target_start = if direction < 0 {
            let this_start = self.current_line_start();
            self.text[..this_start - 1].rfind('\n').map_or(0, |at| at + 1)
        } else {
            self.current_line_end() + 1
        };
        let line_end =
            self.text[target_start..].find('\n').map_or(self.text.len(), |at| target_start + at);
        let mut offset = target_start;
        for (index, grapheme) in self.text[target_start..line_end].grapheme_indices(true) {
            if self.text[target_start..target_start + index + grapheme.len()].width() > column {
                break;
            }
            offset = target_start + index + grapheme.len();
        }
        self.cursor = offset;
    }

    fn previous_boundary(&self, at: usize) -> Option<usize> {
        self.text[..at].grapheme_indices(true).next_back().map(|(index, _)| index)
    }

    fn next_boundary(&self, at: usize) -> Option<usize> {
        self.text[at..].graphemes(true).next().map(|grapheme| at + grapheme.len())
    }
}

#[cfg(test)]
#[path = "input_tests.rs"]
mod tests;
