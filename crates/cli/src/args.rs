//! Command-line arguments.

use clap::{Args, Parser, Subcommand, ValueEnum};

/// rein: a fast, open coding agent for your repository.
#[derive(Debug, Parser)]
#[command(name = "rein", version, about, long_about = None, args_conflicts_with_subcommands = true)]
pub(crate) struct Cli {
    #[command(subcommand)]
    pub(crate) command: Option<Command>,

    #[command(flatten)]
    pub(crate) run: RunArgs,

    /// Log progress to stderr (REIN_LOG gives finer control).
    #[arg(long, short = 'v', global = true)]
    pub(crate) verbose: bool,
}

#[derive(Debug, Args)]
pub(crate) struct RunArgs {
    /// Run one prompt without the interactive interface and exit. Without a value, or with
    /// `-`, the prompt is read from standard input.
    #[arg(short = 'p', long = "print", value_name = "PROMPT", num_args = 0..=1, default_missing_value = "-")]
    pub(crate) prompt: Option<String>,

    /// How to print the result of `-p`.
    #[arg(long, value_enum, default_value_t = OutputFormat::Text)]
    pub(crate) output_format: OutputFormat,

    /// Model id (e.g. claude-sonnet-4-5, gpt-4.1, or a local server's model name).
    #[arg(long, short = 'm', global = true)]
    pub(crate) model: Option<String>,

    /// Provider: auto, anthropic or openai.
    #[arg(long, global = true)]
    pub(crate) provider: Option<String>,

    /// Continue the most recent session in this directory.
    #[arg(long, short = 'c', conflicts_with = "resume")]
    pub(crate) r#continue: bool,

    /// Resume a session by id (or a unique prefix of it); without an id, pick one from a
    /// list in the interactive interface.
    #[arg(long, short = 'r', value_name = "ID", num_args = 0..=1, default_missing_value = "")]
    pub(crate) resume: Option<String>,

    /// Maximum model turns for this prompt.
    #[arg(long, value_name = "N", global = true)]
    pub(crate) max_turns: Option<u32>,

    /// How tool calls are approved: ask, accept-edits, plan (read-only) or bypass.
    #[arg(long, value_name = "MODE", global = true)]
    pub(crate) permission_mode: Option<String>,

    /// Tool calls that may run without asking, added to the settings' rules: a rule such as
    /// `bash(cargo test *)` or `edit(src/**)`, or several separated by commas.
    #[arg(long = "allowed-tools", value_name = "RULES", global = true)]
    pub(crate) allowed_tools: Vec<String>,

    /// Tool calls refused in every mode, added to the settings' rules.
    #[arg(long = "disallowed-tools", value_name = "RULES", global = true)]
    pub(crate) disallowed_tools: Vec<String>,

    /// Set any setting for this run: `-C key=value` (see `rein config explain`).
    #[arg(long = "config", short = 'C', value_name = "KEY=VALUE", global = true)]
    pub(crate) config: Vec<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum OutputFormat {
    /// The answer as it streams; progress on stderr.
    Text,
    /// One JSON object with the result when the run ends.
    Json,
    /// One JSON event per line as it happens (see docs/stream-json.md).
    StreamJson,
}

#[derive(Debug, Subcommand)]
pub(crate) enum Command {
    /// List and inspect sessions.
    #[command(subcommand)]
    Sessions(SessionsCommand),
    /// Inspect settings.
    #[command(subcommand)]
    Config(ConfigCommand),
    /// Manage and serve the embedded local models.
    #[command(subcommand)]
    Model(ModelCommand),
    /// Read, search, review and undo persistent memory (default: list it).
    Memory {
        /// The user memory folder instead of the project's.
        #[arg(long, global = true)]
        user: bool,
        #[command(subcommand)]
        command: Option<MemoryCommand>,
    },
    /// Consolidate memory now: merge duplicates, make dates absolute, resolve contradictions,
    /// prune the index. Writes a report; undo with `rein memory revert`.
    Dream {
        /// Show the proposed change without applying it.
        #[arg(long)]
        dry_run: bool,
        /// Tokens the dream may use (default: memory.dream_budget_tokens).
        #[arg(long)]
        budget: Option<u64>,
        /// Dream over the user memory folder instead of the project's.
        #[arg(long)]
        user: bool,
        /// Started by rein when a session ended: quiet, and only if still due.
        #[arg(long, hide = true)]
        auto: bool,
    },
    /// MCP: the servers sessions here connect to, and rein's own tools served to other clients.
    #[command(subcommand)]
    Mcp(McpCommand),
    /// What a new session here starts with: instruction files, prompt and tools, with sizes.
    Context {
        /// Print JSON instead of text.
        #[arg(long)]
        json: bool,
    },
}

#[derive(Debug, Subcommand)]
pub(crate) enum McpCommand {
    /// The configured servers: where each is defined, how it is reached, whether it starts,
    /// and its tools, resources and prompts.
    List {
        /// Print JSON instead of text.
        #[arg(long)]
        json: bool,
    },
    /// Serve rein's tools over MCP on stdin and stdout, with an `agent` tool that runs a
    /// whole session on a task (for editors and other agents).
    Serve,
}

#[derive(Debug, Subcommand)]
pub(crate) enum MemoryCommand {
    /// Every memory with its description, and the candidates waiting for review.
    List {
        /// Print JSON instead of text.
        #[arg(long)]
        json: bool,
    },
    /// Memories matching words, best first.
    Search {
        /// What to look for.
        query: Vec<String>,
    },
    /// Changes to memory, newest first: who, why, which files.
    Log {
        /// How many to show.
        #[arg(long, default_value_t = 20)]
        limit: usize,
        /// Print JSON instead of text.
        #[arg(long)]
        json: bool,
    },
    /// A revision (number) with its diff, or a memory (name) as it is now.
    Show {
        /// Revision number or memory name.
        what: String,
    },
    /// The diff of a revision.
    Diff {
        /// Revision number.
        revision: i64,
    },
    /// Undo a revision: its files go back to how they were before it.
    Revert {
        /// Revision number.
        revision: i64,
    },
    /// Open a memory (default: the index) in $VISUAL or $EDITOR; the edit is recorded.
    Edit {
        /// Memory name.
        name: Option<String>,
    },
    /// Candidates written after content from outside, waiting for approval.
    Review,
    /// Move a candidate from quarantine into memory.
    Approve {
        /// Candidate name.
        name: String,
    },
    /// Drop a candidate from quarantine (the history keeps it).
    Reject {
        /// Candidate name.
        name: String,
    },
    /// Where memory, daily logs and dream reports live.
    Path,
}

#[derive(Debug, Subcommand)]
pub(crate) enum ModelCommand {
    /// The models rein can run locally, and which are installed.
    List {
        /// Print JSON instead of a table.
        #[arg(long)]
        json: bool,
    },
    /// Download, assemble and verify local models (default: the configured one).
    Install {
        /// Model names (see `rein model list`).
        names: Vec<String>,
    },
    /// Serve a local model over an OpenAI-compatible HTTP endpoint on loopback.
    Serve {
        /// Model name (default: the configured one).
        #[arg(long = "local-model", value_name = "NAME")]
        model: Option<String>,
        /// Port on 127.0.0.1.
        #[arg(long, default_value_t = 8080)]
        port: u16,
        /// Require this bearer token from clients.
        #[arg(long, env = "REIN_SERVE_TOKEN", hide_env_values = true)]
        token: Option<String>,
    },
}

#[derive(Debug, Subcommand)]
pub(crate) enum SessionsCommand {
    /// Recent sessions, newest first.
    List {
        /// How many to show.
        #[arg(long, default_value_t = 20)]
        limit: usize,
        /// Print JSON instead of a table.
        #[arg(long)]
        json: bool,
    },
    /// Print a session's conversation.
    Show {
        /// Session id or unique prefix.
        id: String,
        /// Print the raw transcript lines.
        #[arg(long)]
        json: bool,
        /// List the session's compactions: when, why, what was dropped, the summary.
        #[arg(long)]
        compactions: bool,
    },
}

#[derive(Debug, Subcommand)]
pub(crate) enum ConfigCommand {
    /// Every setting with its value and where it came from.
    Explain {
        /// Print JSON instead of a table.
        #[arg(long)]
        json: bool,
    },
}
