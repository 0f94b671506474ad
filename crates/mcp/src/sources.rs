//! The settings files MCP servers come from, lowest precedence first, and reading them all.
//! A later file's definition of a server replaces an earlier one's whole (servers are not
//! merged key by key: a project that redefines `github` means its own `github`).

use crate::config::ServerConfig;
use crate::entry::{EntrySource, parse_entry};
use crate::expand::EnvLookup;
use serde_json::Value;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// The table of rein's TOML settings files that holds servers.
pub const TOML_TABLE: &str = "mcp_servers";

/// The key of `.mcp.json` that holds servers.
const JSON_KEY: &str = "mcpServers";

/// Where to look for server definitions.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct McpSources {
    /// rein's user config folder (for its `config.toml`).
    pub config_dir: Option<PathBuf>,
    /// The project root.
    pub project_root: PathBuf,
}

/// Servers read from the settings, and what was wrong with them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LoadedServers {
    /// Every server defined, sorted by name (disabled ones too).
    pub servers: Vec<ServerConfig>,
    /// Files or entries that could not be read, for the user.
    pub warnings: Vec<String>,
}

impl McpSources {
    /// The files, lowest first: the user's `config.toml`, the project's `.mcp.json` (the file
    /// other tools share), `.rein/config.toml`, `.rein/config.local.toml`.
    pub fn files(&self) -> Vec<PathBuf> {
        let root = &self.project_root;
        let mut files = Vec::new();
        if let Some(dir) = &self.config_dir {
            files.push(dir.join("config.toml"));
        }
        files.push(root.join(".mcp.json"));
        files.push(root.join(".rein").join("config.toml"));
        files.push(root.join(".rein").join("config.local.toml"));
        // Working in the config folder's parent would read a file twice.
        let mut seen = std::collections::HashSet::new();
        files.retain(|file| seen.insert(file.clone()));
        files
    }

    /// Reads every file. Missing files are normal; unreadable or malformed ones become
    /// warnings.
    pub fn load(&self, env: EnvLookup<'_>) -> LoadedServers {
        let mut by_name: BTreeMap<String, ServerConfig> = BTreeMap::new();
        let mut warnings = Vec::new();
        for file in self.files() {
            let text = match std::fs::read_to_string(&file) {
                Ok(text) => text,
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => continue,
                Err(e) => {
                    warnings.push(format!("could not read {}: {e}", file.display()));
                    continue;
                }
            };
            let Some(entries) = server_entries(&file, &text, &mut warnings) else { continue };
            let source = EntrySource { file: &file, project_root: &self.project_root, env };
            for (name, value) in entries {
                if let Some(config) = parse_entry(&name, &value, &source, &mut warnings) {
                    by_name.insert(name, config);
                }
            }
        }
        LoadedServers { servers: by_name.into_values().collect(), warnings }
    }
}

/// The server entries of one file, in file order; `None` when the file has none or cannot be
/// parsed (then a warning says so).
fn server_entries(
    file: &Path,
    text: &str,
    warnings: &mut Vec<String>,
) -> Option<Vec<(String, Value)>> {
    let is_json = file.extension().is_some_and(|ext| ext == "json");
    let table = if is_json {
        let root: Value = match serde_json::from_str(text) {
            Ok(root) => root,
            Err(e) => {
                warnings.push(format!(
                    "{} is not valid JSON ({e}); its MCP servers are skipped",
                    file.display()
                ));
                return None;
            }
        };
        match root.get(JSON_KEY) {
            None => return None,
            Some(Value::Object(servers)) => servers.clone(),
            Some(other) => {
                warnings.push(format!(
                    "{}: `{JSON_KEY}` must be an object of servers, found {other}",
                    file.display()
                ));
                return None;
            }
        }
    } else {
        // The settings loader reports TOML syntax errors; here a broken file only means no
        // servers from it.
        let root: toml::Table = text.parse().ok()?;
        match root.get(TOML_TABLE) {
            None => return None,
            Some(toml::Value::Table(servers)) => match serde_json::to_value(servers) {
                Ok(Value::Object(servers)) => servers,
                _ => return None,
            },
            Some(other) => {
                warnings.push(format!(
                    "{}: `{TOML_TABLE}` must be a table of servers ([{TOML_TABLE}.NAME]), found {other}",
                    file.display()
                ));
                return None;
            }
        }
    };
    Some(table.into_iter().collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Transport;
    use pretty_assertions::assert_eq;

    fn no_env(_: &str) -> Option<String> {
        None
    }

    fn put(root: &Path, relative: &str, text: &str) {
        let path = root.join(relative);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }

    fn command(config: &ServerConfig) -> &str {
        match &config.transport {
            Transport::Stdio { command, .. } => command,
            Transport::Http { url, .. } => url,
        }
    }

    #[test]
    fn later_files_replace_servers_by_name() {
        let user = tempfile::tempdir().unwrap();
        let project = tempfile::tempdir().unwrap();
        put(
            user.path(),
            "config.toml",
            "model = \"x\"\n[mcp_servers.a]\ncommand = \"user-a\"\n[mcp_servers.b]\ncommand = \"user-b\"\n",
        );
        put(
            project.path(),
            ".mcp.json",
            r#"{"mcpServers": {"b": {"command": "json-b"}, "c": {"type": "http", "url": "http://127.0.0.1:1/mcp"}}}"#,
        );
        put(
            project.path(),
            ".rein/config.toml",
            "[mcp_servers.c]\ncommand = \"project-c\"\nargs = [\"--x\"]\n",
        );
        put(
            project.path(),
            ".rein/config.local.toml",
            "[mcp_servers.d]\nurl = \"http://127.0.0.1:2/mcp\"\nenabled = false\n",
        );
        let sources = McpSources {
            config_dir: Some(user.path().to_path_buf()),
            project_root: project.path().to_path_buf(),
        };
        let loaded = sources.load(&no_env);
        assert_eq!(loaded.warnings, Vec::<String>::new());
        let names: Vec<(&str, &str)> =
            loaded.servers.iter().map(|s| (s.name.as_str(), command(s))).collect();
        assert_eq!(
            names,
            [("a", "user-a"), ("b", "json-b"), ("c", "project-c"), ("d", "http://127.0.0.1:2/mcp")]
        );
        assert_eq!(loaded.servers[2].source, project.path().join(".rein/config.toml"));
        assert!(!loaded.servers[3].enabled);
    }

    #[test]
    fn malformed_files_warn_and_the_rest_still_load() {
        let project = tempfile::tempdir().unwrap();
        put(project.path(), ".mcp.json", "{\"mcpServers\": {\"a\": ");
        put(
            project.path(),
            ".rein/config.toml",
            "[mcp_servers.ok]\ncommand = \"x\"\n[mcp_servers.bad]\nargs = []\n",
        );
        put(project.path(), ".rein/config.local.toml", "mcp_servers = 3\n");
        let sources = McpSources { config_dir: None, project_root: project.path().to_path_buf() };
        let loaded = sources.load(&no_env);
        assert_eq!(loaded.servers.len(), 1);
        assert_eq!(loaded.servers[0].name, "ok");
        assert_eq!(loaded.warnings.len(), 3, "{:?}", loaded.warnings);
        assert!(
            loaded.warnings[0].contains(".mcp.json is not valid JSON"),
            "{:?}",
            loaded.warnings
        );
        assert!(loaded.warnings[1].contains("MCP server `bad`"), "{:?}", loaded.warnings);
        assert!(loaded.warnings[2].contains("must be a table of servers"), "{:?}", loaded.warnings);
    }

    #[test]
    fn no_files_means_no_servers_and_no_warnings() {
        let project = tempfile::tempdir().unwrap();
        let sources = McpSources { config_dir: None, project_root: project.path().to_path_buf() };
        assert_eq!(sources.load(&no_env), LoadedServers::default());
    }
}
