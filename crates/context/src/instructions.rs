//! Instruction files: the standing guidance a project (or the user) gives every agent.
//!
//! Loaded, in this order, so that the most specific guidance comes last:
//! 1. user level: `<rein config dir>/AGENTS.md`, then `~/.claude/CLAUDE.md`;
//! 2. every directory from the repository root down to the working directory: `AGENTS.md`,
//!    `CLAUDE.md`, `.claude/CLAUDE.md`, then `CLAUDE.local.md` (personal, usually git-ignored).
//!
//! A line's `@path` tokens import other files (relative to the importing file, `~/` for home),
//! up to [`MAX_IMPORT_DEPTH`] levels, each file at most once. Directories below the working
//! directory are not loaded up front: [`NestedInstructions`] hands out their files the first
//! time the agent touches a path there.

mod imports;
mod nested;

pub use nested::NestedInstructions;

use std::collections::HashSet;
use std::path::{Path, PathBuf};

/// Names looked for in each directory, in load order.
pub(crate) const DIRECTORY_FILES: &[&str] =
    &["AGENTS.md", "CLAUDE.md", ".claude/CLAUDE.md", "CLAUDE.local.md"];
/// How deep `@path` imports may nest.
pub const MAX_IMPORT_DEPTH: usize = 5;
/// Largest instruction file read; a larger one is cut here, with a warning.
pub const MAX_FILE_BYTES: usize = 64 * 1024;
/// Total size above which a warning says the instructions crowd the context.
pub const LARGE_TOTAL_BYTES: usize = 40 * 1024;

/// Where instruction files are looked for.
#[derive(Debug, Clone)]
pub struct InstructionSources {
    /// rein's user configuration directory (user-level `AGENTS.md`).
    pub user_config_dir: Option<PathBuf>,
    /// The home directory (`~/.claude/CLAUDE.md`, `~/` in imports).
    pub home: Option<PathBuf>,
    /// The repository root (or the working directory outside a repository).
    pub project_root: PathBuf,
    /// The session's working directory.
    pub cwd: PathBuf,
}

/// Why a file is part of the instructions.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum InstructionOrigin {
    /// User-level file.
    User,
    /// A directory between the repository root and the working directory.
    Project,
    /// A subdirectory the agent started working in.
    Nested,
    /// Imported with `@path` by another file.
    Import {
        /// The importing file.
        from: PathBuf,
    },
}

/// One loaded file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InstructionFile {
    /// Where it was found (as found, not canonicalised).
    pub path: PathBuf,
    /// Why it is loaded.
    pub origin: InstructionOrigin,
    /// Its text (cut at [`MAX_FILE_BYTES`]).
    pub content: String,
}

/// The instruction files that apply, and what went wrong finding them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Instructions {
    /// Files in load order.
    pub files: Vec<InstructionFile>,
    /// Problems worth telling the user (unreadable files, import cycles, sizes).
    pub warnings: Vec<String>,
}

impl Instructions {
    /// Finds and reads every instruction file for `sources`.
    pub fn load(sources: &InstructionSources) -> Self {
        let mut loader = Loader::new(sources.home.clone());
        if let Some(dir) = &sources.user_config_dir {
            loader.add(&dir.join("AGENTS.md"), InstructionOrigin::User);
        }
        if let Some(home) = &sources.home {
            loader.add(&home.join(".claude").join("CLAUDE.md"), InstructionOrigin::User);
        }
        for dir in chain(&sources.project_root, &sources.cwd) {
            loader.add_directory(&dir, InstructionOrigin::Project);
        }
        let mut instructions = loader.finish();
        let total = instructions.total_bytes();
        if total > LARGE_TOTAL_BYTES {
            instructions.warnings.push(format!(
                "instruction files total {} KB; large instructions take context from every turn",
                total / 1024
            ));
        }
        instructions
    }

    /// Bytes of instruction text.
    pub fn total_bytes(&self) -> usize {
        self.files.iter().map(|f| f.content.len()).sum()
    }

    /// Whether nothing was found.
    pub fn is_empty(&self) -> bool {
        self.files.is_empty()
    }

    /// The files as one block for the first user message, or `None` when there are none.
    pub fn render(&self) -> Option<String> {
        render_instructions(&self.files)
    }
}

/// `<instructions>` with each file's path and text; the model is told the files are the
/// user's standing instructions, to follow unless the user's messages say otherwise.
pub fn render_instructions(files: &[InstructionFile]) -> Option<String> {
    if files.is_empty() {
        return None;
    }
    let mut out = String::from(
        "<instructions>\nStanding instructions from the user and the project. Follow them; \
         the user's own messages take precedence.\n",
    );
    for file in files {
        out.push_str(&format!("\n# {}\n{}\n", file.path.display(), file.content.trim_end()));
    }
    out.push_str("</instructions>");
    Some(out)
}

/// Directories from `root` down to `cwd`, both included; just `cwd` when it is not inside
/// `root`.
pub(crate) fn chain(root: &Path, cwd: &Path) -> Vec<PathBuf> {
    let Ok(below) = cwd.strip_prefix(root) else {
        return vec![cwd.to_path_buf()];
    };
    let mut dirs = vec![root.to_path_buf()];
    let mut current = root.to_path_buf();
    for part in below.components() {
        current.push(part);
        dirs.push(current.clone());
    }
    dirs
}

/// Reads files once each, following imports.
pub(crate) struct Loader {
    home: Option<PathBuf>,
    seen: HashSet<PathBuf>,
    files: Vec<InstructionFile>,
    warnings: Vec<String>,
}

impl Loader {
    pub(crate) fn new(home: Option<PathBuf>) -> Self {
        Self { home, seen: HashSet::new(), files: Vec::new(), warnings: Vec::new() }
    }

    pub(crate) fn add_directory(&mut self, dir: &Path, origin: InstructionOrigin) {
        for name in DIRECTORY_FILES {
            self.add(&dir.join(name), origin.clone());
        }
    }

    /// Adds `path` if it exists and was not loaded yet (a symlinked `CLAUDE.md` →
    /// `AGENTS.md` counts once), then its imports.
    pub(crate) fn add(&mut self, path: &Path, origin: InstructionOrigin) {
        self.add_at_depth(path, origin, 0);
    }

    fn add_at_depth(&mut self, path: &Path, origin: InstructionOrigin, depth: usize) {
        let Ok(canonical) = std::fs::canonicalize(path) else {
            if matches!(origin, InstructionOrigin::Import { .. }) {
                self.warnings.push(format!("{}: imported file not found", path.display()));
            }
            return;
        };
        if !canonical.is_file() || !self.seen.insert(canonical) {
            return;
        }
        let bytes = match std::fs::read(path) {
            Ok(bytes) => bytes,
            Err(e) => {
                self.warnings.push(format!("{}: {e}", path.display()));
                return;
            }
        };
        let mut content = String::from_utf8_lossy(&bytes).into_owned();
        if content.len() > MAX_FILE_BYTES {
            let mut cut = MAX_FILE_BYTES;
            while !content.is_char_boundary(cut) {
                cut -= 1;
            }
            content.truncate(cut);
            self.warnings.push(format!(
                "{}: larger than {} KB; only the start is used",
                path.display(),
                MAX_FILE_BYTES / 1024
            ));
        }
        let imports = imports::find(&content);
        self.files.push(InstructionFile { path: path.to_path_buf(), origin, content });
        let base = path.parent().unwrap_or(Path::new("."));
        for import in imports {
            let target = imports::resolve(&import, base, self.home.as_deref());
            if depth + 1 > MAX_IMPORT_DEPTH {
                self.warnings.push(format!(
                    "{}: import of {import} skipped: imports nest more than {MAX_IMPORT_DEPTH} deep",
                    path.display()
                ));
                continue;
            }
            if let Ok(canonical) = std::fs::canonicalize(&target)
                && self.seen.contains(&canonical)
            {
                // Already loaded: either a cycle or a second import of the same file.
                continue;
            }
            self.add_at_depth(
                &target,
                InstructionOrigin::Import { from: path.to_path_buf() },
                depth + 1,
            );
        }
    }

    pub(crate) fn finish(self) -> Instructions {
        Instructions { files: self.files, warnings: self.warnings }
    }
}

#[cfg(test)]
#[path = "instructions_tests.rs"]
mod tests;
