//! Where memory lives: a project folder and a user folder, each with an index, topic files,
//! a quarantine for candidates from untrusted sources, daily logs and dream reports.

use std::path::{Path, PathBuf};

/// Which memory folder.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    PartialOrd,
    Ord,
    serde::Serialize,
    serde::Deserialize,
    schemars::JsonSchema,
)]
#[serde(rename_all = "lowercase")]
pub enum Scope {
    /// `.rein/memory/` of the project: facts about this repository.
    Project,
    /// The user's memory folder: preferences that hold everywhere.
    User,
}

impl Scope {
    /// Lower-case name, as written in arguments and listings.
    pub fn as_str(self) -> &'static str {
        match self {
            Scope::Project => "project",
            Scope::User => "user",
        }
    }
}

impl std::str::FromStr for Scope {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s {
            "project" => Ok(Scope::Project),
            "user" => Ok(Scope::User),
            other => Err(format!("unknown memory scope `{other}`: use project or user")),
        }
    }
}

/// The index file's name.
pub const INDEX_FILE: &str = "MEMORY.md";
/// Candidates from untrusted sources, waiting for the user.
pub const QUARANTINE_DIR: &str = "quarantine";
/// Daily logs: `logs/YYYY/MM/DD.md`.
pub const LOGS_DIR: &str = "logs";
/// Dream reports.
pub const DREAMS_DIR: &str = "dreams";
/// The lock a running dream holds.
pub const DREAM_LOCK: &str = ".dream.lock";

/// One memory folder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MemoryDir {
    /// Which one.
    pub scope: Scope,
    /// Its path (it may not exist yet).
    pub root: PathBuf,
}

impl MemoryDir {
    /// The project memory folder of `project_root`.
    pub fn project(project_root: &Path) -> Self {
        Self { scope: Scope::Project, root: project_root.join(".rein").join("memory") }
    }

    /// The user memory folder inside rein's config folder.
    pub fn user(config_dir: &Path) -> Self {
        Self { scope: Scope::User, root: config_dir.join("memory") }
    }

    /// The index file.
    pub fn index_path(&self) -> PathBuf {
        self.root.join(INDEX_FILE)
    }

    /// The file of topic `name`.
    pub fn topic_path(&self, name: &str) -> PathBuf {
        self.root.join(format!("{name}.md"))
    }

    /// The file of quarantined candidate `name`.
    pub fn quarantine_path(&self, name: &str) -> PathBuf {
        self.root.join(QUARANTINE_DIR).join(format!("{name}.md"))
    }

    /// The key of this folder in the history database: its canonical path, the same before
    /// and after the folder is created (the nearest existing ancestor is canonicalised).
    pub fn history_key(&self) -> String {
        let mut missing = Vec::new();
        let mut base = self.root.as_path();
        let canonical = loop {
            if let Ok(path) = std::fs::canonicalize(base) {
                break path;
            }
            match (base.parent(), base.file_name()) {
                (Some(parent), Some(name)) => {
                    missing.push(name.to_os_string());
                    base = parent;
                }
                _ => break self.root.clone(),
            }
        };
        let mut key = canonical;
        key.extend(missing.iter().rev());
        key.to_string_lossy().into_owned()
    }
}
