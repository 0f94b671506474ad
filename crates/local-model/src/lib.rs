//! An embedded local model provider for rein: a GGUF model run in-process through llama.cpp.
//!
//! Small models (0.5B to 2B parameters) need help to work as agents, and this crate gives it:
//!
//! - the model's own chat template renders a compact prompt: short tool descriptions, tool
//!   results handed back as plain user messages;
//! - once the model starts a tool call, a grammar keeps it well formed, with the tool name
//!   before the arguments; a lenient parser accepts the shapes small models write anyway;
//! - greedy decoding that stops on end-of-turn tokens, the token cap, or a repetition loop;
//! - or, in the block reply format, files are changed by writing them whole in fenced code
//!   blocks and commands run from ```` ```sh ```` blocks;
//! - the KV cache survives between calls, so a follow-up turn decodes only the new tokens.
//!
//! [`LocalProvider`] implements [`rein_provider::Provider`].

#![warn(missing_docs)]

mod blocks;
mod detect;
mod engine;
mod error;
mod grammar;
mod options;
mod parse;
mod prompt;
mod provider;
mod repetition;
mod sampler;
mod schema;
mod stream;
mod template;

pub use error::LocalError;
pub use options::{LocalOptions, ReplyFormat, ToolChoice};
pub use provider::LocalProvider;
