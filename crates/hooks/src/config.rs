//! The `hooks` table of a settings file, in Claude Code's shape:
//! `{"hooks": {"PreToolUse": [{"matcher": "Bash", "hooks": [{"type": "command", …}]}]}}`.
//! rein's TOML files carry the same structure under a top-level `hooks` table.

use crate::error::HookError;
use serde::Deserialize;
use serde_json::Value;
use std::collections::BTreeMap;
use std::path::Path;

/// One entry of an event's list: hooks sharing a matcher.
#[derive(Debug, Clone, Deserialize)]
pub(crate) struct MatcherGroup {
    #[serde(default)]
    pub(crate) matcher: Option<String>,
    #[serde(default)]
    pub(crate) hooks: Vec<HookEntry>,
}

/// One hook as written in the file.
#[derive(Debug, Clone, Deserialize)]
pub(crate) struct HookEntry {
    #[serde(rename = "type")]
    pub(crate) kind: String,
    #[serde(default)]
    pub(crate) command: Option<String>,
    /// Seconds.
    #[serde(default)]
    pub(crate) timeout: Option<f64>,
}

/// Event name → groups, as written (event names are checked later, one by one, so one
/// misspelt event does not cost the file's other hooks).
pub(crate) type HooksTable = BTreeMap<String, Vec<MatcherGroup>>;

/// How a settings file is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Format {
    Json,
    Toml,
}

impl Format {
    pub(crate) fn of(path: &Path) -> Self {
        match path.extension().and_then(|e| e.to_str()) {
            Some("toml") => Self::Toml,
            _ => Self::Json,
        }
    }
}

/// The `hooks` table of a file's text; an empty table when the file has none.
pub(crate) fn parse(text: &str, format: Format, path: &Path) -> Result<HooksTable, HookError> {
    let syntax = |message: String| HookError::Syntax { path: path.to_path_buf(), message };
    let document: Value = match format {
        Format::Json => serde_json::from_str(text).map_err(|e| syntax(e.to_string()))?,
        Format::Toml => {
            let table: toml::Table = toml::from_str(text).map_err(|e| syntax(e.to_string()))?;
            serde_json::to_value(table).map_err(|e| syntax(e.to_string()))?
        }
    };
    let Some(hooks) = document.get("hooks") else {
        return Ok(HooksTable::new());
    };
    serde_json::from_value(hooks.clone()).map_err(|e| HookError::Shape {
        path: path.to_path_buf(),
        message: format!("`hooks` must map event names to lists of {{matcher, hooks}}: {e}"),
    })
}
