//! Token counts reported by the fake server. All usage numbers come from [`compute`], so new
//! accounting (such as prompt caching) has one place to go.

use crate::answer::Answer;
use crate::script::UsageSettings;
use serde_json::Value;
use std::io;

/// Characters per estimated token.
const CHARS_PER_TOKEN: u64 = 4;

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

/// Usage of answering `request` with `answer`: deterministic estimates from sizes, replaced by
/// any fixed counts in `settings`.
pub(crate) fn compute(request: &Value, answer: &Answer, settings: &UsageSettings) -> TokenUsage {
    TokenUsage {
        input: settings.input_tokens.unwrap_or_else(|| estimate_input(request)),
        output: settings.output_tokens.unwrap_or_else(|| estimate_output(answer)),
        cache_read: settings.cache_read_input_tokens.unwrap_or(0),
        cache_creation: settings.cache_creation_input_tokens.unwrap_or(0),
    }
}

/// Serialized size of the parts of a request that the model reads.
fn estimate_input(request: &Value) -> u64 {
    let chars: u64 = ["system", "messages", "tools"]
        .iter()
        .filter_map(|key| request.get(key))
        .map(serialized_len)
        .sum();
    tokens(chars)
}

fn estimate_output(answer: &Answer) -> u64 {
    let thinking = answer.thinking.as_ref().map_or(0, |t| t.text.chars().count());
    let tools: usize =
        answer.tools.iter().map(|t| t.name.len() + t.arguments.chars().count()).sum();
    tokens((thinking + answer.text.chars().count() + tools) as u64)
}

fn tokens(chars: u64) -> u64 {
    chars.div_ceil(CHARS_PER_TOKEN).max(1)
}

/// Length of the compact JSON form, counted without building the string.
fn serialized_len(value: &Value) -> u64 {
    let mut counter = ByteCounter(0);
    // Writing to a counter cannot fail; a failure would only under-count.
    let _ = serde_json::to_writer(&mut counter, value);
    counter.0
}

struct ByteCounter(u64);

impl io::Write for ByteCounter {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.0 += buf.len() as u64;
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::answer::{Ending, Stop};
    use serde_json::json;

    fn answer(text: &str) -> Answer {
        Answer {
            thinking: None,
            text: text.to_owned(),
            tools: Vec::new(),
            stop: Stop::EndTurn,
            ending: Ending::Complete,
        }
    }

    #[test]
    fn estimates_are_deterministic_and_overridable() {
        let request = json!({"model": "m", "messages": [{"role": "user", "content": "hello"}]});
        let usage = compute(&request, &answer("abcdefgh"), &UsageSettings::default());
        let messages_len = request["messages"].to_string().len() as u64;
        assert_eq!(usage.input, messages_len.div_ceil(4));
        assert_eq!(usage.output, 2);
        assert_eq!(usage.cache_read, 0);

        let settings = UsageSettings {
            input_tokens: Some(7),
            cache_read_input_tokens: Some(100),
            ..UsageSettings::default()
        };
        let usage = compute(&request, &answer(""), &settings);
        assert_eq!((usage.input, usage.output, usage.cache_read), (7, 1, 100));
        assert_eq!(usage.prompt_total(), 107);
    }
}
