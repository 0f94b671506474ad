//! How long to wait before retrying a failed model call.

use std::time::Duration;

/// A server-requested delay longer than this is not honoured in full: a stuck session is
/// worse than an early retry that fails again.
const MAX_SERVER_DELAY: Duration = Duration::from_secs(5 * 60);

/// Exponential backoff with jitter for retryable provider errors.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Retries after the first attempt; 0 disables retrying.
    pub max_retries: u32,
    /// Delay before the first retry.
    pub base_delay: Duration,
    /// Upper bound of the exponential delay (before jitter).
    pub max_delay: Duration,
}

impl Default for RetryPolicy {
    /// 8 retries, starting at 500 ms and doubling up to 30 s.
    fn default() -> Self {
        Self {
            max_retries: 8,
            base_delay: Duration::from_millis(500),
            max_delay: Duration::from_secs(30),
        }
    }
}

impl RetryPolicy {
    /// Whether retry number `attempt` (from 1) is still allowed.
    pub fn allows(&self, attempt: u32) -> bool {
        attempt >= 1 && attempt <= self.max_retries
    }

    /// The delay before retry number `attempt` (from 1; 0 is treated as 1).
    ///
    /// Without `retry_after` this is `base_delay * 2^(attempt-1)`, capped at `max_delay`, plus
    /// 0–25% random jitter so that many clients do not retry in lockstep. A server-requested
    /// `retry_after` is used as given, capped at five minutes.
    pub fn delay(&self, attempt: u32, retry_after: Option<Duration>) -> Duration {
        if let Some(requested) = retry_after {
            return requested.min(MAX_SERVER_DELAY);
        }
        let backoff = self.backoff(attempt);
        let fraction = fastrand::f64() * 0.25;
        let jitter =
            Duration::try_from_secs_f64(backoff.as_secs_f64() * fraction).unwrap_or(Duration::ZERO);
        backoff.saturating_add(jitter)
    }

    /// The exponential part of [`Self::delay`], without jitter.
    fn backoff(&self, attempt: u32) -> Duration {
        let exponent = attempt.max(1) - 1;
        // 2^31 already overflows any useful delay; saturate instead of shifting further.
        let factor = 1u32.checked_shl(exponent.min(31)).unwrap_or(u32::MAX);
        self.base_delay.saturating_mul(factor).min(self.max_delay)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_matches_the_documented_values() {
        let policy = RetryPolicy::default();
        assert_eq!(policy.max_retries, 8);
        assert_eq!(policy.base_delay, Duration::from_millis(500));
        assert_eq!(policy.max_delay, Duration::from_secs(30));
        assert!(policy.allows(1));
        assert!(policy.allows(8));
        assert!(!policy.allows(9));
        assert!(!policy.allows(0));
    }

    #[test]
    fn backoff_doubles_and_caps() {
        let policy = RetryPolicy::default();
        let expected_ms = [500, 1000, 2000, 4000, 8000, 16000, 30000, 30000];
        for (i, ms) in expected_ms.iter().enumerate() {
            let attempt = i as u32 + 1;
            assert_eq!(policy.backoff(attempt), Duration::from_millis(*ms), "attempt {attempt}");
        }
        assert_eq!(policy.backoff(0), Duration::from_millis(500));
        assert_eq!(policy.backoff(u32::MAX), Duration::from_secs(30));
    }

    #[test]
    fn delay_adds_at_most_a_quarter_of_jitter() {
        let policy = RetryPolicy::default();
        for attempt in 1..=12 {
            let backoff = policy.backoff(attempt);
            for _ in 0..50 {
                let delay = policy.delay(attempt, None);
                assert!(delay >= backoff, "{delay:?} < {backoff:?}");
                assert!(delay <= backoff.mul_f64(1.25), "{delay:?} too long for {backoff:?}");
            }
        }
    }

    #[test]
    fn server_delay_is_honoured_and_capped() {
        let policy = RetryPolicy::default();
        assert_eq!(policy.delay(1, Some(Duration::from_secs(42))), Duration::from_secs(42));
        assert_eq!(policy.delay(3, Some(Duration::ZERO)), Duration::ZERO);
        assert_eq!(policy.delay(1, Some(Duration::from_secs(3600))), Duration::from_secs(300));
    }

    #[test]
    fn huge_settings_do_not_overflow() {
        let policy = RetryPolicy {
            max_retries: u32::MAX,
            base_delay: Duration::MAX,
            max_delay: Duration::MAX,
        };
        assert_eq!(policy.delay(40, None), Duration::MAX);
    }
}
