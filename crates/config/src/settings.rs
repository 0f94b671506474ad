//! The typed view of resolved settings that the rest of rein reads.

use crate::error::ConfigError;
use crate::layer::Origin;
use crate::resolve::Config;
use std::path::PathBuf;

/// Which provider to use.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProviderChoice {
    /// Pick from the credentials present.
    Auto,
    /// Anthropic Messages API.
    Anthropic,
    /// OpenAI Chat Completions or a compatible server.
    OpenAi,
    /// The embedded local model.
    Local,
}

/// Resolved settings, fully typed.
#[derive(Debug, Clone, PartialEq)]
pub struct Settings {
    /// Model id, if set.
    pub model: Option<String>,
    /// Provider choice.
    pub provider: ProviderChoice,
    /// Model to use after repeated overloads.
    pub fallback_model: Option<String>,
    /// Context window override in tokens.
    pub context_window: Option<u64>,
    /// Price overrides, dollars per million tokens: input, output, cache read, cache write.
    pub prices: [Option<f64>; 4],
    /// Model calls allowed per prompt.
    pub max_turns: u32,
    /// Output tokens per call.
    pub max_output_tokens: u32,
    /// Sampling temperature.
    pub temperature: Option<f32>,
    /// Thinking budget.
    pub thinking_budget: Option<u32>,
    /// Anthropic base URL.
    pub anthropic_base_url: String,
    /// OpenAI-compatible base URL.
    pub openai_base_url: String,
    /// Retries per model call.
    pub max_retries: u32,
    /// Concurrent read-only tool calls.
    pub tool_concurrency: usize,
    /// Keep a running session summary in the background.
    pub running_summary: bool,
    /// How tool calls are approved.
    pub permission_mode: rein_permissions::PermissionMode,
    /// Permission rules (allow / ask / deny lists).
    pub permissions: rein_permissions::RuleLists,
    /// The shell sandbox.
    pub sandbox: SandboxSettings,
    /// The embedded local model's settings.
    pub local: LocalSettings,
    /// Persistent memory and dreams.
    pub memory: MemorySettings,
    /// MCP servers.
    pub mcp: McpSettings,
}

/// Settings of MCP (the servers themselves are defined in their own tables, read by rein-mcp).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct McpSettings {
    /// Whether sessions start the configured servers.
    pub enabled: bool,
}

/// Settings of persistent memory.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MemorySettings {
    /// Whether sessions load and write memory and daily logs.
    pub enabled: bool,
    /// Whether dreams start on their own when a session ends.
    pub auto_dream: bool,
    /// Sessions since the last dream before an automatic one.
    pub dream_min_sessions: u32,
    /// Hours since the last dream before an automatic one.
    pub dream_min_hours: u64,
    /// Tokens a dream may use.
    pub dream_budget_tokens: u64,
    /// Memories recalled per prompt.
    pub recall_limit: u32,
}

/// Settings of the shell sandbox.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SandboxSettings {
    /// Whether shell commands run in the sandbox.
    pub enabled: bool,
    /// Whether sandboxed commands may use the network.
    pub network: bool,
    /// More writable directories (`~/` expanded).
    pub writable: Vec<PathBuf>,
}

/// Settings of the embedded local model.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LocalSettings {
    /// Catalogue name of the model.
    pub model: String,
    /// Model cache folder.
    pub models_dir: PathBuf,
    /// KV-cache size in tokens.
    pub context_tokens: u32,
    /// Tokens per reply.
    pub max_new_tokens: u32,
    /// Inference threads; `None` uses every core.
    pub threads: Option<u32>,
    /// How the model acts in agent sessions.
    pub reply_format: LocalReplyFormat,
}

/// How the local model acts in agent sessions (`local.reply_format`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LocalReplyFormat {
    /// Whole files in fenced code blocks, commands in sh blocks.
    Blocks,
    /// JSON tool calls.
    Tools,
}

impl Settings {
    /// Replaced before anyone reads it; lets `Config` be built before its typed view.
    pub(crate) fn default_placeholder() -> Self {
        Self {
            model: None,
            provider: ProviderChoice::Auto,
            fallback_model: None,
            context_window: None,
            prices: [None; 4],
            max_turns: 0,
            max_output_tokens: 0,
            temperature: None,
            thinking_budget: None,
            anthropic_base_url: String::new(),
            openai_base_url: String::new(),
            max_retries: 0,
            tool_concurrency: 1,
            running_summary: false,
            permission_mode: rein_permissions::PermissionMode::AcceptEdits,
            permissions: rein_permissions::RuleLists::default(),
            sandbox: SandboxSettings { enabled: false, network: false, writable: Vec::new() },
            local: LocalSettings {
                model: String::new(),
                models_dir: PathBuf::new(),
                context_tokens: 0,
                max_new_tokens: 0,
                threads: None,
                reply_format: LocalReplyFormat::Blocks,
            },
            memory: MemorySettings {
                enabled: false,
                auto_dream: false,
                dream_min_sessions: 0,
                dream_min_hours: 0,
                dream_budget_tokens: 0,
                recall_limit: 0,
            },
            mcp: McpSettings { enabled: false },
        }
    }

    pub(crate) fn from_config(c: &Config) -> Result<Self, ConfigError> {
        let provider = match c.str("provider").unwrap_or("auto") {
            "auto" => ProviderChoice::Auto,
            "anthropic" => ProviderChoice::Anthropic,
            "openai" => ProviderChoice::OpenAi,
            "local" => ProviderChoice::Local,
            other => {
                return Err(ConfigError::Invalid {
                    key: "provider".into(),
                    origin: c.origin("provider").map_or_else(String::new, Origin::to_string),
                    expected: "auto, anthropic, openai or local".into(),
                    found: format!("\"{other}\""),
                });
            }
        };
        let int = |key: &str, fallback: u64| -> Result<u64, ConfigError> {
            Ok(c.int(key)?.unwrap_or(fallback))
        };
        let small = |key: &str, fallback: u64| -> Result<u32, ConfigError> {
            let value = int(key, fallback)?;
            u32::try_from(value).map_err(|_| c.invalid(key, "a smaller whole number"))
        };
        Ok(Self {
            model: c.str("model").map(str::to_string),
            provider,
            fallback_model: c.str("fallback_model").map(str::to_string),
            context_window: c.int("context_window")?,
            prices: [
                c.float("pricing.input_per_mtok"),
                c.float("pricing.output_per_mtok"),
                c.float("pricing.cache_read_per_mtok"),
                c.float("pricing.cache_write_per_mtok"),
            ],
            max_turns: small("max_turns", 100)?,
            max_output_tokens: small("max_output_tokens", 16384)?,
            temperature: c.float("temperature").map(|t| t as f32),
            thinking_budget: c
                .int("thinking_budget")?
                .map(u32::try_from)
                .transpose()
                .map_err(|_| c.invalid("thinking_budget", "a smaller whole number"))?,
            anthropic_base_url: c.str("anthropic.base_url").unwrap_or_default().to_string(),
            openai_base_url: c.str("openai.base_url").unwrap_or_default().to_string(),
            max_retries: small("retry.max_retries", 8)?,
            tool_concurrency: int("tools.concurrency", 8)?.max(1) as usize,
            running_summary: c.bool("running_summary").unwrap_or(true),
            permission_mode: c
                .str("permission_mode")
                .unwrap_or("accept-edits")
                .parse()
                .map_err(|_| c.invalid("permission_mode", "ask, accept-edits, plan or bypass"))?,
            permissions: rein_permissions::RuleLists {
                allow: c.list("permissions.allow"),
                ask: c.list("permissions.ask"),
                deny: c.list("permissions.deny"),
            },
            sandbox: SandboxSettings {
                enabled: c.bool("sandbox.enabled").unwrap_or(true),
                network: c.bool("sandbox.network").unwrap_or(false),
                writable: c
                    .list("sandbox.writable")
                    .iter()
                    .map(|dir| expand_home(dir, c.paths.home.as_deref()))
                    .collect(),
            },
            local: LocalSettings {
                model: c.str("local.model").unwrap_or("qwen2.5-coder-1.5b").to_string(),
                models_dir: c
                    .str("local.models_dir")
                    .map_or_else(|| c.paths.data_dir.join("models"), PathBuf::from),
                context_tokens: small("local.context_tokens", 8192)?,
                max_new_tokens: small("local.max_new_tokens", 1024)?,
                threads: c
                    .int("local.threads")?
                    .map(u32::try_from)
                    .transpose()
                    .map_err(|_| c.invalid("local.threads", "a smaller whole number"))?,
                reply_format: match c.str("local.reply_format").unwrap_or("blocks") {
                    "blocks" => LocalReplyFormat::Blocks,
                    "tools" => LocalReplyFormat::Tools,
                    _ => return Err(c.invalid("local.reply_format", "blocks or tools")),
                },
            },
            memory: MemorySettings {
                enabled: c.bool("memory.enabled").unwrap_or(true),
                auto_dream: c.bool("memory.auto_dream").unwrap_or(true),
                dream_min_sessions: small("memory.dream_min_sessions", 5)?,
                dream_min_hours: int("memory.dream_min_hours", 24)?,
                dream_budget_tokens: int("memory.dream_budget_tokens", 200_000)?,
                recall_limit: small("memory.recall_limit", 3)?,
            },
            mcp: McpSettings { enabled: c.bool("mcp.enabled").unwrap_or(true) },
        })
    }
}

/// `dir` with a leading `~/` replaced by the home folder.
fn expand_home(dir: &str, home: Option<&std::path::Path>) -> PathBuf {
    match (dir.strip_prefix("~/"), home) {
        (Some(rest), Some(home)) => home.join(rest),
        _ => PathBuf::from(dir),
    }
}
