//! One live connection to a server: start it (process or HTTP session), shake hands, and
//! list what it offers.

use crate::config::{ServerConfig, Transport};
use crate::stdio::{self, Launch, ServerProcess};
use rmcp::ServiceExt;
use rmcp::model::{
    ClientCapabilities, ClientConfig, Implementation, Prompt, ProtocolVersion, Resource, Tool,
};
use rmcp::service::{RoleClient, RunningService};
use std::path::PathBuf;
use std::time::Duration;

/// How servers are started.
#[derive(Debug, Clone, Default)]
pub struct ConnectOptions {
    /// Stdio servers run here unless their entry sets `cwd`.
    pub project_root: PathBuf,
    /// Stdio servers' stderr goes to `mcp-<server>.log` here; `None` discards it.
    pub log_dir: Option<PathBuf>,
}

/// What a server offered when rein connected.
#[derive(Debug, Clone, Default)]
pub(crate) struct Catalog {
    pub(crate) tools: Vec<Tool>,
    pub(crate) resources: Vec<Resource>,
    pub(crate) prompts: Vec<Prompt>,
    /// Listings that failed (the server still counts as connected).
    pub(crate) warnings: Vec<String>,
}

/// A connected server. Dropping it closes the session and kills a stdio server's processes.
pub(crate) struct Connection {
    service: RunningService<RoleClient, ClientConfig>,
    process: Option<ServerProcess>,
    pub(crate) catalog: Catalog,
}

/// Lines of a crashed server's stderr quoted in the error.
const LAST_WORDS: usize = 5;

impl Connection {
    /// Starts the server, shakes hands and lists its tools, resources and prompts. The caller
    /// bounds the time; dropping the future kills a half-started process.
    pub(crate) async fn open(
        config: &ServerConfig,
        options: &ConnectOptions,
    ) -> Result<Self, String> {
        let client = client_config();
        match &config.transport {
            Transport::Stdio { command, args, env, cwd } => {
                let launch = Launch {
                    server: &config.name,
                    command,
                    args,
                    env,
                    cwd: cwd.as_deref().unwrap_or(&options.project_root),
                    log_dir: options.log_dir.as_deref(),
                };
                let (process, stdout, stdin) = stdio::spawn(&launch)?;
                match client.serve((stdout, stdin)).await {
                    Ok(service) => Ok(Self::listed(service, Some(process)).await),
                    Err(error) => {
                        let detail = ended(&process).await;
                        Err(format!("the handshake failed ({error}){detail}"))
                    }
                }
            }
            Transport::Http { url, headers } => {
                let transport = crate::http::transport(url, headers)?;
                let service = client
                    .serve(transport)
                    .await
                    .map_err(|error| format!("the handshake with {url} failed: {error}"))?;
                Ok(Self::listed(service, None).await)
            }
        }
    }

    async fn listed(
        service: RunningService<RoleClient, ClientConfig>,
        process: Option<ServerProcess>,
    ) -> Self {
        let capabilities =
            service.peer_info().map(|info| info.capabilities.clone()).unwrap_or_default();
        let mut catalog = Catalog::default();
        if capabilities.tools.is_some() {
            match service.list_all_tools().await {
                Ok(tools) => catalog.tools = tools,
                Err(e) => catalog.warnings.push(format!("listing its tools failed: {e}")),
            }
        }
        if capabilities.resources.is_some() {
            match service.list_all_resources().await {
                Ok(resources) => catalog.resources = resources,
                Err(e) => catalog.warnings.push(format!("listing its resources failed: {e}")),
            }
        }
        if capabilities.prompts.is_some() {
            match service.list_all_prompts().await {
                Ok(prompts) => catalog.prompts = prompts,
                Err(e) => catalog.warnings.push(format!("listing its prompts failed: {e}")),
            }
        }
        Self { service, process, catalog }
    }

    /// The client side of the session.
    pub(crate) fn service(&self) -> &RunningService<RoleClient, ClientConfig> {
        &self.service
    }

    /// Whether requests can still reach the server.
    pub(crate) fn is_alive(&self) -> bool {
        !self.service.is_closed()
            && !self.service.peer().is_transport_closed()
            && self.process.as_ref().is_none_or(|p| p.exit_status().is_none())
    }

    /// Ends the session and kills the process now, even while others still hold it.
    pub(crate) fn kill(&self) {
        self.service.cancellation_token().cancel();
        if let Some(process) = &self.process {
            process.kill();
        }
    }

    /// How the server ended, for an error message: exit status and its last stderr lines.
    pub(crate) async fn crash_detail(&self) -> String {
        match &self.process {
            Some(process) => ended(process).await,
            None => String::new(),
        }
    }

    /// The stdio server's log file, if any.
    pub(crate) fn log_path(&self) -> Option<PathBuf> {
        self.process.as_ref().and_then(|p| p.log_path().map(PathBuf::from))
    }
}

/// " (exit status 1); its last output: …" for a process that stopped.
async fn ended(process: &ServerProcess) -> String {
    let mut detail = match process.wait_exit(Duration::from_millis(300)).await {
        Some(status) => match status.code() {
            Some(code) => format!(" (it exited with status {code})"),
            None => " (it was killed by a signal)".to_string(),
        },
        None => String::new(),
    };
    let words = process.last_words(LAST_WORDS);
    if !words.is_empty() {
        detail.push_str("; its last output: ");
        detail.push_str(&words.join(" | "));
    }
    detail
}

/// Who rein says it is. The handshake names the newest protocol version that still has one,
/// so servers of every age answer.
fn client_config() -> ClientConfig {
    ClientConfig::new(
        ClientCapabilities::default(),
        Implementation::new("rein", env!("CARGO_PKG_VERSION")),
    )
    .with_protocol_version(ProtocolVersion::LATEST_WITH_INITIALIZE)
}
