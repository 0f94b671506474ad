//! `mcp_list_resources` and `mcp_read_resource`: the servers' resources (files, records,
//! documents they expose by URI), for the model to find and read.

use crate::convert;
use crate::error::McpError;
use crate::server::RemoteServer;
use rein_tools::{ToolContext, ToolOutput, TypedTool};
use rmcp::model::ReadResourceRequestParams;
use schemars::JsonSchema;
use serde::Deserialize;
use std::fmt::Write as _;
use std::sync::Arc;

/// Resources listed at most per call.
const MAX_LISTED: usize = 500;

/// Lists the resources of the servers that offer any.
pub(crate) struct ListResourcesTool {
    pub(crate) servers: Vec<Arc<RemoteServer>>,
}

/// Arguments of `mcp_list_resources`.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct ListArgs {
    /// Only this server's resources (default: every server's).
    server: Option<String>,
}

#[async_trait::async_trait]
impl TypedTool for ListResourcesTool {
    type Args = ListArgs;
    const NAME: &'static str = "mcp_list_resources";
    const DESCRIPTION: &'static str = "List the resources (documents, files, records) that \
        connected MCP servers expose, with their URIs. Read one with mcp_read_resource.";
    const READ_ONLY: bool = true;

    async fn call(&self, args: ListArgs, ctx: &ToolContext) -> ToolOutput {
        let servers = match pick(&self.servers, args.server.as_deref()) {
            Ok(servers) => servers,
            Err(error) => return ToolOutput::error(error),
        };
        let mut out = String::new();
        let mut listed = 0;
        for server in servers {
            let doing = "listing resources".to_string();
            let result = server
                .request(doing, Some(ctx.cancel_token()), |connection| async move {
                    connection.service().list_all_resources().await
                })
                .await;
            match result {
                Ok(resources) => {
                    let _ = writeln!(out, "{} ({} resources):", server.name(), resources.len());
                    for resource in resources.iter().take(MAX_LISTED.saturating_sub(listed)) {
                        let _ = write!(out, "  {} — {}", resource.uri, resource.name);
                        if let Some(mime) = &resource.mime_type {
                            let _ = write!(out, " ({mime})");
                        }
                        if let Some(description) =
                            resource.description.as_deref().filter(|d| !d.is_empty())
                        {
                            let _ =
                                write!(out, ": {}", description.lines().next().unwrap_or_default());
                        }
                        out.push('\n');
                    }
                    listed += resources.len();
                }
                Err(McpError::Cancelled) => return ToolOutput::error("interrupted"),
                Err(error) => {
                    let _ = writeln!(out, "{}: {error}", server.name());
                }
            }
        }
        if listed > MAX_LISTED {
            let _ = writeln!(out, "… {} more not shown", listed - MAX_LISTED);
        }
        ToolOutput::ok(out.trim_end().to_string())
    }
}

/// Reads one resource.
pub(crate) struct ReadResourceTool {
    pub(crate) servers: Vec<Arc<RemoteServer>>,
}

/// Arguments of `mcp_read_resource`.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct ReadArgs {
    /// The server that lists the resource.
    server: String,
    /// The resource's URI, as mcp_list_resources shows it.
    uri: String,
}

#[async_trait::async_trait]
impl TypedTool for ReadResourceTool {
    type Args = ReadArgs;
    const NAME: &'static str = "mcp_read_resource";
    const DESCRIPTION: &'static str =
        "Read a resource of an MCP server by its URI (see mcp_list_resources).";
    const READ_ONLY: bool = true;

    async fn call(&self, args: ReadArgs, ctx: &ToolContext) -> ToolOutput {
        let server = match pick(&self.servers, Some(&args.server)) {
            Ok(mut servers) => servers.remove(0),
            Err(error) => return ToolOutput::error(error),
        };
        let doing = format!("reading resource {}", args.uri);
        let params = ReadResourceRequestParams::new(args.uri);
        let result = server
            .request(doing, Some(ctx.cancel_token()), |connection| async move {
                connection.service().read_resource(params).await
            })
            .await;
        match result {
            Ok(result) => ToolOutput::ok(convert::resource_contents(&result.contents)),
            Err(McpError::Cancelled) => ToolOutput::error("interrupted"),
            Err(error) => ToolOutput::error(error.to_string()),
        }
    }
}

/// The servers to ask: the one named, or all.
fn pick(
    servers: &[Arc<RemoteServer>],
    name: Option<&str>,
) -> Result<Vec<Arc<RemoteServer>>, String> {
    match name {
        None => Ok(servers.to_vec()),
        Some(name) => {
            servers.iter().find(|s| s.name() == name).map(|s| vec![Arc::clone(s)]).ok_or_else(
                || {
                    let names: Vec<&str> = servers.iter().map(|s| s.name()).collect();
                    format!(
                        "no MCP server `{name}` with resources; servers with resources: {}",
                        names.join(", ")
                    )
                },
            )
        }
    }
}
