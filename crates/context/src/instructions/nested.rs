//! Instruction files of subdirectories, loaded the first time the agent works there.

use super::{DIRECTORY_FILES, InstructionFile, InstructionOrigin, Loader, chain};
use std::collections::HashSet;
use std::path::{Path, PathBuf};

/// Tracks which directories below the working directory have had their instruction files
/// handed out.
#[derive(Debug)]
pub struct NestedInstructions {
    cwd: PathBuf,
    home: Option<PathBuf>,
    /// Directories already looked at.
    visited: HashSet<PathBuf>,
    /// Files already loaded (canonical), the up-front ones included.
    loaded: HashSet<PathBuf>,
}

impl NestedInstructions {
    /// A tracker for a session in `cwd` that already loaded `initial` files.
    pub fn new(cwd: PathBuf, home: Option<PathBuf>, initial: &[InstructionFile]) -> Self {
        let loaded = initial.iter().filter_map(|f| std::fs::canonicalize(&f.path).ok()).collect();
        Self { cwd, home, visited: HashSet::new(), loaded }
    }

    /// Instruction files that apply to `path` (a file or directory the agent touched) and were
    /// not handed out before: those of the directories between the working directory
    /// (exclusive) and `path`'s directory. Paths outside the working directory give nothing.
    pub fn for_path(&mut self, path: &Path) -> Vec<InstructionFile> {
        let dir = if path.is_dir() { path } else { path.parent().unwrap_or(path) };
        // `..` could lead the walk out of the working directory.
        let climbs = dir.components().any(|c| matches!(c, std::path::Component::ParentDir));
        if climbs || !dir.starts_with(&self.cwd) || dir == self.cwd {
            return Vec::new();
        }
        let mut loader = Loader::new(self.home.clone());
        loader.seen.extend(self.loaded.iter().cloned());
        for dir in chain(&self.cwd, dir).into_iter().skip(1) {
            if self.visited.insert(dir.clone()) && has_any(&dir) {
                loader.add_directory(&dir, InstructionOrigin::Nested);
            }
        }
        self.loaded.extend(loader.seen.iter().cloned());
        loader.finish().files
    }
}

fn has_any(dir: &Path) -> bool {
    DIRECTORY_FILES.iter().any(|name| dir.join(name).is_file())
}
