//! Every configured server of a session: started together, their tools adapted, their prompts
//! and status available to the interface.

use crate::adapter::McpTool;
use crate::config::ServerConfig;
use crate::connection::ConnectOptions;
use crate::convert;
use crate::error::McpError;
use crate::names::tool_name;
use crate::prompts::{PromptArgs, PromptInfo};
use crate::resource_tools::{ListResourcesTool, ReadResourceTool};
use crate::server::RemoteServer;
use crate::status::ServerStatus;
use rein_tools::Tool;
use rmcp::model::GetPromptRequestParams;
use std::collections::BTreeSet;
use std::sync::Arc;

/// The MCP servers of a session.
pub struct McpManager {
    /// Sorted by name.
    servers: Vec<Arc<RemoteServer>>,
    warnings: Vec<String>,
}

impl McpManager {
    /// Starts every enabled server at once, each within its `startup_timeout`, and lists what
    /// it offers. A server that fails is reported in [`warnings`](Self::warnings) and
    /// [`status`](Self::status); the others are unaffected.
    pub async fn start(configs: Vec<ServerConfig>, options: ConnectOptions) -> Self {
        let options = Arc::new(options);
        let mut servers: Vec<Arc<RemoteServer>> = configs
            .into_iter()
            .map(|config| Arc::new(RemoteServer::new(config, Arc::clone(&options))))
            .collect();
        servers.sort_by(|a, b| a.name().cmp(b.name()));
        let started = futures::future::join_all(servers.iter().filter(|s| s.config.enabled).map(
            |server| async move { server.connection().await.err().map(|error| (server, error)) },
        ))
        .await;
        let mut warnings = Vec::new();
        for (server, error) in started.into_iter().flatten() {
            let log = server
                .status()
                .log
                .map(|log| format!(" (its log: {})", log.display()))
                .unwrap_or_default();
            warnings.push(format!("{error}{log}; its tools are not available"));
        }
        for server in &servers {
            for warning in &server.catalog().warnings {
                warnings.push(format!("MCP server `{}`: {warning}", server.name()));
            }
        }
        Self { servers, warnings }
    }

    /// Problems met while starting (servers that did not start, listings that failed).
    pub fn warnings(&self) -> &[String] {
        &self.warnings
    }

    /// Each server's state and what it offers, sorted by name.
    pub fn status(&self) -> Vec<ServerStatus> {
        self.servers.iter().map(|s| s.status()).collect()
    }

    /// One tool per remote tool of every connected server (`mcp__<server>__<tool>`), plus
    /// `mcp_list_resources` and `mcp_read_resource` when any server offers resources. Tools
    /// whose names collide after sanitising are skipped (the first one wins). Sorted by name.
    pub fn tools(&self) -> Vec<Arc<dyn Tool>> {
        let mut tools: Vec<Arc<dyn Tool>> = Vec::new();
        let mut taken = BTreeSet::new();
        for server in &self.servers {
            for tool in &server.catalog().tools {
                let name = tool_name(server.name(), &tool.name);
                if !taken.insert(name.clone()) {
                    tracing::warn!(server = server.name(), tool = %tool.name, "tool name taken; skipped");
                    continue;
                }
                tools.push(Arc::new(McpTool::new(Arc::clone(server), tool, name)));
            }
        }
        let with_resources: Vec<Arc<RemoteServer>> =
            self.servers.iter().filter(|s| !s.catalog().resources.is_empty()).cloned().collect();
        if !with_resources.is_empty() {
            tools.push(Arc::new(ListResourcesTool { servers: with_resources.clone() }));
            tools.push(Arc::new(ReadResourceTool { servers: with_resources }));
        }
        tools.sort_by(|a, b| a.name().cmp(b.name()));
        tools
    }

    /// Every prompt of the connected servers, by server then name.
    pub fn prompts(&self) -> Vec<PromptInfo> {
        let mut prompts: Vec<PromptInfo> = self
            .servers
            .iter()
            .flat_map(|server| {
                let catalog = server.catalog();
                catalog
                    .prompts
                    .iter()
                    .map(|p| PromptInfo::from_remote(server.name(), p))
                    .collect::<Vec<_>>()
            })
            .collect();
        prompts.sort_by(|a, b| (&a.server, &a.name).cmp(&(&b.server, &b.name)));
        prompts
    }

    /// The prompt `name` of `server`, filled with `args` and rendered as text.
    pub async fn get_prompt(
        &self,
        server: &str,
        name: &str,
        args: PromptArgs,
    ) -> Result<String, McpError> {
        let remote = self.server(server)?;
        let info =
            self.prompts().into_iter().find(|p| p.server == server && p.name == name).ok_or_else(
                || McpError::UnknownPrompt { server: server.into(), prompt: name.into() },
            )?;
        let arguments: serde_json::Map<String, serde_json::Value> =
            info.named(args)?.into_iter().map(|(k, v)| (k, serde_json::Value::String(v))).collect();
        let params = GetPromptRequestParams::new(name).with_arguments(arguments);
        let result = remote
            .request(format!("getting prompt `{name}`"), None, |connection| async move {
                connection.service().get_prompt(params).await
            })
            .await?;
        Ok(convert::prompt_messages(&result.messages))
    }

    /// Reads the resource `uri` of `server` as text.
    pub async fn read_resource(&self, server: &str, uri: &str) -> Result<String, McpError> {
        let params = rmcp::model::ReadResourceRequestParams::new(uri);
        let result = self
            .server(server)?
            .request(format!("reading resource {uri}"), None, |connection| async move {
                connection.service().read_resource(params).await
            })
            .await?;
        Ok(convert::resource_contents(&result.contents))
    }

    /// Stops every server now (they also stop when the manager is dropped).
    pub async fn shut_down(&self) {
        for server in &self.servers {
            server.shut_down().await;
        }
    }

    /// Whether no server is configured.
    pub fn is_empty(&self) -> bool {
        self.servers.is_empty()
    }

    fn server(&self, name: &str) -> Result<&Arc<RemoteServer>, McpError> {
        self.servers
            .iter()
            .find(|s| s.name() == name)
            .ok_or_else(|| McpError::UnknownServer(name.into()))
    }
}
