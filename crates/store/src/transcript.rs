//! The append-only JSONL transcript of one session.

use crate::error::StoreError;
use rein_protocol::{Message, Usage};
use serde::{Deserialize, Serialize};
use std::fs::{File, OpenOptions};
use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};

/// One line of a transcript.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum TranscriptEntry {
    /// First line: who and where.
    Session {
        /// Session id.
        id: String,
        /// Creation time (RFC 3339).
        created_at: String,
        /// Working directory.
        cwd: String,
        /// Model at creation.
        model: String,
        /// Provider at creation.
        provider: String,
        /// rein version that created it.
        version: String,
    },
    /// A message of the conversation.
    Message {
        /// Time written (RFC 3339).
        ts: String,
        /// The message.
        message: Message,
    },
    /// Token use of one model call.
    Usage {
        /// Time written.
        ts: String,
        /// Model that answered.
        model: String,
        /// Tokens.
        usage: Usage,
        /// Cost in dollars.
        cost_usd: f64,
    },
    /// The conversation was compacted: from here on it continues from `messages` (a summary
    /// and what was kept verbatim) instead of everything before. The earlier messages stay in
    /// the transcript above this line.
    Compaction {
        /// Time written.
        ts: String,
        /// `auto` or `manual`.
        reason: String,
        /// Tokens the conversation took before.
        tokens_before: u64,
        /// Messages replaced by the summary.
        messages_dropped: u64,
        /// The summary the model wrote.
        summary: String,
        /// The summary was the running summary kept in the background, not a new request.
        #[serde(default, skip_serializing_if = "std::ops::Not::not")]
        from_running_summary: bool,
        /// The conversation's new start.
        messages: Vec<Message>,
    },
    /// Something that happened to the session that is not a message (interrupts, resumes,
    /// repairs), kept for the record.
    Note {
        /// Time written.
        ts: String,
        /// Stable label.
        kind: String,
        /// Details.
        text: String,
    },
}

/// Appends entries to a transcript. Each entry is written with one `write` call straight to
/// the file (no user-space buffer), so a crash or `kill -9` loses at most the line being
/// written, and a reader skips a torn last line.
#[derive(Debug)]
pub struct SessionWriter {
    file: File,
    path: PathBuf,
}

impl SessionWriter {
    pub(crate) fn open(path: &Path) -> Result<Self, StoreError> {
        let file = OpenOptions::new()
            .create(true)
            .append(true)
            .open(path)
            .map_err(|e| StoreError::io("opening transcript", path, e))?;
        Ok(Self { file, path: path.to_path_buf() })
    }

    /// Appends one entry.
    pub fn append(&mut self, entry: &TranscriptEntry) -> Result<(), StoreError> {
        let mut line = serde_json::to_vec(entry)?;
        line.push(b'\n');
        self.file
            .write_all(&line)
            .map_err(|e| StoreError::io("appending to transcript", &self.path, e))
    }

    /// Path of the transcript file.
    pub fn path(&self) -> &Path {
        &self.path
    }
}

/// Entries read back from a transcript, plus how many lines could not be parsed.
pub(crate) struct ReadTranscript {
    pub(crate) entries: Vec<TranscriptEntry>,
    pub(crate) skipped_lines: usize,
}

pub(crate) fn read(path: &Path) -> Result<ReadTranscript, StoreError> {
    let file = File::open(path).map_err(|e| StoreError::io("opening transcript", path, e))?;
    let mut entries = Vec::new();
    let mut skipped_lines = 0;
    for line in BufReader::new(file).split(b'\n') {
        let line = line.map_err(|e| StoreError::io("reading transcript", path, e))?;
        if line.iter().all(u8::is_ascii_whitespace) {
            continue;
        }
        // A torn or hand-damaged line must not make the whole session unreadable.
        match serde_json::from_slice::<TranscriptEntry>(&line) {
            Ok(entry) => entries.push(entry),
            Err(_) => skipped_lines += 1,
        }
    }
    Ok(ReadTranscript { entries, skipped_lines })
}
