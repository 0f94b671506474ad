//! Cache rules checked on prompts directly, with a hand-driven clock.

use super::*;
use serde_json::{Value, json};

const MIN: u64 = 100;

fn cache() -> PromptCache {
    PromptCache::new(CacheSettings { min_cacheable_tokens: MIN, ..CacheSettings::default() })
}

/// A text block estimated at exactly `tokens` tokens (at least 7).
fn text(tokens: u64) -> Value {
    // {"text":"…","type":"text"} is the text plus 25 characters.
    let len = usize::try_from(tokens * 4 - 25).unwrap();
    json!({"type": "text", "text": "x".repeat(len)})
}

fn marked(mut block: Value) -> Value {
    block["cache_control"] = json!({"type": "ephemeral"});
    block
}

fn user(blocks: Vec<Value>) -> Value {
    json!({"role": "user", "content": blocks})
}

fn assistant(blocks: Vec<Value>) -> Value {
    json!({"role": "assistant", "content": blocks})
}

fn anthropic(system: Vec<Value>, messages: Vec<Value>) -> Prompt {
    Prompt::new(Format::Anthropic, &json!({"model": "m", "system": system, "messages": messages}))
}

fn cached(read: u64, creation: u64) -> Cached {
    Cached { read, creation }
}

#[test]
fn a_repeated_system_breakpoint_is_written_then_read() {
    let cache = cache();
    let now = Instant::now();
    let prompt = anthropic(vec![marked(text(150))], vec![user(vec![text(10)])]);
    assert_eq!(prompt.total(), 160);
    assert_eq!(cache.serve(&prompt, now), cached(0, 150));
    assert_eq!(cache.len(now), 1);
    assert_eq!(cache.serve(&prompt, now), cached(150, 0));
    assert_eq!(cache.len(now), 1);
}

#[test]
fn a_moving_breakpoint_reads_the_previous_turn_and_writes_the_increment() {
    let cache = cache();
    let now = Instant::now();
    let system = vec![text(120)];
    let turn1 = anthropic(system.clone(), vec![user(vec![marked(text(30))])]);
    assert_eq!(cache.serve(&turn1, now), cached(0, 150));
    // The next turn carries the same blocks without the old breakpoint, plus new ones.
    let turn2 = anthropic(
        system.clone(),
        vec![user(vec![text(30)]), assistant(vec![text(20)]), user(vec![marked(text(40))])],
    );
    assert_eq!(cache.serve(&turn2, now), cached(150, 60));
    let turn3 = anthropic(
        system,
        vec![
            user(vec![text(30)]),
            assistant(vec![text(20)]),
            user(vec![text(40)]),
            assistant(vec![text(7), text(8)]),
            user(vec![marked(text(9))]),
        ],
    );
    assert_eq!(cache.serve(&turn3, now), cached(210, 24));
    assert_eq!(cache.len(now), 3);
}

#[test]
fn lookback_reaches_twenty_blocks_and_no_further() {
    let now = Instant::now();
    let first = |extra: usize| {
        let mut blocks = vec![marked(text(100))];
        blocks.extend((0..extra).map(|_| text(7)));
        blocks
    };
    let moved = |extra: usize| {
        let mut blocks = first(extra);
        blocks[0] = text(100);
        if let Some(last) = blocks.last_mut() {
            *last = marked(last.clone());
        }
        blocks
    };
    let cache = cache();
    cache.serve(&anthropic(vec![], vec![user(first(0))]), now);
    let within = anthropic(vec![], vec![user(moved(20))]);
    assert_eq!(cache.serve(&within, now), cached(100, 140));

    let cache = self::cache();
    cache.serve(&anthropic(vec![], vec![user(first(0))]), now);
    let beyond = anthropic(vec![], vec![user(moved(21))]);
    assert_eq!(cache.serve(&beyond, now), cached(0, 247));
}

#[test]
fn the_longest_hit_wins_among_several_breakpoints() {
    let cache = cache();
    let now = Instant::now();
    let system = vec![marked(text(200))];
    let turn1 = anthropic(system.clone(), vec![user(vec![marked(text(50))])]);
    assert_eq!(cache.serve(&turn1, now), cached(0, 250));
    assert_eq!(cache.len(now), 2);
    // Same system, a different message: only the system prefix is read.
    let other = anthropic(system.clone(), vec![user(vec![marked(text(60))])]);
    assert_eq!(cache.serve(&other, now), cached(200, 60));
    let again = anthropic(system, vec![user(vec![marked(text(50))])]);
    assert_eq!(cache.serve(&again, now), cached(250, 0));
    assert_eq!(cache.len(now), 3);
}

#[test]
fn a_changed_system_prompt_breaks_the_cache() {
    let cache = cache();
    let now = Instant::now();
    let messages = vec![user(vec![marked(text(30))])];
    let before = anthropic(vec![text(150)], messages.clone());
    assert_eq!(cache.serve(&before, now), cached(0, 180));
    let mut changed = text(150);
    changed["text"] = json!("y".repeat(575));
    let after = anthropic(vec![changed], messages);
    assert_eq!(cache.serve(&after, now), cached(0, 180));
    assert_eq!(cache.len(now), 2);
}

#[test]
fn the_model_is_part_of_the_key() {
    let cache = cache();
    let now = Instant::now();
    let request = |model: &str| {
        let system = [marked(text(150))];
        Prompt::new(Format::Anthropic, &json!({"model": model, "system": system}))
    };
    assert_eq!(cache.serve(&request("a"), now), cached(0, 150));
    assert_eq!(cache.serve(&request("b"), now), cached(0, 150));
    assert_eq!(cache.serve(&request("a"), now), cached(150, 0));
}

#[test]
fn prefixes_below_the_minimum_are_never_cached() {
    let cache = cache();
    let now = Instant::now();
    let small = anthropic(vec![marked(text(99))], vec![user(vec![text(50)])]);
    for _ in 0..3 {
        assert_eq!(cache.serve(&small, now), Cached::default());
    }
    assert_eq!(cache.len(now), 0);
    // A small breakpoint next to a large one: only the large one is stored.
    let mixed = anthropic(vec![marked(text(99))], vec![user(vec![marked(text(50))])]);
    assert_eq!(cache.serve(&mixed, now), cached(0, 149));
    assert_eq!(cache.len(now), 1);
}

#[test]
fn entries_expire_after_the_ttl_and_reads_refresh_them() {
    let cache = cache();
    let start = Instant::now();
    let at = |secs: u64| start + Duration::from_secs(secs);
    let prompt = anthropic(vec![marked(text(150))], vec![]);
    assert_eq!(cache.serve(&prompt, at(0)), cached(0, 150));
    // Exactly the TTL since the last use is still alive; the read refreshes the entry.
    assert_eq!(cache.serve(&prompt, at(300)), cached(150, 0));
    assert_eq!(cache.serve(&prompt, at(550)), cached(150, 0));
    assert_eq!(cache.len(at(850)), 1);
    assert_eq!(cache.len(at(851)), 0);
    assert_eq!(cache.serve(&prompt, at(851)), cached(0, 150));
}

#[test]
fn more_than_four_breakpoints_are_refused() {
    let cache = cache();
    let four = anthropic(vec![marked(text(7)); 2], vec![user(vec![marked(text(7)); 2])]);
    assert!(cache.validate(&four).is_ok());
    let five = anthropic(vec![marked(text(7)); 3], vec![user(vec![marked(text(7)); 2])]);
    let failure = cache.validate(&five).unwrap_err();
    assert_eq!(failure.status, 400);
    assert_eq!(failure.error_type.as_deref(), Some("invalid_request_error"));
    assert_eq!(
        failure.message,
        "A maximum of 4 blocks with cache_control may be provided. Found 5."
    );
    // Tool definitions count too.
    let tools = vec![marked(json!({"name": "t"})); 5];
    let request = json!({"model": "m", "tools": tools, "messages": []});
    assert!(cache.validate(&Prompt::new(Format::Anthropic, &request)).is_err());
    // OpenAI requests mark every message but have no limit.
    let messages: Vec<Value> = (0..6).map(|_| json!({"role": "user", "content": "x"})).collect();
    let openai = Prompt::new(Format::OpenAi, &json!({"model": "m", "messages": messages}));
    assert!(cache.validate(&openai).is_ok());
}

/// An OpenAI message estimated at exactly `tokens` tokens (at least 9).
fn message(role: &str, tokens: u64) -> Value {
    // {"content":"…","role":"…"} is the two strings plus 24 characters.
    let overhead = 24 + role.len();
    let len = usize::try_from(tokens * 4).unwrap() - overhead;
    json!({"role": role, "content": "x".repeat(len)})
}

fn openai(messages: &[Value]) -> Prompt {
    Prompt::new(Format::OpenAi, &json!({"model": "gpt", "messages": messages}))
}

#[test]
fn openai_prefixes_are_cached_automatically_in_steps() {
    let cache = PromptCache::new(CacheSettings::default());
    let now = Instant::now();
    let mut messages = vec![message("system", 1100), message("user", 300)];
    assert_eq!(openai(&messages).total(), 1400);
    assert_eq!(cache.serve(&openai(&messages), now), Cached::default());
    // Both boundaries are at least 1024 tokens: both are stored.
    assert_eq!(cache.len(now), 2);
    messages.push(message("assistant", 50));
    messages.push(message("user", 60));
    // 1400 tokens seen before: 1024 plus two whole steps of 128.
    assert_eq!(cache.serve(&openai(&messages), now), cached(1280, 0));
    assert_eq!(cache.len(now), 4);
    // A changed last message still reuses every message before it.
    messages[3] = message("user", 61);
    assert_eq!(cache.serve(&openai(&messages), now), cached(1408, 0));
    // Another model shares nothing.
    let other = Prompt::new(Format::OpenAi, &json!({"model": "other", "messages": messages}));
    assert_eq!(cache.serve(&other, now), Cached::default());
}

#[test]
fn openai_prefixes_below_the_minimum_and_disabled_caching_report_nothing() {
    let cache = PromptCache::new(CacheSettings::default());
    let now = Instant::now();
    let short = [message("user", 1000)];
    assert_eq!(cache.serve(&openai(&short), now), Cached::default());
    assert_eq!(cache.serve(&openai(&short), now), Cached::default());
    assert_eq!(cache.len(now), 0);

    let off =
        PromptCache::new(CacheSettings { openai_automatic: false, ..CacheSettings::default() });
    let long = [message("user", 2000)];
    assert_eq!(off.serve(&openai(&long), now), Cached::default());
    assert_eq!(off.serve(&openai(&long), now), Cached::default());
    assert_eq!(off.len(now), 0);
}
