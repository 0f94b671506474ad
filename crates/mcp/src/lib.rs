//! MCP (Model Context Protocol) for rein, on the official Rust SDK.
//!
//! - **Client.** [`McpSources::load`] reads the servers the settings define
//!   (`[mcp_servers.NAME]` in rein's TOML files, `mcpServers` in the project's `.mcp.json`).
//!   [`McpManager::start`] connects them all at once and turns each remote tool into a rein
//!   [`Tool`](rein_tools::Tool) named `mcp__<server>__<tool>`; it also offers the servers'
//!   resources (two helper tools) and prompts (for slash commands), and reports each server's
//!   state. A server that crashes or stops answering is restarted on the next request.
//! - **Server.** [`ToolServer`] serves rein's own tools over MCP, and with a [`TaskRunner`]
//!   an `agent` tool that runs a whole session; [`serve_on`] runs it on any byte stream.

mod adapter;
mod config;
mod connection;
mod convert;
mod entry;
mod error;
mod expand;
mod http;
mod manager;
mod names;
mod prompts;
mod resource_tools;
mod serve;
mod server;
mod sources;
mod status;
mod stdio;

pub use config::{DEFAULT_STARTUP_TIMEOUT, DEFAULT_TOOL_TIMEOUT, ServerConfig, Transport};
pub use connection::ConnectOptions;
pub use convert::MAX_RESULT_CHARS;
pub use error::McpError;
pub use expand::EnvLookup;
pub use manager::McpManager;
pub use names::{MAX_TOOL_NAME, sanitize, tool_name};
pub use prompts::{PromptArgs, PromptArgument, PromptInfo};
pub use serve::{AGENT_TOOL, CallPolicy, TaskRunner, ToolServer, serve_on};
pub use sources::{LoadedServers, McpSources, TOML_TABLE};
pub use status::{ServerState, ServerStatus};
