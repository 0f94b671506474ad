//! The Anthropic Messages API (`POST /v1/messages`, streamed).

mod error;
mod request;
mod stream;

use crate::error::ProviderError;
use crate::{EventStream, Provider, http};
use rein_protocol::ModelRequest;
use reqwest::header::{ACCEPT, HeaderValue};

/// API version header value; the request and event shapes here follow it.
const API_VERSION: &str = "2023-06-01";

/// A [`Provider`] for the Anthropic Messages API.
#[derive(Clone)]
pub struct AnthropicProvider {
    api_key: String,
    base_url: String,
    http: reqwest::Client,
}

impl AnthropicProvider {
    /// The public API endpoint.
    pub const DEFAULT_BASE_URL: &'static str = "https://api.anthropic.com";
    /// The environment variable conventionally holding the key.
    pub const API_KEY_ENV: &'static str = "ANTHROPIC_API_KEY";

    /// A provider sending requests to `{base_url}/v1/messages` (e.g. `https://api.anthropic.com`)
    /// with `api_key`. An empty key fails each call with [`ProviderError::MissingApiKey`].
    pub fn new(api_key: String, base_url: String, http: reqwest::Client) -> Self {
        Self { api_key, base_url, http }
    }

    fn endpoint(&self) -> String {
        format!("{}/v1/messages", self.base_url.trim_end_matches('/'))
    }

    fn key_header(&self) -> Result<HeaderValue, ProviderError> {
        let key = self.api_key.trim();
        if key.is_empty() {
            return Err(ProviderError::MissingApiKey {
                provider: "anthropic".into(),
                env_var: Self::API_KEY_ENV.into(),
            });
        }
        let mut value = HeaderValue::from_str(key).map_err(|_| ProviderError::InvalidConfig {
            message: "the Anthropic API key contains characters not allowed in HTTP headers".into(),
        })?;
        // Keeps the key out of any debug output of the request.
        value.set_sensitive(true);
        Ok(value)
    }
}

impl std::fmt::Debug for AnthropicProvider {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AnthropicProvider")
            .field("base_url", &self.base_url)
            .field("api_key", &if self.api_key.is_empty() { "<none>" } else { "<redacted>" })
            .finish_non_exhaustive()
    }
}

#[async_trait::async_trait]
impl Provider for AnthropicProvider {
    fn name(&self) -> &str {
        "anthropic"
    }

    async fn stream(&self, request: &ModelRequest) -> Result<EventStream, ProviderError> {
        let key = self.key_header()?;
        let body = request::build(request);
        let url = self.endpoint();
        tracing::debug!(%url, model = %request.model, messages = request.messages.len(), "anthropic request");
        let response = self
            .http
            .post(&url)
            .header("x-api-key", key)
            .header("anthropic-version", API_VERSION)
            .header(ACCEPT, "text/event-stream")
            .json(&body)
            .send()
            .await
            .map_err(|e| http::send_error(&e))?;
        if !response.status().is_success() {
            let (status, headers, text) = http::read_error(response).await;
            let error = error::from_http(status, &headers, &text);
            tracing::debug!(status, kind = error.kind(), "anthropic request failed");
            return Err(error);
        }
        http::ensure_event_stream(response.headers())?;
        let decoder = stream::AnthropicDecoder::new(&request.model);
        Ok(crate::stream::event_stream(http::body_stream(response), decoder))
    }
}

#[cfg(test)]
#[path = "provider_tests.rs"]
mod tests;
