//! Layered settings for rein.
//!
//! Every setting is declared once in [`keys::KEYS`]. Layers are applied in order — defaults <
//! user files < project files < local files < environment < command line — and the resolved
//! [`Config`] remembers which layer each value came from, so `rein config explain` can show it.
//! Each file layer reads rein's TOML file and Claude Code's `settings.json` beside it (permission rules
//! and mode only); permission rule lists add up across layers.

mod claude;
mod env;
mod error;
mod keys;
mod layer;
mod paths;
mod resolve;
mod settings;

pub use env::{ENV_VARS, EnvSnapshot, EnvVar};
pub use error::ConfigError;
pub use keys::{KEYS, KeyDef, Kind};
pub use layer::{CliOverride, Origin, split_list};
pub use paths::{Paths, project_root};
pub use resolve::{Config, ExplainRow, LoadOptions};
pub use settings::{
    LocalReplyFormat, LocalSettings, McpSettings, MemorySettings, ProviderChoice, SandboxSettings,
    Settings,
};
