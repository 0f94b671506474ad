//! What every command that runs a session needs: settings, store, provider, tools.

use crate::args::RunArgs;
use crate::exit::UsageError;
use crate::provider_select;
use anyhow::Context;
use rein_config::{CliOverride, Config, EnvSnapshot, LoadOptions};
use rein_core::{PromptProfile, Session, SessionOptions};
use rein_store::{SessionSummary, Store};
use rein_tools::ToolContext;
use std::sync::Arc;

/// Loads settings with the run flags as the top layer.
pub(crate) fn load_config(args: &RunArgs) -> anyhow::Result<Config> {
    let cwd = std::env::current_dir().context("reading the working directory")?;
    let mut cli = Vec::new();
    let mut flag = |key: &str, value: String, name: &str| {
        cli.push(CliOverride { key: key.into(), value, flag: name.into() });
    };
    if let Some(model) = &args.model {
        flag("model", model.clone(), "--model");
    }
    if let Some(provider) = &args.provider {
        flag("provider", provider.clone(), "--provider");
    }
    if let Some(max_turns) = args.max_turns {
        flag("max_turns", max_turns.to_string(), "--max-turns");
    }
    if let Some(mode) = &args.permission_mode {
        flag("permission_mode", mode.clone(), "--permission-mode");
    }
    for pair in &args.config {
        let (key, value) = pair.split_once('=').ok_or_else(|| UsageError {
            message: format!("--config expects KEY=VALUE, got `{pair}`"),
        })?;
        flag(key.trim(), value.trim().to_string(), "--config");
    }
    let mut config = Config::load(LoadOptions { cwd, env: EnvSnapshot::capture(), cli })?;
    // The flags add to the rules of the settings files rather than replacing them.
    let rules = &mut config.settings.permissions;
    rules.allow.extend(args.allowed_tools.iter().flat_map(|list| rein_config::split_list(list)));
    rules.deny.extend(args.disallowed_tools.iter().flat_map(|list| rein_config::split_list(list)));
    Ok(config)
}

pub(crate) fn open_store(config: &Config) -> anyhow::Result<Store> {
    Store::open(&config.paths.data_dir)
        .with_context(|| format!("opening session state in {}", config.paths.data_dir.display()))
}

/// Creates or resumes the session the flags ask for.
pub(crate) async fn session(
    args: &RunArgs,
    config: Config,
) -> anyhow::Result<(SessionFactory, Session)> {
    if args.resume.as_deref() == Some("") {
        return Err(UsageError {
            message: "--resume without an id picks from a list only in the interactive \
                      interface; give a session id (see `rein sessions list`)"
                .into(),
        }
        .into());
    }
    let factory = SessionFactory::new(config, None).await?;
    let resume = factory.resume_from_flags(args)?;
    let session = factory.start(resume)?;
    Ok((factory, session))
}

/// Starts sessions that share one provider, tool set and sandbox: the interactive interface
/// starts a new one on `/clear` and another on `/resume` without reloading a local model.
pub(crate) struct SessionFactory {
    config: Arc<Config>,
    store: Arc<Store>,
    provider: Arc<dyn rein_provider::Provider>,
    model: String,
    tools: Arc<rein_tools::ToolRegistry>,
    profile: PromptProfile,
    tool_ctx: ToolContext,
    sandbox_warning: Option<String>,
    memory: Option<Arc<rein_memory::Memory>>,
    extensions: Arc<crate::extensions::Extensions>,
    /// The MCP servers whose tools are in `tools`; they stop when the factory goes.
    mcp: Option<Arc<rein_mcp::McpManager>>,
    /// Servers that did not start, files that could not be read.
    mcp_warnings: Vec<String>,
    /// Whether runs wait for background subagents before they end (not in the interactive
    /// interface, where results arrive with the next prompt).
    await_background: bool,
}

impl SessionFactory {
    /// Opens the store and selects the provider; `prompter` answers the model's questions.
    pub(crate) async fn new(
        config: Config,
        prompter: Option<Arc<dyn rein_tools::UserPrompter>>,
    ) -> anyhow::Result<Self> {
        let store = Arc::new(open_store(&config)?);
        let memory = config.settings.memory.enabled.then(|| Arc::new(open_memory(&config, &store)));
        let http = rein_provider::http_client()?;
        let selection = provider_select::select(&config, http.clone()).await?;
        let mut tool_ctx = ToolContext::new(config.project_root.clone())
            .with_cwd(config.cwd.clone())
            .with_http(http);
        if let Some(prompter) = prompter {
            tool_ctx = tool_ctx.with_user_prompter(prompter);
        }
        let (sandbox, sandbox_warning) = crate::sandbox_setup::shell_sandbox(&config);
        if let Some(sandbox) = sandbox {
            tool_ctx = tool_ctx.with_sandbox(sandbox);
        }
        let extensions = Arc::new(crate::extensions::Extensions::load(&config));
        let (mut tools, profile) = if selection.local {
            (local_tools(), PromptProfile::Compact)
        } else {
            (rein_tools::builtin_tools(), PromptProfile::Standard)
        };
        // Small local models get no MCP tools: each schema costs them prefill time.
        let (mcp, mcp_warnings) = match profile {
            PromptProfile::Standard => crate::mcp_setup::start(&config).await,
            _ => (None, Vec::new()),
        };
        for tool in mcp.iter().flat_map(|mcp| mcp.tools()) {
            tools.register(tool);
        }
        Ok(Self {
            config: Arc::new(config),
            store,
            provider: selection.provider,
            model: selection.model,
            tools: Arc::new(tools),
            profile,
            tool_ctx,
            sandbox_warning,
            memory,
            extensions,
            mcp,
            mcp_warnings,
            await_background: true,
        })
    }

    /// The session's MCP servers, when any are configured (for `/mcp` and prompt commands).
    pub(crate) fn mcp(&self) -> Option<&Arc<rein_mcp::McpManager>> {
        self.mcp.as_ref()
    }

    /// The prompt to send for what the user typed: a custom command, a skill or an MCP
    /// server's prompt invoked as `/name arguments` becomes its text; anything else is sent as
    /// typed. Fails when an MCP server cannot render its prompt.
    pub(crate) async fn expand_prompt(&self, prompt: &str) -> Result<String, String> {
        let Some((name, arguments)) = crate::extensions::slash_prompt(prompt) else {
            return Ok(prompt.to_owned());
        };
        self.expand_command(name, arguments).await.unwrap_or_else(|| Ok(prompt.to_owned()))
    }

    /// The prompt the slash command `/name arguments` stands for; `None` when no custom
    /// command, skill or MCP prompt has that name.
    pub(crate) async fn expand_command(
        &self,
        name: &str,
        arguments: &str,
    ) -> Option<Result<String, String>> {
        if let Some(text) = self.extensions.expand(name, arguments) {
            return Some(Ok(text));
        }
        let mcp = self.mcp.as_ref()?;
        let info = mcp.prompts().into_iter().find(|prompt| prompt.command == name)?;
        let args = rein_mcp::PromptArgs::Positional(arguments.to_owned());
        Some(mcp.get_prompt(&info.server, &info.name, args).await.map_err(|e| e.to_string()))
    }

    /// The slash commands users added: custom commands, skills and MCP prompts.
    pub(crate) fn added_commands(&self) -> Vec<crate::extensions::Listed> {
        let mut listed = self.extensions.listed();
        for prompt in self.mcp.iter().flat_map(|mcp| mcp.prompts()) {
            let args: Vec<String> = prompt.arguments.iter().map(|a| a.name.clone()).collect();
            let description = prompt.description.clone().unwrap_or_default();
            listed.push((prompt.command, args.join(" "), format!("MCP prompt: {description}")));
        }
        listed
    }

    /// Lets runs end while background subagents work; their results arrive with the next
    /// prompt (the interactive interface, where the user keeps typing meanwhile).
    pub(crate) fn deliver_background_results_later(&mut self) {
        self.await_background = false;
    }

    pub(crate) fn config(&self) -> &Config {
        &self.config
    }

    pub(crate) fn store(&self) -> &Arc<Store> {
        &self.store
    }

    /// Persistent memory, unless it is off.
    pub(crate) fn memory(&self) -> Option<&Arc<rein_memory::Memory>> {
        self.memory.as_ref()
    }

    /// Ends `session` (daily log, SessionEnd hooks) and starts a dream in the background if
    /// one is due; returns the notice to show about it.
    pub(crate) async fn end(
        &self,
        session: &mut Session,
        reason: rein_core::SessionEndReason,
    ) -> Option<String> {
        session.end(reason).await;
        crate::commands::dream::start_if_due(&self.config, &self.store)
    }

    /// The session `--resume` or `--continue` names, if any.
    pub(crate) fn resume_from_flags(
        &self,
        args: &RunArgs,
    ) -> anyhow::Result<Option<SessionSummary>> {
        if let Some(id) = args.resume.as_deref().filter(|id| !id.is_empty()) {
            return Ok(Some(self.store.find(id)?));
        }
        if args.r#continue {
            let cwd = self.config.cwd.to_string_lossy().into_owned();
            let latest = self.store.latest_in(&cwd)?.ok_or_else(|| UsageError {
                message: format!("no earlier session in {cwd} to continue"),
            })?;
            return Ok(Some(latest));
        }
        Ok(None)
    }

    /// Starts a new session, or resumes `resume`. Each session gets fresh tool state (todo
    /// list, read stamps, jobs).
    pub(crate) fn start(&self, resume: Option<SessionSummary>) -> anyhow::Result<Session> {
        let options = SessionOptions {
            provider: self.provider.clone(),
            model: self.model.clone(),
            tools: self.tools.clone(),
            profile: self.profile,
            tool_ctx: self.tool_ctx.fresh(),
            store: self.store.clone(),
            resume,
            config: self.config.clone(),
            memory: self.memory.clone().map(|memory| rein_core::MemoryOptions {
                memory,
                tool: self.profile == PromptProfile::Standard,
                recall_limit: self.config.settings.memory.recall_limit as usize,
                opening_budget: (self.profile == PromptProfile::Compact)
                    .then_some(COMPACT_MEMORY_BYTES),
            }),
            // Small local models get no subagents or skills: every schema and listing costs
            // them prefill time, and they follow such indirection poorly.
            subagents: (self.profile == PromptProfile::Standard).then(|| {
                rein_core::SubagentOptions {
                    definitions: self.extensions.agents.clone(),
                    await_background: self.await_background,
                }
            }),
            skills: self.extensions.skills.clone(),
        };
        let mut session = Session::start(options)?;
        session.add_warnings(self.sandbox_warning.clone());
        session.add_warnings(self.extensions.warnings.iter().cloned());
        session.add_warnings(self.mcp_warnings.iter().cloned());
        Ok(session)
    }

    /// A session rein runs for itself (a dream): only `tools`, its transcript in `store`, no
    /// memory of its own and no hooks.
    pub(crate) fn start_restricted(
        &self,
        tools: rein_tools::ToolRegistry,
        store: Arc<Store>,
    ) -> anyhow::Result<Session> {
        let options = SessionOptions {
            provider: self.provider.clone(),
            model: self.model.clone(),
            tools: Arc::new(tools),
            profile: self.profile,
            tool_ctx: self.tool_ctx.fresh(),
            store,
            resume: None,
            config: self.config.clone(),
            memory: None,
            subagents: None,
            skills: Vec::new(),
        };
        let mut session = Session::start(options)?;
        session.disable_hooks();
        Ok(session)
    }
}

/// Memory a small local model's session opens with at most: its window is a few thousand
/// tokens, and the task and files come first.
const COMPACT_MEMORY_BYTES: usize = 3_000;

/// The project and user memory folders of `config`, versioned in `store`.
pub(crate) fn open_memory(config: &Config, store: &Arc<Store>) -> rein_memory::Memory {
    rein_memory::Memory::new(
        rein_memory::MemoryDir::project(&config.project_root),
        rein_memory::MemoryDir::user(&config.paths.config_dir),
        Some(store.clone()),
    )
}

/// The tools offered to small local models: few, with simple argument shapes, because every
/// schema costs prefill time and each extra choice is a chance to pick wrong.
fn local_tools() -> rein_tools::ToolRegistry {
    let mut tools = rein_tools::builtin_tools();
    tools.retain(|name| matches!(name, "read" | "write" | "bash" | "list" | "grep"));
    tools
}
