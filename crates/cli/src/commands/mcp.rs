//! `rein mcp list`: the MCP servers sessions here would connect to, started once to show
//! what each offers or why it fails.

use crate::args::{McpCommand, RunArgs};
use crate::{exit, mcp_setup, output, setup};
use rein_mcp::McpManager;
use serde_json::json;
use std::io::Write;

pub(super) async fn run(command: &McpCommand, args: &RunArgs) -> anyhow::Result<u8> {
    match command {
        McpCommand::List { json } => list(*json, args).await,
        McpCommand::Serve => super::mcp_serve::serve(args).await,
    }
}

async fn list(json_output: bool, args: &RunArgs) -> anyhow::Result<u8> {
    let config = setup::load_config(args)?;
    let loaded = mcp_setup::load(&config);
    let manager = McpManager::start(loaded.servers, mcp_setup::options(&config)).await;
    let mut warnings = loaded.warnings;
    // Start-up failures show in each server's state; only the listing problems are extra.
    warnings.extend(manager.warnings().iter().filter(|w| !w.contains("could not start")).cloned());
    let status = manager.status();
    manager.shut_down().await;
    let mut out = std::io::stdout().lock();
    if json_output {
        let report = json!({"enabled": config.settings.mcp.enabled, "servers": status, "warnings": warnings});
        writeln!(out, "{}", serde_json::to_string_pretty(&report)?)?;
        return Ok(exit::SUCCESS);
    }
    for warning in &warnings {
        output::warn(warning);
    }
    if !config.settings.mcp.enabled {
        writeln!(out, "MCP is off (mcp.enabled = false); no server is started.")?;
        return Ok(exit::SUCCESS);
    }
    if status.is_empty() {
        writeln!(
            out,
            "No MCP servers. rein reads [mcp_servers.NAME] tables from {}, .rein/config.toml and \
             .rein/config.local.toml, and mcpServers from .mcp.json in the project.",
            config.paths.user_config().display()
        )?;
        return Ok(exit::SUCCESS);
    }
    for server in &status {
        writeln!(out, "{}", mcp_setup::line(server))?;
        writeln!(out, "  {}: {}", server.transport, server.target)?;
        writeln!(out, "  defined in {}", server.source.display())?;
    }
    Ok(exit::SUCCESS)
}
