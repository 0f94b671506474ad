//! Layer resolution: defaults < user files < project files < local files < environment <
//! command line.

use crate::claude;
use crate::env::EnvSnapshot;
use crate::error::ConfigError;
use crate::keys::{KEYS, Kind};
use crate::layer::{self, CliOverride, Layer, Origin};
use crate::paths::{Paths, project_root};
use crate::settings::Settings;
use std::path::{Path, PathBuf};

/// Inputs of [`Config::load`].
#[derive(Debug, Clone)]
pub struct LoadOptions {
    /// Working directory (decides the project).
    pub cwd: PathBuf,
    /// Environment snapshot.
    pub env: EnvSnapshot,
    /// Command-line settings, highest precedence.
    pub cli: Vec<CliOverride>,
}

/// One row of `rein config explain`.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct ExplainRow {
    /// Key.
    pub key: &'static str,
    /// Value as TOML, or `(unset)`.
    pub value: String,
    /// Where it came from.
    pub origin: String,
    /// What the key does.
    pub doc: &'static str,
}

/// Resolved configuration. Cheap to share behind an `Arc`.
#[derive(Debug, Clone)]
pub struct Config {
    values: Layer,
    /// User folders.
    pub paths: Paths,
    /// The project root (nearest `.git` ancestor of the working directory).
    pub project_root: PathBuf,
    /// The working directory.
    pub cwd: PathBuf,
    /// Environment snapshot (API keys are read from here, never from files).
    pub env: EnvSnapshot,
    /// The typed settings.
    pub settings: Settings,
}

impl Config {
    /// Loads every layer and resolves the settings.
    pub fn load(options: LoadOptions) -> Result<Self, ConfigError> {
        let paths = Paths::from_env(&options.env)?;
        let project_root = project_root(&options.cwd);

        let mut values = Layer::new();
        for def in KEYS {
            if let Some(default) = def.default {
                values.insert(
                    def.key,
                    (layer::parse_text(def, default, &Origin::Default)?, Origin::Default),
                );
            }
        }
        for file in settings_files(&paths, &project_root) {
            let layer = match file {
                SettingsFile::Rein(path, origin) => layer::from_file(&path, &origin)?,
                SettingsFile::Claude(path, origin) => claude::from_file(&path, &origin)?,
            };
            layer::overlay(&mut values, layer);
        }
        for def in KEYS {
            if let Some(var) = def.env
                && let Some(text) = options.env.get(var)
            {
                let origin = Origin::Env(var);
                values.insert(def.key, (layer::parse_text(def, text, &origin)?, origin));
            }
        }
        layer::overlay(&mut values, layer::from_cli(&options.cli)?);

        let mut config = Self {
            values,
            paths,
            project_root,
            cwd: options.cwd,
            env: options.env,
            settings: Settings::default_placeholder(),
        };
        config.settings = Settings::from_config(&config)?;
        Ok(config)
    }

    pub(crate) fn str(&self, key: &str) -> Option<&str> {
        self.values.get(key).and_then(|(v, _)| v.as_str())
    }

    pub(crate) fn int(&self, key: &str) -> Result<Option<u64>, ConfigError> {
        match self.values.get(key) {
            None => Ok(None),
            Some((v, _)) => v
                .as_integer()
                .and_then(|i| u64::try_from(i).ok())
                .map(Some)
                .ok_or_else(|| self.invalid(key, Kind::Int.name())),
        }
    }

    pub(crate) fn list(&self, key: &str) -> Vec<String> {
        self.values
            .get(key)
            .and_then(|(v, _)| v.as_array())
            .map(|items| items.iter().filter_map(|i| i.as_str().map(str::to_string)).collect())
            .unwrap_or_default()
    }

    pub(crate) fn bool(&self, key: &str) -> Option<bool> {
        self.values.get(key).and_then(|(v, _)| v.as_bool())
    }

    pub(crate) fn float(&self, key: &str) -> Option<f64> {
        self.values.get(key).and_then(|(v, _)| v.as_float())
    }

    pub(crate) fn origin(&self, key: &str) -> Option<&Origin> {
        self.values.get(key).map(|(_, o)| o)
    }

    pub(crate) fn invalid(&self, key: &str, expected: &str) -> ConfigError {
        let (found, origin) =
            self.values.get(key).map(|(v, o)| (v.to_string(), o.to_string())).unwrap_or_default();
        ConfigError::Invalid { key: key.to_string(), origin, expected: expected.to_string(), found }
    }

    /// Every key with its value and origin, for `rein config explain`.
    pub fn explain(&self) -> Vec<ExplainRow> {
        KEYS.iter()
            .map(|def| {
                let (value, origin) = match self.values.get(def.key) {
                    Some((v, o)) => (v.to_string(), o.to_string()),
                    None => ("(unset)".to_string(), "default".to_string()),
                };
                ExplainRow { key: def.key, value, origin, doc: def.doc }
            })
            .collect()
    }

    /// The project's config file path (it may not exist).
    pub fn project_file(&self) -> PathBuf {
        project_file(&self.project_root)
    }
}

fn project_file(root: &Path) -> PathBuf {
    root.join(".rein").join("config.toml")
}

/// A settings file and the layer it belongs to.
enum SettingsFile {
    Rein(PathBuf, Origin),
    Claude(PathBuf, Origin),
}

/// The files of the user, project and local layers, lowest first. Within a layer Claude Code's
/// file comes first, so rein's own file wins where both set a key.
fn settings_files(paths: &Paths, project_root: &Path) -> Vec<SettingsFile> {
    let user_file = paths.user_config();
    let project_file = project_file(project_root);
    let local_file = project_root.join(".rein").join("config.local.toml");
    let claude = project_root.join(".claude");
    let mut files = Vec::new();
    if let Some(home) = &paths.home {
        let path = home.join(".claude").join("settings.json");
        files.push(SettingsFile::Claude(path.clone(), Origin::User(path)));
    }
    files.push(SettingsFile::Rein(user_file.clone(), Origin::User(user_file.clone())));
    // A project at the home folder shares the user's files; read them once.
    if project_file != user_file {
        let path = claude.join("settings.json");
        if paths.home.as_ref().map(|home| home.join(".claude").join("settings.json"))
            != Some(path.clone())
        {
            files.push(SettingsFile::Claude(path.clone(), Origin::Project(path)));
        }
        files.push(SettingsFile::Rein(project_file.clone(), Origin::Project(project_file)));
    }
    let path = claude.join("settings.local.json");
    files.push(SettingsFile::Claude(path.clone(), Origin::Local(path)));
    files.push(SettingsFile::Rein(local_file.clone(), Origin::Local(local_file)));
    files
}

#[cfg(test)]
#[path = "resolve_tests.rs"]
mod tests;
