//! The inference thread: it owns the llama.cpp model and context (which must stay on one
//! thread), runs one request at a time, and streams its progress back over channels.

mod context;
mod kv;
mod thread;

use crate::error::LocalError;
use rein_provider::ProviderError;
use std::sync::mpsc;
use std::time::Duration;
use tokio::sync::mpsc::UnboundedSender;

pub(crate) use thread::spawn;

/// What the model file tells about itself.
#[derive(Debug, Clone)]
pub(crate) struct ModelMeta {
    /// The Jinja chat template, when the file has one.
    pub(crate) chat_template: Option<String>,
    /// Text of the beginning-of-sequence token.
    pub(crate) bos: String,
    /// Text of the end-of-sequence token.
    pub(crate) eos: String,
}

/// A tool-call grammar for one generation.
#[derive(Debug, Clone)]
pub(crate) struct GrammarPlan {
    /// GBNF text with one root rule per call form.
    pub(crate) gbnf: String,
    /// Apply the tagged-call root from the first token instead of waiting for a call to start.
    pub(crate) forced: bool,
}

/// One generation request.
#[derive(Debug)]
pub(crate) struct Job {
    /// Rendered prompt.
    pub(crate) prompt: String,
    /// Token budget for the answer.
    pub(crate) max_tokens: u32,
    /// Sampling temperature; `None` or 0 is greedy.
    pub(crate) temperature: Option<f32>,
    /// Tool-call grammar, when tools are offered.
    pub(crate) grammar: Option<GrammarPlan>,
    /// End the turn once the reply ends with a complete shell block (the block reply
    /// format): the command's real output comes next, not an imagined one.
    pub(crate) stop_after_shell_block: bool,
    /// Progress. When the receiver is gone the caller has lost interest: generation stops.
    pub(crate) events: UnboundedSender<EngineEvent>,
}

/// Progress of a generation.
#[derive(Debug)]
pub(crate) enum EngineEvent {
    /// The prompt fits; prefill starts.
    Started,
    /// Newly decoded text.
    Text(String),
    /// Generation ended.
    Done(Finish),
    /// Generation failed.
    Failed(ProviderError),
}

/// Why generation stopped.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Stop {
    /// The model ended its turn.
    EndOfTurn,
    /// The token budget ran out.
    MaxTokens,
    /// The output fell into a repetition loop.
    Repetition,
    /// The context window is full.
    ContextFull,
    /// The grammar allowed no further token.
    GrammarDeadEnd,
}

/// Counters of a finished generation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Finish {
    /// Why it stopped.
    pub(crate) stop: Stop,
    /// Prompt tokens decoded for this request.
    pub(crate) prefilled: u64,
    /// Prompt tokens already in the KV cache.
    pub(crate) reused: u64,
    /// Tokens generated.
    pub(crate) generated: u64,
    /// Time spent on prefill.
    pub(crate) prefill_time: Duration,
    /// Time spent generating.
    pub(crate) decode_time: Duration,
}

/// What the inference thread can be asked to do.
#[derive(Debug)]
pub(crate) enum Request {
    /// Generate an answer.
    Generate(Job),
    /// Check that llama.cpp accepts a grammar with the given root.
    CheckGrammar {
        /// GBNF text.
        gbnf: String,
        /// Root rule.
        root: &'static str,
        /// Where the verdict goes.
        reply: mpsc::Sender<Result<(), LocalError>>,
    },
}

/// Handle to the inference thread. Dropping it ends the thread once the current request is done.
#[derive(Debug)]
pub(crate) struct Engine {
    requests: mpsc::Sender<Request>,
}

impl Engine {
    /// Queues a request; fails when the thread is gone.
    pub(crate) fn submit(&self, request: Request) -> Result<(), LocalError> {
        self.requests.send(request).map_err(|_| LocalError::EngineStopped)
    }
}
