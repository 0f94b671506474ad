//! The session store: where transcripts live and how sessions are found again.

use crate::error::StoreError;
use crate::index::{self, Progress, SessionSummary};
use crate::migrations;
use crate::transcript::{self, SessionWriter, TranscriptEntry};
use rein_protocol::{Message, Usage};
use rusqlite::Connection;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

/// What a new session records at creation.
#[derive(Debug, Clone)]
pub struct NewSession<'a> {
    /// Working directory.
    pub cwd: &'a str,
    /// Model.
    pub model: &'a str,
    /// Provider name.
    pub provider: &'a str,
    /// rein version.
    pub version: &'a str,
}

/// A session read back from its transcript.
#[derive(Debug, Clone)]
pub struct LoadedSession {
    /// Its index row.
    pub summary: SessionSummary,
    /// Conversation in order.
    pub messages: Vec<Message>,
    /// Token use over its whole life.
    pub usage: Usage,
    /// Dollars over its whole life.
    pub cost_usd: f64,
    /// Model calls over its whole life.
    pub turns: u64,
    /// Lines that could not be parsed (a torn last line after a crash, for instance).
    pub skipped_lines: usize,
    /// Content from outside (web pages, unknown command output) entered the conversation at
    /// some point; a `Note` of kind [`UNTRUSTED_NOTE`] in the transcript records that.
    pub untrusted: bool,
}

/// The transcript note kind that marks the moment content from outside entered a session.
pub const UNTRUSTED_NOTE: &str = "untrusted_content";

/// Sessions on disk: `<data_dir>/sessions/<id>.jsonl` plus `<data_dir>/rein.db`.
#[derive(Debug)]
pub struct Store {
    sessions_dir: PathBuf,
    db_path: PathBuf,
    conn: Mutex<Connection>,
}

fn now() -> String {
    chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
}

impl Store {
    /// Opens (creating if needed) the store under `data_dir`.
    pub fn open(data_dir: &Path) -> Result<Self, StoreError> {
        let sessions_dir = data_dir.join("sessions");
        std::fs::create_dir_all(&sessions_dir)
            .map_err(|e| StoreError::io("creating", &sessions_dir, e))?;
        let db_path = data_dir.join("rein.db");
        let sql = |source| StoreError::Sqlite { path: db_path.clone(), source };
        let mut conn = Connection::open(&db_path).map_err(sql)?;
        // WAL lets a listing run while a session writes; NORMAL sync is durable enough for an
        // index that can be rebuilt from transcripts.
        conn.pragma_update(None, "journal_mode", "WAL").map_err(sql)?;
        conn.pragma_update(None, "synchronous", "NORMAL").map_err(sql)?;
        conn.busy_timeout(std::time::Duration::from_secs(5)).map_err(sql)?;
        migrations::migrate(&mut conn).map_err(sql)?;
        Ok(Self { sessions_dir, db_path, conn: Mutex::new(conn) })
    }

    pub(crate) fn with_conn<T>(
        &self,
        f: impl FnOnce(&Connection) -> rusqlite::Result<T>,
    ) -> Result<T, StoreError> {
        // A poisoned lock only means another thread panicked mid-query; SQLite itself is
        // still consistent, so keep going.
        let conn = self.conn.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        f(&conn).map_err(|source| StoreError::Sqlite { path: self.db_path.clone(), source })
    }

    pub(crate) fn with_conn_mut<T>(
        &self,
        f: impl FnOnce(&mut Connection) -> rusqlite::Result<T>,
    ) -> Result<T, StoreError> {
        let mut conn = self.conn.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        f(&mut conn).map_err(|source| StoreError::Sqlite { path: self.db_path.clone(), source })
    }

    /// Creates a session: writes its header line and its index row.
    pub fn create(&self, new: &NewSession<'_>) -> Result<(String, SessionWriter), StoreError> {
        let id = uuid::Uuid::now_v7().to_string();
        let path = self.sessions_dir.join(format!("{id}.jsonl"));
        let created_at = now();
        let mut writer = SessionWriter::open(&path)?;
        writer.append(&TranscriptEntry::Session {
            id: id.clone(),
            created_at: created_at.clone(),
            cwd: new.cwd.to_string(),
            model: new.model.to_string(),
            provider: new.provider.to_string(),
            version: new.version.to_string(),
        })?;
        let summary = SessionSummary {
            id: id.clone(),
            cwd: new.cwd.to_string(),
            model: new.model.to_string(),
            provider: new.provider.to_string(),
            title: String::new(),
            created_at: created_at.clone(),
            updated_at: created_at,
            turns: 0,
            usage: Usage::default(),
            cost_usd: 0.0,
            transcript: path.to_string_lossy().into_owned(),
        };
        self.with_conn(|c| index::insert(c, &summary))?;
        Ok((id, writer))
    }

    /// A folder for a session's side files (large tool outputs and the like), next to its
    /// transcript. Not created here.
    pub fn session_dir(&self, id: &str) -> PathBuf {
        self.sessions_dir.join(id)
    }

    /// Every readable entry of a session's transcript, in order.
    pub fn entries(&self, summary: &SessionSummary) -> Result<Vec<TranscriptEntry>, StoreError> {
        Ok(transcript::read(Path::new(&summary.transcript))?.entries)
    }

    /// Opens an existing session's transcript for appending.
    pub fn append_to(&self, summary: &SessionSummary) -> Result<SessionWriter, StoreError> {
        SessionWriter::open(Path::new(&summary.transcript))
    }

    /// Records a session's progress in the index.
    pub fn record_progress(
        &self,
        id: &str,
        model: &str,
        title: &str,
        turns: u64,
        usage: Usage,
        cost_usd: f64,
    ) -> Result<(), StoreError> {
        let updated_at = now();
        let progress = Progress { model, title, updated_at: &updated_at, turns, usage, cost_usd };
        self.with_conn(|c| index::update(c, id, &progress))
    }

    /// Most recent sessions first.
    pub fn list(&self, limit: usize) -> Result<Vec<SessionSummary>, StoreError> {
        self.with_conn(|c| index::list(c, limit))
    }

    /// The most recently active session in `cwd`.
    pub fn latest_in(&self, cwd: &str) -> Result<Option<SessionSummary>, StoreError> {
        self.with_conn(|c| index::latest_in(c, cwd))
    }

    /// Sessions that ran in `dir` or below it and were active after `since` (RFC 3339),
    /// newest first.
    pub fn sessions_under(
        &self,
        dir: &str,
        since: Option<&str>,
    ) -> Result<Vec<SessionSummary>, StoreError> {
        self.with_conn(|c| index::under(c, dir, since.unwrap_or("")))
    }

    /// Finds a session by full id or unique prefix.
    pub fn find(&self, id_or_prefix: &str) -> Result<SessionSummary, StoreError> {
        let mut matches = self.with_conn(|c| index::by_prefix(c, id_or_prefix))?;
        if let Some(exact) = matches.iter().position(|s| s.id == id_or_prefix) {
            return Ok(matches.swap_remove(exact));
        }
        match matches.len() {
            0 => Err(StoreError::NotFound(id_or_prefix.to_string())),
            1 => Ok(matches.remove(0)),
            _ => Err(StoreError::Ambiguous {
                prefix: id_or_prefix.to_string(),
                candidates: matches.iter().map(|s| s.id.as_str()).collect::<Vec<_>>().join(", "),
            }),
        }
    }

    /// Reads a session back from its transcript.
    pub fn load(&self, summary: SessionSummary) -> Result<LoadedSession, StoreError> {
        let path = PathBuf::from(&summary.transcript);
        let read = transcript::read(&path)?;
        if !matches!(read.entries.first(), Some(TranscriptEntry::Session { .. })) {
            return Err(StoreError::NoHeader(path));
        }
        let mut messages = Vec::new();
        let mut usage = Usage::default();
        let mut cost_usd = 0.0;
        let mut turns = 0;
        let mut untrusted = false;
        for entry in read.entries {
            match entry {
                TranscriptEntry::Message { message, .. } => messages.push(message),
                TranscriptEntry::Compaction { messages: start, .. } => messages = start,
                TranscriptEntry::Usage { usage: u, cost_usd: c, .. } => {
                    usage += u;
                    cost_usd += c;
                    turns += 1;
                }
                TranscriptEntry::Note { kind, .. } if kind == UNTRUSTED_NOTE => untrusted = true,
                TranscriptEntry::Session { .. } | TranscriptEntry::Note { .. } => {}
            }
        }
        Ok(LoadedSession {
            summary,
            messages,
            usage,
            cost_usd,
            turns,
            skipped_lines: read.skipped_lines,
            untrusted,
        })
    }
}

#[cfg(test)]
#[path = "store_tests.rs"]
mod tests;
