//! One configured server as the rest of rein sees it: connected on first need, requests
//! bounded in time and cancellable, and restarted after it crashed or stopped answering.

use crate::config::ServerConfig;
use crate::connection::{Catalog, ConnectOptions, Connection};
use crate::error::McpError;
use crate::status::{ServerState, ServerStatus};
use rmcp::ServiceError;
use std::future::Future;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;
use tokio_util::sync::CancellationToken;

/// How long a server that missed a deadline has to answer a ping before it is restarted.
const PING_TIMEOUT: Duration = Duration::from_secs(2);

pub(crate) struct RemoteServer {
    pub(crate) config: ServerConfig,
    options: Arc<ConnectOptions>,
    /// The live connection; held while (re)connecting, so one caller restarts and the others
    /// wait for it.
    live: tokio::sync::Mutex<Option<Arc<Connection>>>,
    seen: Mutex<Seen>,
}

/// The state and listing last observed, for status and for building tools.
#[derive(Clone)]
struct Seen {
    state: ServerState,
    catalog: Arc<Catalog>,
    log: Option<std::path::PathBuf>,
}

impl RemoteServer {
    pub(crate) fn new(config: ServerConfig, options: Arc<ConnectOptions>) -> Self {
        let state = if config.enabled {
            ServerState::Failed("not started".into())
        } else {
            ServerState::Disabled
        };
        Self {
            config,
            options,
            live: tokio::sync::Mutex::new(None),
            seen: Mutex::new(Seen { state, catalog: Arc::default(), log: None }),
        }
    }

    pub(crate) fn name(&self) -> &str {
        &self.config.name
    }

    /// What the server offered at its last connection.
    pub(crate) fn catalog(&self) -> Arc<Catalog> {
        self.seen().catalog
    }

    pub(crate) fn status(&self) -> ServerStatus {
        let seen = self.seen();
        ServerStatus {
            name: self.config.name.clone(),
            source: self.config.source.clone(),
            transport: self.config.transport.kind(),
            target: self.config.transport.to_string(),
            state: seen.state,
            tools: seen.catalog.tools.len(),
            resources: seen.catalog.resources.len(),
            prompts: seen.catalog.prompts.len(),
            log: seen.log,
        }
    }

    /// The live connection, starting (or restarting) the server when there is none or the
    /// old one died.
    pub(crate) async fn connection(&self) -> Result<Arc<Connection>, McpError> {
        if !self.config.enabled {
            return Err(McpError::Disabled(self.config.name.clone()));
        }
        let mut live = self.live.lock().await;
        if let Some(connection) = live.as_ref()
            && connection.is_alive()
        {
            return Ok(Arc::clone(connection));
        }
        if let Some(dead) = live.take() {
            dead.kill();
            tracing::info!(server = %self.config.name, "restarting MCP server");
        }
        let opened = tokio::time::timeout(
            self.config.startup_timeout,
            Connection::open(&self.config, &self.options),
        )
        .await
        .unwrap_or_else(|_| {
            Err(format!(
                "it did not finish starting within {} (startup_timeout_ms)",
                crate::error::seconds(self.config.startup_timeout)
            ))
        });
        match opened {
            Ok(connection) => {
                let connection = Arc::new(connection);
                self.update(|seen| {
                    seen.state = ServerState::Connected;
                    seen.catalog = Arc::new(connection.catalog.clone());
                    seen.log = connection.log_path();
                });
                *live = Some(Arc::clone(&connection));
                Ok(connection)
            }
            Err(reason) => {
                self.update(|seen| seen.state = ServerState::Failed(reason.clone()));
                Err(McpError::Start { server: self.config.name.clone(), reason })
            }
        }
    }

    /// Runs one request on the live connection within the server's `tool_timeout`, unless
    /// `cancel` fires first. A broken connection is dropped (the next request restarts the
    /// server); one that missed the deadline is kept only if it still answers a ping.
    pub(crate) async fn request<T, F, Fut>(
        &self,
        doing: String,
        cancel: Option<&CancellationToken>,
        send: F,
    ) -> Result<T, McpError>
    where
        F: FnOnce(Arc<Connection>) -> Fut,
        Fut: Future<Output = Result<T, ServiceError>>,
    {
        // A restart can take the whole start-up limit; an interrupt must not wait for it.
        let connection = match cancel {
            Some(cancel) => tokio::select! {
                connection = self.connection() => connection?,
                () = cancel.cancelled() => return Err(McpError::Cancelled),
            },
            None => self.connection().await?,
        };
        let timeout = self.config.tool_timeout;
        let answer = {
            let request = tokio::time::timeout(timeout, send(Arc::clone(&connection)));
            match cancel {
                Some(cancel) => tokio::select! {
                    answer = request => answer,
                    () = cancel.cancelled() => return Err(McpError::Cancelled),
                },
                None => request.await,
            }
        };
        let server = self.config.name.clone();
        match answer {
            Ok(Ok(value)) => Ok(value),
            Ok(Err(ServiceError::McpError(error))) => {
                Err(McpError::Remote { server, doing, message: error.message.to_string() })
            }
            Ok(Err(ServiceError::Timeout { timeout })) => {
                Err(self.missed_deadline(&connection, doing, timeout).await)
            }
            Ok(Err(
                error @ (ServiceError::TransportClosed
                | ServiceError::TransportSend(_)
                | ServiceError::Cancelled { .. }),
            )) => {
                let mut detail = connection.crash_detail().await;
                if detail.is_empty() {
                    detail = format!(" ({error})");
                }
                self.forget(&connection, format!("stopped while {doing}")).await;
                Err(McpError::Crashed { server, doing, detail })
            }
            Ok(Err(error)) => Err(McpError::Remote { server, doing, message: error.to_string() }),
            Err(_elapsed) => Err(self.missed_deadline(&connection, doing, timeout).await),
        }
    }

    /// The error for a request that took too long, after checking whether the server is
    /// still there at all.
    async fn missed_deadline(
        &self,
        connection: &Arc<Connection>,
        doing: String,
        timeout: Duration,
    ) -> McpError {
        let answers =
            tokio::time::timeout(PING_TIMEOUT, ping(connection)).await.is_ok_and(|r| r.is_ok());
        let detail = if answers {
            " (the server still answers; the tool may just be slow: tool_timeout_ms raises the limit)".to_string()
        } else {
            self.forget(connection, format!("stopped answering while {doing}")).await;
            "; it does not answer at all and is restarted on the next request".to_string()
        };
        McpError::Timeout { server: self.config.name.clone(), doing, timeout, detail }
    }

    /// Drops `connection` if it is still the live one, killing the server.
    async fn forget(&self, connection: &Arc<Connection>, why: String) {
        let mut live = self.live.lock().await;
        if live.as_ref().is_some_and(|current| Arc::ptr_eq(current, connection)) {
            *live = None;
            self.update(|seen| {
                seen.state = ServerState::Failed(format!("{why}; restarts on the next request"))
            });
        }
        connection.kill();
    }

    /// Closes the connection (rein is done with the server).
    pub(crate) async fn shut_down(&self) {
        if let Some(connection) = self.live.lock().await.take() {
            connection.kill();
        }
    }

    fn seen(&self) -> Seen {
        self.seen.lock().unwrap_or_else(PoisonError::into_inner).clone()
    }

    fn update(&self, change: impl FnOnce(&mut Seen)) {
        change(&mut self.seen.lock().unwrap_or_else(PoisonError::into_inner));
    }
}

async fn ping(connection: &Connection) -> Result<(), ServiceError> {
    use rmcp::model::{ClientRequest, PingRequest};
    connection
        .service()
        .send_request(ClientRequest::PingRequest(PingRequest::default()))
        .await
        .map(|_| ())
}
