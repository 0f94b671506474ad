//! Model providers for rein: the Anthropic Messages API and the OpenAI Chat Completions API
//! (and servers that speak it), both over streaming HTTP.
//!
//! A [`Provider`] turns one [`ModelRequest`] into a stream of [`ProviderEvent`]s that ends with
//! exactly one [`ProviderEvent::Completed`], or with an error item. Errors carry an
//! [`ErrorAction`] so the agent loop can decide between retrying (with [`RetryPolicy`]),
//! compacting the conversation, or giving up. [`models`] holds the shipped model table used for
//! context sizes and cost.

#![warn(missing_docs)]

mod anthropic;
mod error;
mod http;
mod openai;
mod retry;
mod sse;
mod stream;
#[cfg(test)]
mod test_support;
mod wire;

pub mod models;

use futures::Stream;
use rein_protocol::{ModelRequest, ProviderEvent};
use std::pin::Pin;

pub use anthropic::AnthropicProvider;
pub use error::{ErrorAction, ProviderError};
pub use http::http_client;
pub use models::{ModelInfo, PriceOverride, cost, cost_with, family_model, model_info};
pub use openai::OpenAiProvider;
pub use retry::RetryPolicy;

/// The events of one model call, in order. A well-formed stream ends with one
/// [`ProviderEvent::Completed`]; a failed one ends with an `Err` item. Nothing follows either.
pub type EventStream = Pin<Box<dyn Stream<Item = Result<ProviderEvent, ProviderError>> + Send>>;

/// A model API that can answer a [`ModelRequest`] as a stream of events.
#[async_trait::async_trait]
pub trait Provider: Send + Sync + std::fmt::Debug {
    /// Short stable name: `"anthropic"`, `"openai"`, ...
    fn name(&self) -> &str;

    /// Sends the request and returns the event stream. Errors before the stream starts
    /// (HTTP status errors, connection errors) are returned here; errors after are stream items.
    async fn stream(&self, request: &ModelRequest) -> Result<EventStream, ProviderError>;

    /// The context window of `model` in tokens, when known: from the model table by default.
    fn context_window(&self, model: &str) -> Option<u64> {
        model_info(model).map(|info| info.context_window)
    }
}
