//! A session: one conversation, its transcript, its tools and its running totals.

use crate::compact::CompactionHook;
use crate::error::CoreError;
use crate::mentions::attach_mentions;
use crate::normalize::normalize;
use crate::profile::PromptProfile;
use crate::prompt::environment_context;
use rein_config::Config;
use rein_context::{
    CacheWatch, InstructionSources, Instructions, NestedInstructions, ResultBudget,
};
use rein_protocol::{Message, ModelRequest, Role, SystemBlock, ToolSpec, Usage};
use rein_provider::{Provider, RetryPolicy};
use rein_store::{NewSession, SessionSummary, SessionWriter, Store, StoreError, TranscriptEntry};
use rein_tools::{ToolContext, ToolRegistry};
use std::sync::Arc;

/// Everything a session needs.
pub struct SessionOptions {
    /// Resolved configuration.
    pub config: Arc<Config>,
    /// The model provider.
    pub provider: Arc<dyn Provider>,
    /// Model id.
    pub model: String,
    /// Tools offered to the model.
    pub tools: Arc<ToolRegistry>,
    /// How much to tell the model: [`PromptProfile::Compact`] for small local models.
    pub profile: PromptProfile,
    /// Tool state shared by the session's calls (cwd, read stamps, jobs, todos).
    pub tool_ctx: ToolContext,
    /// Session store.
    pub store: Arc<Store>,
    /// An earlier session to continue; `None` starts a new one.
    pub resume: Option<SessionSummary>,
    /// Persistent memory; `None` runs without.
    pub memory: Option<crate::memory::MemoryOptions>,
    /// Subagents the session may start; `None` offers no `agent` tool.
    pub subagents: Option<crate::subagents::SubagentOptions>,
    /// Skills the model may load (listed in the opening message, loaded by the `skill` tool).
    pub skills: Vec<rein_context::extensions::Skill>,
}

/// One conversation with the model.
pub struct Session {
    pub(crate) id: String,
    pub(crate) config: Arc<Config>,
    pub(crate) provider: Arc<dyn Provider>,
    pub(crate) model: String,
    pub(crate) tools: Arc<ToolRegistry>,
    pub(crate) profile: PromptProfile,
    /// Computed once so the cached prefix stays byte-identical for the whole session.
    pub(crate) tool_specs: Vec<ToolSpec>,
    pub(crate) tool_ctx: ToolContext,
    pub(crate) store: Arc<Store>,
    writer: SessionWriter,
    pub(crate) messages: Vec<Message>,
    pub(crate) usage: Usage,
    pub(crate) cost_usd: f64,
    pub(crate) turns: u64,
    pub(crate) title: String,
    pub(crate) resumed: bool,
    pub(crate) retry: RetryPolicy,
    /// Warnings found while loading, reported at the start of the next run.
    pub(crate) load_warnings: Vec<String>,
    /// Instruction files loaded at the start.
    instructions: Instructions,
    /// Instruction files of subdirectories, handed out as the agent reaches them.
    pub(crate) nested_instructions: NestedInstructions,
    /// Notices prompt-cache breaks between this session's requests.
    pub(crate) cache_watch: CacheWatch,
    /// Keeps tool results within their budgets, saving large ones in the session's folder.
    pub(crate) result_budget: ResultBudget,
    /// Tokens the conversation takes: the last request's prompt and reply as the provider
    /// counted them, or an estimate.
    pub(crate) context_tokens: u64,
    /// When the last model request was sent (the provider's cache cools after a while).
    pub(crate) last_request_at: Option<std::time::Instant>,
    /// Auto-compactions that failed in a row.
    pub(crate) compaction_failures: u32,
    /// The estimated size of the conversation right after the last compaction.
    pub(crate) compacted_to: Option<u64>,
    /// Paths the agent's tool calls named, oldest first (re-read after compaction).
    pub(crate) recent_files: Vec<std::path::PathBuf>,
    /// Runs before each compaction.
    pub(crate) compaction_hook: Option<Arc<dyn CompactionHook>>,
    /// The summary kept up to date in the background for long sessions.
    pub(crate) running_summary: crate::running_summary::RunningSummary,
    /// Decides each tool call before it runs.
    pub(crate) permissions: crate::permission::Permissions,
    /// The user's hooks, from every settings file.
    pub(crate) hooks: crate::hooks::SessionHooks,
    /// Memory loaded, recalled and written in this session.
    pub(crate) memory: Option<crate::memory::SessionMemoryState>,
    /// Marked once content from outside enters the session.
    pub(crate) taint: Option<rein_memory::Taint>,
    /// What the session did, for the daily log.
    pub(crate) activity: crate::memory::Activity,
    /// Replaces the profile's system prompt (dreams and other restricted sessions).
    pub(crate) system_prompt: Option<String>,
    /// Tokens one run may use before it stops.
    pub(crate) token_budget: Option<u64>,
    /// Subagents started by the `agent` tool, when the session offers it.
    pub(crate) subagents: Option<crate::subagents::Subagents>,
    /// The skill listing that opens the conversation.
    pub(crate) skill_listing: Option<String>,
    /// Whether the opening environment block carries a git status snapshot.
    pub(crate) git_snapshot: bool,
}

pub(crate) fn now() -> String {
    chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
}

impl Session {
    /// Starts a new session or resumes the one in `options.resume`.
    pub fn start(options: SessionOptions) -> Result<Self, CoreError> {
        let SessionOptions {
            config,
            provider,
            model,
            mut tools,
            profile,
            tool_ctx,
            store,
            resume,
            memory,
            subagents,
            skills,
        } = options;
        let cwd = config.cwd.to_string_lossy().into_owned();
        let retry =
            RetryPolicy { max_retries: config.settings.max_retries, ..RetryPolicy::default() };
        let restored = match resume {
            Some(summary) => Restored::load(&store, summary, &model)?,
            None => Restored::create(&store, &cwd, &model, provider.name())?,
        };
        let mut load_warnings = restored.warnings.clone();
        let memory = memory.map(|options| {
            let (state, tool, warnings) =
                crate::memory::SessionMemoryState::start(options, &restored.id, restored.untrusted);
            if let Some(tool) = tool {
                tools = Arc::new(crate::memory::with_memory_tool(&tools, tool));
            }
            load_warnings.extend(warnings);
            state
        });
        let skill_listing = match crate::skills::SkillTool::new(&skills) {
            Some(tool) if profile == PromptProfile::Standard => {
                let mut with_skill = (*tools).clone();
                with_skill.register(Arc::new(tool));
                tools = Arc::new(with_skill);
                crate::skills::listing(&skills)
            }
            _ => None,
        };
        let taint_for_children = memory.as_ref().map(|state| state.taint.clone());
        let subagents = subagents.map(|options| {
            let (subagents, with_agent) = crate::subagents::Subagents::start(
                options,
                config.clone(),
                provider.clone(),
                &model,
                &tools,
                profile,
                &tool_ctx,
                taint_for_children,
            );
            tools = Arc::new(with_agent);
            subagents
        });
        let tool_specs = tools.specs();
        let instructions = Instructions::load(&InstructionSources {
            user_config_dir: Some(config.paths.config_dir.clone()),
            home: config.paths.home.clone(),
            project_root: config.project_root.clone(),
            cwd: config.cwd.clone(),
        });
        let nested_instructions = NestedInstructions::new(
            config.cwd.clone(),
            config.paths.home.clone(),
            &instructions.files,
        );
        let result_budget = ResultBudget::new(store.session_dir(&restored.id).join("tool-results"));
        load_warnings.extend(instructions.warnings.iter().cloned());
        let (permissions, rule_warnings) = crate::permission::Permissions::from_config(
            &config,
            tool_ctx.sandbox().is_some_and(|sandbox| sandbox.is_complete()),
        );
        load_warnings.extend(rule_warnings);
        let (hooks, hook_warnings) =
            crate::hooks::SessionHooks::load(&config, &restored.id, restored.writer.path());
        load_warnings.extend(hook_warnings);
        let mut session = Self {
            context_tokens: 0,
            compaction_failures: 0,
            last_request_at: None,
            compacted_to: None,
            recent_files: Vec::new(),
            compaction_hook: None,
            running_summary: Default::default(),
            permissions,
            hooks,
            taint: memory.as_ref().map(|state| state.taint.clone()),
            memory,
            activity: Default::default(),
            system_prompt: None,
            token_budget: None,
            subagents,
            skill_listing,
            git_snapshot: true,
            id: restored.id,
            title: restored.title,
            messages: restored.messages,
            usage: restored.usage,
            cost_usd: restored.cost_usd,
            turns: restored.turns,
            resumed: restored.resumed,
            load_warnings,
            instructions,
            nested_instructions,
            cache_watch: CacheWatch::default(),
            result_budget,
            writer: restored.writer,
            config,
            provider,
            model,
            tools,
            profile,
            tool_specs,
            tool_ctx,
            store,
            retry,
        };
        session.context_tokens = session.estimate_request_tokens();
        Ok(session)
    }

    /// Warnings for the user, reported at the start of the next run.
    pub fn add_warnings(&mut self, warnings: impl IntoIterator<Item = String>) {
        self.load_warnings.extend(warnings);
    }

    /// The session id (for `--resume`).
    pub fn id(&self) -> &str {
        &self.id
    }

    /// The conversation so far.
    pub fn messages(&self) -> &[Message] {
        &self.messages
    }

    /// Tokens used over the session's life.
    pub fn usage(&self) -> Usage {
        self.usage
    }

    /// The model in use.
    pub fn model(&self) -> &str {
        &self.model
    }

    /// The provider's name.
    pub fn provider_name(&self) -> &str {
        self.provider.name()
    }

    /// The cost of `usage` on `model`, with the prices the settings override.
    pub(crate) fn cost_of(&self, model: &str, usage: &Usage) -> rein_protocol::Cost {
        let [input, output, cache_read, cache_write] = self.config.settings.prices;
        let prices = rein_provider::PriceOverride { input, output, cache_read, cache_write };
        rein_provider::cost_with(model, usage, &prices)
    }

    /// The instruction files in effect.
    pub fn instructions(&self) -> &Instructions {
        &self.instructions
    }

    /// Sets who is asked about tool calls that need the user's approval; without one they are
    /// refused with an explanation.
    pub fn set_approver(&mut self, approver: Arc<dyn crate::permission::Approver>) {
        self.permissions.approver = Some(approver);
        self.sync_subagents();
    }

    /// Leaves the git status snapshot out of the opening context (subagents, which are
    /// started often and can run git themselves).
    pub(crate) fn skip_git_snapshot(&mut self) {
        self.git_snapshot = false;
    }

    /// Replaces the system prompt (for restricted sessions such as dreams). Call before the
    /// first run: the system prompt is part of the cached prefix.
    pub fn set_system_prompt(&mut self, prompt: impl Into<String>) {
        self.system_prompt = Some(prompt.into());
    }

    /// The system prompt in use.
    pub(crate) fn system_prompt(&self) -> &str {
        self.system_prompt.as_deref().unwrap_or(self.profile.system_prompt())
    }

    /// Stops each run once it has used `tokens` (input, cached input and output together).
    pub fn set_token_budget(&mut self, tokens: Option<u64>) {
        self.token_budget = tokens;
    }

    /// Runs no hooks (for sessions rein starts on its own, such as dreams).
    pub fn disable_hooks(&mut self) {
        self.hooks.disable();
    }

    /// Sets the hook that runs before each compaction.
    pub fn set_compaction_hook(&mut self, hook: Arc<dyn CompactionHook>) {
        self.compaction_hook = Some(hook);
    }

    /// The session context that opens a conversation: environment facts and instruction files.
    pub(crate) fn session_context(&self) -> Vec<rein_protocol::ContentBlock> {
        let today = chrono::Local::now().date_naive();
        let env = environment_context(
            &self.config.cwd,
            &self.config.project_root,
            today,
            self.tool_ctx.sandbox().map(AsRef::as_ref),
            self.git_snapshot,
        );
        let mut context = vec![rein_protocol::ContentBlock::text(env)];
        if let Some(instructions) = self.instructions.render() {
            context.push(rein_protocol::ContentBlock::text(instructions));
        }
        if let Some(memory) = self.memory.as_ref().and_then(|m| m.opening()) {
            context.push(rein_protocol::ContentBlock::text(memory));
        }
        if let Some(skills) = &self.skill_listing {
            context.push(rein_protocol::ContentBlock::text(skills.clone()));
        }
        context
    }

    pub(crate) fn writer_append(&mut self, entry: &TranscriptEntry) -> Result<(), StoreError> {
        self.writer.append(entry)
    }

    /// The user message that opens a prompt: in a new session the session context
    /// (environment facts, instruction files), the files the prompt names, and the prompt.
    /// The compact profile puts the context last: small models given it first tend to echo
    /// it. Also returns warnings about `@path`s that could not be attached.
    pub(crate) fn user_message(&self, prompt: &str) -> (Message, Vec<String>) {
        let context = if self.messages.is_empty() { self.session_context() } else { Vec::new() };
        let (files, warnings) =
            attach_mentions(&self.tool_ctx, prompt, self.profile.attaches_named_files());
        let prompt = rein_protocol::ContentBlock::text(prompt);
        let content = if self.profile.context_last() {
            files.into_iter().chain([prompt]).chain(context).collect()
        } else {
            context.into_iter().chain(files).chain([prompt]).collect()
        };
        (Message { role: Role::User, content }, warnings)
    }

    /// Appends a message to the transcript, then to the conversation (merging with the last
    /// message when roles repeat, the same way loading does).
    pub(crate) fn push(&mut self, message: Message) -> Result<(), StoreError> {
        self.writer.append(&TranscriptEntry::Message { ts: now(), message: message.clone() })?;
        match self.messages.last_mut() {
            Some(last) if last.role == message.role => last.content.extend(message.content),
            _ => self.messages.push(message),
        }
        Ok(())
    }

    pub(crate) fn note(&mut self, kind: &str, text: String) -> Result<(), StoreError> {
        self.writer.append(&TranscriptEntry::Note { ts: now(), kind: kind.to_string(), text })
    }

    /// Records one model call's usage in the transcript and the index.
    pub(crate) fn record_usage(&mut self, usage: Usage, cost_usd: f64) -> Result<(), StoreError> {
        self.usage += usage;
        self.cost_usd += cost_usd;
        self.turns += 1;
        self.writer.append(&TranscriptEntry::Usage {
            ts: now(),
            model: self.model.clone(),
            usage,
            cost_usd,
        })?;
        self.store.record_progress(
            &self.id,
            &self.model,
            &self.title,
            self.turns,
            self.usage,
            self.cost_usd,
        )
    }

    /// The request for the next model call.
    pub(crate) fn request(&self) -> ModelRequest {
        let settings = &self.config.settings;
        ModelRequest {
            model: self.model.clone(),
            system: vec![SystemBlock { text: self.system_prompt().to_string(), cache: true }],
            messages: self.messages.clone(),
            tools: self.tool_specs.clone(),
            max_tokens: settings.max_output_tokens,
            temperature: settings.temperature,
            thinking_budget: settings.thinking_budget,
            cache_last_message: true,
        }
    }
}

/// The persisted part of a session: new, or read back from its transcript.
struct Restored {
    id: String,
    title: String,
    messages: Vec<Message>,
    usage: Usage,
    cost_usd: f64,
    turns: u64,
    resumed: bool,
    untrusted: bool,
    warnings: Vec<String>,
    writer: SessionWriter,
}

impl Restored {
    fn create(store: &Store, cwd: &str, model: &str, provider: &str) -> Result<Self, StoreError> {
        let (id, writer) = store.create(&NewSession {
            cwd,
            model,
            provider,
            version: env!("CARGO_PKG_VERSION"),
        })?;
        Ok(Self {
            id,
            title: String::new(),
            messages: Vec::new(),
            usage: Usage::default(),
            cost_usd: 0.0,
            turns: 0,
            resumed: false,
            untrusted: false,
            warnings: Vec::new(),
            writer,
        })
    }

    fn load(store: &Store, summary: SessionSummary, model: &str) -> Result<Self, StoreError> {
        let loaded = store.load(summary)?;
        let mut writer = store.append_to(&loaded.summary)?;
        writer.append(&TranscriptEntry::Note {
            ts: now(),
            kind: "resumed".into(),
            text: format!("resumed with model {model}"),
        })?;
        let mut warnings = Vec::new();
        if loaded.skipped_lines > 0 {
            warnings.push(format!(
                "{} unreadable line(s) in the transcript were skipped (a crash can tear the last line)",
                loaded.skipped_lines
            ));
        }
        Ok(Self {
            id: loaded.summary.id,
            title: loaded.summary.title,
            messages: normalize(loaded.messages),
            usage: loaded.usage,
            cost_usd: loaded.cost_usd,
            turns: loaded.turns,
            resumed: true,
            untrusted: loaded.untrusted,
            warnings,
            writer,
        })
    }
}

/// The first line of the user's own words, for listings.
pub(crate) fn title_of(prompt: &str) -> String {
    let line = prompt.lines().find(|l| !l.trim().is_empty()).unwrap_or_default().trim();
    line.chars().take(80).collect()
}
