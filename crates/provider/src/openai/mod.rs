//! The OpenAI Chat Completions API (`POST /chat/completions`, streamed), as served by OpenAI
//! and by compatible servers (llama.cpp, vLLM, Ollama, LM Studio, gateways).

mod error;
mod request;
mod stream;

use crate::error::ProviderError;
use crate::{EventStream, Provider, http};
use rein_protocol::ModelRequest;
use request::MaxTokensField;
use reqwest::header::{ACCEPT, AUTHORIZATION, HeaderValue};

/// A [`Provider`] for the Chat Completions API.
#[derive(Clone)]
pub struct OpenAiProvider {
    api_key: Option<String>,
    base_url: String,
    http: reqwest::Client,
}

impl OpenAiProvider {
    /// The public API endpoint.
    pub const DEFAULT_BASE_URL: &'static str = "https://api.openai.com/v1";
    /// The environment variable conventionally holding the key.
    pub const API_KEY_ENV: &'static str = "OPENAI_API_KEY";

    /// A provider sending requests to `{base_url}/chat/completions`; `base_url` usually ends in
    /// `/v1` (`https://api.openai.com/v1`, `http://127.0.0.1:8080/v1`). Without a key no
    /// `Authorization` header is sent, which local servers accept; OpenAI's own API then fails
    /// each call with [`ProviderError::MissingApiKey`] without sending anything.
    ///
    /// The output limit goes out as `max_completion_tokens` to OpenAI (and Azure OpenAI) and as
    /// `max_tokens` to every other server, since compatible servers widely understand only the
    /// older field.
    pub fn new(api_key: Option<String>, base_url: String, http: reqwest::Client) -> Self {
        let api_key = api_key.map(|k| k.trim().to_string()).filter(|k| !k.is_empty());
        Self { api_key, base_url, http }
    }

    fn endpoint(&self) -> String {
        format!("{}/chat/completions", self.base_url.trim_end_matches('/'))
    }

    fn auth_header(&self) -> Result<Option<HeaderValue>, ProviderError> {
        let Some(key) = &self.api_key else {
            if MaxTokensField::for_base_url(&self.base_url) == MaxTokensField::MaxCompletionTokens {
                return Err(ProviderError::MissingApiKey {
                    provider: "openai".into(),
                    env_var: Self::API_KEY_ENV.into(),
                });
            }
            return Ok(None);
        };
        let mut value = HeaderValue::from_str(&format!("Bearer {key}")).map_err(|_| {
            ProviderError::InvalidConfig {
                message: "the OpenAI API key contains characters not allowed in HTTP headers"
                    .into(),
            }
        })?;
        // Keeps the key out of any debug output of the request.
        value.set_sensitive(true);
        Ok(Some(value))
    }
}

impl std::fmt::Debug for OpenAiProvider {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("OpenAiProvider")
            .field("base_url", &self.base_url)
            .field("api_key", &self.api_key.as_ref().map(|_| "<redacted>"))
            .finish_non_exhaustive()
    }
}

#[async_trait::async_trait]
impl Provider for OpenAiProvider {
    fn name(&self) -> &str {
        "openai"
    }

    async fn stream(&self, request: &ModelRequest) -> Result<EventStream, ProviderError> {
        let auth = self.auth_header()?;
        let body = request::build(request, MaxTokensField::for_base_url(&self.base_url));
        let url = self.endpoint();
        tracing::debug!(%url, model = %request.model, messages = request.messages.len(), "openai request");
        let mut builder = self.http.post(&url).header(ACCEPT, "text/event-stream").json(&body);
        if let Some(auth) = auth {
            builder = builder.header(AUTHORIZATION, auth);
        }
        let response = builder.send().await.map_err(|e| http::send_error(&e))?;
        if !response.status().is_success() {
            let (status, headers, text) = http::read_error(response).await;
            let error = error::from_http(status, &headers, &text);
            tracing::debug!(status, kind = error.kind(), "openai request failed");
            return Err(error);
        }
        http::ensure_event_stream(response.headers())?;
        let decoder = stream::OpenAiDecoder::new(&request.model);
        Ok(crate::stream::event_stream(http::body_stream(response), decoder))
    }
}

#[cfg(test)]
#[path = "provider_tests.rs"]
mod tests;
