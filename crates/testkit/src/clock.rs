//! The server's notion of "now": real time plus an offset that tests can move forward, so
//! expiry can be exercised without sleeping.

use crate::state::lock;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// Monotonic time, shifted by everything passed to [`Clock::advance`].
#[derive(Debug, Default)]
pub(crate) struct Clock {
    offset: Mutex<Duration>,
}

impl Clock {
    pub(crate) fn now(&self) -> Instant {
        let real = Instant::now();
        real.checked_add(*lock(&self.offset)).unwrap_or(real)
    }

    /// Moves "now" forward by `by`.
    pub(crate) fn advance(&self, by: Duration) {
        let mut offset = lock(&self.offset);
        *offset = offset.saturating_add(by);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn advancing_moves_now_forward() {
        let clock = Clock::default();
        let before = clock.now();
        clock.advance(Duration::from_secs(3600));
        assert!(clock.now().duration_since(before) >= Duration::from_secs(3600));
    }
}
