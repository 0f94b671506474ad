//! On-disk state of rein: append-only JSONL transcripts and the SQLite session index.
//!
//! This crate is the only place that writes session state. A transcript is the source of
//! truth; the index serves listing and lookup.

mod error;
mod index;
mod migrations;
mod store;
mod transcript;

pub use error::StoreError;
pub use index::SessionSummary;
pub use store::{LoadedSession, NewSession, Store};
pub use transcript::{SessionWriter, TranscriptEntry};
