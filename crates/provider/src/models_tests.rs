use super::*;

fn id(model: &str) -> Option<&'static str> {
    model_info(model).map(|info| info.id)
}

#[test]
fn canonical_ids_match_themselves() {
    for info in MODELS {
        assert_eq!(id(info.id), Some(info.id));
    }
}

#[test]
fn snapshots_aliases_and_routing_prefixes_match() {
    let cases = [
        ("claude-sonnet-4-5-20250929", "claude-sonnet-4-5"),
        ("claude-sonnet-4-20250514", "claude-sonnet-4"),
        ("claude-sonnet-4-0", "claude-sonnet-4"),
        ("claude-opus-4-0", "claude-opus-4"),
        ("claude-opus-4-1-20250805", "claude-opus-4-1"),
        ("claude-opus-4-5-20251101", "claude-opus-4-5"),
        ("claude-haiku-4-5-20251001", "claude-haiku-4-5"),
        ("claude-3-5-haiku-latest", "claude-3-5-haiku"),
        ("claude-3-7-sonnet-20250219", "claude-3-7-sonnet"),
        ("claude-opus-5-5", "claude-opus-5-5"),
        ("Claude-Opus-4-6", "claude-opus-4-6"),
        ("claude-sonnet-4-6[1m]", "claude-sonnet-4-6"),
        ("claude-sonnet-4-5@20250929", "claude-sonnet-4-5"),
        ("us.anthropic.claude-sonnet-4-5-20250929-v1:0", "claude-sonnet-4-5"),
        ("anthropic/claude-sonnet-4.5", "claude-sonnet-4-5"),
        ("gpt-4o-2024-08-06", "gpt-4o"),
        ("gpt-4o-mini-2024-07-18", "gpt-4o-mini"),
        ("gpt-4.1-mini-2025-04-14", "gpt-4.1-mini"),
        ("gpt-5-mini", "gpt-5-mini"),
        ("gpt-5-codex", "gpt-5"),
        ("openai/gpt-5.4", "gpt-5.4"),
        ("o4-mini-2025-04-16", "o4-mini"),
        ("o3", "o3"),
    ];
    for (model, expected) in cases {
        assert_eq!(id(model), Some(expected), "{model}");
    }
}

#[test]
fn unknown_models_and_unknown_versions_are_none() {
    for model in ["llama-3.1-8b", "qwen2.5-coder", "claude-opus-4-9", "gpt-5.9", "gpt-50", "", "o5"]
    {
        assert_eq!(id(model), None, "{model}");
    }
}

#[test]
fn table_values_are_sane() {
    for info in MODELS {
        assert!(info.context_window >= u64::from(info.max_output), "{}", info.id);
        assert!(
            info.input_per_mtok > 0.0 && info.output_per_mtok >= info.input_per_mtok,
            "{}",
            info.id
        );
        assert!(info.cache_read_per_mtok <= info.input_per_mtok, "{}", info.id);
        assert!(info.cache_write_per_mtok >= info.input_per_mtok, "{}", info.id);
    }
}

#[test]
fn cost_adds_every_token_kind() {
    let usage = Usage {
        input_tokens: 1_000_000,
        output_tokens: 100_000,
        cache_read_tokens: 2_000_000,
        cache_creation_tokens: 400_000,
    };
    // Sonnet 4.5: 3 + 1.5 + 0.6 + 1.5
    let cost = cost("claude-sonnet-4-5-20250929", &usage);
    assert!(cost.known);
    assert!((cost.usd - 6.6).abs() < 1e-9, "{}", cost.usd);
}

#[test]
fn unknown_model_cost_is_zero_and_unknown() {
    let usage = Usage { input_tokens: 10, output_tokens: 10, ..Usage::default() };
    assert_eq!(cost("my-local-model", &usage), Cost { usd: 0.0, known: false });
    assert_eq!(cost("gpt-4o", &Usage::default()), Cost { usd: 0.0, known: true });
}

#[test]
fn price_overrides_replace_the_table_and_price_unknown_models() {
    let usage = Usage {
        input_tokens: 1_000_000,
        output_tokens: 1_000_000,
        cache_read_tokens: 1_000_000,
        cache_creation_tokens: 1_000_000,
    };
    let table = cost("claude-sonnet-4-5", &usage);
    let cheaper = PriceOverride { input: Some(0.0), ..PriceOverride::default() };
    let with = cost_with("claude-sonnet-4-5", &usage, &cheaper);
    assert!(with.known);
    assert!((table.usd - with.usd - 3.0).abs() < 1e-9, "{} vs {}", table.usd, with.usd);
    let partial = PriceOverride { input: Some(1.0), ..PriceOverride::default() };
    assert!(!cost_with("my-local-model", &usage, &partial).known);
    let all = PriceOverride {
        input: Some(1.0),
        output: Some(2.0),
        cache_read: Some(0.5),
        cache_write: Some(1.5),
    };
    let priced = cost_with("my-local-model", &usage, &all);
    assert!(priced.known && (priced.usd - 5.0).abs() < 1e-9);
}
