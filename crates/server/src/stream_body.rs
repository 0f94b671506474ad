//! The server-sent-events body of a streamed completion.
//!
//! Events are pulled from the provider only as the client reads, so a client that goes away
//! drops the provider stream (ending the generation) and frees the model for the next
//! request.

use crate::chunks::ChunkWriter;
use crate::error::{ApiError, INCOMPLETE};
use axum::body::Body;
use axum::http::header::{CACHE_CONTROL, CONTENT_TYPE};
use axum::response::{IntoResponse, Response};
use bytes::Bytes;
use futures::StreamExt;
use rein_protocol::ProviderEvent;
use rein_provider::EventStream;
use serde_json::Value;
use std::collections::VecDeque;
use std::convert::Infallible;
use tokio::sync::OwnedMutexGuard;

/// A streamed answer: `data: {chunk}` frames, then `data: [DONE]`. A failure after the
/// stream started is sent as a `data: {"error": …}` frame without `[DONE]`.
pub(crate) fn sse_response(
    events: EventStream,
    writer: ChunkWriter,
    permit: OwnedMutexGuard<()>,
) -> Response {
    let opening = frame(&writer.opening());
    let pump = Pump { events, writer, permit: Some(permit), pending: VecDeque::from([opening]) };
    let body = futures::stream::unfold(pump, |mut pump| async move {
        let bytes = pump.next_frame().await?;
        Some((Ok::<_, Infallible>(bytes), pump))
    });
    ([(CONTENT_TYPE, "text/event-stream"), (CACHE_CONTROL, "no-cache")], Body::from_stream(body))
        .into_response()
}

struct Pump {
    events: EventStream,
    writer: ChunkWriter,
    /// Holds the model for this answer; released as soon as the answer is over.
    permit: Option<OwnedMutexGuard<()>>,
    pending: VecDeque<Bytes>,
}

impl Pump {
    async fn next_frame(&mut self) -> Option<Bytes> {
        loop {
            if let Some(bytes) = self.pending.pop_front() {
                return Some(bytes);
            }
            self.permit.as_ref()?;
            match self.events.next().await {
                Some(Ok(event)) => {
                    let completed = matches!(event, ProviderEvent::Completed { .. });
                    for chunk in self.writer.event(&event) {
                        self.pending.push_back(frame(&chunk));
                    }
                    if completed {
                        self.pending.push_back(Bytes::from_static(b"data: [DONE]\n\n"));
                        self.finish();
                    }
                }
                Some(Err(error)) => {
                    tracing::warn!(%error, "model failed during a streamed answer");
                    self.pending.push_back(frame(&ApiError::from_provider(&error).body()));
                    self.finish();
                }
                None => {
                    tracing::warn!("model stream ended without a complete answer");
                    let error = ApiError::server(INCOMPLETE);
                    self.pending.push_back(frame(&error.body()));
                    self.finish();
                }
            }
        }
    }

    fn finish(&mut self) {
        self.permit = None;
    }
}

fn frame(value: &Value) -> Bytes {
    Bytes::from(format!("data: {value}\n\n"))
}
