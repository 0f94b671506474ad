//! Markdown to styled, unwrapped lines for the conversation view.
//!
//! Answers are re-rendered as they stream in, so the input is often cut off mid-construct; the
//! parser closes whatever is open at the end, and nothing here assumes balanced events.

use pulldown_cmark::{Alignment, CodeBlockKind, Event, Options, Parser, Tag, TagEnd};
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use unicode_width::UnicodeWidthStr;

use crate::highlight;
use crate::theme::Theme;

const RULE_WIDTH: usize = 40;
const QUOTE_BAR: &str = "│ ";
const CODE_INDENT: &str = "  ";

/// The logical lines of `text`, each to be wrapped later to the view's width.
pub(crate) fn render(text: &str, theme: Theme) -> Vec<Line<'static>> {
    let text = if text.contains('\r') { text.replace("\r\n", "\n") } else { text.to_owned() };
    let options =
        Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH | Options::ENABLE_TASKLISTS;
    let mut writer = Writer::new(theme);
    for event in Parser::new_ext(&text, options) {
        writer.event(event);
    }
    writer.finish()
}

/// A block that prefixes every line drawn inside it.
enum Container {
    Quote,
    Item { marker: String, width: usize, marker_drawn: bool },
}

struct CodeBlock {
    language: String,
    text: String,
}

#[derive(Default)]
struct Table {
    alignments: Vec<Alignment>,
    rows: Vec<Vec<Vec<Span<'static>>>>,
    row: Vec<Vec<Span<'static>>>,
    header_rows: usize,
}

struct Link {
    url: String,
    text: String,
}

struct Writer {
    theme: Theme,
    lines: Vec<Line<'static>>,
    /// The line being filled by inline content.
    spans: Vec<Span<'static>>,
    styles: Vec<Style>,
    containers: Vec<Container>,
    /// The next number of each open list; `None` for bullet lists.
    lists: Vec<Option<u64>>,
    links: Vec<Link>,
    code: Option<CodeBlock>,
    table: Option<Table>,
    /// A block ended: the next one starts after a blank line.
    blank_pending: bool,
}

impl Writer {
    fn new(theme: Theme) -> Writer {
        Writer {
            theme,
            lines: Vec::new(),
            spans: Vec::new(),
            styles: Vec::new(),
            containers: Vec::new(),
            lists: Vec::new(),
            links: Vec::new(),
            code: None,
            table: None,
            blank_pending: false,
        }
    }

    fn event(&mut self, event: Event<'_>) {
        match event {
            Event::Start(tag) => self.start(tag),
            Event::End(tag) => self.end(tag),
            Event::Text(text) => self.text(&text),
            Event::Code(code) => {
                for link in &mut self.links {
                    link.text.push_str(&code);
                }
                let style = self.style().patch(self.theme.code());
                self.push(&code, style);
            }
            Event::Html(html) | Event::InlineHtml(html) => self.raw(&html),
            Event::InlineMath(math) | Event::DisplayMath(math) => self.push(&math, self.style()),
            Event::FootnoteReference(name) => self.push(&format!("[{name}]"), self.style()),
            Event::SoftBreak => self.push(" ", self.style()),
            Event::HardBreak => self.flush(),
            Event::Rule => {
                self.begin_block();
                let rule = "─".repeat(RULE_WIDTH);
                self.spans.push(Span::styled(rule, self.theme.dim()));
                self.flush();
                self.blank_pending = true;
            }
            Event::TaskListMarker(done) => {
                let mark = if done { "[x] " } else { "[ ] " };
                self.push(mark, self.theme.dim());
            }
        }
    }

    fn start(&mut self, tag: Tag<'_>) {
        match tag {
            Tag::Paragraph | Tag::HtmlBlock => self.begin_block(),
            Tag::Heading { .. } => {
                self.begin_block();
                self.styles.push(self.theme.heading());
            }
            Tag::BlockQuote(_) => {
                self.begin_block();
                self.containers.push(Container::Quote);
                self.styles.push(self.theme.quote());
            }
            Tag::CodeBlock(kind) => {
                self.begin_block();
                let language = match kind {
                    // The first word of the info string names the language (`rust,ignore`).
                    CodeBlockKind::Fenced(info) => {
                        let mut words = info.split(|c: char| c.is_whitespace() || ",{".contains(c));
                        words.next().unwrap_or_default().to_owned()
                    }
                    CodeBlockKind::Indented => String::new(),
                };
                self.code = Some(CodeBlock { language, text: String::new() });
            }
            Tag::List(start) => {
                // A list nested in an item follows the item's text without a gap.
                if self.lists.is_empty() {
                    self.begin_block();
                } else {
                    self.flush();
                }
                self.lists.push(start);
            }
            Tag::Item => {
                self.begin_block();
                let marker = match self.lists.last_mut() {
                    Some(Some(number)) => {
                        let marker = format!("{number}. ");
                        *number = number.saturating_add(1);
                        marker
                    }
                    _ => "• ".to_owned(),
                };
                let width = marker.width();
                self.containers.push(Container::Item { marker, width, marker_drawn: false });
            }
            Tag::Table(alignments) => {
                self.begin_block();
                self.table = Some(Table { alignments, ..Table::default() });
            }
            Tag::TableHead => self.styles.push(Style::default().add_modifier(Modifier::BOLD)),
            Tag::TableRow | Tag::TableCell => {}
            Tag::Emphasis => self.styles.push(Style::default().add_modifier(Modifier::ITALIC)),
            Tag::Strong => self.styles.push(Style::default().add_modifier(Modifier::BOLD)),
            Tag::Strikethrough => {
                self.styles.push(Style::default().add_modifier(Modifier::CROSSED_OUT));
            }
            Tag::Link { dest_url, .. } | Tag::Image { dest_url, .. } => {
                self.links.push(Link { url: dest_url.into_string(), text: String::new() });
                self.styles.push(self.theme.link());
            }
            // Not enabled in the parser options; their content reads fine as plain text.
            Tag::FootnoteDefinition(_)
            | Tag::DefinitionList
            | Tag::DefinitionListTitle
            | Tag::DefinitionListDefinition
            | Tag::Superscript
            | Tag::Subscript
            | Tag::MetadataBlock(_) => {}
        }
    }

    fn end(&mut self, tag: TagEnd) {
        match tag {
            TagEnd::Paragraph | TagEnd::HtmlBlock => self.end_block(),
            TagEnd::Heading(_) => {
                self.styles.pop();
                self.end_block();
            }
            TagEnd::BlockQuote(_) => {
                self.flush();
                self.styles.pop();
                self.containers.pop();
                self.blank_pending = true;
            }
            TagEnd::CodeBlock => {
                self.finish_code();
                self.blank_pending = true;
            }
            TagEnd::List(_) => {
                self.flush();
                self.lists.pop();
                self.blank_pending |= self.lists.is_empty();
            }
            TagEnd::Item => {
                self.flush();
                // An item with nothing in it yet still shows its marker.
                if let Some(Container::Item { marker_drawn: false, .. }) = self.containers.last() {
                    self.flush_line(true);
                }
                self.containers.pop();
            }
            TagEnd::Table => {
                self.finish_table();
                self.blank_pending = true;
            }
            TagEnd::TableHead => {
                self.styles.pop();
                self.finish_row(true);
            }
            TagEnd::TableRow => self.finish_row(false),
            TagEnd::TableCell => {
                let cell = std::mem::take(&mut self.spans);
                if let Some(table) = &mut self.table {
                    table.row.push(cell);
                }
            }
            TagEnd::Emphasis | TagEnd::Strong | TagEnd::Strikethrough => {
                self.styles.pop();
            }
            TagEnd::Link | TagEnd::Image => {
                self.styles.pop();
                if let Some(link) = self.links.pop() {
                    let url = link.url.strip_prefix("mailto:").unwrap_or(&link.url);
                    if !url.is_empty() && url != link.text {
                        let url = format!(" ({})", link.url);
                        self.push(&url, self.theme.dim());
                    }
                }
            }
            TagEnd::FootnoteDefinition
            | TagEnd::DefinitionList
            | TagEnd::DefinitionListTitle
            | TagEnd::DefinitionListDefinition
            | TagEnd::Superscript
            | TagEnd::Subscript
            | TagEnd::MetadataBlock(_) => {}
        }
    }

    fn text(&mut self, text: &str) {
        if let Some(code) = &mut self.code {
            code.text.push_str(text);
            return;
        }
        for link in &mut self.links {
            link.text.push_str(text);
        }
        // Inline text has no newlines, except in odd cases (HTML-ish input); keep lines whole.
        let text = text.replace('\n', " ");
        self.push(&text, self.style());
    }

    /// Raw HTML is shown as written, line by line.
    fn raw(&mut self, html: &str) {
        let mut pieces = html.split('\n').peekable();
        while let Some(piece) = pieces.next() {
            if !piece.is_empty() {
                self.push(piece, self.style());
            }
            if pieces.peek().is_some() {
                self.flush();
            }
        }
    }

    fn style(&self) -> Style {
        self.styles.iter().fold(Style::default(), |style, patch| style.patch(*patch))
    }

    /// Adds text to the current line, merging it into the last span when styled the same.
    fn push(&mut self, text: &str, style: Style) {
        if text.is_empty() {
            return;
        }
        match self.spans.last_mut() {
            Some(last) if last.style == style => last.content.to_mut().push_str(text),
            _ => self.spans.push(Span::styled(text.to_owned(), style)),
        }
    }

    fn begin_block(&mut self) {
        self.flush();
        if self.blank_pending && !self.lines.is_empty() {
            let prefix = self.prefix(false);
            let bars: String = prefix.iter().map(|span| span.content.as_ref()).collect();
            let bars = bars.trim_end();
            let line = if bars.is_empty() {
                Line::default()
            } else {
                Line::from(Span::styled(bars.to_owned(), self.theme.dim()))
            };
            self.lines.push(line);
        }
        self.blank_pending = false;
    }

    fn end_block(&mut self) {
        self.flush();
        self.blank_pending = true;
    }

    /// Ends the current line if it has anything on it.
    fn flush(&mut self) {
        if !self.spans.is_empty() && self.table.is_none() {
            self.flush_line(false);
        }
    }

    fn flush_line(&mut self, force: bool) {
        if self.spans.is_empty() && !force {
            return;
        }
        let mut spans = self.prefix(true);
        spans.append(&mut self.spans);
        self.lines.push(Line::from(spans));
    }

    /// The quote bars and list indentation in front of a line; `draw_markers` puts each item's
    /// marker on its first line only.
    fn prefix(&mut self, draw_markers: bool) -> Vec<Span<'static>> {
        let mut spans = Vec::new();
        for container in &mut self.containers {
            match container {
                Container::Quote => spans.push(Span::styled(QUOTE_BAR, self.theme.dim())),
                Container::Item { marker, width, marker_drawn } => {
                    if draw_markers && !*marker_drawn {
                        *marker_drawn = true;
                        spans.push(Span::styled(marker.clone(), self.theme.dim()));
                    } else {
                        spans.push(Span::raw(" ".repeat(*width)));
                    }
                }
            }
        }
        spans
    }

    fn finish_code(&mut self) {
        let Some(code) = self.code.take() else { return };
        let text = code.text.replace('\t', "    ");
        let highlighted = if self.theme.has_color() && !code.language.is_empty() {
            highlight::highlight(&text, &code.language)
        } else {
            None
        };
        let lines: Vec<Vec<Span<'static>>> = match highlighted {
            Some(lines) => lines.into_iter().map(|line| line.spans).collect(),
            None => text
                .lines()
                .map(|line| vec![Span::styled(line.to_owned(), self.theme.code())])
                .collect(),
        };
        for mut line in lines {
            // Blank code lines get no indent: it would only be trailing spaces.
            if line.iter().any(|span| !span.content.is_empty()) {
                self.spans.push(Span::raw(CODE_INDENT));
                self.spans.append(&mut line);
            }
            self.flush_line(true);
        }
    }

    fn finish_row(&mut self, header: bool) {
        // Text outside any cell (a row cut off mid-stream) still belongs to the row.
        let stray = std::mem::take(&mut self.spans);
        if let Some(table) = &mut self.table {
            let mut row = std::mem::take(&mut table.row);
            if !stray.is_empty() {
                row.push(stray);
            }
            table.rows.push(row);
            if header {
                table.header_rows = table.rows.len();
            }
        }
    }

    fn finish_table(&mut self) {
        let Some(mut table) = self.table.take() else { return };
        if !table.row.is_empty() {
            let row = std::mem::take(&mut table.row);
            table.rows.push(row);
        }
        let columns = table.rows.iter().map(Vec::len).max().unwrap_or(0);
        let mut widths = vec![0; columns];
        for row in &table.rows {
            for (column, cell) in row.iter().enumerate() {
                widths[column] = widths[column].max(cell_width(cell));
            }
        }
        let separator = Span::styled(" │ ", self.theme.dim());
        for (index, row) in table.rows.into_iter().enumerate() {
            let cells = row.len();
            for (column, mut cell) in row.into_iter().enumerate() {
                if column > 0 {
                    self.spans.push(separator.clone());
                }
                let gap = widths[column].saturating_sub(cell_width(&cell));
                let (before, after) = match table.alignments.get(column) {
                    Some(Alignment::Right) => (gap, 0),
                    Some(Alignment::Center) => (gap / 2, gap - gap / 2),
                    _ => (0, gap),
                };
                if before > 0 {
                    self.spans.push(Span::raw(" ".repeat(before)));
                }
                self.spans.append(&mut cell);
                // No padding after the last cell: it would only be trailing spaces.
                if after > 0 && column + 1 < cells {
                    self.spans.push(Span::raw(" ".repeat(after)));
                }
            }
            trim_end(&mut self.spans);
            self.flush_line(true);
            if index + 1 == table.header_rows {
                let rule: Vec<String> = widths.iter().map(|width| "─".repeat(*width)).collect();
                let rule = rule.join("─┼─");
                self.spans.push(Span::styled(rule, self.theme.dim()));
                self.flush_line(false);
            }
        }
    }

    fn finish(mut self) -> Vec<Line<'static>> {
        // The parser closes open blocks itself; this only guards against surprises.
        self.finish_code();
        self.finish_table();
        self.flush();
        self.lines
    }
}

/// Drops trailing spaces, left by padding and separators around empty cells.
fn trim_end(spans: &mut Vec<Span<'static>>) {
    while let Some(last) = spans.last_mut() {
        let kept = last.content.trim_end().len();
        if kept > 0 {
            last.content.to_mut().truncate(kept);
            return;
        }
        spans.pop();
    }
}

fn cell_width(cell: &[Span<'_>]) -> usize {
    cell.iter().map(|span| span.content.width()).sum()
}

#[cfg(test)]
#[path = "markdown_tests.rs"]
mod tests;
