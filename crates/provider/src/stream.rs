//! Turns a response body into an [`EventStream`]: bytes go through the SSE decoder, and each
//! SSE event through a provider-specific [`StreamDecoder`].

use crate::EventStream;
use crate::error::ProviderError;
use crate::sse::{SseDecoder, SseEvent};
use bytes::Bytes;
use futures::{Stream, StreamExt};
use rein_protocol::ProviderEvent;
use std::collections::VecDeque;
use std::pin::Pin;

/// Whether the provider stream has said all it will say.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Flow {
    /// Keep reading.
    Continue,
    /// The answer is complete; the rest of the body is not read.
    Done,
}

/// The provider-specific half of stream decoding: SSE events in, provider events out.
pub(crate) trait StreamDecoder: Send + 'static {
    /// Handles one SSE event, appending any provider events to `out`. Events appended before
    /// an error is returned are still delivered, ahead of the error.
    fn on_event(
        &mut self,
        event: SseEvent,
        out: &mut Vec<ProviderEvent>,
    ) -> Result<Flow, ProviderError>;

    /// The body ended before [`Flow::Done`]: either finish the answer or report the cut.
    fn on_end(&mut self, out: &mut Vec<ProviderEvent>) -> Result<(), ProviderError>;
}

type Body = Pin<Box<dyn Stream<Item = Result<Bytes, ProviderError>> + Send>>;
type Item = Result<ProviderEvent, ProviderError>;

struct State<D> {
    body: Body,
    sse: SseDecoder,
    decoder: D,
    queue: VecDeque<Item>,
    finished: bool,
}

/// Decodes `body` with `decoder`. The stream ends after the decoder reports [`Flow::Done`] or
/// after the first error item.
pub(crate) fn event_stream<S, D>(body: S, decoder: D) -> EventStream
where
    S: Stream<Item = Result<Bytes, ProviderError>> + Send + 'static,
    D: StreamDecoder,
{
    let state = State {
        body: Box::pin(body),
        sse: SseDecoder::new(),
        decoder,
        queue: VecDeque::new(),
        finished: false,
    };
    Box::pin(futures::stream::unfold(state, |mut state| async move {
        loop {
            if let Some(item) = state.queue.pop_front() {
                return Some((item, state));
            }
            if state.finished {
                return None;
            }
            match state.body.next().await {
                Some(Ok(chunk)) => {
                    let mut events = Vec::new();
                    let decoded = state.sse.push(&chunk, &mut events);
                    state.handle(events, decoded);
                }
                Some(Err(error)) => state.fail(error),
                None => state.end(),
            }
        }
    }))
}

impl<D: StreamDecoder> State<D> {
    /// Feeds decoded SSE events to the decoder, then reports a decoding error that followed
    /// them, unless the decoder finished first.
    fn handle(&mut self, events: Vec<SseEvent>, decoded: Result<(), ProviderError>) {
        for event in events {
            let mut out = Vec::new();
            let result = self.decoder.on_event(event, &mut out);
            self.queue.extend(out.into_iter().map(Ok));
            match result {
                Ok(Flow::Continue) => {}
                Ok(Flow::Done) => {
                    self.finished = true;
                    return;
                }
                Err(error) => return self.fail(error),
            }
        }
        if let Err(error) = decoded {
            self.fail(error);
        }
    }

    fn end(&mut self) {
        let mut events = Vec::new();
        let decoded = self.sse.finish(&mut events);
        self.handle(events, decoded);
        if self.finished {
            return;
        }
        let mut out = Vec::new();
        let result = self.decoder.on_end(&mut out);
        self.queue.extend(out.into_iter().map(Ok));
        if let Err(error) = result {
            self.queue.push_back(Err(error));
        }
        self.finished = true;
    }

    fn fail(&mut self, error: ProviderError) {
        self.queue.push_back(Err(error));
        self.finished = true;
    }
}

#[cfg(test)]
#[path = "stream_tests.rs"]
mod tests;
