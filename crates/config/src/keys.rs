//! Every setting rein knows, declared once.

/// The type of a setting's value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// Text.
    Str,
    /// Whole number ≥ 0.
    Int,
    /// Number.
    Float,
    /// true / false.
    Bool,
    /// A list of strings (`["a", "b"]`; on the command line also `a,b`).
    List,
}

impl Kind {
    pub(crate) fn name(self) -> &'static str {
        match self {
            Kind::Str => "a string",
            Kind::Int => "a whole number ≥ 0",
            Kind::Float => "a number",
            Kind::Bool => "true or false",
            Kind::List => "a list of strings",
        }
    }
}

/// One setting.
#[derive(Debug, Clone, Copy)]
pub struct KeyDef {
    /// Dotted key, as written in TOML (`openai.base_url` is `base_url` in table `[openai]`).
    pub key: &'static str,
    /// Value type.
    pub kind: Kind,
    /// Default, written as TOML would parse it; `None` means unset by default.
    pub default: Option<&'static str>,
    /// Environment variable that sets it, if any.
    pub env: Option<&'static str>,
    /// What it does.
    pub doc: &'static str,
}

/// Every setting, sorted by key.
#[rustfmt::skip] // a table reads best one key per line
pub const KEYS: &[KeyDef] = &[
    KeyDef { key: "anthropic.base_url", kind: Kind::Str, default: Some("https://api.anthropic.com"), env: Some("ANTHROPIC_BASE_URL"), doc: "Anthropic API base URL" },
    KeyDef { key: "context_window", kind: Kind::Int, default: None, env: None, doc: "context window in tokens, overriding the model table (compaction starts near it)" },
    KeyDef { key: "fallback_model", kind: Kind::Str, default: None, env: None, doc: "model to switch to after repeated overload errors" },
    KeyDef { key: "local.context_tokens", kind: Kind::Int, default: Some("8192"), env: None, doc: "context window of the embedded local model (tokens of KV cache)" },
    KeyDef { key: "local.max_new_tokens", kind: Kind::Int, default: Some("1024"), env: None, doc: "tokens the local model may write per reply" },
    KeyDef { key: "local.model", kind: Kind::Str, default: Some("qwen2.5-coder-1.5b"), env: Some("REIN_LOCAL_MODEL"), doc: "embedded model used when no hosted provider is configured (`rein model list`)" },
    KeyDef { key: "local.models_dir", kind: Kind::Str, default: None, env: Some("REIN_MODELS_DIR"), doc: "where local models are cached; default <data dir>/models" },
    KeyDef { key: "local.reply_format", kind: Kind::Str, default: Some("blocks"), env: None, doc: "how the local model acts in sessions: blocks (files in code blocks, commands in sh blocks) or tools (JSON tool calls)" },
    KeyDef { key: "local.threads", kind: Kind::Int, default: None, env: None, doc: "inference threads; default: all cores" },
    KeyDef { key: "max_output_tokens", kind: Kind::Int, default: Some("16384"), env: None, doc: "output-token limit of one model call" },
    KeyDef { key: "max_turns", kind: Kind::Int, default: Some("100"), env: Some("REIN_MAX_TURNS"), doc: "model calls allowed for one prompt before stopping" },
    KeyDef { key: "mcp.enabled", kind: Kind::Bool, default: Some("true"), env: Some("REIN_MCP"), doc: "start the MCP servers defined in [mcp_servers.NAME] tables and .mcp.json, and offer their tools" },
    KeyDef { key: "memory.auto_dream", kind: Kind::Bool, default: Some("true"), env: Some("REIN_AUTO_DREAM"), doc: "consolidate project memory in the background when a session ends, once enough sessions and hours have passed since the last dream" },
    KeyDef { key: "memory.dream_budget_tokens", kind: Kind::Int, default: Some("200000"), env: None, doc: "tokens one dream may use (input, cached input and output together)" },
    KeyDef { key: "memory.dream_min_hours", kind: Kind::Int, default: Some("24"), env: None, doc: "hours since the last dream before an automatic one" },
    KeyDef { key: "memory.dream_min_sessions", kind: Kind::Int, default: Some("5"), env: None, doc: "sessions in the project since the last dream before an automatic one" },
    KeyDef { key: "memory.enabled", kind: Kind::Bool, default: Some("true"), env: Some("REIN_MEMORY"), doc: "load and keep persistent memory (.rein/memory/ and the user memory folder), and write daily logs" },
    KeyDef { key: "memory.recall_limit", kind: Kind::Int, default: Some("3"), env: None, doc: "memories recalled into a prompt at most" },
    KeyDef { key: "model", kind: Kind::Str, default: None, env: Some("REIN_MODEL"), doc: "model id; default depends on the provider" },
    KeyDef { key: "openai.base_url", kind: Kind::Str, default: Some("https://api.openai.com/v1"), env: Some("OPENAI_BASE_URL"), doc: "OpenAI-compatible API base URL (Ollama, vLLM, llama.cpp server, …)" },
    KeyDef { key: "permission_mode", kind: Kind::Str, default: Some("accept-edits"), env: Some("REIN_PERMISSION_MODE"), doc: "ask | accept-edits | plan (read-only, enforced) | bypass; without a terminal to ask, calls that need approval are refused" },
    KeyDef { key: "permissions.allow", kind: Kind::List, default: None, env: None, doc: "tool calls that run without asking: bash(cargo test *), edit(src/**), web_fetch(domain:docs.rs), mcp__server__*" },
    KeyDef { key: "permissions.ask", kind: Kind::List, default: None, env: None, doc: "tool calls that always need approval, even when allowed" },
    KeyDef { key: "permissions.deny", kind: Kind::List, default: None, env: None, doc: "tool calls refused in every mode; deny wins over ask and allow" },
    KeyDef { key: "pricing.cache_read_per_mtok", kind: Kind::Float, default: None, env: None, doc: "dollars per million cache-read input tokens, replacing the model table's price" },
    KeyDef { key: "pricing.cache_write_per_mtok", kind: Kind::Float, default: None, env: None, doc: "dollars per million cache-write input tokens, replacing the model table's price" },
    KeyDef { key: "pricing.input_per_mtok", kind: Kind::Float, default: None, env: None, doc: "dollars per million uncached input tokens, replacing the model table's price" },
    KeyDef { key: "pricing.output_per_mtok", kind: Kind::Float, default: None, env: None, doc: "dollars per million output tokens, replacing the model table's price" },
    KeyDef { key: "provider", kind: Kind::Str, default: Some("auto"), env: Some("REIN_PROVIDER"), doc: "auto | anthropic | openai | local" },
    KeyDef { key: "retry.max_retries", kind: Kind::Int, default: Some("8"), env: None, doc: "retries of a failed model call (rate limits, overloads, dropped streams)" },
    KeyDef { key: "running_summary", kind: Kind::Bool, default: Some("true"), env: None, doc: "keep a summary of long sessions up to date in the background, so compaction need not wait for one (off for the local model)" },
    KeyDef { key: "sandbox.enabled", kind: Kind::Bool, default: Some("true"), env: Some("REIN_SANDBOX"), doc: "run shell commands in the Linux sandbox (Landlock, namespaces, seccomp); sandboxed commands need no approval" },
    KeyDef { key: "sandbox.network", kind: Kind::Bool, default: Some("false"), env: None, doc: "let sandboxed commands use the network" },
    KeyDef { key: "sandbox.writable", kind: Kind::List, default: None, env: None, doc: "more directories sandboxed commands may write (besides the workspace and temp dirs), e.g. ~/.cache" },
    KeyDef { key: "temperature", kind: Kind::Float, default: None, env: None, doc: "sampling temperature; unset uses the provider's default" },
    KeyDef { key: "thinking_budget", kind: Kind::Int, default: None, env: None, doc: "extended-thinking token budget (Anthropic); unset disables it" },
    KeyDef { key: "tools.concurrency", kind: Kind::Int, default: Some("8"), env: None, doc: "read-only tool calls run at once" },
];

pub(crate) fn find(key: &str) -> Option<&'static KeyDef> {
    KEYS.iter().find(|k| k.key == key)
}

/// The known key closest to `key`, for "did you mean" hints.
pub(crate) fn closest(key: &str) -> Option<&'static str> {
    KEYS.iter()
        .map(|k| (edit_distance(key, k.key), k.key))
        .filter(|(d, _)| *d <= 3)
        .min()
        .map(|(_, k)| k)
}

fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut prev = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let cur = row[j + 1];
            row[j + 1] = (prev + usize::from(ca != *cb)).min(row[j] + 1).min(cur + 1);
            prev = cur;
        }
    }
    row[b.len()]
}
