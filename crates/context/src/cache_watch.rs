//! Prompt-cache break detection: when a request reads far fewer cached tokens than the one
//! before it made available, say which part of the prefix changed — or that nothing did and
//! the cache probably expired or was evicted.

use std::hash::{DefaultHasher, Hash, Hasher};
use std::time::{Duration, Instant};

/// A drop smaller than this many tokens is noise, not a break.
pub const MIN_MISSED_TOKENS: u64 = 2_000;
/// How long a cache entry lives without use (the providers' default).
pub const CACHE_TTL: Duration = Duration::from_secs(5 * 60);

/// What a request's cacheable prefix is made of, hashed part by part.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PrefixFingerprint {
    /// Model id.
    pub model: u64,
    /// Tool definitions.
    pub tools: u64,
    /// System prompt.
    pub system: u64,
    /// Settings that change how the prompt is processed (thinking budget and the like).
    pub settings: u64,
}

impl PrefixFingerprint {
    /// Fingerprints from the parts' serialised forms.
    pub fn new(model: &str, tools: &str, system: &str, settings: &str) -> Self {
        Self {
            model: hash(model),
            tools: hash(tools),
            system: hash(system),
            settings: hash(settings),
        }
    }
}

fn hash(text: &str) -> u64 {
    let mut hasher = DefaultHasher::new();
    text.hash(&mut hasher);
    hasher.finish()
}

/// Why the cache broke.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BreakCause {
    /// A different model reads a different cache.
    ModelChanged,
    /// The tool definitions changed.
    ToolsChanged,
    /// The system prompt changed.
    SystemChanged,
    /// Request settings changed.
    SettingsChanged,
    /// Nothing changed, but the last request was longer ago than the cache lives.
    Expired,
    /// Nothing changed on this side: the provider evicted or missed the entry.
    ServerSide,
}

impl BreakCause {
    /// A stable label for events and logs.
    pub fn label(self) -> &'static str {
        match self {
            Self::ModelChanged => "model_changed",
            Self::ToolsChanged => "tools_changed",
            Self::SystemChanged => "system_changed",
            Self::SettingsChanged => "settings_changed",
            Self::Expired => "expired",
            Self::ServerSide => "server_side",
        }
    }

    /// A sentence for people.
    pub fn describe(self) -> &'static str {
        match self {
            Self::ModelChanged => "the model changed",
            Self::ToolsChanged => "the tool definitions changed",
            Self::SystemChanged => "the system prompt changed",
            Self::SettingsChanged => "request settings changed",
            Self::Expired => {
                "the cache likely expired (the previous request was over 5 minutes ago)"
            }
            Self::ServerSide => {
                "nothing changed in the request; the provider likely evicted the entry"
            }
        }
    }
}

/// A detected break.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CacheBreak {
    /// Tokens the previous request left in the cache.
    pub expected_tokens: u64,
    /// Tokens this request read from it.
    pub cached_tokens: u64,
    /// The most likely cause.
    pub cause: BreakCause,
}

/// The previous request's prefix and what it left in the cache.
#[derive(Debug, Clone, Copy)]
struct Previous {
    fingerprint: PrefixFingerprint,
    cached_after: u64,
    at: Instant,
}

/// Watches one conversation's requests.
#[derive(Debug, Default)]
pub struct CacheWatch {
    previous: Option<Previous>,
    pending: Option<(PrefixFingerprint, Instant)>,
}

impl CacheWatch {
    /// Notes the prefix of the request about to be sent.
    pub fn before_request(&mut self, fingerprint: PrefixFingerprint, now: Instant) {
        self.pending = Some((fingerprint, now));
    }

    /// Checks the response's cache counts against the previous request's and remembers this
    /// one. `cache_read` and `cache_creation` are the response's cached and newly cached input
    /// tokens.
    pub fn after_response(&mut self, cache_read: u64, cache_creation: u64) -> Option<CacheBreak> {
        let (fingerprint, at) = self.pending.take()?;
        let previous = self.previous.replace(Previous {
            fingerprint,
            cached_after: cache_read + cache_creation,
            at,
        })?;
        let expected = previous.cached_after;
        let missed = expected.saturating_sub(cache_read);
        // A drop of more than 5% and of at least MIN_MISSED_TOKENS.
        if missed < MIN_MISSED_TOKENS || missed * 20 <= expected {
            return None;
        }
        let was = previous.fingerprint;
        let cause = if was.model != fingerprint.model {
            BreakCause::ModelChanged
        } else if was.tools != fingerprint.tools {
            BreakCause::ToolsChanged
        } else if was.system != fingerprint.system {
            BreakCause::SystemChanged
        } else if was.settings != fingerprint.settings {
            BreakCause::SettingsChanged
        } else if at.duration_since(previous.at) > CACHE_TTL {
            BreakCause::Expired
        } else {
            BreakCause::ServerSide
        };
        Some(CacheBreak { expected_tokens: expected, cached_tokens: cache_read, cause })
    }

    /// Forgets the baseline: after compaction the prefix is meant to change.
    pub fn reset(&mut self) {
        self.previous = None;
        self.pending = None;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fp(system: &str) -> PrefixFingerprint {
        PrefixFingerprint::new("m", "tools", system, "s")
    }

    #[test]
    fn steady_growth_is_not_a_break_and_the_first_request_has_no_baseline() {
        let mut watch = CacheWatch::default();
        let t0 = Instant::now();
        watch.before_request(fp("sys"), t0);
        assert_eq!(watch.after_response(0, 10_000), None);
        watch.before_request(fp("sys"), t0 + Duration::from_secs(3));
        assert_eq!(watch.after_response(10_000, 500), None);
        // A small drop is noise.
        watch.before_request(fp("sys"), t0 + Duration::from_secs(6));
        assert_eq!(watch.after_response(9_000, 0), None);
    }

    #[test]
    fn attributes_a_drop_to_what_changed() {
        let t0 = Instant::now();
        let cases = [
            (PrefixFingerprint::new("other", "tools", "sys", "s"), BreakCause::ModelChanged),
            (PrefixFingerprint::new("m", "more tools", "sys", "s"), BreakCause::ToolsChanged),
            (fp("new sys"), BreakCause::SystemChanged),
            (PrefixFingerprint::new("m", "tools", "sys", "thinking"), BreakCause::SettingsChanged),
        ];
        for (next, cause) in cases {
            let mut watch = CacheWatch::default();
            watch.before_request(fp("sys"), t0);
            watch.after_response(0, 20_000);
            watch.before_request(next, t0 + Duration::from_secs(1));
            assert_eq!(
                watch.after_response(0, 20_000),
                Some(CacheBreak { expected_tokens: 20_000, cached_tokens: 0, cause })
            );
        }
    }

    #[test]
    fn unchanged_prefixes_blame_time_or_the_server() {
        let t0 = Instant::now();
        let mut watch = CacheWatch::default();
        watch.before_request(fp("sys"), t0);
        watch.after_response(0, 20_000);
        watch.before_request(fp("sys"), t0 + Duration::from_secs(400));
        assert_eq!(watch.after_response(0, 20_000).map(|b| b.cause), Some(BreakCause::Expired));
        watch.before_request(fp("sys"), t0 + Duration::from_secs(410));
        assert_eq!(
            watch.after_response(1_000, 19_000).map(|b| b.cause),
            Some(BreakCause::ServerSide)
        );
        watch.reset();
        watch.before_request(fp("other"), t0 + Duration::from_secs(420));
        assert_eq!(watch.after_response(0, 20_000), None);
    }
}
