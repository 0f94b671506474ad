//! A scripted fake model server for tests, benchmarks and demos.
//!
//! [`FakeModelServer`] listens on loopback and answers `POST /v1/messages` (Anthropic Messages)
//! and `POST /v1/chat/completions` (OpenAI Chat Completions), streaming or not, from one shared
//! queue of [`Reply`]s, and records every request it receives.
//!
//! Token usage is estimated from request sizes. With [`Script::with_cache`], the server also
//! emulates prompt caching (Anthropic `cache_control` breakpoints, OpenAI automatic prefix
//! caching), so a client's caching shows up as cache reads and writes in the reported usage;
//! [`FakeModelServer::advance_clock`] lets a test expire entries without waiting.
//!
//! With [`Script::with_summary_reply`], the summary requests rein sends when it compacts a
//! conversation are answered with a fixed text without taking a reply off the queue, so a long
//! scripted session stays in step whenever compaction happens.
//!
//! ```no_run
//! # async fn demo() -> anyhow::Result<()> {
//! use rein_testkit::{FakeModelServer, Reply, Script};
//! let server = FakeModelServer::start(Script::new(vec![
//!     Reply::tool_call("read_file", serde_json::json!({"path": "README.md"})),
//!     Reply::text("Done."),
//! ]))
//! .await?;
//! // Point an Anthropic client at `server.url()` or an OpenAI client at `server.openai_url()`.
//! assert_eq!(server.remaining(), 2);
//! # Ok(())
//! # }
//! ```

#![warn(missing_docs)]

mod answer;
mod anthropic;
mod cache;
mod clock;
mod handler;
mod openai;
mod prompt;
mod record;
mod response;
mod script;
mod server;
mod sse;
mod state;
mod summary;
mod turn;
mod usage;

pub use record::RecordedRequest;
pub use script::{CacheSettings, Reply, Script, ToolCall, UsageSettings};
pub use server::{FakeModelServer, ServerOptions};
pub use summary::{SUMMARY_MARKER, SUMMARY_UPDATE_MARKER};
