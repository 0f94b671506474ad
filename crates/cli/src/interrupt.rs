//! Ctrl-C: the first press interrupts the running turn cleanly, a second press exits at once.

use std::sync::{Arc, Mutex};
use tokio_util::sync::CancellationToken;

/// The token of whatever is running now, shared with the signal task.
#[derive(Debug, Clone, Default)]
pub(crate) struct Interrupts {
    current: Arc<Mutex<Option<CancellationToken>>>,
}

impl Interrupts {
    /// Starts listening for Ctrl-C.
    pub(crate) fn install() -> Self {
        let interrupts = Self::default();
        let shared = interrupts.clone();
        tokio::spawn(async move {
            while tokio::signal::ctrl_c().await.is_ok() {
                let running = shared.take();
                match running {
                    Some(token) => token.cancel(),
                    None => std::process::exit(i32::from(crate::exit::INTERRUPTED)),
                }
            }
        });
        interrupts
    }

    /// A fresh token for the next run; Ctrl-C cancels it.
    pub(crate) fn arm(&self) -> CancellationToken {
        let token = CancellationToken::new();
        *self.lock() = Some(token.clone());
        token
    }

    /// The run is over; Ctrl-C exits again.
    pub(crate) fn disarm(&self) {
        *self.lock() = None;
    }

    fn take(&self) -> Option<CancellationToken> {
        self.lock().take()
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Option<CancellationToken>> {
        self.current.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}
