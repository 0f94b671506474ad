//! What the session knows about the files it read: the basis for refusing to overwrite or edit
//! a file the model has not seen in its current form.

use std::collections::HashMap;
use std::fs::Metadata;
use std::hash::Hasher;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::SystemTime;

/// How a file looked when it was last read or written by a tool.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FileStamp {
    /// Modification time, when the platform reports one.
    pub mtime: Option<SystemTime>,
    /// Length in bytes.
    pub len: u64,
    /// Hash of the whole content; `None` when only a range of a huge file was read.
    pub hash: Option<u64>,
}

impl FileStamp {
    /// A stamp of a file whose whole content is `content`.
    pub fn of(meta: &Metadata, content: &[u8]) -> Self {
        Self { mtime: meta.modified().ok(), len: meta.len(), hash: Some(hash_bytes(content)) }
    }

    /// A stamp without a content hash (a range of a huge file was read).
    pub fn without_hash(meta: &Metadata) -> Self {
        Self { mtime: meta.modified().ok(), len: meta.len(), hash: None }
    }
}

/// Hash used for content comparison within one process.
pub(crate) fn hash_bytes(bytes: &[u8]) -> u64 {
    let mut h = std::collections::hash_map::DefaultHasher::new();
    h.write(bytes);
    h.finish()
}

/// Whether a file may be modified based on what the session saw of it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Freshness {
    /// Never read in this session.
    Unread,
    /// Read, but it has changed since.
    Changed,
    /// Read and unchanged.
    Fresh,
}

/// Stamps by canonical path. A std mutex: it is never held across an await.
#[derive(Debug, Default)]
pub(crate) struct ReadState {
    stamps: Mutex<HashMap<PathBuf, FileStamp>>,
}

impl ReadState {
    pub(crate) fn record(&self, path: PathBuf, stamp: FileStamp) {
        self.lock().insert(path, stamp);
    }

    pub(crate) fn get(&self, path: &Path) -> Option<FileStamp> {
        self.lock().get(path).copied()
    }

    /// Compares the file at `path` (now described by `meta`, with `content` loading its bytes
    /// only if needed) with the stamp taken when it was read. Equal content counts as
    /// unchanged even if the modification time moved (e.g. a formatter rewrote it unchanged).
    pub(crate) fn freshness(
        &self,
        path: &Path,
        meta: &Metadata,
        content: impl FnOnce() -> Option<u64>,
    ) -> Freshness {
        let Some(stamp) = self.get(path) else {
            return Freshness::Unread;
        };
        if stamp.len != meta.len() {
            return Freshness::Changed;
        }
        match stamp.hash {
            Some(hash) if content() == Some(hash) => Freshness::Fresh,
            Some(_) => Freshness::Changed,
            None if stamp.mtime.is_some() && stamp.mtime == meta.modified().ok() => {
                Freshness::Fresh
            }
            None => Freshness::Changed,
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<PathBuf, FileStamp>> {
        self.stamps.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}
