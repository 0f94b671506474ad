//! A dream works on a copy of the memory folder. Its changes are applied in one revision at
//! the end (or only shown, in a dry run); a file the user changed meanwhile is left as the
//! user has it.

use crate::dirs::{INDEX_FILE, MemoryDir, QUARANTINE_DIR, Scope};
use crate::error::MemoryError;
use crate::history::{Author, Versioned};
use crate::index;
use std::collections::BTreeMap;

/// The staging copy.
#[derive(Debug)]
pub struct Stage {
    _tmp: tempfile::TempDir,
    /// The copy, to hand to the dream's memory tool.
    pub dir: MemoryDir,
    snapshot: BTreeMap<String, String>,
}

/// What applying did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Applied {
    /// The revision recorded.
    pub revision: Option<i64>,
    /// Files changed by someone else during the dream, left as they are.
    pub conflicts: Vec<String>,
}

impl Stage {
    /// Copies the index and memories of `source` (not its quarantine, logs or reports).
    pub fn create(source: &MemoryDir) -> Result<Self, MemoryError> {
        let tmp = tempfile::Builder::new()
            .prefix("rein-dream-")
            .tempdir()
            .map_err(|e| MemoryError::io("creating", &std::env::temp_dir(), e))?;
        let dir = MemoryDir { scope: Scope::Project, root: tmp.path().join("memory") };
        let mut snapshot = source.versioned_files()?;
        snapshot.retain(|rel, _| !rel.starts_with(&format!("{QUARANTINE_DIR}/")));
        for (rel, text) in &snapshot {
            dir.put(rel, Some(text))?;
        }
        std::fs::create_dir_all(&dir.root)
            .map_err(|e| MemoryError::io("creating", &dir.root, e))?;
        Ok(Self { _tmp: tmp, dir, snapshot })
    }

    /// The content of a file before the dream.
    pub fn before(&self, rel: &str) -> Option<&str> {
        self.snapshot.get(rel).map(String::as_str)
    }

    /// Removes index lines that point at memories which no longer exist. Returns how many.
    pub fn drop_dangling_index_lines(&self) -> Result<usize, MemoryError> {
        let text = self.dir.index_text()?;
        let mut updated = text.clone();
        let mut dropped = 0;
        for name in index::linked_names(&text) {
            if !self.dir.topic_path(&name).exists() {
                updated = index::remove(&updated, &name);
                dropped += 1;
            }
        }
        if dropped > 0 {
            self.dir.put(INDEX_FILE, Some(&updated))?;
        }
        Ok(dropped)
    }

    /// The changes the dream made: (path, new content or `None` for deleted).
    pub fn edits(&self) -> Result<Vec<(String, Option<String>)>, MemoryError> {
        let staged = self.dir.versioned_files()?;
        let mut edits = Vec::new();
        for (rel, before) in &self.snapshot {
            match staged.get(rel) {
                Some(after) if after == before => {}
                Some(after) => edits.push((rel.clone(), Some(after.clone()))),
                None => edits.push((rel.clone(), None)),
            }
        }
        for (rel, after) in staged {
            if !self.snapshot.contains_key(&rel) {
                edits.push((rel, Some(after)));
            }
        }
        edits.sort();
        Ok(edits)
    }

    /// Applies the changes to `target` in one revision, skipping files that changed there
    /// since the copy was made.
    pub fn apply(&self, target: Versioned<'_>, author: &Author) -> Result<Applied, MemoryError> {
        let mut applied = Applied::default();
        let mut edits = Vec::new();
        for (rel, after) in self.edits()? {
            let now = target.dir.read(&rel)?;
            if now.as_deref() != self.before(&rel) {
                applied.conflicts.push(rel);
                continue;
            }
            edits.push((rel, after));
        }
        applied.revision = target.commit(author, &edits)?;
        Ok(applied)
    }
}
