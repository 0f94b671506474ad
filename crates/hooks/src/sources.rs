//! The settings files hooks come from, lowest first. Every file's hooks run: a project does
//! not switch off the user's hooks, it adds its own.

use std::path::PathBuf;

/// Where to look for settings files.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct HookSources {
    /// The user's home (for `~/.claude/settings.json`).
    pub home: Option<PathBuf>,
    /// rein's user config folder (for its `config.toml`).
    pub config_dir: Option<PathBuf>,
    /// The project root: hooks run there, and its settings files are read.
    pub project_root: PathBuf,
}

impl HookSources {
    /// The files, lowest first, each once.
    pub fn files(&self) -> Vec<PathBuf> {
        let root = &self.project_root;
        let mut files = Vec::new();
        if let Some(home) = &self.home {
            files.push(home.join(".claude").join("settings.json"));
        }
        if let Some(config_dir) = &self.config_dir {
            files.push(config_dir.join("config.toml"));
        }
        files.push(root.join(".claude").join("settings.json"));
        files.push(root.join(".rein").join("config.toml"));
        files.push(root.join(".claude").join("settings.local.json"));
        files.push(root.join(".rein").join("config.local.toml"));
        // Working in the home folder makes the user's file the project's too.
        let mut seen = std::collections::HashSet::new();
        files.retain(|file| seen.insert(file.clone()));
        files
    }
}
