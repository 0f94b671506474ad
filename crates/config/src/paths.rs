//! Where rein keeps state.

use crate::env::EnvSnapshot;
use crate::error::ConfigError;
use std::path::{Path, PathBuf};

/// User-level folders.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Paths {
    /// Settings and user memory: `~/.config/rein` (or `$XDG_CONFIG_HOME/rein`, or `$REIN_HOME`).
    pub config_dir: PathBuf,
    /// Sessions, the index database and logs: `~/.local/share/rein` (or `$XDG_DATA_HOME/rein`,
    /// or `$REIN_HOME`).
    pub data_dir: PathBuf,
    /// The user's home folder (`$HOME`), when known: user-level files of other tools
    /// (`~/.claude/CLAUDE.md`) live there.
    pub home: Option<PathBuf>,
}

impl Paths {
    /// Resolves the folders from the environment snapshot.
    pub fn from_env(env: &EnvSnapshot) -> Result<Self, ConfigError> {
        let home = env.get("HOME").map(PathBuf::from);
        if let Some(rein_home) = env.get("REIN_HOME") {
            let rein_home = PathBuf::from(rein_home);
            return Ok(Self { config_dir: rein_home.clone(), data_dir: rein_home, home });
        }
        let base = |xdg: &str, fallback: &[&str]| -> Result<PathBuf, ConfigError> {
            match env.get(xdg) {
                Some(dir) => Ok(PathBuf::from(dir)),
                None => {
                    let mut dir = home.clone().ok_or(ConfigError::NoHome)?;
                    dir.extend(fallback);
                    Ok(dir)
                }
            }
        };
        Ok(Self {
            config_dir: base("XDG_CONFIG_HOME", &[".config"])?.join("rein"),
            data_dir: base("XDG_DATA_HOME", &[".local", "share"])?.join("rein"),
            home,
        })
    }

    /// The user's config file.
    pub fn user_config(&self) -> PathBuf {
        self.config_dir.join("config.toml")
    }
}

/// The project a working directory belongs to: the nearest ancestor holding `.git` (a folder
/// or, in worktrees, a file), else the directory itself.
pub fn project_root(cwd: &Path) -> PathBuf {
    cwd.ancestors().find(|dir| dir.join(".git").exists()).unwrap_or(cwd).to_path_buf()
}
