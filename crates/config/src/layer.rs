//! One layer of settings (a file, the environment, the command line) flattened to dotted keys.

use crate::error::ConfigError;
use crate::keys::{self, KeyDef, Kind};
use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};

/// Where a value came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Origin {
    /// Built-in default.
    Default,
    /// The user's config file.
    User(PathBuf),
    /// The project's `.rein/config.toml` (or `.claude/settings.json`).
    Project(PathBuf),
    /// The project's personal, uncommitted `.rein/config.local.toml` (or
    /// `.claude/settings.local.json`).
    Local(PathBuf),
    /// A list merged from several files (permission rules add up across layers).
    Merged(Vec<Origin>),
    /// An environment variable.
    Env(&'static str),
    /// A command-line flag.
    Cli(String),
}

impl fmt::Display for Origin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Origin::Default => write!(f, "default"),
            Origin::User(p) => write!(f, "user file {}", p.display()),
            Origin::Project(p) => write!(f, "project file {}", p.display()),
            Origin::Local(p) => write!(f, "local file {}", p.display()),
            Origin::Merged(origins) => {
                let parts: Vec<String> = origins.iter().map(ToString::to_string).collect();
                write!(f, "{}", parts.join(" + "))
            }
            Origin::Env(v) => write!(f, "environment variable {v}"),
            Origin::Cli(flag) => write!(f, "command line {flag}"),
        }
    }
}

/// A setting given on the command line: `--model x` or `-c key=value`.
#[derive(Debug, Clone)]
pub struct CliOverride {
    /// Dotted key.
    pub key: String,
    /// Value as typed; parsed as TOML when possible, else taken as a string.
    pub value: String,
    /// The flag, for `config explain`.
    pub flag: String,
}

pub(crate) type Layer = BTreeMap<&'static str, (toml::Value, Origin)>;

/// The top-level table of settings files that holds hooks.
const HOOKS_TABLE: &str = "hooks";

/// The top-level table that defines MCP servers (`[mcp_servers.NAME]`); rein-mcp reads it.
const MCP_SERVERS_TABLE: &str = "mcp_servers";

/// Lays `upper` over `values`. Permission rule lists add up (a project's deny rules must not
/// drop the user's); every other key is replaced.
pub(crate) fn overlay(values: &mut Layer, upper: Layer) {
    for (key, (value, origin)) in upper {
        let merged = match (key.starts_with("permissions."), values.remove(key), &value) {
            (
                true,
                Some((toml::Value::Array(mut below), below_origin)),
                toml::Value::Array(items),
            ) => {
                for item in items {
                    if !below.contains(item) {
                        below.push(item.clone());
                    }
                }
                let mut origins = match below_origin {
                    Origin::Merged(origins) => origins,
                    single => vec![single],
                };
                origins.push(origin);
                (toml::Value::Array(below), Origin::Merged(origins))
            }
            _ => (value, origin),
        };
        values.insert(key, merged);
    }
}

pub(crate) fn from_file(path: &Path, origin: &Origin) -> Result<Layer, ConfigError> {
    let text = match std::fs::read_to_string(path) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Layer::new()),
        Err(source) => return Err(ConfigError::Read { path: path.to_path_buf(), source }),
    };
    let table: toml::Table = text.parse().map_err(|e: toml::de::Error| ConfigError::Parse {
        path: path.to_path_buf(),
        message: e.to_string().trim_end().to_string(),
    })?;
    let mut layer = Layer::new();
    flatten(&table, "", origin, &mut layer)?;
    Ok(layer)
}

fn flatten(
    table: &toml::Table,
    prefix: &str,
    origin: &Origin,
    out: &mut Layer,
) -> Result<(), ConfigError> {
    for (name, value) in table {
        // Hooks have their own reader (rein-hooks), which takes Claude Code's nested shape;
        // MCP servers theirs (rein-mcp): both are tables of free-form entries, not settings.
        if prefix.is_empty() && (name == HOOKS_TABLE || name == MCP_SERVERS_TABLE) {
            continue;
        }
        let key = if prefix.is_empty() { name.clone() } else { format!("{prefix}.{name}") };
        if let toml::Value::Table(inner) = value
            && keys::KEYS.iter().any(|k| k.key.starts_with(&format!("{key}.")))
        {
            flatten(inner, &key, origin, out)?;
            continue;
        }
        let def = known(&key, origin)?;
        out.insert(def.key, (check(def, value.clone(), origin)?, origin.clone()));
    }
    Ok(())
}

fn known(key: &str, origin: &Origin) -> Result<&'static KeyDef, ConfigError> {
    keys::find(key).ok_or_else(|| ConfigError::UnknownKey {
        key: key.to_string(),
        origin: origin.to_string(),
        hint: keys::closest(key).map(|k| format!(" (did you mean `{k}`?)")).unwrap_or_default(),
    })
}

/// Checks a value against its key's type, accepting integers where numbers are expected.
pub(crate) fn check(
    def: &KeyDef,
    value: toml::Value,
    origin: &Origin,
) -> Result<toml::Value, ConfigError> {
    let ok = match (def.kind, &value) {
        (Kind::Str, toml::Value::String(_)) | (Kind::Bool, toml::Value::Boolean(_)) => true,
        (Kind::Int, toml::Value::Integer(i)) => *i >= 0,
        (Kind::Float, toml::Value::Float(_)) => true,
        (Kind::Float, toml::Value::Integer(i)) => return Ok(toml::Value::Float(*i as f64)),
        (Kind::List, toml::Value::Array(items)) => items.iter().all(toml::Value::is_str),
        _ => false,
    };
    if ok {
        Ok(value)
    } else {
        Err(ConfigError::Invalid {
            key: def.key.to_string(),
            origin: origin.to_string(),
            expected: def.kind.name().to_string(),
            found: value.to_string(),
        })
    }
}

/// Parses text typed in an environment variable or on the command line.
pub(crate) fn parse_text(
    def: &KeyDef,
    text: &str,
    origin: &Origin,
) -> Result<toml::Value, ConfigError> {
    let value = match def.kind {
        Kind::Str => toml::Value::String(text.to_string()),
        // A TOML array, or items separated by commas outside parentheses (rules such as
        // `bash(git diff *)` hold spaces).
        Kind::List if !text.trim_start().starts_with('[') => {
            toml::Value::Array(split_list(text).into_iter().map(toml::Value::String).collect())
        }
        // Parse as a TOML value so `8`, `0.2` and `true` get their types; anything else
        // stays text and fails the type check with the text shown.
        _ => format!("v = {}", text.trim())
            .parse::<toml::Table>()
            .ok()
            .and_then(|mut t| t.remove("v"))
            .unwrap_or_else(|| toml::Value::String(text.to_string())),
    };
    check(def, value, origin)
}

/// Splits a list typed as text: `a, b(c, d), e` → `["a", "b(c, d)", "e"]` (commas inside
/// parentheses belong to the item).
pub fn split_list(text: &str) -> Vec<String> {
    let mut items = Vec::new();
    let (mut depth, mut current) = (0usize, String::new());
    for c in text.chars() {
        match c {
            '(' => depth += 1,
            ')' => depth = depth.saturating_sub(1),
            ',' if depth == 0 => {
                items.push(std::mem::take(&mut current));
                continue;
            }
            _ => {}
        }
        current.push(c);
    }
    items.push(current);
    items.into_iter().map(|item| item.trim().to_string()).filter(|item| !item.is_empty()).collect()
}

pub(crate) fn from_cli(overrides: &[CliOverride]) -> Result<Layer, ConfigError> {
    let mut layer = Layer::new();
    for o in overrides {
        let origin = Origin::Cli(o.flag.clone());
        let def = known(&o.key, &origin)?;
        layer.insert(def.key, (parse_text(def, &o.value, &origin)?, origin));
    }
    Ok(layer)
}
