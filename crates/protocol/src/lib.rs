//! Types shared by every part of rein. No I/O lives here.
//!
//! - [`message`]: the conversation as the model sees it (messages, content blocks, tool specs).
//! - [`usage`]: token counts and costs.
//! - [`provider_event`]: what a model provider streams back while it answers.
//! - [`event`]: what a running session reports to front ends (`stream-json` output, UIs).
//! - [`markers`]: phrases that open rein's summary requests.

#![warn(missing_docs)]

pub mod event;
pub mod markers;
pub mod message;
pub mod provider_event;
pub mod usage;

pub use event::{Event, StopReason as SessionStopReason, ToolCallSummary};
pub use message::{ContentBlock, Message, ModelRequest, Role, SystemBlock, ToolSpec};
pub use provider_event::{ModelResponse, ProviderEvent, StopReason};
pub use usage::{Cost, Usage};
