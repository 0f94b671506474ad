//! Emulated prompt caching: which prefix of a prompt is read from the cache, which is written.
//!
//! Anthropic: entries end at `cache_control` breakpoints. A breakpoint hits when its own prefix,
//! or the prefix ending at one of the [`LOOKBACK_BLOCKS`] blocks before it, is cached; the
//! longest hit is read. Every breakpoint prefix not yet cached is then written, and the tokens
//! between the read prefix and the longest breakpoint prefix count as written.
//!
//! OpenAI: every message boundary of every request is stored; the longest boundary prefix seen
//! before counts as cached, rounded down to [`OPENAI_GRANULE`] steps past the minimum. Nothing is
//! reported as written.
//!
//! Prefixes below the minimum size are neither read nor written. An entry lives until it has
//! gone unused for longer than the TTL; a read refreshes it.

use crate::answer::{Failure, Format};
use crate::prompt::{Prefix, Prompt};
use crate::script::CacheSettings;
use crate::state::lock;
use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// Most breakpoints one Anthropic request may carry.
pub(crate) const MAX_BREAKPOINTS: usize = 4;

/// How many blocks before a breakpoint are also checked for a cached prefix.
pub(crate) const LOOKBACK_BLOCKS: usize = 20;

/// OpenAI reports cached tokens in steps of this size.
pub(crate) const OPENAI_GRANULE: u64 = 128;

/// Cache outcome of one request, in tokens.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct Cached {
    pub(crate) read: u64,
    pub(crate) creation: u64,
}

/// The cache entries of one server.
#[derive(Debug)]
pub(crate) struct PromptCache {
    settings: CacheSettings,
    /// Prefix key to the time the entry was last written or read.
    entries: Mutex<HashMap<u64, Instant>>,
}

impl PromptCache {
    pub(crate) fn new(settings: CacheSettings) -> Self {
        Self { settings, entries: Mutex::new(HashMap::new()) }
    }

    /// Refuses a prompt the real service would refuse: too many breakpoints.
    pub(crate) fn validate(&self, prompt: &Prompt) -> Result<(), Failure> {
        let count = prompt.mark_count();
        if prompt.format() == Format::Anthropic && count > MAX_BREAKPOINTS {
            return Err(Failure {
                status: 400,
                error_type: Some("invalid_request_error".to_owned()),
                message: format!(
                    "A maximum of {MAX_BREAKPOINTS} blocks with cache_control may be provided. \
                     Found {count}."
                ),
                retry_after_secs: None,
            });
        }
        Ok(())
    }

    /// Reads and writes the cache for `prompt` at time `now`.
    pub(crate) fn serve(&self, prompt: &Prompt, now: Instant) -> Cached {
        let mut entries = lock(&self.entries);
        self.evict(&mut entries, now);
        match prompt.format() {
            Format::Anthropic => self.serve_breakpoints(&mut entries, prompt, now),
            Format::OpenAi if self.settings.openai_automatic => {
                self.serve_automatic(&mut entries, prompt, now)
            }
            Format::OpenAi => Cached::default(),
        }
    }

    /// Entries alive at `now`.
    pub(crate) fn len(&self, now: Instant) -> usize {
        let mut entries = lock(&self.entries);
        self.evict(&mut entries, now);
        entries.len()
    }

    fn evict(&self, entries: &mut HashMap<u64, Instant>, now: Instant) {
        let ttl = Duration::from_secs(self.settings.ttl_seconds);
        entries.retain(|_, last_use| now.saturating_duration_since(*last_use) <= ttl);
    }

    /// Marked prefixes large enough to cache.
    fn eligible(&self, prompt: &Prompt) -> Vec<(usize, Prefix)> {
        let min = self.settings.min_cacheable_tokens;
        prompt.marked().filter(|(_, prefix)| prefix.tokens >= min).collect()
    }

    fn serve_breakpoints(
        &self,
        entries: &mut HashMap<u64, Instant>,
        prompt: &Prompt,
        now: Instant,
    ) -> Cached {
        let breakpoints = self.eligible(prompt);
        let mut hit: Option<(usize, Prefix)> = None;
        for &(at, _) in &breakpoints {
            // Positions at or before the best hit so far cannot give a longer one.
            let first = at.saturating_sub(LOOKBACK_BLOCKS).max(hit.map_or(0, |(pos, _)| pos + 1));
            let found = (first..=at).rev().find_map(|pos| {
                let prefix = prompt.prefix(pos)?;
                entries.contains_key(&prefix.key).then_some((pos, prefix))
            });
            if found.is_some() {
                hit = found;
            }
        }
        let read = match hit {
            Some((_, prefix)) => {
                entries.insert(prefix.key, now);
                prefix.tokens
            }
            None => 0,
        };
        let mut longest = read;
        for (_, prefix) in breakpoints {
            entries.entry(prefix.key).or_insert(now);
            longest = longest.max(prefix.tokens);
        }
        Cached { read, creation: longest.saturating_sub(read) }
    }

    fn serve_automatic(
        &self,
        entries: &mut HashMap<u64, Instant>,
        prompt: &Prompt,
        now: Instant,
    ) -> Cached {
        let boundaries = self.eligible(prompt);
        let min = self.settings.min_cacheable_tokens;
        let read = boundaries
            .iter()
            .rev()
            .find(|(_, prefix)| entries.contains_key(&prefix.key))
            .map_or(0, |(_, prefix)| {
                min + prefix.tokens.saturating_sub(min) / OPENAI_GRANULE * OPENAI_GRANULE
            });
        // Storing every boundary also refreshes the one just read.
        for (_, prefix) in boundaries {
            entries.insert(prefix.key, now);
        }
        Cached { read, creation: 0 }
    }
}

#[cfg(test)]
#[path = "cache_tests.rs"]
mod tests;
