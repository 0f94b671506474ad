//! The shipped model table: context sizes, output limits and list prices.
//!
//! Prices are US dollars per million tokens as published by Anthropic and OpenAI, checked
//! 2026-11. Anthropic cache writes are the 5-minute rate (the only one rein requests); OpenAI
//! charges no extra for cache writes, so its cache-write price equals the input price. Where a
//! provider prices by prompt length, the table holds the lower band.

use rein_protocol::{Cost, Usage};

/// What rein knows about one model.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ModelInfo {
    /// Canonical id, also the prefix that dated snapshots extend (`claude-sonnet-4-5` matches
    /// `claude-sonnet-4-5-20250929`).
    pub id: &'static str,
    /// Context window in tokens (input and output together).
    pub context_window: u64,
    /// Largest `max_tokens` the model accepts.
    pub max_output: u32,
    /// Dollars per million uncached input tokens.
    pub input_per_mtok: f64,
    /// Dollars per million output tokens.
    pub output_per_mtok: f64,
    /// Dollars per million input tokens read from the prompt cache.
    pub cache_read_per_mtok: f64,
    /// Dollars per million input tokens written to the prompt cache.
    pub cache_write_per_mtok: f64,
}

const fn model(
    id: &'static str,
    context_window: u64,
    max_output: u32,
    [input, output, cache_read, cache_write]: [f64; 4],
) -> ModelInfo {
    ModelInfo {
        id,
        context_window,
        max_output,
        input_per_mtok: input,
        output_per_mtok: output,
        cache_read_per_mtok: cache_read,
        cache_write_per_mtok: cache_write,
    }
}

const K: u64 = 1_000;
const M: u64 = 1_000_000;

/// Every known model. Prices: `[input, output, cache read, cache write]`.
static MODELS: &[ModelInfo] = &[
    // Anthropic.
    model("claude-fable-5-1", M, 128_000, [10.0, 50.0, 0.25, 12.5]),
    model("claude-fable-5", M, 128_000, [10.0, 50.0, 1.0, 12.5]),
    model("claude-opus-5-5", M, 128_000, [4.0, 20.0, 0.2, 5.0]),
    model("claude-opus-5", M, 128_000, [5.0, 25.0, 0.5, 6.25]),
    model("claude-opus-4-8", M, 128_000, [5.0, 25.0, 0.5, 6.25]),
    model("claude-opus-4-7", M, 128_000, [5.0, 25.0, 0.5, 6.25]),
    model("claude-opus-4-6", M, 128_000, [5.0, 25.0, 0.5, 6.25]),
    model("claude-opus-4-5", 200 * K, 64_000, [5.0, 25.0, 0.5, 6.25]),
    model("claude-opus-4-1", 200 * K, 32_000, [15.0, 75.0, 1.5, 18.75]),
    model("claude-opus-4", 200 * K, 32_000, [15.0, 75.0, 1.5, 18.75]),
    model("claude-sonnet-5-5", M, 128_000, [2.0, 10.0, 0.1, 2.5]),
    model("claude-sonnet-5", M, 128_000, [2.0, 10.0, 0.2, 2.5]),
    model("claude-sonnet-4-6", M, 64_000, [3.0, 15.0, 0.3, 3.75]),
    model("claude-sonnet-4-5", 200 * K, 64_000, [3.0, 15.0, 0.3, 3.75]),
    model("claude-sonnet-4", 200 * K, 64_000, [3.0, 15.0, 0.3, 3.75]),
    model("claude-3-7-sonnet", 200 * K, 64_000, [3.0, 15.0, 0.3, 3.75]),
    model("claude-haiku-5-5", M, 128_000, [0.1, 0.5, 0.01, 0.125]),
    model("claude-haiku-4-5", 200 * K, 64_000, [1.0, 5.0, 0.1, 1.25]),
    model("claude-3-5-haiku", 200 * K, 8_192, [0.8, 4.0, 0.08, 1.0]),
    // OpenAI.
    model("gpt-5.5", 1_050 * K, 128_000, [5.0, 30.0, 0.5, 5.0]),
    model("gpt-5.4", 1_050 * K, 128_000, [2.5, 15.0, 0.25, 2.5]),
    model("gpt-5.4-mini", 400 * K, 128_000, [0.75, 4.5, 0.075, 0.75]),
    model("gpt-5.4-nano", 400 * K, 128_000, [0.2, 1.25, 0.02, 0.2]),
    model("gpt-5.2", 400 * K, 128_000, [1.75, 14.0, 0.175, 1.75]),
    model("gpt-5.1", 400 * K, 128_000, [1.25, 10.0, 0.125, 1.25]),
    model("gpt-5", 400 * K, 128_000, [1.25, 10.0, 0.125, 1.25]),
    model("gpt-5-mini", 400 * K, 128_000, [0.25, 2.0, 0.025, 0.25]),
    model("gpt-5-nano", 400 * K, 128_000, [0.05, 0.4, 0.005, 0.05]),
    model("gpt-5-pro", 400 * K, 272_000, [15.0, 120.0, 15.0, 15.0]),
    model("gpt-4.1", 1_047_576, 32_768, [2.0, 8.0, 0.5, 2.0]),
    model("gpt-4.1-mini", 1_047_576, 32_768, [0.4, 1.6, 0.1, 0.4]),
    model("gpt-4.1-nano", 1_047_576, 32_768, [0.1, 0.4, 0.025, 0.1]),
    model("gpt-4o", 128 * K, 16_384, [2.5, 10.0, 1.25, 2.5]),
    model("gpt-4o-mini", 128 * K, 16_384, [0.15, 0.6, 0.075, 0.15]),
    model("o3", 200 * K, 100_000, [2.0, 8.0, 0.5, 2.0]),
    model("o3-pro", 200 * K, 100_000, [20.0, 80.0, 20.0, 20.0]),
    model("o3-mini", 200 * K, 100_000, [1.1, 4.4, 0.55, 1.1]),
    model("o4-mini", 200 * K, 100_000, [1.1, 4.4, 0.275, 1.1]),
];

/// Short names that do not follow the prefix rule, and the canonical id they stand for.
static ALIASES: &[(&str, &str)] = &[
    ("claude-opus-4-0", "claude-opus-4"),
    ("claude-sonnet-4-0", "claude-sonnet-4"),
    ("claude-3-7-sonnet-latest", "claude-3-7-sonnet"),
    ("claude-3-5-haiku-latest", "claude-3-5-haiku"),
];

/// The newest model of a Claude family named by its short alias (`opus`, `sonnet`,
/// `haiku`), as subagent definitions name them; `None` for anything else.
pub fn family_model(alias: &str) -> Option<&'static str> {
    let alias = alias.trim().to_ascii_lowercase();
    if !matches!(alias.as_str(), "opus" | "sonnet" | "haiku") {
        return None;
    }
    // The table lists each family newest first.
    let prefix = format!("claude-{alias}-");
    MODELS.iter().find(|info| info.id.starts_with(&prefix)).map(|info| info.id)
}

/// The table entry for `model`.
///
/// Matching is case-insensitive and ignores a routing prefix (`anthropic/…`, `openai/…`,
/// cloud ids like `us.anthropic.claude-…`). An id matches an entry it equals or extends with a
/// snapshot suffix: a date (`-20250929`, `-2024-08-06`), a tag (`-latest`, `-codex`), `@…`,
/// `:…` or `[…]`. A bare version number does not count as a suffix, so an unknown
/// `claude-opus-4-9` is not priced as `claude-opus-4`. The longest matching entry wins.
pub fn model_info(model: &str) -> Option<&'static ModelInfo> {
    let name = normalise(model);
    let name = ALIASES
        .iter()
        .find(|(alias, _)| matches(&name, alias))
        .map_or(name.as_str(), |(_, canonical)| canonical);
    MODELS.iter().filter(|info| matches(name, info.id)).max_by_key(|info| info.id.len())
}

/// The cost of `usage` on `model`; `known: false` and zero dollars when the model is not in
/// the table (local models, new releases).
pub fn cost(model: &str, usage: &Usage) -> Cost {
    cost_with(model, usage, &PriceOverride::default())
}

/// Prices set by the user (dollars per million tokens), each replacing the table's.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct PriceOverride {
    /// Uncached input.
    pub input: Option<f64>,
    /// Output.
    pub output: Option<f64>,
    /// Input read from the prompt cache.
    pub cache_read: Option<f64>,
    /// Input written to the prompt cache.
    pub cache_write: Option<f64>,
}

/// The cost of `usage` on `model` with `prices` overriding the table. A model the table does
/// not know has a known cost only when all four prices are given.
pub fn cost_with(model: &str, usage: &Usage, prices: &PriceOverride) -> Cost {
    let info = model_info(model);
    let price = |given: Option<f64>, table: fn(&ModelInfo) -> f64| given.or(info.map(table));
    let (Some(input), Some(output), Some(cache_read), Some(cache_write)) = (
        price(prices.input, |i| i.input_per_mtok),
        price(prices.output, |i| i.output_per_mtok),
        price(prices.cache_read, |i| i.cache_read_per_mtok),
        price(prices.cache_write, |i| i.cache_write_per_mtok),
    ) else {
        return Cost { usd: 0.0, known: false };
    };
    let dollars = |tokens: u64, per_mtok: f64| tokens as f64 * per_mtok / 1_000_000.0;
    let usd = dollars(usage.input_tokens, input)
        + dollars(usage.output_tokens, output)
        + dollars(usage.cache_read_tokens, cache_read)
        + dollars(usage.cache_creation_tokens, cache_write);
    Cost { usd, known: true }
}

fn normalise(model: &str) -> String {
    let lower = model.trim().to_ascii_lowercase();
    let name = lower.rsplit('/').next().unwrap_or(&lower);
    // Cloud ids prefix a region and vendor: `us.anthropic.claude-sonnet-4-5-20250929-v1:0`.
    match name.find("claude-") {
        // Gateways write Claude versions with dots (`claude-sonnet-4.5`).
        Some(at) => name[at..].replace('.', "-"),
        None => name.to_string(),
    }
}

/// Whether `name` is `id` or `id` plus a snapshot suffix.
fn matches(name: &str, id: &str) -> bool {
    let Some(rest) = name.strip_prefix(id) else {
        return false;
    };
    if rest.is_empty() || rest.starts_with(['@', ':', '[']) {
        return true;
    }
    let Some(rest) = rest.strip_prefix('-') else {
        return false;
    };
    let segment = rest.split(['-', '@', ':', '[']).next().unwrap_or_default();
    let is_version =
        !segment.is_empty() && segment.len() <= 2 && segment.bytes().all(|b| b.is_ascii_digit());
    !segment.is_empty() && !is_version
}

#[cfg(test)]
#[path = "models_tests.rs"]
mod tests;
