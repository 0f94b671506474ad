//! Where extension files are looked for, lowest precedence first.

use std::path::{Path, PathBuf};

/// The folders an extension kind is read from.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ExtensionSources {
    /// The user's home (for `~/.claude/<kind>/`).
    pub home: Option<PathBuf>,
    /// rein's user config folder (for `<config_dir>/<kind>/`).
    pub config_dir: Option<PathBuf>,
    /// The project root (for `.claude/<kind>/` and `.rein/<kind>/`).
    pub project_root: PathBuf,
}

/// One definition file found, with where it came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Found<T> {
    /// The definition.
    pub item: T,
    /// Its file.
    pub path: PathBuf,
    /// Whether it belongs to the project (rather than the user).
    pub project: bool,
}

impl ExtensionSources {
    /// The folders of `kind` (`agents`, `commands`, `skills`), lowest precedence first: a
    /// project's definition replaces the user's of the same name, and rein's own folder
    /// replaces Claude Code's.
    pub fn dirs(&self, kind: &str) -> Vec<(PathBuf, bool)> {
        let mut dirs = Vec::new();
        if let Some(home) = &self.home {
            dirs.push((home.join(".claude").join(kind), false));
        }
        if let Some(config_dir) = &self.config_dir {
            dirs.push((config_dir.join(kind), false));
        }
        dirs.push((self.project_root.join(".claude").join(kind), true));
        dirs.push((self.project_root.join(".rein").join(kind), true));
        // Working in the home folder makes the user's folder the project's too.
        let mut seen = std::collections::HashSet::new();
        dirs.retain(|(dir, _)| seen.insert(dir.clone()));
        dirs
    }
}

/// The `.md` files directly in `dir` and in its subfolders (for namespaced commands), sorted,
/// each with its path relative to `dir`. A missing folder has none.
pub(crate) fn markdown_files(dir: &Path, depth: usize) -> Vec<(PathBuf, PathBuf)> {
    let mut found = Vec::new();
    collect(dir, dir, depth, &mut found);
    found.sort();
    found
}

fn collect(root: &Path, dir: &Path, depth: usize, found: &mut Vec<(PathBuf, PathBuf)>) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    for entry in entries.flatten() {
        let path = entry.path();
        let Ok(kind) = entry.file_type() else { continue };
        if kind.is_dir() && depth > 0 {
            collect(root, &path, depth - 1, found);
        } else if path.extension().is_some_and(|ext| ext == "md")
            && let Ok(relative) = path.strip_prefix(root)
        {
            found.push((relative.to_path_buf(), path.clone()));
        }
    }
}

/// Reads a definition file, refusing ones too large to be definitions.
pub(crate) fn read_definition(path: &Path) -> Result<String, String> {
    const MAX_BYTES: u64 = 256 * 1024;
    let size = std::fs::metadata(path).map_err(|e| e.to_string())?.len();
    if size > MAX_BYTES {
        return Err(format!("{size} bytes is more than a definition may hold ({MAX_BYTES})"));
    }
    std::fs::read_to_string(path).map_err(|e| e.to_string())
}

/// Merges definitions by name: later ones replace earlier ones.
pub(crate) fn merge_by_name<T>(items: Vec<Found<T>>, name: impl Fn(&T) -> &str) -> Vec<Found<T>> {
    let mut merged: Vec<Found<T>> = Vec::new();
    for item in items {
        match merged.iter_mut().find(|existing| name(&existing.item) == name(&item.item)) {
            Some(existing) => *existing = item,
            None => merged.push(item),
        }
    }
    merged.sort_by(|a, b| name(&a.item).cmp(name(&b.item)));
    merged
}
