//! What a provider streams while the model answers.

use crate::message::ContentBlock;
use crate::usage::Usage;
use serde::{Deserialize, Serialize};

/// Why the model stopped.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum StopReason {
    /// The model finished its answer.
    EndTurn,
    /// The model wants tool results.
    ToolUse,
    /// The output-token limit cut the answer.
    MaxTokens,
    /// A stop sequence matched.
    StopSequence,
    /// The model declined to answer.
    Refusal,
    /// Anything else, as the provider named it.
    Other(String),
}

/// The complete answer of one model call.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ModelResponse {
    /// Blocks in order: thinking, text, tool calls.
    pub content: Vec<ContentBlock>,
    /// Why the model stopped.
    pub stop_reason: StopReason,
    /// Tokens counted by the provider.
    pub usage: Usage,
    /// The model that answered, as the provider reported it.
    pub model: String,
}

/// One increment of a streamed answer. A well-formed stream ends with exactly one
/// [`ProviderEvent::Completed`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum ProviderEvent {
    /// Answer text as it arrives.
    TextDelta {
        /// New text.
        text: String,
    },
    /// Reasoning text as it arrives.
    ThinkingDelta {
        /// New reasoning text.
        text: String,
    },
    /// The model started a tool call.
    ToolUseStarted {
        /// Call id.
        id: String,
        /// Tool name.
        name: String,
    },
    /// The assembled answer.
    Completed {
        /// The answer.
        response: ModelResponse,
    },
}
