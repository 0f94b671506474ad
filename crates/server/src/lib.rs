//! An OpenAI-compatible Chat Completions server over any rein [`Provider`], used by
//! `rein model serve` to offer the embedded local model to editors and other agents.
//!
//! Incoming requests are translated into rein's [`ModelRequest`](rein_protocol::ModelRequest),
//! answered by the provider, and the provider's events are sent back as OpenAI objects:
//! a whole `chat.completion`, or `chat.completion.chunk` server-sent events ending in
//! `data: [DONE]`. See [`OpenAiServer`].
//!
//! [`Provider`]: rein_provider::Provider

#![warn(missing_docs)]

mod auth;
mod chunks;
mod error;
mod handlers;
mod request;
mod response;
mod server;
mod state;
mod stream_body;
mod translate;
mod wire;

pub use server::OpenAiServer;
