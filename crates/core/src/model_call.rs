//! One model call: stream the answer to the sink, retry what can be retried, stop cleanly on
//! interrupt.

use crate::sink::EventSink;
use futures::StreamExt;
use rein_protocol::{ContentBlock, Event, ModelRequest, ModelResponse, ProviderEvent};
use rein_provider::{ErrorAction, Provider, ProviderError, RetryPolicy};
use tokio_util::sync::CancellationToken;

/// Consecutive overloads after which the fallback model, if any, takes over.
const OVERLOADS_BEFORE_FALLBACK: u32 = 3;

pub(crate) enum CallOutcome {
    Completed(ModelResponse),
    /// The user interrupted; what had streamed so far is kept.
    Interrupted {
        partial_text: String,
    },
}

pub(crate) struct ModelCall<'a> {
    pub(crate) provider: &'a dyn Provider,
    pub(crate) retry: &'a RetryPolicy,
    pub(crate) fallback_model: Option<&'a str>,
    pub(crate) sink: &'a dyn EventSink,
    pub(crate) cancel: &'a CancellationToken,
}

impl ModelCall<'_> {
    /// Runs the call. On success `request.model` holds the model that answered (it changes
    /// when the fallback took over).
    pub(crate) async fn run(
        &self,
        request: &mut ModelRequest,
    ) -> Result<CallOutcome, ProviderError> {
        let mut attempt = 0;
        let mut overloads = 0;
        loop {
            let mut partial_text = String::new();
            let result = tokio::select! {
                biased;
                () = self.cancel.cancelled() => None,
                result = self.stream_once(request, &mut partial_text) => Some(result),
            };
            let Some(result) = result else {
                return Ok(CallOutcome::Interrupted { partial_text });
            };
            let error = match result {
                Ok(response) => return Ok(CallOutcome::Completed(response)),
                Err(StreamFailure { error, partial }) => {
                    if self.cancel.is_cancelled() {
                        return Ok(CallOutcome::Interrupted { partial_text: partial });
                    }
                    error
                }
            };
            if error.action() != ErrorAction::Retry || attempt >= self.retry.max_retries {
                return Err(error);
            }
            attempt += 1;
            if error.kind() == "overloaded" {
                overloads += 1;
                if overloads >= OVERLOADS_BEFORE_FALLBACK && self.switch_to_fallback(request) {
                    overloads = 0;
                }
            } else {
                overloads = 0;
            }
            let delay = self.retry.delay(attempt, error.retry_after());
            tracing::debug!(attempt, ?delay, %error, "retrying model call");
            self.sink.emit(Event::Retrying {
                attempt,
                delay_ms: u64::try_from(delay.as_millis()).unwrap_or(u64::MAX),
                error: error.to_string(),
            });
            tokio::select! {
                biased;
                () = self.cancel.cancelled() => return Ok(CallOutcome::Interrupted { partial_text: String::new() }),
                () = tokio::time::sleep(delay) => {}
            }
        }
    }

    /// Moves the request to the fallback model, if there is one it is not already using.
    fn switch_to_fallback(&self, request: &mut ModelRequest) -> bool {
        let Some(fallback) = self.fallback_model.filter(|f| *f != request.model) else {
            return false;
        };
        self.sink.emit(Event::Warning {
            message: format!(
                "{} is overloaded; switching to fallback model {fallback}",
                request.model
            ),
        });
        request.model = fallback.to_string();
        true
    }

    async fn stream_once(
        &self,
        request: &ModelRequest,
        partial_text: &mut String,
    ) -> Result<ModelResponse, StreamFailure> {
        let fail =
            |error, partial: &mut String| StreamFailure { error, partial: std::mem::take(partial) };
        let mut stream = match self.provider.stream(request).await {
            Ok(stream) => stream,
            Err(error) => return Err(fail(error, partial_text)),
        };
        while let Some(item) = stream.next().await {
            match item {
                Ok(ProviderEvent::TextDelta { text }) => {
                    partial_text.push_str(&text);
                    self.sink.emit(Event::TextDelta { text });
                }
                Ok(ProviderEvent::ThinkingDelta { text }) => {
                    self.sink.emit(Event::ThinkingDelta { text });
                }
                Ok(ProviderEvent::ToolUseStarted { .. }) => {}
                Ok(ProviderEvent::Completed { response }) => return Ok(response),
                Err(error) => return Err(fail(error, partial_text)),
            }
        }
        let error = ProviderError::StreamCut {
            message: "the response stream ended before the answer was complete".to_string(),
        };
        Err(fail(error, partial_text))
    }
}

struct StreamFailure {
    error: ProviderError,
    partial: String,
}

/// The text blocks of an interrupted answer, marked so the model knows it was cut.
pub(crate) fn interrupted_content(partial_text: String) -> Vec<ContentBlock> {
    if partial_text.trim().is_empty() {
        Vec::new()
    } else {
        vec![ContentBlock::text(format!("{partial_text}\n[interrupted by the user]"))]
    }
}
