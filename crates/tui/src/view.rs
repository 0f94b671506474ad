//! Drawing the interface: the conversation on top, then the panel of the moment (approval,
//! question, picker, completions or tasks), the prompt editor and the status line.

use crate::app::{App, Overlay};
use crate::cells::truncate;
use crate::prompts::{ApprovalPrompt, approval_choices, filter_sessions};
use crate::theme::Theme;
use crate::{diff, status};
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Position, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph};
use unicode_segmentation::UnicodeSegmentation;
use unicode_width::UnicodeWidthStr;

/// Rows the prompt editor may grow to before it scrolls.
const MAX_INPUT_ROWS: usize = 8;
/// Rows of completions, tasks and picker entries shown at once.
const MAX_LIST_ROWS: usize = 8;
/// Lines of a diff shown in an approval prompt.
const APPROVAL_DIFF_LINES: usize = 12;

impl App {
    /// Draws the whole interface into `frame`.
    pub fn draw(&mut self, frame: &mut Frame<'_>) {
        let area = frame.area();
        let theme = self.theme;
        let (input_rows, cursor) = input_rows(self, area.width);
        let input_height = input_rows.len().clamp(1, MAX_INPUT_ROWS) as u16;
        let panel = self.panel_lines(area.width);
        let panel_height = (panel.len() as u16).min(area.height / 2);
        let [conversation, panel_area, rule, input_area, status_area] = Layout::vertical([
            Constraint::Min(1),
            Constraint::Length(panel_height),
            Constraint::Length(1),
            Constraint::Length(input_height),
            Constraint::Length(1),
        ])
        .areas(area);
        self.draw_conversation(frame, conversation);
        frame.render_widget(Paragraph::new(panel), panel_area);
        frame.render_widget(
            Block::default().borders(Borders::TOP).border_style(theme.border()),
            rule,
        );
        // Keep the cursor's row in view when the text is taller than the editor.
        let (cursor_row, cursor_column) = cursor;
        let first = (cursor_row + 1).saturating_sub(usize::from(input_height));
        let shown: Vec<Line<'static>> = input_rows.into_iter().skip(first).collect();
        frame.render_widget(Paragraph::new(shown), input_area);
        let prompt_active = matches!(self.overlay, Overlay::None | Overlay::Question { .. });
        if prompt_active {
            let x = input_area.x + (cursor_column as u16).min(input_area.width.saturating_sub(1));
            let y = input_area.y + (cursor_row - first) as u16;
            frame.set_cursor_position(Position { x, y });
        }
        self.draw_status(frame, status_area);
    }

    fn draw_conversation(&mut self, frame: &mut Frame<'_>, area: Rect) {
        let rows = usize::from(area.height);
        let total = self.transcript.layout(area.width, self.theme, self.expanded);
        self.page_rows = rows;
        self.total_rows = total;
        let bottom = total.saturating_sub(rows);
        let top = match self.scroll_top {
            Some(top) if top < bottom => top,
            _ => {
                self.scroll_top = None;
                bottom
            }
        };
        let mut lines = self.transcript.rows(top, rows);
        if self.scroll_top.is_some() && rows > 1 {
            let below = total - top - rows;
            lines.truncate(rows - 1);
            lines.push(Line::styled(
                format!("↓ {below} more lines below (PageDown)"),
                self.theme.accent(),
            ));
        }
        frame.render_widget(Paragraph::new(lines), area);
    }

    fn draw_status(&self, frame: &mut Frame<'_>, area: Rect) {
        let running = self.running_since.map(|since| since.elapsed());
        let left = status::activity(running, self.ctrl_c_pending(), self.theme);
        // The facts win over the hint when the line is short; the hint is clipped.
        let facts = truncate(&self.status.facts(), usize::from(area.width).saturating_sub(2));
        let [left_area, right_area] =
            Layout::horizontal([Constraint::Min(0), Constraint::Length(facts.width() as u16 + 1)])
                .areas(area);
        frame.render_widget(Paragraph::new(left), left_area);
        frame.render_widget(
            Paragraph::new(Line::styled(format!(" {facts}"), self.theme.status())),
            right_area,
        );
    }

    /// The lines between the conversation and the editor.
    fn panel_lines(&self, width: u16) -> Vec<Line<'static>> {
        let theme = self.theme;
        let mut lines = match &self.overlay {
            Overlay::Approval { prompt, selected } => approval_lines(prompt, *selected, theme),
            Overlay::Question { prompt, selected } => {
                let mut lines = vec![Line::from(vec![
                    Span::styled("rein asks: ", theme.accent()),
                    Span::raw(prompt.question.clone()),
                ])];
                for (index, option) in prompt.options.iter().enumerate() {
                    lines.push(choice_line(index, option, index == *selected, theme));
                }
                lines.push(Line::styled(
                    "type an answer or pick one · enter sends · esc skips",
                    theme.dim(),
                ));
                lines
            }
            Overlay::Picker { rows, filter, selected } => {
                let shown = filter_sessions(rows, filter);
                let mut lines = vec![
                    Line::styled(
                        "Resume a session · type to filter · enter opens · esc cancels",
                        theme.accent(),
                    ),
                    Line::from(vec![
                        Span::styled("filter: ", theme.dim()),
                        Span::raw(filter.clone()),
                    ]),
                ];
                if shown.is_empty() {
                    lines.push(Line::styled("  no sessions match", theme.dim()));
                }
                let first = (*selected + 1).saturating_sub(MAX_LIST_ROWS);
                for (index, row) in shown.iter().enumerate().skip(first).take(MAX_LIST_ROWS) {
                    let id: String = row.id.chars().take(8).collect();
                    let text =
                        format!("{}  {:>4} turns  {}  {id}", row.updated, row.turns, row.title);
                    lines.push(list_line(&text, index == *selected, theme));
                }
                lines
            }
            Overlay::None => self.completion_or_task_lines(theme),
        };
        for line in &mut lines {
            *line = fit(line.clone(), width);
        }
        lines
    }

    fn completion_or_task_lines(&self, theme: Theme) -> Vec<Line<'static>> {
        let completions = self.completions();
        if !completions.is_empty() {
            let first = (self.completion_selected + 1).saturating_sub(MAX_LIST_ROWS);
            return completions
                .iter()
                .enumerate()
                .skip(first)
                .take(MAX_LIST_ROWS)
                .map(|(index, command)| {
                    let name = format!("/{} {}", command.name, command.args);
                    let text = format!("{name:<24} {}", command.description);
                    list_line(&text, index == self.completion_selected, theme)
                })
                .collect();
        }
        let mut lines = Vec::new();
        let open = self.todos.iter().any(|(_, status)| status != "completed");
        if open {
            let done = self.todos.iter().filter(|(_, status)| status == "completed").count();
            lines.push(Line::styled(format!("Tasks {done}/{}", self.todos.len()), theme.accent()));
            for (content, status) in self.todos.iter().take(MAX_LIST_ROWS) {
                let (mark, style) = match status.as_str() {
                    "completed" => {
                        ("  ☑ ", theme.dim().add_modifier(ratatui::style::Modifier::CROSSED_OUT))
                    }
                    "in_progress" => {
                        ("  ▶ ", theme.text().add_modifier(ratatui::style::Modifier::BOLD))
                    }
                    _ => ("  ☐ ", theme.text()),
                };
                lines.push(Line::from(vec![Span::raw(mark), Span::styled(content.clone(), style)]));
            }
        }
        for prompt in &self.queued {
            lines.push(Line::styled(format!("queued: {}", prompt.replace('\n', " ")), theme.dim()));
        }
        lines
    }
}

fn approval_lines(prompt: &ApprovalPrompt, selected: usize, theme: Theme) -> Vec<Line<'static>> {
    let field = |name: &str| prompt.input.get(name).and_then(serde_json::Value::as_str);
    let mut lines = vec![Line::from(vec![
        Span::styled("rein wants to use ", theme.accent()),
        Span::styled(prompt.tool.clone(), theme.accent()),
    ])];
    let subject = field("command").or(field("path")).or(field("url")).map(str::to_string);
    let subject = subject.unwrap_or_else(|| prompt.input.to_string());
    lines.extend(subject.lines().take(6).map(|line| Line::raw(format!("  {line}"))));
    let preview = match (prompt.tool.as_str(), field("path")) {
        ("edit", Some(path)) => field("old_string")
            .zip(field("new_string"))
            .map(|(old, new)| diff::edit_lines(path, old, new, theme)),
        ("write", Some(path)) => {
            field("content").map(|content| diff::write_lines(path, content, theme))
        }
        _ => None,
    };
    if let Some(preview) = preview {
        let total = preview.len();
        lines.extend(preview.into_iter().take(APPROVAL_DIFF_LINES).map(|mut line| {
            line.spans.insert(0, Span::raw("  "));
            line
        }));
        if total > APPROVAL_DIFF_LINES {
            lines.push(Line::styled(
                format!("  … {} more lines", total - APPROVAL_DIFF_LINES),
                theme.dim(),
            ));
        }
    }
    lines.push(Line::styled(format!("  why it asks: {}", prompt.reason), theme.dim()));
    for (index, (_, text)) in approval_choices(prompt).iter().enumerate() {
        lines.push(choice_line(index, text, index == selected, theme));
    }
    lines
}

fn choice_line(index: usize, text: &str, selected: bool, theme: Theme) -> Line<'static> {
    list_line(&format!("{}. {text}", index + 1), selected, theme)
}

fn list_line(text: &str, selected: bool, theme: Theme) -> Line<'static> {
    if selected {
        Line::styled(format!("› {text}"), theme.selected())
    } else {
        Line::raw(format!("  {text}"))
    }
}

/// Cuts a line to the width (panels do not wrap; their rows are counted for the layout).
fn fit(line: Line<'static>, width: u16) -> Line<'static> {
    let width = usize::from(width);
    if line.width() <= width {
        return line;
    }
    let mut used = 0;
    let mut spans = Vec::new();
    for span in line.spans {
        let mut content = String::new();
        for grapheme in span.content.graphemes(true) {
            if used + grapheme.width() + 1 > width {
                break;
            }
            used += grapheme.width();
            content.push_str(grapheme);
        }
        spans.push(Span::styled(content, span.style));
        if used + 1 >= width {
            break;
        }
    }
    spans.push(Span::raw("…"));
    Line::from(spans).style(line.style)
}

/// The editor's rows, wrapped by characters (so the cursor maps simply), and the cursor's
/// row and column among them.
fn input_rows(app: &App, width: u16) -> (Vec<Line<'static>>, (usize, usize)) {
    let theme = app.theme;
    let width = usize::from(width.max(4));
    let text = app.input.text();
    let (cursor_line, cursor_column) = app.input.cursor_position();
    let mut rows = Vec::new();
    let mut cursor = (0, 2);
    let placeholder = text.is_empty() && matches!(app.overlay, Overlay::None);
    for (index, line) in text.split('\n').enumerate() {
        let lead = if index == 0 { Span::styled("› ", theme.accent()) } else { Span::raw("  ") };
        let content = format!("{line} ");
        let mut row = String::new();
        let mut lead = Some(lead);
        let mut row_width = 2;
        let mut column = 0;
        for grapheme in content.graphemes(true) {
            let grapheme_width = grapheme.width();
            if row_width + grapheme_width > width {
                let lead = lead.take().unwrap_or_else(|| Span::raw("  "));
                rows.push(Line::from(vec![lead, Span::raw(std::mem::take(&mut row))]));
                row_width = 2;
            }
            if index == cursor_line && column == cursor_column {
                cursor = (rows.len(), row_width);
            }
            row.push_str(grapheme);
            row_width += grapheme_width;
            column += grapheme_width;
        }
        let lead = lead.unwrap_or_else(|| Span::raw("  "));
        rows.push(Line::from(vec![lead, Span::raw(row)]));
    }
    if placeholder {
        let hint =
            if app.is_running() { "type to queue a message" } else { "ask rein to do something" };
        rows = vec![Line::from(vec![
            Span::styled("› ", theme.accent()),
            Span::styled(hint, theme.dim()),
        ])];
        cursor = (0, 2);
    }
    (rows, cursor)
}

#[cfg(test)]
#[path = "view_tests.rs"]
mod tests;
