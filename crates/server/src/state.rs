//! What every request handler shares.

use crate::response::CompletionId;
use rein_provider::Provider;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};
use tokio::sync::Mutex;

/// The provider, the name it is served under, and the gate that lets one request at a time
/// use it.
#[derive(Debug)]
pub(crate) struct AppState {
    pub(crate) provider: Arc<dyn Provider>,
    pub(crate) model: String,
    /// A local model has one context, so requests take turns. tokio's mutex is fair: they
    /// are served in arrival order.
    pub(crate) gate: Arc<Mutex<()>>,
    next_id: AtomicU64,
}

impl AppState {
    pub(crate) fn new(provider: Arc<dyn Provider>, model: String) -> Self {
        Self { provider, model, gate: Arc::new(Mutex::new(())), next_id: AtomicU64::new(1) }
    }

    /// A fresh id, the creation time and the model name for one completion.
    pub(crate) fn completion_id(&self) -> CompletionId {
        let now = SystemTime::now().duration_since(UNIX_EPOCH).unwrap_or_default();
        let n = self.next_id.fetch_add(1, Ordering::Relaxed);
        CompletionId {
            id: format!("chatcmpl-{:x}{n:04x}", now.as_millis()),
            created: now.as_secs(),
            model: self.model.clone(),
        }
    }
}
