use insta::assert_snapshot;
use pretty_assertions::assert_eq;
use ratatui::style::{Color, Modifier};
use ratatui::text::Line;

use super::render;
use crate::theme::Theme;

/// Every construct at once, for the tests that check properties of whole documents.
const EVERYTHING: &str = "# Title

Some *italic*, **bold**, ~~gone~~ and `code`,
continued on a second line.\\
After a hard break.

## Lists

- one
- two
  - nested **deep**
    1. first
    2. second
- [x] done
- [ ] todo

> quoted *text*
>
> - in a list

```rust
fn main() {
    println!(\"hi\");
}
```

    indented code

| Name | Size |
|------|-----:|
| a    | 1    |
| bee  | 200  |

See [the docs](https://example.com/docs) and <https://example.com>.

---

Last paragraph.
";

/// Lines as text only.
fn plain(lines: &[Line<'_>]) -> String {
    lines.iter().map(ToString::to_string).collect::<Vec<_>>().join("\n")
}

/// Lines as text, with each styled span wrapped in its modifiers: `[b]` bold, `[i]` italic,
/// `[u]` underlined, `[s]` crossed out, `[d]` dim, and `[c]` for any colour.
fn marked(lines: &[Line<'_>]) -> String {
    let mut out = Vec::new();
    for line in lines {
        let mut text = String::new();
        for span in &line.spans {
            let style = span.style;
            let mut tags = String::new();
            for (modifier, tag) in [
                (Modifier::BOLD, 'b'),
                (Modifier::ITALIC, 'i'),
                (Modifier::UNDERLINED, 'u'),
                (Modifier::CROSSED_OUT, 's'),
                (Modifier::DIM, 'd'),
            ] {
                if style.add_modifier.contains(modifier) {
                    tags.push(tag);
                }
            }
            if style.fg.is_some() || style.bg.is_some() {
                tags.push('c');
            }
            if tags.is_empty() {
                text.push_str(&span.content);
            } else {
                text.push_str(&format!("[{tags}]{}[/]", span.content));
            }
        }
        out.push(text);
    }
    out.join("\n")
}

fn assert_no_color(lines: &[Line<'_>]) {
    for line in lines {
        assert_eq!((line.style.fg, line.style.bg), (None, None), "{line}");
        for span in &line.spans {
            assert_eq!((span.style.fg, span.style.bg), (None, None), "{span:?}");
        }
    }
}

fn md(text: &str) -> String {
    marked(&render(text, Theme::PLAIN))
}

#[test]
fn paragraphs_are_separated_by_one_blank_line_and_breaks_are_kept() {
    assert_snapshot!(md("one\ntwo  \nthree\\\nfour\n\n\n\nnext paragraph\n\n"), @r"
    one two
    three
    four

    next paragraph
    ");
}

#[test]
fn headings_drop_their_marks() {
    assert_snapshot!(md("# One\n## Two `code`\nSetext\n======\ntext"), @r"
    [bu]One[/]

    [bu]Two code[/]

    [bu]Setext[/]

    text
    ");
}

#[test]
fn inline_styles_nest() {
    assert_snapshot!(md("*it* **bold *both*** ~~gone~~ `code` **`bold code`**"), @"[i]it[/] [b]bold [/][bi]both[/] [s]gone[/] code [b]bold code[/]");
}

#[test]
fn inline_code_is_coloured_when_colour_is_on() {
    let lines = render("a `b` c", Theme::COLOR);
    let code = &lines[0].spans[1];
    assert_eq!(code.content, "b");
    assert_eq!(code.style, Theme::COLOR.code());
}

#[test]
fn fenced_code_is_indented_and_highlighted_by_language() {
    let text = "```rust\nfn main() {\n\tlet s = \"x\";\n\n}\n```";
    assert_snapshot!(plain(&render(text, Theme::COLOR)), @r#"
      fn main() {
          let s = "x";

      }
    "#);
    let lines = render(text, Theme::COLOR);
    assert!(
        lines[0].spans.iter().any(|span| matches!(span.style.fg, Some(Color::Rgb(..)))),
        "{:?}",
        lines[0]
    );
    // Without colour the code is left plain: no highlighting.
    assert_eq!(plain(&render(text, Theme::PLAIN)), plain(&lines));
    assert_no_color(&render(text, Theme::PLAIN));
}

#[test]
fn code_in_an_unknown_language_uses_the_code_style() {
    let lines = render("```nonsense\nabc\n```", Theme::COLOR);
    assert_eq!(lines[0].spans[1].style, Theme::COLOR.code());
    let lines = render("```\nabc\n```", Theme::COLOR);
    assert_eq!(lines[0].spans[1].style, Theme::COLOR.code());
}

#[test]
fn indented_code_blocks_render_like_fenced_ones() {
    assert_snapshot!(md("text\n\n    let a = 1;\n    let b = 2;\n\nafter"), @r"
    text

      let a = 1;
      let b = 2;

    after
    ");
}

#[test]
fn an_unclosed_fence_mid_stream_renders_the_code_so_far() {
    let text = "Here:\n\n```python\ndef f():\n    return [1,";
    assert_snapshot!(plain(&render(text, Theme::COLOR)), @r"
    Here:

      def f():
          return [1,
    ");
    assert_snapshot!(plain(&render("```rust", Theme::COLOR)), @"");
    assert_snapshot!(plain(&render("text\n\n```", Theme::COLOR)), @"text");
}

#[test]
fn nested_lists_indent_and_align_continuations() {
    let text = "\
- one
- two\\
  broken line
  - nested
    - deeper
- three

1. first
2. second

   second paragraph
10. tenth";
    assert_snapshot!(md(text), @r"
    [d]• [/]one
    [d]• [/]two
      broken line
      [d]• [/]nested
        [d]• [/]deeper
    [d]• [/]three

    [d]1. [/]first

    [d]2. [/]second

       second paragraph

    [d]3. [/]tenth
    ");
}

#[test]
fn ordered_lists_start_at_their_first_number() {
    assert_snapshot!(plain(&render("7. seven\n8. eight", Theme::PLAIN)), @r"
    7. seven
    8. eight
    ");
}

#[test]
fn half_written_lists_show_their_markers() {
    assert_snapshot!(plain(&render("- a\n- ", Theme::PLAIN)), @r"
    • a
    •
    ");
    assert_snapshot!(plain(&render("1. a\n2.", Theme::PLAIN)), @r"
    1. a
    2.
    ");
}

#[test]
fn task_list_items_show_their_state() {
    assert_snapshot!(plain(&render("- [x] done\n- [ ] todo", Theme::PLAIN)), @r"
    • [x] done
    • [ ] todo
    ");
}

#[test]
fn block_quotes_carry_a_bar_on_every_line() {
    assert_snapshot!(md("> first *line*\n> more\n>\n> - item\n>\n> > nested\n\nafter"), @r"
    [d]│ [/][i]first line more[/]
    [d]│[/]
    [d]│ [/][d]• [/][i]item[/]
    [d]│[/]
    [d]│ [/][d]│ [/][i]nested[/]

    after
    ");
}

#[test]
fn links_show_their_address_when_it_differs_from_the_text() {
    assert_snapshot!(
        md("[docs](https://a.example) <https://b.example> [`x`](u) <me@c.example> ![alt](img.png)"),
        @"[u]docs[/][d] (https://a.example)[/] [u]https://b.example[/] [u]x[/][d] (u)[/] [u]me@c.example[/] [u]alt[/][d] (img.png)[/]"
    );
}

#[test]
fn rules_are_a_line() {
    assert_snapshot!(md("above\n\n***\n\nbelow"), @r"
    above

    [d]────────────────────────────────────────[/]

    below
    ");
}

#[test]
fn tables_line_up_their_columns() {
    let text = "\
| Name | Size | Note |
|------|-----:|:----:|
| a    | 1    | x    |
| bee  | 200  | long note |
| *it* |";
    assert_snapshot!(md(text), @r"
    [b]Name[/][d] │ [/][b]Size[/][d] │ [/]  [b]Note[/]
    [d]─────┼──────┼──────────[/]
    a   [d] │ [/]   1[d] │ [/]    x
    bee [d] │ [/] 200[d] │ [/]long note
    [i]it[/]  [d] │ [/]    [d] │[/]
    ");
}

#[test]
fn a_table_cut_off_mid_stream_renders() {
    for text in ["| a | b |\n|---|", "| a | b |\n|---|---|\n| 1", "| a | b |\n|---|---|\n| 1 | 2"] {
        assert!(!render(text, Theme::PLAIN).is_empty(), "{text}");
    }
}

#[test]
fn a_whole_document() {
    assert_snapshot!(md(EVERYTHING));
}

#[test]
fn a_whole_document_in_colour() {
    assert_snapshot!(marked(&render(EVERYTHING, Theme::COLOR)));
}

#[test]
fn no_color_means_no_colour_anywhere() {
    assert_no_color(&render(EVERYTHING, Theme::PLAIN));
}

#[test]
fn there_is_never_a_trailing_blank_line() {
    for text in [EVERYTHING, "a\n\n\n", "- a\n\n", "```\nx\n```\n\n", "> q\n>\n", "---\n\n"] {
        let lines = render(text, Theme::PLAIN);
        let last = lines.last().map(ToString::to_string).unwrap_or_else(|| "x".to_owned());
        assert!(!last.trim().is_empty(), "{text:?} ends with a blank line");
    }
}

#[test]
fn crlf_renders_like_lf() {
    let crlf = EVERYTHING.replace('\n', "\r\n");
    assert_eq!(render(&crlf, Theme::COLOR), render(EVERYTHING, Theme::COLOR));
}

#[test]
fn every_prefix_of_a_streamed_answer_renders() {
    // Streaming cuts the text anywhere; every cut must render without panicking.
    for (end, _) in EVERYTHING.char_indices() {
        let _ = render(&EVERYTHING[..end], Theme::COLOR);
        let _ = render(&EVERYTHING[..end], Theme::PLAIN);
    }
}

#[test]
fn weird_input_does_not_panic() {
    let long = "word ".repeat(20_000);
    let deep = format!("{}x", "> - ".repeat(200));
    let inputs = [
        "",
        " ",
        "\n\n\n",
        "\t\t",
        "\r\n\r",
        "日本語の**テキスト** 🎉 e\u{301}",
        "| 日本 | 🎉 |\n|---|---|\n| é | x |",
        long.as_str(),
        deep.as_str(),
        "<div>\n*html*\n</div>",
        "[^1]\n\n[^1]: note",
        "***bold italic***~~",
        "```\n```\n```",
        "* * *\n- - -",
        "[unclosed](",
    ];
    for input in inputs {
        let _ = render(input, Theme::COLOR);
        assert_no_color(&render(input, Theme::PLAIN));
    }
    assert!(render("", Theme::PLAIN).is_empty());
    assert!(render("  \n\n ", Theme::PLAIN).is_empty());
}
