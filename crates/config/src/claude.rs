//! Claude Code's `settings.json` files, read for what rein shares with them: permission rules
//! and the default permission mode (hooks are read by rein-hooks). Someone switching keeps
//! their rules without rewriting them.

use crate::error::ConfigError;
use crate::keys;
use crate::layer::{Layer, Origin};
use std::path::Path;

/// Claude Code's mode names and rein's.
const MODES: &[(&str, &str)] = &[
    ("default", "ask"),
    ("acceptEdits", "accept-edits"),
    ("plan", "plan"),
    ("bypassPermissions", "bypass"),
];

/// The settings rein takes from one Claude Code settings file; a missing file is empty.
pub(crate) fn from_file(path: &Path, origin: &Origin) -> Result<Layer, ConfigError> {
    let text = match std::fs::read_to_string(path) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Layer::new()),
        Err(source) => return Err(ConfigError::Read { path: path.to_path_buf(), source }),
    };
    let json: serde_json::Value = serde_json::from_str(&text)
        .map_err(|e| ConfigError::Parse { path: path.to_path_buf(), message: e.to_string() })?;
    let mut layer = Layer::new();
    let Some(permissions) = json.get("permissions") else {
        return Ok(layer);
    };
    for list in ["allow", "ask", "deny"] {
        let Some(items) = permissions.get(list).and_then(serde_json::Value::as_array) else {
            continue;
        };
        let rules: Vec<toml::Value> = items
            .iter()
            .filter_map(serde_json::Value::as_str)
            .map(|rule| toml::Value::String(rule.to_string()))
            .collect();
        if let Some(def) = keys::find(&format!("permissions.{list}")) {
            layer.insert(def.key, (toml::Value::Array(rules), origin.clone()));
        }
    }
    if let Some(mode) = permissions.get("defaultMode").and_then(serde_json::Value::as_str) {
        let rein_mode = MODES.iter().find(|(theirs, _)| *theirs == mode).map(|(_, ours)| *ours);
        // A mode rein lacks (Claude Code's "dontAsk", say) is left to rein's own settings.
        if let (Some(rein_mode), Some(def)) = (rein_mode, keys::find("permission_mode")) {
            layer.insert(def.key, (toml::Value::String(rein_mode.to_string()), origin.clone()));
        }
    }
    Ok(layer)
}
