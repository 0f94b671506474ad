use insta::assert_snapshot;
use pretty_assertions::assert_eq;
use ratatui::style::{Color, Modifier};
use ratatui::text::Line;

use super::{edit_lines, stats, write_lines};
use crate::theme::Theme;

fn plain(lines: &[Line<'_>]) -> String {
    lines.iter().map(ToString::to_string).collect::<Vec<_>>().join("\n")
}

fn assert_no_color(lines: &[Line<'_>]) {
    for line in lines {
        assert_eq!((line.style.fg, line.style.bg), (None, None), "{line}");
        for span in &line.spans {
            assert_eq!((span.style.fg, span.style.bg), (None, None), "{span:?}");
        }
    }
}

/// Twenty numbered lines of Rust.
fn numbered_source() -> String {
    (1..=20).map(|n| format!("let v{n} = {n};\n")).collect()
}

#[test]
fn an_edit_with_two_hunks() {
    let old = numbered_source();
    let new = old
        .replace("let v3 = 3;\n", "let v3 = 33;\nlet extra = 0;\n")
        .replace("let v17 = 17;\n", "");
    let lines = edit_lines("src/lib.rs", &old, &new, Theme::PLAIN);
    assert_snapshot!(plain(&lines));
    assert_no_color(&lines);
    assert_eq!(stats(&old, &new), (2, 2));
}

#[test]
fn signs_carry_the_meaning_without_colour() {
    let lines = edit_lines("a.txt", "keep\nold\n", "keep\nnew\n", Theme::PLAIN);
    let signs: Vec<String> = lines.iter().map(|line| line.spans[1].content.to_string()).collect();
    assert_eq!(signs, [" ", "-", "+"]);
    assert!(lines[1].spans[3].style.add_modifier.contains(Modifier::DIM));
    assert!(lines[2].spans[1].style.add_modifier.contains(Modifier::BOLD));
}

#[test]
fn changed_lines_are_coloured_and_highlighted_with_colour() {
    let lines = edit_lines("main.rs", "let a = 1;\n", "let a = 2;\n", Theme::COLOR);
    assert_eq!(plain(&lines), "1 - let a = 1;\n1 + let a = 2;");
    assert_eq!(lines[0].spans[1].style, Theme::COLOR.diff_sign(false));
    assert_eq!(lines[1].spans[1].style, Theme::COLOR.diff_sign(true));
    for line in &lines {
        assert!(
            line.spans[3..].iter().all(|span| matches!(span.style.fg, Some(Color::Rgb(..)))),
            "{line:?}"
        );
    }
}

#[test]
fn multi_line_constructs_highlight_as_a_whole() {
    // The second line sits inside a block comment opened on the first: it must be coloured
    // as a comment, like the first, not as code.
    let old = "/* start\nlet x = 1;\n*/\n";
    let new = "/* start\nlet x = 2;\n*/\n";
    let lines = edit_lines("a.rs", old, new, Theme::COLOR);
    let comment = lines[0].spans[3].style.fg;
    let added =
        lines.iter().find(|line| line.spans[1].content == "+").map(|line| line.spans[3].style.fg);
    assert_eq!(added, Some(comment));
}

#[test]
fn unknown_languages_fall_back_to_the_diff_styles() {
    let lines = edit_lines("notes.unknownext", "a\n", "b\n", Theme::COLOR);
    assert_eq!(lines[0].spans[3].style, Theme::COLOR.removed());
    assert_eq!(lines[1].spans[3].style, Theme::COLOR.added());
}

#[test]
fn a_written_file_is_all_added() {
    let content: String = (1..=12).map(|n| format!("line {n}\n")).collect();
    let lines = write_lines("notes.md", &content, Theme::PLAIN);
    assert_snapshot!(plain(&lines));
    assert_no_color(&lines);
    assert_eq!(stats("", &content), (12, 0));
}

#[test]
fn huge_inputs_are_capped() {
    let content: String = (1..=5_000).map(|n| format!("fn f{n}() {{}}\n")).collect();
    let lines = write_lines("big.rs", &content, Theme::COLOR);
    assert_eq!(lines.len(), 401);
    assert_eq!(lines[400].to_string(), "… 4600 more lines");
    assert_eq!(lines[399].to_string(), "400 + fn f400() {}");

    let old: String = (1..=5_000).map(|n| format!("{n}\n")).collect();
    let new: String = (1..=5_000).map(|n| format!("{}\n", n * 2)).collect();
    let lines = edit_lines("big.txt", &old, &new, Theme::COLOR);
    assert_eq!(lines.len(), 401);
    assert!(lines[400].to_string().ends_with(" more lines"), "{}", lines[400]);
}

#[test]
fn crlf_and_tabs_are_cleaned() {
    let lines =
        edit_lines("a.py", "if x:\r\n\treturn 1\r\n", "if x:\r\n\treturn 2\r\n", Theme::PLAIN);
    assert_snapshot!(plain(&lines), @r"
    1   if x:
    2 -     return 1
    2 +     return 2
    ");
    assert_eq!(plain(&write_lines("a", "x\r\ny", Theme::PLAIN)), "1 + x\n2 + y");
}

#[test]
fn a_missing_final_newline_is_not_a_change() {
    assert_eq!(stats("a\nb", "a\nb\n"), (0, 0));
    assert!(edit_lines("a", "a\nb", "a\nb\n", Theme::PLAIN).is_empty());
    assert_eq!(plain(&edit_lines("a", "a", "a\nb", Theme::PLAIN)), "1   a\n2 + b");
}

#[test]
fn the_gutter_fits_the_largest_number() {
    let old: String = (1..=120).map(|n| format!("{n}\n")).collect();
    let new: String = (1..=120)
        .filter(|n| *n != 118)
        .map(|n| if n == 5 { "five\n".to_owned() } else { format!("{n}\n") })
        .collect();
    let text = plain(&edit_lines("a", &old, &new, Theme::PLAIN));
    assert!(text.starts_with("  2   2\n"), "{text}");
    assert!(text.contains("\n  ⋯\n"), "{text}");
    assert!(text.contains("\n118 - 118\n"), "{text}");
}

#[test]
fn weird_input_does_not_panic() {
    let long = "x".repeat(100_000);
    let inputs = ["", " ", "\n", "\r", "\r\n\r\n", "\t", "日本語\n🎉\ne\u{301}", long.as_str()];
    for old in inputs {
        for new in inputs {
            for theme in [Theme::COLOR, Theme::PLAIN] {
                let _ = edit_lines("", old, new, theme);
                let _ = edit_lines("weird name.rs", old, new, theme);
                let _ = write_lines("/", new, theme);
            }
            assert_no_color(&edit_lines("a.rs", old, new, Theme::PLAIN));
            let _ = stats(old, new);
        }
    }
    assert!(write_lines("a.rs", "", Theme::COLOR).is_empty());
    assert!(edit_lines("a.rs", "", "", Theme::COLOR).is_empty());
}
