//! Shell command patterns (`git diff *`, `npm run test:*`), matched word by word against the
//! argv of one simple command, so `ls *` covers `ls` and `ls -la` but not `lsof`, and quoting in
//! the command (`git "diff"`) makes no difference.

use super::RuleParseError;

/// One word of a command pattern.
#[derive(Debug, Clone, PartialEq, Eq)]
enum PatternWord {
    /// Matches exactly this argument.
    Literal(String),
    /// A word with `*` inside (`*.rs`, `test:*x`): `*` stands for any run of characters.
    Glob(Vec<String>),
    /// A standalone `*` (or a trailing `:*`): any number of arguments, including none.
    AnyWords,
}

/// A parsed `bash(...)` pattern.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CommandPattern {
    words: Vec<PatternWord>,
}

impl CommandPattern {
    /// Parses the text between the parentheses of a `bash(...)` rule.
    pub(crate) fn parse(rule: &str, pattern: &str) -> Result<Self, RuleParseError> {
        let mut raw_words = split_words(pattern)
            .ok_or_else(|| RuleParseError::UnbalancedQuote { rule: rule.to_owned() })?;
        // `npm run test:*` is the legacy spelling of `npm run test *`.
        let mut trailing_any = false;
        if let Some(last) = raw_words.last_mut()
            && let Some(stem) = last.strip_suffix(":*")
        {
            *last = stem.to_owned();
            trailing_any = true;
            if last.is_empty() {
                raw_words.pop();
            }
        }
        let mut words: Vec<PatternWord> = Vec::with_capacity(raw_words.len() + 1);
        for word in raw_words {
            let next = if word == "*" {
                PatternWord::AnyWords
            } else if word.contains('*') {
                PatternWord::Glob(word.split('*').map(str::to_owned).collect())
            } else {
                PatternWord::Literal(word)
            };
            push_collapsing(&mut words, next);
        }
        if trailing_any {
            push_collapsing(&mut words, PatternWord::AnyWords);
        }
        if words.is_empty() {
            return Err(RuleParseError::EmptyPattern { rule: rule.to_owned() });
        }
        Ok(Self { words })
    }

    /// The command name the pattern requires, if it starts with a literal word: rules are
    /// indexed by it so a check only looks at the rules for the command at hand.
    pub(crate) fn command_name(&self) -> Option<&str> {
        match self.words.first() {
            Some(PatternWord::Literal(name)) => Some(name),
            _ => None,
        }
    }

    /// Whether the argv of one simple command (wrappers already removed) matches. Runs in
    /// O(pattern × argv) even with several `*`: the classic single-backtrack wildcard walk.
    pub(crate) fn matches<S: AsRef<str>>(&self, argv: &[S]) -> bool {
        let pattern = &self.words;
        let (mut p, mut a) = (0, 0);
        let mut last_star: Option<(usize, usize)> = None;
        while a < argv.len() {
            match pattern.get(p) {
                Some(PatternWord::AnyWords) => {
                    last_star = Some((p, a));
                    p += 1;
                }
                Some(word) if word.matches_one(argv[a].as_ref()) => {
                    p += 1;
                    a += 1;
                }
                _ => match last_star {
                    Some((star_p, star_a)) => {
                        last_star = Some((star_p, star_a + 1));
                        p = star_p + 1;
                        a = star_a + 1;
                    }
                    None => return false,
                },
            }
        }
        pattern[p.min(pattern.len())..].iter().all(|word| *word == PatternWord::AnyWords)
    }
}

impl PatternWord {
    fn matches_one(&self, arg: &str) -> bool {
        match self {
            Self::Literal(literal) => literal == arg,
            Self::Glob(pieces) => glob_matches(pieces, arg),
            Self::AnyWords => true,
        }
    }
}

fn push_collapsing(words: &mut Vec<PatternWord>, next: PatternWord) {
    if next == PatternWord::AnyWords && words.last() == Some(&PatternWord::AnyWords) {
        return;
    }
    words.push(next);
}

/// `pieces` is a word split on `*`: the first piece must start it, the last end it, and the
/// ones between appear in order (leftmost matches suffice when `*` is the only wildcard).
fn glob_matches(pieces: &[String], text: &str) -> bool {
    let [first, middle @ .., last] = pieces else {
        return pieces.first().is_some_and(|only| only == text);
    };
    let Some(mut rest) = text.strip_prefix(first.as_str()) else {
        return false;
    };
    for piece in middle {
        match rest.find(piece.as_str()) {
            Some(at) => rest = &rest[at + piece.len()..],
            None => return false,
        }
    }
    rest.len() >= last.len() && rest.ends_with(last.as_str())
}

/// Splits a pattern into words on whitespace, honouring `'…'`, `"…"` and `\x` so a pattern can
/// name an argument containing spaces. `None` if a quote is left open.
fn split_words(pattern: &str) -> Option<Vec<String>> {
    let mut words = Vec::new();
    let mut current = String::new();
    let mut in_word = false;
    let mut chars = pattern.chars();
    while let Some(c) = chars.next() {
        match c {
            c if c.is_whitespace() => {
                if in_word {
                    words.push(std::mem::take(&mut current));
                    in_word = false;
                }
            }
            '\'' | '"' => {
                in_word = true;
                loop {
                    match chars.next()? {
                        close if close == c => break,
                        '\\' if c == '"' => current.push(chars.next()?),
                        other => current.push(other),
                    }
                }
            }
            '\\' => {
                in_word = true;
                current.push(chars.next()?);
            }
            other => {
                in_word = true;
                current.push(other);
            }
        }
    }
    if in_word {
        words.push(current);
    }
    Some(words)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pattern(text: &str) -> CommandPattern {
        CommandPattern::parse(text, text).unwrap()
    }

    fn argv(command: &str) -> Vec<&str> {
        command.split_whitespace().collect()
    }

    #[test]
    fn trailing_star_is_a_word_boundary_prefix() {
        let git_diff = pattern("git diff *");
        assert!(git_diff.matches(&argv("git diff")));
        assert!(git_diff.matches(&argv("git diff --stat HEAD~1")));
        assert!(!git_diff.matches(&argv("git difftool")));
        assert!(!git_diff.matches(&argv("git push")));
        assert!(!pattern("ls *").matches(&argv("lsof -i")));
    }

    #[test]
    fn colon_star_means_the_same_as_space_star() {
        let legacy = pattern("npm run test:*");
        assert_eq!(legacy, pattern("npm run test *"));
        assert!(legacy.matches(&argv("npm run test")));
        assert!(legacy.matches(&argv("npm run test --watch")));
        assert!(!legacy.matches(&argv("npm run build")));
        assert_eq!(pattern("npm:*"), pattern("npm *"));
    }

    #[test]
    fn exact_patterns_and_inner_wildcards() {
        let exact = pattern("git status");
        assert!(exact.matches(&argv("git status")));
        assert!(!exact.matches(&argv("git status --short")));
        let middle = pattern("git * --help");
        assert!(middle.matches(&argv("git log --help")));
        assert!(middle.matches(&argv("git log --oneline --help")));
        assert!(!middle.matches(&argv("git log --oneline")));
        let glob = pattern("cat *.md");
        assert!(glob.matches(&argv("cat README.md")));
        assert!(!glob.matches(&argv("cat README.rs")));
        assert_eq!(middle.command_name(), Some("git"));
        assert_eq!(pattern("* --version").command_name(), None);
    }

    #[test]
    fn quoted_pattern_words_keep_their_spaces() {
        let quoted = pattern("git commit -m 'fix bug'");
        assert!(quoted.matches(&["git", "commit", "-m", "fix bug"]));
        assert!(CommandPattern::parse("r", "echo 'open").is_err());
    }

    #[test]
    fn many_stars_do_not_blow_up() {
        let stars = pattern("a * b * c * d * e *");
        let long: Vec<String> = (0..5_000).map(|i| format!("x{i}")).collect();
        let mut argv: Vec<&str> = vec!["a"];
        argv.extend(long.iter().map(String::as_str));
        assert!(!stars.matches(&argv));
    }
}
