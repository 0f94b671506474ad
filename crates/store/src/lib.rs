//! On-disk state of rein: append-only JSONL transcripts, the SQLite session index and the
//! history of memory folders.
//!
//! This crate is the only place that writes session state. A transcript is the source of
//! truth; the index serves listing and lookup.

mod error;
mod index;
mod memory_history;
mod migrations;
mod store;
mod transcript;

pub use error::StoreError;
pub use index::SessionSummary;
pub use memory_history::{
    DreamRecord, MemoryChange, NewRevision, Revision, RevisionSummary, content_hash,
};
pub use store::{LoadedSession, NewSession, Store, UNTRUSTED_NOTE};
pub use transcript::{SessionWriter, TranscriptEntry};
