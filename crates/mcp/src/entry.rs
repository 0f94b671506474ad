//! One server entry of a settings file, read leniently: the TOML tables and the `.mcp.json`
//! objects share a shape, so both are read as JSON here. A bad entry becomes a warning and is
//! skipped; the other servers still load.

use crate::config::{DEFAULT_STARTUP_TIMEOUT, DEFAULT_TOOL_TIMEOUT, ServerConfig, Transport};
use crate::expand::{EnvLookup, expand};
use serde_json::{Map, Value};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::Duration;

/// Keys an entry may hold.
const KNOWN_KEYS: &[&str] = &[
    "type",
    "command",
    "args",
    "env",
    "cwd",
    "url",
    "headers",
    "enabled",
    "startup_timeout_ms",
    "tool_timeout_ms",
];

/// Where an entry was read, for messages and relative paths.
pub(crate) struct EntrySource<'a> {
    /// The settings file.
    pub(crate) file: &'a Path,
    /// Relative `cwd` values resolve here.
    pub(crate) project_root: &'a Path,
    /// For `${VAR}`.
    pub(crate) env: EnvLookup<'a>,
}

/// Reads the entry `name` = `value`, pushing a warning for anything wrong or ignored.
pub(crate) fn parse_entry(
    name: &str,
    value: &Value,
    source: &EntrySource<'_>,
    warnings: &mut Vec<String>,
) -> Option<ServerConfig> {
    let at = format!("MCP server `{name}` in {}", source.file.display());
    if name.trim().is_empty() {
        warnings.push(format!(
            "an MCP server with an empty name in {} is skipped",
            source.file.display()
        ));
        return None;
    }
    let Some(table) = value.as_object() else {
        warnings.push(format!("{at} is skipped: expected a table of settings, found {value}"));
        return None;
    };
    for key in table.keys().filter(|key| !KNOWN_KEYS.contains(&key.as_str())) {
        warnings.push(format!("{at}: unknown key `{key}` is ignored"));
    }
    match read(table, source) {
        Ok((config, missing)) => {
            if !missing.is_empty() {
                warnings.push(format!(
                    "{at} uses unset environment variable(s) {}; they were left empty",
                    missing.join(", ")
                ));
            }
            Some(ServerConfig {
                name: name.to_string(),
                source: source.file.to_path_buf(),
                ..config
            })
        }
        Err(reason) => {
            warnings.push(format!("{at} is skipped: {reason}"));
            None
        }
    }
}

/// The entry, and the unset variables it named.
fn read(
    table: &Map<String, Value>,
    source: &EntrySource<'_>,
) -> Result<(ServerConfig, Vec<String>), String> {
    let mut missing = Vec::new();
    let mut text = |key: &str| -> Result<Option<String>, String> {
        match table.get(key) {
            None => Ok(None),
            Some(Value::String(s)) => Ok(Some(expand(s, source.env, &mut missing))),
            Some(other) => Err(format!("`{key}` must be a string, found {other}")),
        }
    };
    let kind = text("type")?;
    let command = text("command")?;
    let url = text("url")?;
    let cwd = text("cwd")?;
    let transport = match (kind.as_deref(), command, url) {
        (Some("sse"), _, _) => {
            return Err("the SSE transport is not supported; use a streamable HTTP endpoint \
                        (`url` without `type`, or `type = \"http\"`) or a stdio command"
                .into());
        }
        (Some(other), _, _) if !matches!(other, "stdio" | "http" | "streamable-http") => {
            return Err(format!("unknown `type` \"{other}\" (expected stdio or http)"));
        }
        (_, Some(_), Some(_)) => return Err("set either `command` or `url`, not both".into()),
        (Some("http" | "streamable-http"), Some(_), None) => {
            return Err("`type` is http but there is no `url`".into());
        }
        (Some("stdio"), None, Some(_)) => {
            return Err("`type` is stdio but there is no `command`".into());
        }
        (_, Some(command), None) => {
            if command.trim().is_empty() {
                return Err("`command` is empty".into());
            }
            Transport::Stdio {
                command,
                args: strings(table, "args", source.env, &mut missing)?,
                env: string_map(table, "env", source.env, &mut missing)?,
                cwd: cwd.map(|dir| resolve(source.project_root, &dir)),
            }
        }
        (_, None, Some(url)) => {
            if !(url.starts_with("http://") || url.starts_with("https://")) {
                return Err(format!("`url` must start with http:// or https://, found \"{url}\""));
            }
            Transport::Http {
                url,
                headers: string_map(table, "headers", source.env, &mut missing)?,
            }
        }
        (_, None, None) => return Err("it needs a `command` (stdio) or a `url` (HTTP)".into()),
    };
    let config = ServerConfig {
        name: String::new(),
        transport,
        enabled: match table.get("enabled") {
            None => true,
            Some(Value::Bool(b)) => *b,
            Some(other) => return Err(format!("`enabled` must be true or false, found {other}")),
        },
        startup_timeout: millis(table, "startup_timeout_ms")?.unwrap_or(DEFAULT_STARTUP_TIMEOUT),
        tool_timeout: millis(table, "tool_timeout_ms")?.unwrap_or(DEFAULT_TOOL_TIMEOUT),
        source: PathBuf::new(),
    };
    Ok((config, missing))
}

fn strings(
    table: &Map<String, Value>,
    key: &str,
    env: EnvLookup<'_>,
    missing: &mut Vec<String>,
) -> Result<Vec<String>, String> {
    match table.get(key) {
        None => Ok(Vec::new()),
        Some(Value::Array(items)) => items
            .iter()
            .map(|item| match item {
                Value::String(s) => Ok(expand(s, env, missing)),
                other => Err(format!("`{key}` must hold strings, found {other}")),
            })
            .collect(),
        Some(other) => Err(format!("`{key}` must be a list of strings, found {other}")),
    }
}

/// A table of strings; numbers and booleans are taken as written (`PORT = 3001`).
fn string_map(
    table: &Map<String, Value>,
    key: &str,
    env: EnvLookup<'_>,
    missing: &mut Vec<String>,
) -> Result<BTreeMap<String, String>, String> {
    match table.get(key) {
        None => Ok(BTreeMap::new()),
        Some(Value::Object(map)) => map
            .iter()
            .map(|(name, value)| {
                let value = match value {
                    Value::String(s) => expand(s, env, missing),
                    Value::Number(n) => n.to_string(),
                    Value::Bool(b) => b.to_string(),
                    other => return Err(format!("`{key}.{name}` must be a string, found {other}")),
                };
                Ok((name.clone(), value))
            })
            .collect(),
        Some(other) => Err(format!("`{key}` must be a table of strings, found {other}")),
    }
}

fn millis(table: &Map<String, Value>, key: &str) -> Result<Option<Duration>, String> {
    match table.get(key) {
        None => Ok(None),
        Some(value) => match value.as_u64() {
            Some(0) | None => {
                Err(format!("`{key}` must be a whole number of milliseconds > 0, found {value}"))
            }
            Some(ms) => Ok(Some(Duration::from_millis(ms))),
        },
    }
}

fn resolve(root: &Path, dir: &str) -> PathBuf {
    let path = Path::new(dir);
    if path.is_absolute() { path.to_path_buf() } else { root.join(path) }
}

#[cfg(test)]
mod tests {
    use super::*;
    use pretty_assertions::assert_eq;
    use serde_json::json;

    fn env(name: &str) -> Option<String> {
        (name == "TOKEN").then(|| "t0k".to_string())
    }

    fn parse(value: Value) -> (Option<ServerConfig>, Vec<String>) {
        let source = EntrySource {
            file: Path::new("/p/.mcp.json"),
            project_root: Path::new("/p"),
            env: &env,
        };
        let mut warnings = Vec::new();
        let config = parse_entry("srv", &value, &source, &mut warnings);
        (config, warnings)
    }

    #[test]
    fn a_stdio_entry_reads_command_args_env_and_cwd() {
        let (config, warnings) = parse(json!({
            "command": "npx", "args": ["-y", "pkg", "${TOKEN}"], "env": {"KEY": "${TOKEN}", "PORT": 1},
            "cwd": "tools", "tool_timeout_ms": 1500
        }));
        assert_eq!(warnings, Vec::<String>::new());
        let config = config.unwrap();
        assert_eq!(
            config.transport,
            Transport::Stdio {
                command: "npx".into(),
                args: vec!["-y".into(), "pkg".into(), "t0k".into()],
                env: [("KEY".to_string(), "t0k".to_string()), ("PORT".into(), "1".into())].into(),
                cwd: Some(PathBuf::from("/p/tools")),
            }
        );
        assert_eq!(config.tool_timeout, Duration::from_millis(1500));
        assert_eq!(config.startup_timeout, DEFAULT_STARTUP_TIMEOUT);
        assert!(config.enabled);
        assert_eq!(config.name, "srv");
        assert_eq!(config.source, PathBuf::from("/p/.mcp.json"));
    }

    #[test]
    fn an_http_entry_reads_url_and_headers() {
        let (config, warnings) = parse(json!({
            "type": "http", "url": "https://example.invalid/mcp",
            "headers": {"Authorization": "Bearer ${TOKEN}"}, "enabled": false
        }));
        assert_eq!(warnings, Vec::<String>::new());
        let config = config.unwrap();
        assert!(!config.enabled);
        assert_eq!(
            config.transport,
            Transport::Http {
                url: "https://example.invalid/mcp".into(),
                headers: [("Authorization".to_string(), "Bearer t0k".to_string())].into(),
            }
        );
    }

    #[test]
    fn bad_entries_are_skipped_with_a_reason() {
        for (value, reason) in [
            (json!({"type": "sse", "url": "http://x/sse"}), "SSE transport is not supported"),
            (json!({"args": ["x"]}), "needs a `command`"),
            (json!({"command": "a", "url": "http://x"}), "not both"),
            (json!({"command": 3}), "`command` must be a string"),
            (json!({"url": "ftp://x"}), "must start with http"),
            (json!({"command": "a", "args": "b"}), "list of strings"),
            (json!({"command": "a", "tool_timeout_ms": -1}), "milliseconds"),
            (json!({"type": "carrier-pigeon", "command": "a"}), "unknown `type`"),
            (json!("npx server"), "expected a table"),
        ] {
            let (config, warnings) = parse(value);
            assert_eq!(config, None);
            assert_eq!(warnings.len(), 1, "{warnings:?}");
            assert!(warnings[0].contains(reason), "{warnings:?} should say {reason}");
            assert!(warnings[0].contains("MCP server `srv` in /p/.mcp.json"), "{warnings:?}");
        }
    }

    #[test]
    fn unknown_keys_and_unset_variables_warn_but_load() {
        let (config, warnings) =
            parse(json!({"command": "a", "colour": "red", "args": ["${NOPE}"]}));
        assert!(config.is_some());
        assert_eq!(warnings.len(), 2, "{warnings:?}");
        assert!(warnings[0].contains("unknown key `colour`"));
        assert!(warnings[1].contains("NOPE"));
    }
}
