//! The MCP servers of a session: read from the settings, started once per session factory,
//! their tools added to the session's.

use rein_config::Config;
use rein_mcp::{ConnectOptions, LoadedServers, McpManager, McpSources, ServerState, ServerStatus};
use std::fmt::Write as _;
use std::sync::Arc;

/// The servers the settings define (none when `mcp.enabled` is off).
pub(crate) fn load(config: &Config) -> LoadedServers {
    if !config.settings.mcp.enabled {
        return LoadedServers::default();
    }
    let sources = McpSources {
        config_dir: Some(config.paths.config_dir.clone()),
        project_root: config.project_root.clone(),
    };
    // `${VAR}` in server definitions may name any variable, not only rein's own.
    sources.load(&|name| std::env::var(name).ok())
}

/// Where stdio servers run and log.
pub(crate) fn options(config: &Config) -> ConnectOptions {
    ConnectOptions {
        project_root: config.project_root.clone(),
        log_dir: Some(config.paths.data_dir.join("logs")),
    }
}

/// Starts every configured server; `None` (and no work at all) when there is none. The
/// warnings are for the user: files that could not be read, servers that did not start.
pub(crate) async fn start(config: &Config) -> (Option<Arc<McpManager>>, Vec<String>) {
    let loaded = load(config);
    if loaded.servers.is_empty() {
        return (None, loaded.warnings);
    }
    let manager = McpManager::start(loaded.servers, options(config)).await;
    let mut warnings = loaded.warnings;
    warnings.extend(manager.warnings().iter().cloned());
    (Some(Arc::new(manager)), warnings)
}

/// What `/mcp` shows.
pub(crate) fn describe(config: &Config, manager: Option<&McpManager>) -> String {
    if !config.settings.mcp.enabled {
        return "MCP is off (mcp.enabled = false)".into();
    }
    let Some(manager) = manager.filter(|m| !m.is_empty()) else {
        return "no MCP servers: add [mcp_servers.NAME] to .rein/config.toml or a .mcp.json \
                (rein mcp list shows what rein finds)"
            .into();
    };
    let mut text = String::from("MCP servers:\n");
    for status in manager.status() {
        let _ = writeln!(text, "  {}", line(&status));
    }
    let prompts = manager.prompts();
    if !prompts.is_empty() {
        let names: Vec<String> = prompts.iter().map(|p| format!("/{}", p.command)).collect();
        let _ = writeln!(text, "prompts: {}", names.join(" "));
    }
    text.trim_end().to_string()
}

/// One server: its state and counts, or why it failed and where its log is.
pub(crate) fn line(status: &ServerStatus) -> String {
    let mut line = status.to_string();
    if let (ServerState::Failed(_), Some(log)) = (&status.state, &status.log) {
        let _ = write!(line, " (log: {})", log.display());
    }
    line
}
