//! State shared by all requests of one server.

use crate::answer::Ids;
use crate::cache::PromptCache;
use crate::clock::Clock;
use crate::record::{JsonlRecorder, RecordedRequest};
use crate::script::{Reply, Script, UsageSettings};
use crate::summary;
use serde_json::Value;
use std::collections::VecDeque;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use tokio::sync::Notify;

/// The script queue, the request log and the counters of one server.
#[derive(Debug)]
pub(crate) struct State {
    replies: Mutex<VecDeque<Reply>>,
    pub(crate) usage: UsageSettings,
    /// Answer to summary requests, given out of order; see [`Script::summary_reply`].
    summary_reply: Option<String>,
    requests: Mutex<Vec<RecordedRequest>>,
    recorder: Option<JsonlRecorder>,
    pub(crate) ids: Ids,
    /// Prompt cache emulation, when the script enables it.
    pub(crate) cache: Option<PromptCache>,
    /// Time as the cache sees it.
    pub(crate) clock: Clock,
    /// Requests whose handler has not returned yet.
    in_flight: AtomicUsize,
    /// Signalled whenever a handler returns.
    handler_done: Notify,
}

/// A poisoned lock only means a test thread panicked; the data is still usable.
pub(crate) fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

impl State {
    pub(crate) fn new(script: Script, recorder: Option<JsonlRecorder>) -> Self {
        Self {
            replies: Mutex::new(script.replies.into()),
            usage: script.usage.unwrap_or_default(),
            summary_reply: script.summary_reply,
            requests: Mutex::new(Vec::new()),
            recorder,
            ids: Ids::default(),
            cache: script.cache.map(PromptCache::new),
            clock: Clock::default(),
            in_flight: AtomicUsize::new(0),
            handler_done: Notify::new(),
        }
    }

    /// Logs `request`, and appends it to the record file if there is one.
    pub(crate) fn record(&self, request: RecordedRequest) {
        if let Some(recorder) = &self.recorder {
            recorder.append(&request);
        }
        lock(&self.requests).push(request);
    }

    /// Takes the next reply off the script.
    pub(crate) fn next_reply(&self) -> Option<Reply> {
        lock(&self.replies).pop_front()
    }

    /// The reply for `request`: the summary reply when the script has one and `request` asks
    /// for a summary (the script is left untouched), else the next scripted reply.
    pub(crate) fn reply_for(&self, request: &Value) -> Option<Reply> {
        match &self.summary_reply {
            Some(text) if summary::is_summary_request(request) => Some(Reply::text(text.clone())),
            _ => self.next_reply(),
        }
    }

    pub(crate) fn push_reply(&self, reply: Reply) {
        lock(&self.replies).push_back(reply);
    }

    pub(crate) fn requests(&self) -> Vec<RecordedRequest> {
        lock(&self.requests).clone()
    }

    /// Live prompt cache entries; 0 without cache emulation.
    pub(crate) fn cache_entries(&self) -> usize {
        self.cache.as_ref().map_or(0, |cache| cache.len(self.clock.now()))
    }

    pub(crate) fn remaining(&self) -> usize {
        lock(&self.replies).len()
    }

    /// Marks a request as being handled until the guard drops.
    pub(crate) fn begin(self: &Arc<Self>) -> InFlight {
        self.in_flight.fetch_add(1, Ordering::SeqCst);
        InFlight(Arc::clone(self))
    }

    /// Whether every reply has been taken and no handler is running.
    pub(crate) fn is_done(&self) -> bool {
        self.remaining() == 0 && self.in_flight.load(Ordering::SeqCst) == 0
    }

    /// Waits until every reply has been taken and every handler has returned its response.
    pub(crate) async fn wait_until_done(&self) {
        loop {
            let notified = self.handler_done.notified();
            tokio::pin!(notified);
            // Register before checking so a handler finishing in between is not missed.
            notified.as_mut().enable();
            if self.is_done() {
                return;
            }
            notified.await;
        }
    }
}

/// Counts one request as in flight while alive.
pub(crate) struct InFlight(Arc<State>);

impl Drop for InFlight {
    fn drop(&mut self) {
        self.0.in_flight.fetch_sub(1, Ordering::SeqCst);
        self.0.handler_done.notify_waiters();
    }
}
