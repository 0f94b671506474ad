//! Every change to a memory folder becomes a revision in the history database: who made it,
//! why, from what, and each file before and after. Edits the user made outside rein are
//! noticed (the files differ from their last recorded content) and recorded as the user's.

use crate::dirs::MemoryDir;
use crate::error::MemoryError;
use rein_store::{MemoryChange, NewRevision, Revision, RevisionSummary, Store, content_hash};
use std::collections::BTreeSet;

static SYNCING: std::sync::Mutex<()> = std::sync::Mutex::new(());

/// Who changes memory, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Author {
    /// `agent`, `dream`, `user` or `rein`.
    pub kind: &'static str,
    /// Why, in a line.
    pub reason: String,
    /// The session making the change.
    pub session: Option<String>,
    /// Where the content came from.
    pub provenance: String,
}

impl Author {
    /// The user, by a command of theirs.
    pub fn user(reason: impl Into<String>) -> Self {
        Self { kind: "user", reason: reason.into(), session: None, provenance: String::new() }
    }
}

/// A folder together with the history that records its changes (none in a dream's
/// staging copy, whose changes are recorded when they are applied).
#[derive(Debug, Clone, Copy)]
pub struct Versioned<'a> {
    /// The folder.
    pub dir: &'a MemoryDir,
    /// The history, if changes are recorded.
    pub store: Option<&'a Store>,
}

impl Versioned<'_> {
    /// Records edits made to the folder outside rein since its last recorded revision, as
    /// one revision by the user. Returns its number, if there were any.
    pub fn sync(&self) -> Result<Option<i64>, MemoryError> {
        let Some(store) = self.store else { return Ok(None) };
        // One sync at a time in this process (a session syncs in the background while its
        // memory tool may sync before a write), so an edit is recorded once.
        let _one = SYNCING.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        if !self.dir.root.exists() {
            return Ok(None);
        }
        let key = self.dir.history_key();
        let recorded = store.memory_recorded_hashes(&key)?;
        let on_disk = self.dir.versioned_files()?;
        let paths: BTreeSet<&String> = recorded.keys().chain(on_disk.keys()).collect();
        let mut changes = Vec::new();
        for path in paths {
            let disk = on_disk.get(path);
            let known = recorded.get(path).cloned().flatten();
            if disk.map(|text| content_hash(text)) == known {
                continue;
            }
            let before = match &known {
                Some(hash) => store.memory_blob(hash)?,
                None => None,
            };
            changes.push(MemoryChange { path: path.clone(), before, after: disk.cloned() });
        }
        if changes.is_empty() {
            return Ok(None);
        }
        let reason = if recorded.is_empty() {
            "memory found on disk (first seen by rein)"
        } else {
            "edited outside rein"
        };
        let id = store.record_memory_revision(&NewRevision {
            root: &key,
            author: "user",
            reason,
            session_id: None,
            provenance: "files on disk",
            changes: &changes,
        })?;
        Ok(Some(id))
    }

    /// Writes (`Some`) or deletes (`None`) files and records the change as one revision.
    /// Edits the user made before are recorded first, as theirs. Returns the revision
    /// number, or `None` when nothing changed (or nothing is recorded).
    pub fn commit(
        &self,
        author: &Author,
        edits: &[(String, Option<String>)],
    ) -> Result<Option<i64>, MemoryError> {
        self.sync()?;
        let mut changes = Vec::new();
        for (rel, after) in edits {
            let before = self.dir.read(rel)?;
            if before == *after {
                continue;
            }
            self.dir.put(rel, after.as_deref())?;
            changes.push(MemoryChange { path: rel.clone(), before, after: after.clone() });
        }
        let Some(store) = self.store.filter(|_| !changes.is_empty()) else { return Ok(None) };
        let key = self.dir.history_key();
        let id = store.record_memory_revision(&NewRevision {
            root: &key,
            author: author.kind,
            reason: &author.reason,
            session_id: author.session.as_deref(),
            provenance: &author.provenance,
            changes: &changes,
        })?;
        Ok(Some(id))
    }

    /// Revisions, newest first.
    pub fn log(&self, limit: usize) -> Result<Vec<RevisionSummary>, MemoryError> {
        let store = self.require_store()?;
        self.sync()?;
        Ok(store.memory_log(&self.dir.history_key(), limit)?)
    }

    /// One revision with contents.
    pub fn revision(&self, id: i64) -> Result<Revision, MemoryError> {
        let store = self.require_store()?;
        Ok(store.memory_revision(&self.dir.history_key(), id)?)
    }

    /// Undoes revision `id`: every file it changed goes back to its content before it. The
    /// undo is itself a revision, so it can be undone too. Returns the new revision and the
    /// files that had changed again since `id` (their later content is in the history).
    pub fn revert(&self, id: i64) -> Result<(Option<i64>, Vec<String>), MemoryError> {
        let revision = self.revision(id)?;
        self.sync()?;
        let mut changed_since = Vec::new();
        let mut edits = Vec::new();
        for change in &revision.changes {
            if self.dir.read(&change.path)? != change.after {
                changed_since.push(change.path.clone());
            }
            edits.push((change.path.clone(), change.before.clone()));
        }
        let author = Author {
            kind: "user",
            reason: format!("revert of revision {id} ({})", revision.summary.reason),
            session: None,
            provenance: format!("revision {id}"),
        };
        Ok((self.commit(&author, &edits)?, changed_since))
    }

    fn require_store(&self) -> Result<&Store, MemoryError> {
        self.store.ok_or_else(|| MemoryError::Invalid("this memory folder keeps no history".into()))
    }
}

/// A unified diff of one change, with `a/` and `b/` paths.
pub fn render_diff(change: &MemoryChange) -> String {
    let before = change.before.as_deref().unwrap_or_default();
    let after = change.after.as_deref().unwrap_or_default();
    let old =
        if change.before.is_some() { format!("a/{}", change.path) } else { "/dev/null".into() };
    let new =
        if change.after.is_some() { format!("b/{}", change.path) } else { "/dev/null".into() };
    similar::TextDiff::from_lines(before, after)
        .unified_diff()
        .context_radius(3)
        .header(&old, &new)
        .to_string()
}

#[cfg(test)]
#[path = "history_tests.rs"]
mod tests;
