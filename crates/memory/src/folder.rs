//! Reading and writing the files of one memory folder.

use crate::dirs::{INDEX_FILE, MemoryDir, QUARANTINE_DIR};
use crate::error::MemoryError;
use crate::topic::Topic;
use std::collections::BTreeMap;
use std::path::Path;

/// A topic as found on disk.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FoundTopic {
    /// The parsed file.
    pub topic: Topic,
    /// Its size in bytes.
    pub bytes: usize,
}

/// The topics of a folder, and the files that could not be read as topics.
#[derive(Debug, Clone, Default)]
pub struct TopicList {
    /// Topics sorted by name.
    pub topics: Vec<FoundTopic>,
    /// One line per unreadable file.
    pub warnings: Vec<String>,
}

/// Most topic files read from one folder; a folder past this is the dream's to prune.
pub const MAX_TOPIC_FILES: usize = 500;

impl MemoryDir {
    /// The content of `rel`, or `None` when it does not exist.
    pub fn read(&self, rel: &str) -> Result<Option<String>, MemoryError> {
        read_optional(&self.root.join(rel))
    }

    /// The index's text ("" when there is none).
    pub fn index_text(&self) -> Result<String, MemoryError> {
        Ok(self.read(INDEX_FILE)?.unwrap_or_default())
    }

    /// Every versioned file by relative path: the index, topics and quarantined candidates.
    /// Logs are append-only and dream reports are records, so neither is versioned.
    pub fn versioned_files(&self) -> Result<BTreeMap<String, String>, MemoryError> {
        let mut files = BTreeMap::new();
        for (prefix, dir) in
            [("", self.root.clone()), (QUARANTINE_DIR, self.root.join(QUARANTINE_DIR))]
        {
            for name in md_files(&dir)? {
                let rel = if prefix.is_empty() { name.clone() } else { format!("{prefix}/{name}") };
                if let Some(text) = read_optional(&dir.join(&name))? {
                    files.insert(rel, text);
                }
            }
        }
        Ok(files)
    }

    /// The topic files of the folder (quarantine excluded).
    pub fn topics(&self) -> Result<TopicList, MemoryError> {
        self.topics_in(&self.root)
    }

    /// The candidates waiting in quarantine.
    pub fn quarantined(&self) -> Result<TopicList, MemoryError> {
        self.topics_in(&self.root.join(QUARANTINE_DIR))
    }

    fn topics_in(&self, dir: &Path) -> Result<TopicList, MemoryError> {
        let mut list = TopicList::default();
        let mut names = md_files(dir)?;
        names.retain(|n| n != INDEX_FILE);
        if names.len() > MAX_TOPIC_FILES {
            list.warnings.push(format!(
                "{} holds {} memory files; only the first {MAX_TOPIC_FILES} are read (run `rein dream`)",
                dir.display(),
                names.len()
            ));
            names.truncate(MAX_TOPIC_FILES);
        }
        for name in names {
            let stem = name.trim_end_matches(".md");
            let path = dir.join(&name);
            let Some(text) = read_optional(&path)? else { continue };
            match Topic::parse(stem, &text) {
                Ok(topic) => list.topics.push(FoundTopic { topic, bytes: text.len() }),
                Err(message) => list.warnings.push(format!("{}: {message}", path.display())),
            }
        }
        Ok(list)
    }

    /// Writes (`Some`) or deletes (`None`) `rel`, creating folders as needed.
    pub(crate) fn put(&self, rel: &str, content: Option<&str>) -> Result<(), MemoryError> {
        let path = self.root.join(rel);
        match content {
            Some(text) => {
                if let Some(parent) = path.parent() {
                    std::fs::create_dir_all(parent)
                        .map_err(|e| MemoryError::io("creating", parent, e))?;
                }
                rein_tools::write_atomic(&path, text.as_bytes(), None)
                    .map_err(|e| MemoryError::io("writing", &path, e))
            }
            None => match std::fs::remove_file(&path) {
                Ok(()) => Ok(()),
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
                Err(e) => Err(MemoryError::io("deleting", &path, e)),
            },
        }
    }
}

/// Names of the `.md` files directly in `dir`, sorted; none when `dir` does not exist.
fn md_files(dir: &Path) -> Result<Vec<String>, MemoryError> {
    let entries = match std::fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(MemoryError::io("listing", dir, e)),
    };
    let mut names: Vec<String> = entries
        .filter_map(Result::ok)
        .filter(|entry| entry.file_type().is_ok_and(|t| t.is_file()))
        .filter_map(|entry| entry.file_name().into_string().ok())
        .filter(|name| name.ends_with(".md") && !name.starts_with('.'))
        .collect();
    names.sort();
    Ok(names)
}

pub(crate) fn read_optional(path: &Path) -> Result<Option<String>, MemoryError> {
    match std::fs::read(path) {
        Ok(bytes) => Ok(Some(String::from_utf8_lossy(&bytes).into_owned())),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(MemoryError::io("reading", path, e)),
    }
}
