#![allow(
    clippy::unwrap_used,
    clippy::panic,
    dead_code,
    reason = "test support: a failed setup step should fail the test loudly"
)]

//! The npm MCP servers the tests talk to, and configurations for them.

use rein_mcp::{ConnectOptions, McpManager, ServerConfig, Transport};
use rein_tools::{Tool, ToolContext, ToolOutput};
use serde_json::Value;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

/// `tests/mcp-servers` of the workspace.
pub(crate) fn servers_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/mcp-servers")
}

/// The installed program `name` of `tests/mcp-servers/node_modules/.bin`.
pub(crate) fn npm_server(name: &str) -> String {
    let path = servers_dir().join("node_modules/.bin").join(name);
    if !path.exists() {
        panic!(
            "{} is missing: install the test MCP servers with `bash scripts/setup-mcp.sh`",
            path.display()
        );
    }
    path.to_string_lossy().into_owned()
}

/// A stdio server definition with generous limits (a busy 2-core machine starts node slowly).
pub(crate) fn stdio(name: &str, command: &str, args: &[&str]) -> ServerConfig {
    ServerConfig {
        name: name.into(),
        transport: Transport::Stdio {
            command: command.into(),
            args: args.iter().map(|a| (*a).to_string()).collect(),
            env: BTreeMap::new(),
            cwd: None,
        },
        enabled: true,
        startup_timeout: Duration::from_secs(60),
        tool_timeout: Duration::from_secs(60),
        source: PathBuf::from("test"),
    }
}

pub(crate) fn everything() -> ServerConfig {
    stdio("everything", &npm_server("mcp-server-everything"), &["stdio"])
}

pub(crate) fn flaky() -> ServerConfig {
    let script = servers_dir().join("flaky-server.js");
    stdio("flaky", "node", &[script.to_str().unwrap()])
}

pub(crate) async fn start(configs: Vec<ServerConfig>, dir: &Path) -> McpManager {
    let options =
        ConnectOptions { project_root: dir.to_path_buf(), log_dir: Some(dir.join("logs")) };
    McpManager::start(configs, options).await
}

pub(crate) fn tool(manager: &McpManager, name: &str) -> Arc<dyn Tool> {
    let tools = manager.tools();
    let names: Vec<String> = tools.iter().map(|t| t.name().to_string()).collect();
    tools
        .into_iter()
        .find(|t| t.name() == name)
        .unwrap_or_else(|| panic!("no tool {name} among {names:?}"))
}

pub(crate) async fn call(manager: &McpManager, name: &str, input: Value, dir: &Path) -> ToolOutput {
    tool(manager, name).run(input, &ToolContext::new(dir.to_path_buf())).await
}
