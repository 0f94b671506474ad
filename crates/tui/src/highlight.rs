//! Syntax highlighting of code into styled lines, with syntect's bundled grammars.
//!
//! The grammars and colour theme load once, on first use: loading takes milliseconds and most
//! sessions never show code.

use std::collections::HashMap;
use std::hash::{Hash, Hasher};
use std::sync::{Mutex, OnceLock};

use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use syntect::easy::HighlightLines;
use syntect::highlighting::{FontStyle, Theme as SyntaxTheme, ThemeSet};
use syntect::parsing::{SyntaxReference, SyntaxSet};
use syntect::util::LinesWithEndings;

/// Past these sizes highlighting gets slow enough to stall drawing (tenths of a second); such
/// code is shown plain. Very long lines are mostly minified or generated text, where colours
/// help little and the grammars' regexes work hardest.
const MAX_LINES: usize = 2_000;
const MAX_BYTES: usize = 200 * 1024;
const MAX_LINE_BYTES: usize = 10_000;

/// A bundled theme that reads well on dark terminals.
const THEME_NAME: &str = "base16-ocean.dark";

fn syntaxes() -> &'static SyntaxSet {
    static SYNTAXES: OnceLock<SyntaxSet> = OnceLock::new();
    SYNTAXES.get_or_init(SyntaxSet::load_defaults_newlines)
}

fn theme() -> Option<&'static SyntaxTheme> {
    static THEME: OnceLock<Option<SyntaxTheme>> = OnceLock::new();
    THEME.get_or_init(|| ThemeSet::load_defaults().themes.remove(THEME_NAME)).as_ref()
}

/// `code` as highlighted lines (one per line of `code`, as `str::lines` splits it), or `None`
/// when no grammar matches `language` — a fence token (`rust`, `py`), a file extension or a file
/// name — or the code is too big to highlight quickly.
pub(crate) fn highlight(code: &str, language: &str) -> Option<Vec<Line<'static>>> {
    // A streamed answer is re-rendered on every frame; its finished code blocks come back
    // unchanged each time, so their highlighting is kept.
    let key = {
        let mut hasher = std::collections::hash_map::DefaultHasher::new();
        (language, code).hash(&mut hasher);
        hasher.finish()
    };
    if let Some(cached) = cache().lock().ok().and_then(|cache| cache.get(&key).cloned()) {
        return cached;
    }
    let lines = highlight_uncached(code, language);
    if let Ok(mut cache) = cache().lock() {
        if cache.len() >= CACHED_BLOCKS {
            cache.clear();
        }
        cache.insert(key, lines.clone());
    }
    lines
}

/// Highlighted blocks kept; a screenful of conversation rarely holds more.
const CACHED_BLOCKS: usize = 64;

type Cache = Mutex<HashMap<u64, Option<Vec<Line<'static>>>>>;

fn cache() -> &'static Cache {
    static CACHE: OnceLock<Cache> = OnceLock::new();
    CACHE.get_or_init(Cache::default)
}

fn highlight_uncached(code: &str, language: &str) -> Option<Vec<Line<'static>>> {
    if code.len() > MAX_BYTES
        || code.lines().count() > MAX_LINES
        || code.lines().any(|line| line.len() > MAX_LINE_BYTES)
    {
        return None;
    }
    let set = syntaxes();
    let syntax = find_syntax(set, language)?;
    let mut highlighter = HighlightLines::new(syntax, theme()?);
    let mut lines = Vec::new();
    for line in LinesWithEndings::from(code) {
        let regions = highlighter.highlight_line(line, set).ok()?;
        let mut spans: Vec<Span<'static>> = Vec::new();
        for (style, text) in regions {
            let text = text.trim_end_matches(['\n', '\r']);
            let style = convert(style);
            match spans.last_mut() {
                _ if text.is_empty() => {}
                // Neighbours in the same colour make one span: fewer spans to wrap and draw.
                Some(last) if last.style == style => last.content.to_mut().push_str(text),
                _ => spans.push(Span::styled(text.to_owned(), style)),
            }
        }
        lines.push(Line::from(spans));
    }
    Some(lines)
}

/// What to pass to [`highlight`] as the language of the file at `path`: its extension, or its
/// whole name when it has none (`Makefile`, `.bashrc`).
pub(crate) fn language_for_path(path: &str) -> String {
    let name = path.rsplit(['/', '\\']).next().unwrap_or(path);
    match name.rsplit_once('.') {
        Some((stem, extension)) if !stem.is_empty() && !extension.is_empty() => {
            extension.to_owned()
        }
        _ => name.to_owned(),
    }
}

fn find_syntax<'a>(set: &'a SyntaxSet, language: &str) -> Option<&'a SyntaxReference> {
    let token = language.trim();
    if token.is_empty() {
        return None;
    }
    let token = alias(token);
    let syntax = set.find_syntax_by_token(token).or_else(|| {
        // Perhaps a path rather than a token.
        let from_path = language_for_path(token);
        (from_path != token).then(|| set.find_syntax_by_token(&from_path)).flatten()
    })?;
    // Plain text has no rules: the caller's own plain style looks the same and costs nothing.
    (syntax.name != "Plain Text").then_some(syntax)
}

/// Common names for languages the bundled grammars lack or name differently.
fn alias(token: &str) -> &str {
    match token.to_ascii_lowercase().as_str() {
        "ts" | "tsx" | "typescript" | "jsx" | "mjs" | "cjs" => "js",
        "shell" | "zsh" | "console" | "shellscript" | "sh-session" => "sh",
        "jsonc" | "json5" => "json",
        "yml" => "yaml",
        "c++" => "cpp",
        "objc" | "objective-c" => "m",
        _ => token,
    }
}

fn convert(style: syntect::highlighting::Style) -> Style {
    let fg = style.foreground;
    let mut converted = Style::default().fg(Color::Rgb(fg.r, fg.g, fg.b));
    for (font, modifier) in [
        (FontStyle::BOLD, Modifier::BOLD),
        (FontStyle::ITALIC, Modifier::ITALIC),
        (FontStyle::UNDERLINE, Modifier::UNDERLINED),
    ] {
        if style.font_style.contains(font) {
            converted = converted.add_modifier(modifier);
        }
    }
    converted
}

#[cfg(test)]
mod tests {
    use super::{highlight, language_for_path};

    fn text(lines: &[ratatui::text::Line<'_>]) -> Vec<String> {
        lines.iter().map(ToString::to_string).collect()
    }

    #[test]
    fn languages_come_from_extensions_or_file_names() {
        assert_eq!(language_for_path("src/main.rs"), "rs");
        assert_eq!(language_for_path("Makefile"), "Makefile");
        assert_eq!(language_for_path("/home/me/.bashrc"), ".bashrc");
        assert_eq!(language_for_path("a\\b\\c.py"), "py");
        assert_eq!(language_for_path(""), "");
    }

    #[test]
    fn known_languages_highlight_line_by_line_in_rgb() {
        for language in ["rust", "rs", "py", "ts", "sh", "json", "src/lib.rs"] {
            let lines = highlight("let x = 1;\n\"two\"\n", language)
                .unwrap_or_else(|| panic!("{language} should highlight"));
            assert_eq!(text(&lines), ["let x = 1;", "\"two\""], "{language}");
            let span = &lines[0].spans[0];
            assert!(matches!(span.style.fg, Some(ratatui::style::Color::Rgb(..))), "{language}");
            assert_eq!(span.style.bg, None);
        }
    }

    #[test]
    fn unknown_languages_and_huge_inputs_are_not_highlighted() {
        assert!(highlight("x", "no-such-language").is_none());
        assert!(highlight("x", "").is_none());
        assert!(highlight("x", "txt").is_none());
        assert!(highlight(&"x\n".repeat(2_500), "rust").is_none());
        assert!(highlight(&"x".repeat(300 * 1024), "rust").is_none());
        assert!(highlight(&"x".repeat(20_000), "rust").is_none());
    }

    #[test]
    fn line_count_matches_str_lines() {
        for code in ["", "a", "a\n", "a\nb", "a\n\nb\n", "\n"] {
            let lines = highlight(code, "rust").unwrap_or_default();
            assert_eq!(lines.len(), code.lines().count(), "{code:?}");
        }
    }
}
