//! The one registry of environment variables rein reads, and a snapshot of them.
//!
//! Code never calls `std::env::var` directly: the binary takes one snapshot at start-up and
//! passes it down, so tests run in parallel without touching the process environment.

use std::collections::BTreeMap;

/// An environment variable rein reads.
#[derive(Debug, Clone, Copy)]
pub struct EnvVar {
    /// Name.
    pub name: &'static str,
    /// What it does.
    pub doc: &'static str,
    /// Whether its value is a secret that must never be shown or logged.
    pub secret: bool,
}

/// Every environment variable rein reads.
#[rustfmt::skip] // a table reads best one variable per line
pub const ENV_VARS: &[EnvVar] = &[
    EnvVar { name: "REIN_HOME", doc: "one folder for all of rein's user state (config, sessions); used by tests", secret: false },
    EnvVar { name: "REIN_LOG", doc: "log filter, e.g. `debug` or `rein_provider=trace` (logs go to stderr)", secret: false },
    EnvVar { name: "REIN_MODEL", doc: "setting `model`", secret: false },
    EnvVar { name: "REIN_PROVIDER", doc: "setting `provider`", secret: false },
    EnvVar { name: "REIN_MAX_TURNS", doc: "setting `max_turns`", secret: false },
    EnvVar { name: "REIN_PERMISSION_MODE", doc: "setting `permission_mode`", secret: false },
    EnvVar { name: "REIN_SANDBOX", doc: "setting `sandbox.enabled` (true or false)", secret: false },
    EnvVar { name: "REIN_LOCAL_MODEL", doc: "setting `local.model`", secret: false },
    EnvVar { name: "REIN_MEMORY", doc: "setting `memory.enabled` (true or false)", secret: false },
    EnvVar { name: "REIN_MCP", doc: "setting `mcp.enabled` (true or false)", secret: false },
    EnvVar { name: "REIN_AUTO_DREAM", doc: "setting `memory.auto_dream` (true or false)", secret: false },
    EnvVar { name: "REIN_MODELS_DIR", doc: "setting `local.models_dir` (a shared model cache)", secret: false },
    EnvVar { name: "ANTHROPIC_API_KEY", doc: "key for the Anthropic Messages API", secret: true },
    EnvVar { name: "ANTHROPIC_BASE_URL", doc: "setting `anthropic.base_url`", secret: false },
    EnvVar { name: "OPENAI_API_KEY", doc: "key for OpenAI or an OpenAI-compatible server", secret: true },
    EnvVar { name: "OPENAI_BASE_URL", doc: "setting `openai.base_url`", secret: false },
    EnvVar { name: "XDG_CONFIG_HOME", doc: "user config folder (default ~/.config)", secret: false },
    EnvVar { name: "XDG_DATA_HOME", doc: "user data folder (default ~/.local/share)", secret: false },
    EnvVar { name: "HOME", doc: "home folder", secret: false },
    EnvVar { name: "NO_COLOR", doc: "disable colour in terminal output", secret: false },
];

/// The registered environment variables as they were at start-up.
#[derive(Debug, Clone, Default)]
pub struct EnvSnapshot {
    vars: BTreeMap<&'static str, String>,
}

impl EnvSnapshot {
    /// Reads the registered variables from the process environment.
    pub fn capture() -> Self {
        Self::from_pairs(std::env::vars())
    }

    /// Builds a snapshot from pairs (tests); unregistered names are ignored.
    pub fn from_pairs<K: AsRef<str>, V: Into<String>>(
        pairs: impl IntoIterator<Item = (K, V)>,
    ) -> Self {
        let mut vars = BTreeMap::new();
        for (key, value) in pairs {
            if let Some(var) = ENV_VARS.iter().find(|v| v.name == key.as_ref()) {
                vars.insert(var.name, value.into());
            }
        }
        Self { vars }
    }

    /// The value of a variable, if set and not empty.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.vars.get(name).map(String::as_str).filter(|v| !v.is_empty())
    }
}
