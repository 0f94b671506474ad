//! The history of memory folders: every change to a memory file is a revision that keeps
//! the content before and after, so any revision can be shown, diffed and reverted. Contents
//! are stored once per distinct text (by SHA-256).

use crate::error::StoreError;
use crate::store::Store;
use rusqlite::{Connection, OptionalExtension, params};
use serde::Serialize;
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;

/// One file's change in a revision. Paths are relative to the memory folder, `/`-separated.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MemoryChange {
    /// File path inside the memory folder.
    pub path: String,
    /// Content before; `None` when the revision created the file.
    pub before: Option<String>,
    /// Content after; `None` when the revision deleted the file.
    pub after: Option<String>,
}

/// A revision about to be recorded.
#[derive(Debug, Clone)]
pub struct NewRevision<'a> {
    /// The memory folder (canonical path).
    pub root: &'a str,
    /// Who made it: `agent`, `dream`, `user` or `rein`.
    pub author: &'a str,
    /// Why, in a line.
    pub reason: &'a str,
    /// The session that made it, if any.
    pub session_id: Option<&'a str>,
    /// Where the content came from (free text, e.g. `session 0193…, web_fetch`).
    pub provenance: &'a str,
    /// The files it changed.
    pub changes: &'a [MemoryChange],
}

/// A recorded revision, without file contents.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RevisionSummary {
    /// Revision number, increasing.
    pub id: i64,
    /// When (RFC 3339).
    pub created_at: String,
    /// Who.
    pub author: String,
    /// Why.
    pub reason: String,
    /// The session that made it.
    pub session_id: Option<String>,
    /// Where the content came from.
    pub provenance: String,
    /// The files it changed.
    pub paths: Vec<String>,
}

/// A recorded revision with its file contents.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Revision {
    /// Its metadata.
    pub summary: RevisionSummary,
    /// Before and after of each file.
    pub changes: Vec<MemoryChange>,
}

/// A dream as recorded when it ended.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DreamRecord {
    /// When it started (RFC 3339).
    pub started_at: String,
    /// When it ended (RFC 3339).
    pub finished_at: String,
    /// `applied`, `unchanged`, `dry-run` or `failed`.
    pub status: String,
    /// The revision it made, if it changed anything.
    pub revision_id: Option<i64>,
    /// Path of its report.
    pub report: String,
    /// Tokens it used.
    pub tokens: u64,
}

/// The hash under which `content` is stored (hex SHA-256).
pub fn content_hash(content: &str) -> String {
    let digest = Sha256::digest(content.as_bytes());
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

fn put_blob(conn: &Connection, content: Option<&str>) -> rusqlite::Result<Option<String>> {
    let Some(content) = content else { return Ok(None) };
    let hash = content_hash(content);
    conn.execute(
        "INSERT OR IGNORE INTO memory_blobs (hash, content) VALUES (?1, ?2)",
        params![hash, content],
    )?;
    Ok(Some(hash))
}

fn get_blob(conn: &Connection, hash: Option<String>) -> rusqlite::Result<Option<String>> {
    let Some(hash) = hash else { return Ok(None) };
    conn.query_row("SELECT content FROM memory_blobs WHERE hash = ?1", [hash], |row| row.get(0))
        .optional()
}

fn now() -> String {
    chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
}

fn summaries(
    conn: &Connection,
    root: &str,
    where_id: Option<i64>,
    limit: usize,
) -> rusqlite::Result<Vec<RevisionSummary>> {
    let mut stmt = conn.prepare(
        "SELECT id, created_at, author, reason, session_id, provenance FROM memory_revisions
         WHERE root = ?1 AND (?2 IS NULL OR id = ?2) ORDER BY id DESC LIMIT ?3",
    )?;
    let limit = i64::try_from(limit).unwrap_or(i64::MAX);
    let rows = stmt.query_map(params![root, where_id, limit], |row| {
        Ok(RevisionSummary {
            id: row.get(0)?,
            created_at: row.get(1)?,
            author: row.get(2)?,
            reason: row.get(3)?,
            session_id: row.get(4)?,
            provenance: row.get(5)?,
            paths: Vec::new(),
        })
    })?;
    let mut list = rows.collect::<rusqlite::Result<Vec<_>>>()?;
    let mut paths =
        conn.prepare("SELECT path FROM memory_changes WHERE revision_id = ?1 ORDER BY path")?;
    for summary in &mut list {
        summary.paths =
            paths.query_map([summary.id], |row| row.get(0))?.collect::<rusqlite::Result<_>>()?;
    }
    Ok(list)
}

impl Store {
    /// Records a revision of a memory folder in one transaction; returns its number.
    pub fn record_memory_revision(&self, new: &NewRevision<'_>) -> Result<i64, StoreError> {
        self.with_conn_mut(|conn| {
            let tx = conn.transaction()?;
            tx.execute(
                "INSERT INTO memory_revisions (root, created_at, author, reason, session_id, provenance)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                params![new.root, now(), new.author, new.reason, new.session_id, new.provenance],
            )?;
            let id = tx.last_insert_rowid();
            for change in new.changes {
                let before = put_blob(&tx, change.before.as_deref())?;
                let after = put_blob(&tx, change.after.as_deref())?;
                tx.execute(
                    "INSERT OR REPLACE INTO memory_changes (revision_id, path, before_hash, after_hash)
                     VALUES (?1, ?2, ?3, ?4)",
                    params![id, change.path, before, after],
                )?;
            }
            tx.commit()?;
            Ok(id)
        })
    }

    /// Revisions of a memory folder, newest first.
    pub fn memory_log(&self, root: &str, limit: usize) -> Result<Vec<RevisionSummary>, StoreError> {
        self.with_conn(|conn| summaries(conn, root, None, limit))
    }

    /// One revision of a memory folder, with contents.
    pub fn memory_revision(&self, root: &str, id: i64) -> Result<Revision, StoreError> {
        let found = self.with_conn(|conn| {
            let Some(summary) = summaries(conn, root, Some(id), 1)?.pop() else {
                return Ok(None);
            };
            let mut stmt = conn.prepare(
                "SELECT path, before_hash, after_hash FROM memory_changes
                 WHERE revision_id = ?1 ORDER BY path",
            )?;
            let hashes = stmt
                .query_map([id], |row| {
                    Ok((
                        row.get::<_, String>(0)?,
                        row.get::<_, Option<String>>(1)?,
                        row.get::<_, Option<String>>(2)?,
                    ))
                })?
                .collect::<rusqlite::Result<Vec<_>>>()?;
            let mut changes = Vec::with_capacity(hashes.len());
            for (path, before, after) in hashes {
                changes.push(MemoryChange {
                    path,
                    before: get_blob(conn, before)?,
                    after: get_blob(conn, after)?,
                });
            }
            Ok(Some(Revision { summary, changes }))
        })?;
        found.ok_or_else(|| StoreError::NoRevision(id))
    }

    /// The content hash each file of a memory folder had after its latest recorded change
    /// (`None`: deleted). Files never recorded are absent.
    pub fn memory_recorded_hashes(
        &self,
        root: &str,
    ) -> Result<BTreeMap<String, Option<String>>, StoreError> {
        self.with_conn(|conn| {
            // In revision order, so the last change of each path wins.
            let mut stmt = conn.prepare(
                "SELECT c.path, c.after_hash FROM memory_changes c
                 JOIN memory_revisions r ON r.id = c.revision_id
                 WHERE r.root = ?1 ORDER BY c.revision_id",
            )?;
            let rows = stmt.query_map([root], |row| Ok((row.get(0)?, row.get(1)?)))?;
            let mut latest = BTreeMap::new();
            for row in rows {
                let (path, hash): (String, Option<String>) = row?;
                latest.insert(path, hash);
            }
            Ok(latest)
        })
    }

    /// The stored content with hash `hash`.
    pub fn memory_blob(&self, hash: &str) -> Result<Option<String>, StoreError> {
        self.with_conn(|conn| get_blob(conn, Some(hash.to_string())))
    }

    /// Records a finished dream.
    pub fn record_dream(&self, root: &str, dream: &DreamRecord) -> Result<(), StoreError> {
        self.with_conn(|conn| {
            conn.execute(
                "INSERT INTO memory_dreams (root, started_at, finished_at, status, revision_id, report, tokens)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                params![
                    root,
                    dream.started_at,
                    dream.finished_at,
                    dream.status,
                    dream.revision_id,
                    dream.report,
                    dream.tokens
                ],
            )?;
            Ok(())
        })
    }

    /// The last dream of a memory folder that ran for real (not a dry run, not failed).
    pub fn last_dream(&self, root: &str) -> Result<Option<DreamRecord>, StoreError> {
        self.with_conn(|conn| {
            conn.query_row(
                "SELECT started_at, finished_at, status, revision_id, report, tokens
                 FROM memory_dreams WHERE root = ?1 AND status IN ('applied', 'unchanged')
                 ORDER BY finished_at DESC LIMIT 1",
                [root],
                |row| {
                    Ok(DreamRecord {
                        started_at: row.get(0)?,
                        finished_at: row.get(1)?,
                        status: row.get(2)?,
                        revision_id: row.get(3)?,
                        report: row.get(4)?,
                        tokens: row.get(5)?,
                    })
                },
            )
            .optional()
        })
    }
}

#[cfg(test)]
#[path = "memory_history_tests.rs"]
mod tests;
