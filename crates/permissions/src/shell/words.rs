//! Quote removal for one shell word, keeping track of what the shell would still expand:
//! `"a b"` is the literal `a b`, `c\url` is `curl`, but `$(echo rm)` and `$'\x72\x6d'` are only
//! known at run time. The command substitutions found are returned so they can be analysed as
//! commands of their own.

use super::ShellWord;
use brush_parser::ParserOptions;
use brush_parser::word::{TildeExpr, WordPiece, WordPieceWithSource};

/// A word after quote removal, with the scripts of the command substitutions inside it.
#[derive(Debug, Default)]
pub(super) struct ResolvedWord {
    pub(super) word: ShellWord,
    /// The text inside each `$( … )` and `` ` … ` ``, to be analysed recursively.
    pub(super) substitutions: Vec<String>,
    /// Why the word cannot be judged, if it cannot.
    pub(super) problem: Option<String>,
}

/// Characters that make a word worth handing to the word parser; anything else is literal.
const SPECIAL: &[char] = &['$', '`', '\\', '\'', '"', '~'];

/// Resolves one raw word from the syntax tree.
pub(super) fn resolve(raw: &str, options: &ParserOptions) -> ResolvedWord {
    if !raw.contains(SPECIAL) {
        let pattern = has_pattern_syntax(raw);
        return ResolvedWord {
            word: ShellWord { text: raw.to_owned(), dynamic: false, pattern },
            ..ResolvedWord::default()
        };
    }
    match brush_parser::word::parse(raw, options) {
        Ok(pieces) => collect(raw, &pieces, false),
        Err(error) => unparsable(raw, &error.to_string()),
    }
}

/// Resolves the body of an unquoted here-document (where `$( … )` still runs).
pub(super) fn resolve_heredoc(body: &str, options: &ParserOptions) -> ResolvedWord {
    match brush_parser::word::parse_heredoc(body, options) {
        Ok(pieces) => collect(body, &pieces, true),
        Err(error) => unparsable(body, &error.to_string()),
    }
}

fn unparsable(raw: &str, error: &str) -> ResolvedWord {
    ResolvedWord {
        word: ShellWord { text: raw.to_owned(), dynamic: true, pattern: false },
        substitutions: Vec::new(),
        problem: Some(format!("could not parse the word `{raw}`: {error}")),
    }
}

fn collect(raw: &str, pieces: &[WordPieceWithSource], quoted: bool) -> ResolvedWord {
    let mut resolved = ResolvedWord {
        word: ShellWord { text: String::new(), dynamic: false, pattern: false },
        ..ResolvedWord::default()
    };
    let mut collector = Collector { raw, out: &mut resolved };
    collector.pieces(pieces, quoted);
    if resolved.word.dynamic {
        resolved.word.text = raw.to_owned();
    }
    resolved
}

struct Collector<'a> {
    raw: &'a str,
    out: &'a mut ResolvedWord,
}

impl Collector<'_> {
    fn pieces(&mut self, pieces: &[WordPieceWithSource], in_double_quotes: bool) {
        for piece in pieces {
            self.piece(piece, in_double_quotes);
        }
    }

    fn piece(&mut self, piece: &WordPieceWithSource, in_double_quotes: bool) {
        let word = &mut self.out.word;
        match &piece.piece {
            WordPiece::Text(text) => {
                if !in_double_quotes && has_pattern_syntax(text) {
                    word.pattern = true;
                }
                word.text.push_str(text);
            }
            WordPiece::SingleQuotedText(text) => word.text.push_str(text),
            WordPiece::AnsiCQuotedText(text) => {
                // `$'\x72\x6d'` is `rm`: escapes are how obfuscation hides a command name, so
                // the value is treated as unknown rather than decoded.
                word.dynamic |= text.contains('\\');
                word.text.push_str(text);
            }
            WordPiece::DoubleQuotedSequence(inner)
            | WordPiece::GettextDoubleQuotedSequence(inner) => self.pieces(inner, true),
            WordPiece::TildeExpansion(TildeExpr::Home) => word.text.push('~'),
            WordPiece::TildeExpansion(TildeExpr::UserHome(user)) => {
                word.text.push('~');
                word.text.push_str(user);
            }
            WordPiece::TildeExpansion(_) => word.dynamic = true,
            WordPiece::ParameterExpansion(_) => {
                word.dynamic = true;
                let source = self.raw.get(piece.start_index..piece.end_index).unwrap_or(self.raw);
                if source.contains("$(") || source.contains('`') {
                    self.out.problem = Some(format!(
                        "`{source}` hides a command substitution inside a parameter expansion"
                    ));
                }
            }
            WordPiece::CommandSubstitution(script)
            | WordPiece::BackquotedCommandSubstitution(script) => {
                word.dynamic = true;
                self.out.substitutions.push(script.clone());
            }
            WordPiece::EscapeSequence(escape) => {
                word.text.push_str(unescape(escape, in_double_quotes));
            }
            WordPiece::ArithmeticExpression(expression) => {
                word.dynamic = true;
                if expression.value.contains("$(") || expression.value.contains('`') {
                    self.out.problem = Some(format!(
                        "`$(({}))` runs a command substitution inside arithmetic",
                        expression.value
                    ));
                }
            }
        }
    }
}

/// The text a backslash escape stands for. Inside double quotes only `$`, `` ` ``, `"`, `\`
/// and newline are escapable; elsewhere the backslash keeps its text.
fn unescape(escape: &str, in_double_quotes: bool) -> &str {
    let Some(rest) = escape.strip_prefix('\\') else {
        return escape;
    };
    if rest == "\n" {
        return "";
    }
    if in_double_quotes && !matches!(rest, "$" | "`" | "\"" | "\\") {
        return escape;
    }
    rest
}

/// Unquoted `*`, `?`, `[…]` (pathname expansion) or `{a,b}` / `{1..3}` (brace expansion).
pub(super) fn has_pattern_syntax(text: &str) -> bool {
    if text.contains(['*', '?', '[']) {
        return true;
    }
    match (text.find('{'), text.rfind('}')) {
        (Some(open), Some(close)) if open < close => {
            let inside = &text[open + 1..close];
            inside.contains(',') || inside.contains("..")
        }
        _ => false,
    }
}
