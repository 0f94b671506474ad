//! Token counts reported by the fake server. All usage numbers come from [`compute`], so new
//! accounting has one place to go.

use crate::answer::Answer;
use crate::cache::{Cached, PromptCache};
use crate::prompt::{Prompt, tokens_for_chars};
use crate::script::UsageSettings;
use std::time::Instant;

/// Token counts of one response, in the Anthropic sense: `input` excludes cached tokens.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct TokenUsage {
    pub(crate) input: u64,
    pub(crate) output: u64,
    pub(crate) cache_read: u64,
    pub(crate) cache_creation: u64,
}

impl TokenUsage {
    /// Every input token, cached or not (OpenAI's `prompt_tokens`).
    pub(crate) fn prompt_total(&self) -> u64 {
        self.input + self.cache_read + self.cache_creation
    }
}

/// Usage of answering `prompt` with `answer`: deterministic estimates from sizes, split into
/// uncached, read and written parts by `cache` (when enabled) at time `now`, then replaced field
/// by field by any fixed counts in `settings`. The cache is consulted even when every count is
/// fixed, so its entries evolve the same way.
pub(crate) fn compute(
    prompt: &Prompt,
    answer: &Answer,
    settings: &UsageSettings,
    cache: Option<&PromptCache>,
    now: Instant,
) -> TokenUsage {
    let cached = cache.map_or_else(Cached::default, |cache| cache.serve(prompt, now));
    let uncached = match prompt.total() {
        // Even an empty prompt costs a token.
        0 => 1,
        total => total.saturating_sub(cached.read + cached.creation),
    };
    TokenUsage {
        input: settings.input_tokens.unwrap_or(uncached),
        output: settings.output_tokens.unwrap_or_else(|| estimate_output(answer)),
        cache_read: settings.cache_read_input_tokens.unwrap_or(cached.read),
        cache_creation: settings.cache_creation_input_tokens.unwrap_or(cached.creation),
    }
}

fn estimate_output(answer: &Answer) -> u64 {
    let thinking = answer.thinking.as_ref().map_or(0, |t| t.text.chars().count());
    let tools: usize =
        answer.tools.iter().map(|t| t.name.len() + t.arguments.chars().count()).sum();
    tokens_for_chars((thinking + answer.text.chars().count() + tools) as u64).max(1)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::answer::{Ending, Format, Stop};
    use crate::script::CacheSettings;
    use serde_json::{Value, json};

    fn answer(text: &str) -> Answer {
        Answer {
            thinking: None,
            text: text.to_owned(),
            tools: Vec::new(),
            stop: Stop::EndTurn,
            ending: Ending::Complete,
        }
    }

    /// A request whose system block is cacheable at a small minimum: 100 tokens, then 1 more.
    fn cacheable() -> Value {
        // {"text":"…","type":"text"} is the text plus 25 characters.
        let text = "x".repeat(400 - 25);
        json!({"model": "m",
               "system": [{"type": "text", "text": text, "cache_control": {"type": "ephemeral"}}],
               "messages": [{"role": "user", "content": "hi"}]})
    }

    fn small_cache() -> PromptCache {
        PromptCache::new(CacheSettings { min_cacheable_tokens: 50, ..CacheSettings::default() })
    }

    #[test]
    fn estimates_are_deterministic_and_overridable() {
        let request = json!({"model": "m", "messages": [{"role": "user", "content": "hello"}]});
        let now = Instant::now();
        let anthropic = Prompt::new(Format::Anthropic, &request);
        let usage = compute(&anthropic, &answer("abcdefgh"), &UsageSettings::default(), None, now);
        // "hello" with its quotes is 7 characters.
        assert_eq!(usage, TokenUsage { input: 2, output: 2, cache_read: 0, cache_creation: 0 });
        // {"content":"hello","role":"user"} is 33 characters.
        let openai = Prompt::new(Format::OpenAi, &request);
        assert_eq!(compute(&openai, &answer(""), &UsageSettings::default(), None, now).input, 9);
        let empty = Prompt::new(Format::Anthropic, &json!({}));
        assert_eq!(compute(&empty, &answer(""), &UsageSettings::default(), None, now).input, 1);

        let settings = UsageSettings {
            input_tokens: Some(7),
            cache_read_input_tokens: Some(100),
            ..UsageSettings::default()
        };
        let usage = compute(&anthropic, &answer(""), &settings, None, now);
        assert_eq!((usage.input, usage.output, usage.cache_read), (7, 1, 100));
        assert_eq!(usage.prompt_total(), 107);
    }

    #[test]
    fn without_a_cache_breakpoints_change_nothing() {
        let prompt = Prompt::new(Format::Anthropic, &cacheable());
        let now = Instant::now();
        for _ in 0..2 {
            let usage = compute(&prompt, &answer("a"), &UsageSettings::default(), None, now);
            assert_eq!(
                usage,
                TokenUsage { input: 101, output: 1, cache_read: 0, cache_creation: 0 }
            );
        }
    }

    #[test]
    fn the_cache_splits_the_prompt_and_fixed_counts_still_win() {
        let prompt = Prompt::new(Format::Anthropic, &cacheable());
        let cache = small_cache();
        let now = Instant::now();
        let settings = UsageSettings::default();
        let first = compute(&prompt, &answer("a"), &settings, Some(&cache), now);
        assert_eq!(first, TokenUsage { input: 1, output: 1, cache_read: 0, cache_creation: 100 });
        let second = compute(&prompt, &answer("a"), &settings, Some(&cache), now);
        assert_eq!(second, TokenUsage { input: 1, output: 1, cache_read: 100, cache_creation: 0 });

        let fixed = UsageSettings { cache_read_input_tokens: Some(7), ..UsageSettings::default() };
        let third = compute(&prompt, &answer("a"), &fixed, Some(&cache), now);
        // Only the fixed field changes; the others keep the emulated values.
        assert_eq!(third, TokenUsage { input: 1, output: 1, cache_read: 7, cache_creation: 0 });
        let fixed = UsageSettings {
            input_tokens: Some(3),
            cache_creation_input_tokens: Some(5),
            ..UsageSettings::default()
        };
        let fourth = compute(&prompt, &answer("a"), &fixed, Some(&cache), now);
        assert_eq!(fourth, TokenUsage { input: 3, output: 1, cache_read: 100, cache_creation: 5 });
    }
}
