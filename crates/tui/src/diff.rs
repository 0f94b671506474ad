//! Diffs of file edits and writes as numbered, signed, highlighted lines for tool cards.

use std::time::Duration;

use ratatui::style::Style;
use ratatui::text::{Line, Span};
use similar::{DiffTag, TextDiff};

use crate::highlight;
use crate::theme::Theme;

/// Lines of context around each change.
const CONTEXT: usize = 3;
/// More than this and the card would bury the conversation.
const MAX_LINES: usize = 400;
/// Past this the diff settles for a coarser (still correct) answer rather than stall drawing.
const DIFF_TIMEOUT: Duration = Duration::from_millis(200);

#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    Context,
    Added,
    Removed,
}

/// One row of output: a line of the old or new text, or a gap between hunks.
#[derive(Clone, Copy)]
enum Row {
    Line { kind: Kind, index: usize },
    Gap,
}

/// The changed region of an edit (`old` replaced by `new`) as a unified diff, numbered from the
/// start of each snippet.
pub(crate) fn edit_lines(path: &str, old: &str, new: &str, theme: Theme) -> Vec<Line<'static>> {
    let old = clean(old);
    let new = clean(new);
    let diff = TextDiff::configure().timeout(DIFF_TIMEOUT).diff_lines(&old, &new);
    let mut rows = Vec::new();
    for (number, group) in diff.grouped_ops(CONTEXT).iter().enumerate() {
        if number > 0 {
            rows.push(Row::Gap);
        }
        for op in group {
            let (tag, old_range, new_range) = op.as_tag_tuple();
            if tag == DiffTag::Equal {
                rows.extend(new_range.map(|index| Row::Line { kind: Kind::Context, index }));
                continue;
            }
            rows.extend(old_range.map(|index| Row::Line { kind: Kind::Removed, index }));
            rows.extend(new_range.map(|index| Row::Line { kind: Kind::Added, index }));
        }
    }
    render(path, &old, &new, &rows, theme)
}

/// A newly written file: every line added.
pub(crate) fn write_lines(path: &str, content: &str, theme: Theme) -> Vec<Line<'static>> {
    let content = clean(content);
    let rows: Vec<Row> =
        (0..content.lines().count()).map(|index| Row::Line { kind: Kind::Added, index }).collect();
    render(path, "", &content, &rows, theme)
}

/// Lines added and removed when `old` becomes `new`.
pub(crate) fn stats(old: &str, new: &str) -> (usize, usize) {
    let old = clean(old);
    let new = clean(new);
    let diff = TextDiff::configure().timeout(DIFF_TIMEOUT).diff_lines(&old, &new);
    diff.ops().iter().fold((0, 0), |(added, removed), op| {
        let (tag, old_range, new_range) = op.as_tag_tuple();
        match tag {
            DiffTag::Equal => (added, removed),
            _ => (added + new_range.len(), removed + old_range.len()),
        }
    })
}

/// Strips carriage returns, expands tabs, and ends the text with a newline, so that a snippet
/// without a final newline does not make its last line look changed.
fn clean(text: &str) -> String {
    let mut cleaned = String::with_capacity(text.len() + 1);
    for line in text.lines() {
        cleaned.push_str(&line.replace('\t', "    "));
        cleaned.push('\n');
    }
    cleaned
}

fn render(path: &str, old: &str, new: &str, rows: &[Row], theme: Theme) -> Vec<Line<'static>> {
    let shown = &rows[..rows.len().min(MAX_LINES)];
    let old_lines: Vec<&str> = old.lines().collect();
    let new_lines: Vec<&str> = new.lines().collect();
    let highlighted = |text: &str, side: Kind| {
        if !theme.has_color() {
            return None;
        }
        // Highlight the whole text, not line by line, so multi-line strings and comments come
        // out right; but only as far as the last line shown.
        let last = shown
            .iter()
            .filter_map(|row| match row {
                Row::Line { kind, index } if side_of(*kind) == side => Some(*index),
                _ => None,
            })
            .max()?;
        highlight::highlight(prefix_lines(text, last + 1), &highlight::language_for_path(path))
    };
    let old_highlighted = highlighted(old, Kind::Removed);
    let new_highlighted = highlighted(new, Kind::Added);

    let largest = shown
        .iter()
        .filter_map(|row| match row {
            Row::Line { index, .. } => Some(index + 1),
            Row::Gap => None,
        })
        .max()
        .unwrap_or(0);
    let gutter = largest.to_string().len();

    let mut lines: Vec<Line<'static>> = shown
        .iter()
        .map(|row| match *row {
            Row::Gap => Line::from(Span::styled(format!("{:>gutter$}", "⋯"), theme.dim())),
            Row::Line { kind, index } => {
                let (plain, highlighted) = match side_of(kind) {
                    Kind::Removed => (&old_lines, &old_highlighted),
                    _ => (&new_lines, &new_highlighted),
                };
                let content = highlighted
                    .as_ref()
                    .and_then(|lines| lines.get(index))
                    .map(|line| line.spans.clone())
                    .unwrap_or_else(|| {
                        let text = plain.get(index).copied().unwrap_or_default();
                        vec![Span::styled(text.to_owned(), content_style(kind, theme))]
                    });
                numbered(kind, index + 1, gutter, content, theme)
            }
        })
        .collect();

    let hidden = rows[shown.len()..].iter().filter(|row| matches!(row, Row::Line { .. })).count();
    if hidden > 0 {
        lines.push(Line::from(Span::styled(format!("… {hidden} more lines"), theme.dim())));
    }
    lines
}

/// Which text a row's line comes from; context lines are taken from the new text.
fn side_of(kind: Kind) -> Kind {
    match kind {
        Kind::Removed => Kind::Removed,
        Kind::Added | Kind::Context => Kind::Added,
    }
}

fn numbered(
    kind: Kind,
    number: usize,
    gutter: usize,
    mut content: Vec<Span<'static>>,
    theme: Theme,
) -> Line<'static> {
    let (sign, sign_style, number_style) = match kind {
        Kind::Added => ("+", theme.diff_sign(true), theme.added()),
        Kind::Removed => ("-", theme.diff_sign(false), theme.removed()),
        Kind::Context => (" ", theme.dim(), theme.dim()),
    };
    // In colour the number takes the change's colour; without colour, dimming it keeps the eye
    // on the sign and the text.
    let number_style = if theme.has_color() { number_style } else { theme.dim() };
    let mut spans = vec![
        Span::styled(format!("{number:>gutter$} "), number_style),
        Span::styled(sign, sign_style),
        Span::raw(" "),
    ];
    spans.append(&mut content);
    Line::from(spans)
}

/// The style of a line's text when it is not syntax highlighted.
fn content_style(kind: Kind, theme: Theme) -> Style {
    match kind {
        Kind::Added => theme.added(),
        Kind::Removed => theme.removed(),
        Kind::Context => theme.text(),
    }
}

/// The first `count` lines of `text`, newlines included.
fn prefix_lines(text: &str, count: usize) -> &str {
    let end =
        text.match_indices('\n').nth(count.saturating_sub(1)).map_or(text.len(), |(at, _)| at + 1);
    if count == 0 { "" } else { &text[..end] }
}

#[cfg(test)]
#[path = "diff_tests.rs"]
mod tests;
