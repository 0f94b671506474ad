//! The per-session state every tool call sees.

use crate::read_state::ReadState;
use crate::todo::TodoItem;
use rein_exec::JobTable;
use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard, OnceLock, PoisonError};
use tokio_util::sync::CancellationToken;

/// Asks the human running the session a question.
#[async_trait::async_trait]
pub trait UserPrompter: Send + Sync {
    /// Asks `question`, offering `options` (may be empty: free-form answer). Returns `None`
    /// when nobody can answer. Calls may arrive concurrently; implementations serialise them.
    async fn ask(&self, question: &str, options: &[String]) -> Option<String>;
}

/// Session state shared by every tool call: workspace root, the shell's working directory,
/// the read stamps of files, the todo list and background jobs. Cheap to clone; clones share
/// the state. Built once per session by the agent loop; a clone with another cancellation
/// token (see [`with_cancel`](Self::with_cancel)) still shares everything else.
#[derive(Clone)]
pub struct ToolContext {
    shared: Arc<Shared>,
    http: Option<reqwest::Client>,
    prompter: Option<Arc<dyn UserPrompter>>,
    cancel: CancellationToken,
    sandbox: Option<Arc<rein_sandbox::Sandbox>>,
}

struct Shared {
    workspace: PathBuf,
    cwd: Mutex<PathBuf>,
    reads: ReadState,
    todos: Mutex<Vec<TodoItem>>,
    jobs: JobTable,
    default_http: OnceLock<reqwest::Client>,
}

impl Shared {
    fn new(workspace: PathBuf, cwd: PathBuf) -> Self {
        Self {
            workspace,
            cwd: Mutex::new(cwd),
            reads: ReadState::default(),
            todos: Mutex::new(Vec::new()),
            jobs: JobTable::new(),
            default_http: OnceLock::new(),
        }
    }
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(PoisonError::into_inner)
}

impl ToolContext {
    /// A context for a session working in `workspace_root` (canonicalised; it is also the
    /// initial working directory and the boundary for file writes).
    pub fn new(workspace_root: PathBuf) -> Self {
        let workspace = std::fs::canonicalize(&workspace_root).unwrap_or(workspace_root);
        Self {
            shared: Arc::new(Shared::new(workspace.clone(), workspace)),
            http: None,
            prompter: None,
            cancel: CancellationToken::new(),
            sandbox: None,
        }
    }

    /// A context for a new session in the same place with the same settings (HTTP client,
    /// prompter, sandbox) but none of this one's state: no todos, read stamps or jobs.
    pub fn fresh(&self) -> Self {
        let shared = Shared::new(self.shared.workspace.clone(), self.cwd());
        let fresh = Self { shared: Arc::new(shared), ..self.clone() };
        fresh.with_cancel(CancellationToken::new())
    }

    /// Like [`fresh`](Self::fresh), but working in `workspace` (a subagent's own worktree).
    pub fn fresh_in(&self, workspace: PathBuf) -> Self {
        let workspace = std::fs::canonicalize(&workspace).unwrap_or(workspace);
        let shared = Shared::new(workspace.clone(), workspace);
        let fresh = Self { shared: Arc::new(shared), ..self.clone() };
        fresh.with_cancel(CancellationToken::new())
    }

    /// Uses `client` for web requests (otherwise one is built on first use).
    pub fn with_http(mut self, client: reqwest::Client) -> Self {
        self.http = Some(client);
        self
    }

    /// Lets `ask_user` reach a human.
    pub fn with_user_prompter(mut self, prompter: Arc<dyn UserPrompter>) -> Self {
        self.prompter = Some(prompter);
        self
    }

    /// Cancels running tool calls (shell commands stop, their process groups are killed) when
    /// `cancel` fires.
    pub fn with_cancel(mut self, cancel: CancellationToken) -> Self {
        self.cancel = cancel;
        self
    }

    /// Runs shell commands (foreground and background) in `sandbox`.
    pub fn with_sandbox(mut self, sandbox: Arc<rein_sandbox::Sandbox>) -> Self {
        self.sandbox = Some(sandbox);
        self
    }

    /// The sandbox shell commands run in, if any.
    pub fn sandbox(&self) -> Option<&Arc<rein_sandbox::Sandbox>> {
        self.sandbox.as_ref()
    }

    /// Sets the starting working directory (e.g. a subdirectory of the workspace). Shared with
    /// every clone.
    pub fn with_cwd(self, cwd: PathBuf) -> Self {
        let cwd = std::fs::canonicalize(&cwd).unwrap_or(cwd);
        self.set_cwd(cwd);
        self
    }

    /// The workspace root (canonical).
    pub fn workspace(&self) -> &Path {
        &self.shared.workspace
    }

    /// The current working directory of the session's shell; relative paths resolve here.
    pub fn cwd(&self) -> PathBuf {
        lock(&self.shared.cwd).clone()
    }

    /// The model's current todo list.
    pub fn todos(&self) -> Vec<TodoItem> {
        lock(&self.shared.todos).clone()
    }

    /// Background jobs of the session; all are killed when the last clone of the context is
    /// dropped.
    pub fn jobs(&self) -> &JobTable {
        &self.shared.jobs
    }

    /// The cancellation token of tool calls.
    pub fn cancel_token(&self) -> &CancellationToken {
        &self.cancel
    }

    /// The stamp recorded for `path` (canonical) by the last read or write, if any.
    pub fn read_stamp(&self, path: &Path) -> Option<crate::FileStamp> {
        self.shared.reads.get(path)
    }

    pub(crate) fn set_cwd(&self, cwd: PathBuf) {
        *lock(&self.shared.cwd) = cwd;
    }

    pub(crate) fn set_todos(&self, todos: Vec<TodoItem>) {
        *lock(&self.shared.todos) = todos;
    }

    pub(crate) fn reads(&self) -> &ReadState {
        &self.shared.reads
    }

    pub(crate) fn prompter(&self) -> Option<&Arc<dyn UserPrompter>> {
        self.prompter.as_ref()
    }

    /// The HTTP client to use, building a default one on first use.
    pub(crate) fn http(&self) -> Result<reqwest::Client, String> {
        if let Some(client) = &self.http {
            return Ok(client.clone());
        }
        if let Some(client) = self.shared.default_http.get() {
            return Ok(client.clone());
        }
        let client = reqwest::Client::builder()
            .user_agent(concat!("rein/", env!("CARGO_PKG_VERSION")))
            .build()
            .map_err(|e| format!("could not build an HTTP client: {e}"))?;
        Ok(self.shared.default_http.get_or_init(|| client).clone())
    }
}

impl fmt::Debug for ToolContext {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ToolContext")
            .field("workspace", &self.shared.workspace)
            .field("cwd", &self.cwd())
            .field("has_prompter", &self.prompter.is_some())
            .finish_non_exhaustive()
    }
}
