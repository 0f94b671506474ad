//! The entries of the conversation view and how each one is drawn as lines.

use crate::theme::Theme;
use crate::{diff, markdown};
use ratatui::text::{Line, Span};
use serde_json::Value;

/// Output lines a collapsed card shows; an expanded one shows up to [`EXPANDED_LINES`].
const COLLAPSED_DIFF_LINES: usize = 16;
const EXPANDED_LINES: usize = 200;
/// Characters of a tool's input shown in a card's header.
const HEADER_CHARS: usize = 120;

/// One entry of the conversation.
#[derive(Debug, Clone)]
pub(crate) enum Cell {
    User(String),
    Assistant(String),
    Thinking(String),
    Tool(ToolCard),
    Notice(Notice, String),
}

/// How a notice is shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Notice {
    /// Information the user asked for (command output).
    Info,
    /// Something worth knowing that did not stop anything.
    Warning,
    /// Something failed.
    Error,
}

/// A tool call and, once it finished, its result.
#[derive(Debug, Clone)]
pub(crate) struct ToolCard {
    pub(crate) id: String,
    pub(crate) name: String,
    pub(crate) input: Value,
    pub(crate) result: Option<ToolResult>,
}

#[derive(Debug, Clone)]
pub(crate) struct ToolResult {
    pub(crate) is_error: bool,
    pub(crate) output: String,
    pub(crate) duration_ms: u64,
}

impl Cell {
    /// The cell's lines before wrapping. `expanded` opens tool cards.
    pub(crate) fn lines(&self, theme: Theme, expanded: bool) -> Vec<Line<'static>> {
        match self {
            Cell::User(text) => prefixed(text, "› ", theme.user(), theme.user()),
            Cell::Assistant(text) => markdown::render(text, theme),
            Cell::Thinking(text) => {
                let mut lines = vec![Line::styled("thinking…", theme.dim())];
                lines.extend(text.lines().map(|line| {
                    Line::styled(format!("  {line}"), theme.quote().patch(theme.dim()))
                }));
                lines
            }
            Cell::Tool(card) => card.lines(theme, expanded),
            Cell::Notice(kind, text) => {
                let (mark, style) = match kind {
                    Notice::Info => ("", theme.text()),
                    Notice::Warning => ("! ", theme.warning()),
                    Notice::Error => ("✗ ", theme.error()),
                };
                prefixed(
                    text,
                    mark,
                    style,
                    if *kind == Notice::Info { theme.text() } else { style },
                )
            }
        }
    }
}

/// Text with a marker on its first line and the rest indented to match.
fn prefixed(
    text: &str,
    mark: &'static str,
    mark_style: ratatui::style::Style,
    style: ratatui::style::Style,
) -> Vec<Line<'static>> {
    let indent = " ".repeat(unicode_width::UnicodeWidthStr::width(mark));
    text.lines()
        .enumerate()
        .map(|(index, line)| {
            let lead =
                if index == 0 { Span::styled(mark, mark_style) } else { Span::raw(indent.clone()) };
            Line::from(vec![lead, Span::styled(line.to_string(), style)])
        })
        .collect()
}

impl ToolCard {
    /// A call that has not finished yet.
    pub(crate) fn new(id: &str, name: &str, input: &Value) -> Self {
        Self { id: id.into(), name: name.into(), input: input.clone(), result: None }
    }

    fn lines(&self, theme: Theme, expanded: bool) -> Vec<Line<'static>> {
        let mut lines = vec![self.header(theme)];
        let failed = self.result.as_ref().is_some_and(|result| result.is_error);
        if let Some(diff) = self.diff(theme).filter(|_| !failed) {
            let limit = if expanded { EXPANDED_LINES } else { COLLAPSED_DIFF_LINES };
            push_limited(&mut lines, diff, limit, theme);
            return lines;
        }
        let Some(result) = &self.result else { return lines };
        // Tabs have no width on a cell grid; read output and code use them.
        let output = result.output.trim_end().replace('\t', "    ");
        let output = output.as_str();
        let style = if result.is_error { theme.error() } else { theme.dim() };
        if expanded {
            if let Some(detail) = self.input_detail() {
                lines.extend(
                    detail.lines().map(|line| Line::styled(format!("    {line}"), theme.dim())),
                );
            }
            let body =
                output.lines().map(|line| Line::styled(format!("    {line}"), style)).collect();
            push_limited(&mut lines, body, EXPANDED_LINES, theme);
        } else {
            lines.push(Line::styled(
                format!("  └ {}", collapsed_summary(output, result.is_error)),
                style,
            ));
        }
        lines
    }

    fn header(&self, theme: Theme) -> Line<'static> {
        let (mark, mark_style) = match &self.result {
            None => ("◌ ", theme.dim()),
            Some(result) if result.is_error => ("✗ ", theme.error()),
            Some(_) => ("● ", theme.success()),
        };
        let mut spans = vec![
            Span::styled(mark, mark_style),
            Span::styled(self.name.clone(), theme.accent()),
            Span::raw("  "),
            Span::raw(self.subject()),
        ];
        if let Some((added, removed)) = self.change_stats() {
            spans.push(Span::styled(format!("  +{added} -{removed}"), theme.dim()));
        }
        // Calls of a resumed conversation have no recorded duration.
        if let Some(result) = self.result.as_ref().filter(|result| result.duration_ms > 0) {
            spans.push(Span::styled(format!("  {}", duration(result.duration_ms)), theme.dim()));
        }
        Line::from(spans)
    }

    /// What the call is about, in a few words: the command, the path, the pattern.
    fn subject(&self) -> String {
        let field = |name: &str| self.input.get(name).and_then(Value::as_str);
        let text = match self.name.as_str() {
            "bash" => field("command")
                .map(|command| command.lines().next().unwrap_or_default().to_string()),
            "grep" | "glob" => field("pattern").map(|pattern| match field("path") {
                Some(path) => format!("{pattern}  in {path}"),
                None => pattern.to_string(),
            }),
            "web_fetch" => field("url").map(str::to_string),
            "todo" => self
                .input
                .get("todos")
                .and_then(Value::as_array)
                .map(|todos| format!("{} tasks", todos.len())),
            "ask_user" => field("question").map(str::to_string),
            "bash_output" | "bash_kill" => field("job_id").map(str::to_string),
            _ => field("path").map(str::to_string),
        };
        let text = text.unwrap_or_else(|| match &self.input {
            Value::Object(map) if map.is_empty() => String::new(),
            other => other.to_string(),
        });
        truncate(&text, HEADER_CHARS)
    }

    /// The input's long parts, shown when the card is open (a multi-line command, say).
    fn input_detail(&self) -> Option<String> {
        let command = self.input.get("command").and_then(Value::as_str)?;
        command.contains('\n').then(|| command.to_string())
    }

    fn diff(&self, theme: Theme) -> Option<Vec<Line<'static>>> {
        let field = |name: &str| self.input.get(name).and_then(Value::as_str);
        let path = field("path")?;
        match self.name.as_str() {
            "edit" => {
                Some(diff::edit_lines(path, field("old_string")?, field("new_string")?, theme))
            }
            "write" => Some(diff::write_lines(path, field("content")?, theme)),
            "multi_edit" => {
                let edits = self.input.get("edits")?.as_array()?;
                let mut lines = Vec::new();
                for edit in edits {
                    let old = edit.get("old_string").and_then(Value::as_str)?;
                    let new = edit.get("new_string").and_then(Value::as_str)?;
                    if !lines.is_empty() {
                        lines.push(Line::styled("    ⋯", theme.dim()));
                    }
                    lines.extend(diff::edit_lines(path, old, new, theme));
                }
                Some(lines)
            }
            _ => None,
        }
    }

    fn change_stats(&self) -> Option<(usize, usize)> {
        let field =
            |value: &Value, name: &str| value.get(name).and_then(Value::as_str).map(str::to_string);
        match self.name.as_str() {
            "edit" => Some(diff::stats(
                &field(&self.input, "old_string")?,
                &field(&self.input, "new_string")?,
            )),
            "write" => Some((field(&self.input, "content")?.lines().count(), 0)),
            "multi_edit" => {
                self.input.get("edits")?.as_array()?.iter().try_fold((0, 0), |(a, r), edit| {
                    let (added, removed) =
                        diff::stats(&field(edit, "old_string")?, &field(edit, "new_string")?);
                    Some((a + added, r + removed))
                })
            }
            _ => None,
        }
    }
}

/// Indents `body` under a card and cuts it at `limit` lines with a note of what was left out.
fn push_limited(
    lines: &mut Vec<Line<'static>>,
    body: Vec<Line<'static>>,
    limit: usize,
    theme: Theme,
) {
    let total = body.len();
    for mut line in body.into_iter().take(limit) {
        line.spans.insert(0, Span::raw("  "));
        lines.push(line);
    }
    if total > limit {
        lines.push(Line::styled(
            format!("    … {} more lines (ctrl-o)", total - limit),
            theme.dim(),
        ));
    }
}

fn collapsed_summary(output: &str, is_error: bool) -> String {
    let count = output.lines().count();
    let first = output.lines().find(|line| !line.trim().is_empty()).unwrap_or_default();
    match count {
        0 => "no output".into(),
        1 => truncate(first, HEADER_CHARS),
        _ if is_error => format!("{}  (+{} lines)", truncate(first, HEADER_CHARS), count - 1),
        _ => format!("{count} lines of output"),
    }
}

fn duration(ms: u64) -> String {
    if ms < 1000 { format!("{ms}ms") } else { format!("{:.1}s", ms as f64 / 1000.0) }
}

/// The first `limit` characters of `text`, with an ellipsis when cut.
pub(crate) fn truncate(text: &str, limit: usize) -> String {
    let mut chars = text.chars();
    let head: String = chars.by_ref().take(limit).collect();
    if chars.next().is_some() { format!("{head}…") } else { head }
}
