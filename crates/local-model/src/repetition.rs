//! Detecting a model stuck in a loop, so generation stops instead of filling the token budget
//! with the same text again and again.

/// Longest token cycle checked.
const MAX_PERIOD: usize = 64;
/// A cycle must repeat at least this often...
const MIN_REPEATS: usize = 4;
/// ...and cover at least this many tokens (short cycles need more repeats).
const MIN_SPAN: usize = 32;
/// Identical consecutive lines that count as a loop.
const LINE_REPEATS: usize = 4;
/// Lines shorter than this (`}`, blank lines) repeat legitimately.
const MIN_LINE_CHARS: usize = 6;

/// Watches generated tokens and text for repetition loops.
#[derive(Debug, Default)]
pub(crate) struct RepetitionGuard {
    tokens: Vec<i32>,
}

impl RepetitionGuard {
    /// Records one generated token; `text` is the whole reply so far. Returns whether the output
    /// has fallen into a loop.
    pub(crate) fn push(&mut self, token: i32, text: &str) -> bool {
        self.tokens.push(token);
        token_cycle(&self.tokens) || (text.ends_with('\n') && repeated_lines(text))
    }
}

/// Whether the tail of `tokens` is one short block repeated several times.
fn token_cycle(tokens: &[i32]) -> bool {
    (1..=MAX_PERIOD).any(|period| {
        let repeats = MIN_REPEATS.max(MIN_SPAN.div_ceil(period));
        let span = period * repeats;
        if tokens.len() < span {
            return false;
        }
        let tail = &tokens[tokens.len() - span..];
        let block = &tail[span - period..];
        tail.chunks_exact(period).all(|chunk| chunk == block)
    })
}

/// Whether the last complete lines of `text` are the same non-trivial line repeated.
fn repeated_lines(text: &str) -> bool {
    let mut lines = text.trim_end_matches('\n').rsplit('\n');
    let Some(last) = lines.next().map(str::trim) else { return false };
    if last.chars().count() < MIN_LINE_CHARS {
        return false;
    }
    lines.take(LINE_REPEATS - 1).filter(|l| l.trim() == last).count() == LINE_REPEATS - 1
}

#[cfg(test)]
mod tests {
    use super::*;

    fn feed(tokens: &[i32]) -> Option<usize> {
        let mut guard = RepetitionGuard::default();
        tokens.iter().position(|&t| guard.push(t, ""))
    }

    #[test]
    fn a_single_token_run_needs_a_long_span() {
        assert_eq!(feed(&[7; 31]), None);
        assert_eq!(feed(&[7; 40]), Some(31));
    }

    #[test]
    fn a_short_cycle_is_caught() {
        let cycle: Vec<i32> = [1, 2, 3, 4, 5, 6, 7, 8].repeat(5);
        assert_eq!(feed(&cycle), Some(31));
    }

    #[test]
    fn varied_text_is_fine() {
        let tokens: Vec<i32> = (0..500).map(|i| (i * 7919) % 1000).collect();
        assert_eq!(feed(&tokens), None);
        let mut with_pairs: Vec<i32> = (0..200).collect();
        with_pairs.extend([1, 2, 1, 2, 1, 2]);
        assert_eq!(feed(&with_pairs), None);
    }

    #[test]
    fn repeated_lines() {
        let mut guard = RepetitionGuard::default();
        let line = "The answer is 42.\n";
        assert!(!guard.push(1, &line.repeat(3)));
        assert!(guard.push(2, &line.repeat(4)));
        assert!(!guard.push(3, &"}\n".repeat(8)));
        assert!(!guard.push(4, "a\nThe answer is 42.\nb\nThe answer is 42.\n"));
    }
}
