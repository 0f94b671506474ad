//! Wrapping styled lines to the screen's width. The conversation view needs the wrapped
//! height of everything to scroll, so wrapping happens here once per width rather than inside
//! ratatui's paragraph on every frame.

use ratatui::text::{Line, Span};
use unicode_segmentation::UnicodeSegmentation;
use unicode_width::UnicodeWidthStr;

/// Wraps `line` to rows of at most `width` columns, breaking after spaces where it can and
/// inside a word only when the word alone is wider than a row. Styles carry over to every row.
pub(crate) fn wrap_line(line: &Line<'static>, width: u16) -> Vec<Line<'static>> {
    let width = usize::from(width.max(1));
    if line.width() <= width {
        return vec![line.clone()];
    }
    let indent = hanging_indent(line, width);
    let continuation =
        || if indent == 0 { Vec::new() } else { vec![Span::raw(" ".repeat(indent))] };
    let mut rows = Vec::new();
    let mut row: Vec<Span<'static>> = Vec::new();
    let mut row_width = 0;
    for piece in pieces(line) {
        let piece_width = piece.content.width();
        if row_width + piece_width > width && row_width > indent {
            let finished = std::mem::replace(&mut row, continuation());
            rows.push(finish_row(trim_end(finished), line));
            row_width = indent;
            if piece.content.trim().is_empty() {
                continue; // a space that caused the break is not carried to the next row
            }
        }
        if piece_width > width - indent {
            // A word longer than a row: split it by characters.
            for grapheme in piece.content.graphemes(true) {
                let grapheme_width = grapheme.width();
                if row_width + grapheme_width > width && row_width > indent {
                    let finished = std::mem::replace(&mut row, continuation());
                    rows.push(finish_row(finished, line));
                    row_width = indent;
                }
                push_text(&mut row, grapheme, piece.style);
                row_width += grapheme_width;
            }
            continue;
        }
        push_text(&mut row, &piece.content, piece.style);
        row_width += piece_width;
    }
    if !row.is_empty() || rows.is_empty() {
        rows.push(finish_row(row, line));
    }
    rows
}

/// Wraps every line.
pub(crate) fn wrap_lines(lines: &[Line<'static>], width: u16) -> Vec<Line<'static>> {
    lines.iter().flat_map(|line| wrap_line(line, width)).collect()
}

/// Columns continuation rows are indented by, so a wrapped list item, quote or card line
/// stays aligned under its text: the leading spaces and a list or card marker after them.
fn hanging_indent(line: &Line<'static>, width: usize) -> usize {
    let text: String = line.spans.iter().map(|span| span.content.as_ref()).collect();
    let spaces = text.len() - text.trim_start_matches(' ').len();
    let rest = &text[spaces..];
    let marker = rest
        .split_once(' ')
        .map(|(token, _)| token)
        .filter(|token| is_marker(token))
        .map_or(0, |token| token.width() + 1);
    let indent = spaces + marker;
    if indent * 2 > width { 0 } else { indent }
}

fn is_marker(token: &str) -> bool {
    let numbered = token.len() > 1
        && token.ends_with('.')
        && token[..token.len() - 1].chars().all(|c| c.is_ascii_digit());
    numbered
        || matches!(
            token,
            "•" | "-" | "*" | "└" | "│" | "›" | "●" | "✗" | "◌" | "!" | "▶" | "☐" | "☑"
        )
}

/// Words and the spaces after them, each with its span's style.
fn pieces(line: &Line<'static>) -> Vec<Span<'static>> {
    let mut pieces = Vec::new();
    for span in &line.spans {
        let style = line.style.patch(span.style);
        for word in span.content.split_word_bounds() {
            pieces.push(Span::styled(word.to_string(), style));
        }
    }
    pieces
}

/// Appends text to the row, merging with the last span when the style is the same (fewer
/// spans, faster drawing).
fn push_text(row: &mut Vec<Span<'static>>, text: &str, style: ratatui::style::Style) {
    if let Some(last) = row.last_mut()
        && last.style == style
    {
        last.content.to_mut().push_str(text);
        return;
    }
    row.push(Span::styled(text.to_string(), style));
}

/// Drops the spaces a row ends with where it was broken.
fn trim_end(mut spans: Vec<Span<'static>>) -> Vec<Span<'static>> {
    while let Some(last) = spans.last_mut() {
        let trimmed = last.content.trim_end().len();
        if trimmed > 0 {
            last.content.to_mut().truncate(trimmed);
            break;
        }
        spans.pop();
    }
    spans
}

fn finish_row(spans: Vec<Span<'static>>, original: &Line<'static>) -> Line<'static> {
    let mut line = Line::from(spans);
    line.alignment = original.alignment;
    line
}

#[cfg(test)]
mod tests {
    use super::*;
    use pretty_assertions::assert_eq;
    use ratatui::style::{Style, Stylize};

    fn texts(lines: &[Line<'static>]) -> Vec<String> {
        lines.iter().map(|line| line.to_string()).collect()
    }

    #[test]
    fn breaks_between_words_and_drops_the_breaking_space() {
        let line = Line::from("the quick brown fox jumps");
        assert_eq!(texts(&wrap_line(&line, 10)), ["the quick", "brown fox", "jumps"]);
    }

    #[test]
    fn splits_words_longer_than_a_row() {
        let line = Line::from("abcdefghijkl xy");
        assert_eq!(texts(&wrap_line(&line, 5)), ["abcde", "fghij", "kl xy"]);
    }

    #[test]
    fn keeps_styles_across_rows() {
        let line = Line::from(vec!["plain ".into(), "bold words here".bold()]);
        let rows = wrap_line(&line, 11);
        assert_eq!(texts(&rows), ["plain bold", "words here"]);
        assert_eq!(rows[1].spans[0].style, Style::default().bold());
    }

    #[test]
    fn list_items_and_cards_wrap_under_their_text() {
        let item = Line::from("  • one two three four");
        assert_eq!(texts(&wrap_line(&item, 14)), ["  • one two", "    three four"]);
        let card = Line::from("  └ error: something long");
        assert_eq!(texts(&wrap_line(&card, 16)), ["  └ error:", "    something", "    long"]);
    }

    #[test]
    fn wide_characters_count_double() {
        let line = Line::from("日本語のテキスト");
        let rows = wrap_line(&line, 6);
        assert!(rows.iter().all(|row| row.width() <= 6), "{:?}", texts(&rows));
        assert_eq!(texts(&rows).concat(), "日本語のテキスト");
    }

    #[test]
    fn an_empty_line_stays_one_row_and_width_zero_does_not_loop() {
        assert_eq!(wrap_line(&Line::from(""), 10).len(), 1);
        assert_eq!(texts(&wrap_line(&Line::from("ab"), 0)), ["a", "b"]);
    }
}
