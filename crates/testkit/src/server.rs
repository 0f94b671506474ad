//! The running server and its public handle.

use crate::handler;
use crate::record::{JsonlRecorder, RecordedRequest};
use crate::script::{Reply, Script};
use crate::state::State;
use anyhow::Context as _;
use axum::serve::ListenerExt as _;
use std::net::{Ipv4Addr, SocketAddr};
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;
use tokio::net::TcpListener;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

/// How to start a [`FakeModelServer`] beyond its script.
#[derive(Debug, Clone, Default)]
pub struct ServerOptions {
    /// Port on 127.0.0.1; 0 picks a free one.
    pub port: u16,
    /// File to append every request to, one JSON line each.
    pub record_path: Option<PathBuf>,
}

/// A scripted model server on loopback speaking the Anthropic Messages and OpenAI Chat
/// Completions formats. Every request takes the next reply of one shared queue.
///
/// Dropping the handle shuts the server down gracefully in the background.
#[derive(Debug)]
pub struct FakeModelServer {
    addr: SocketAddr,
    state: Arc<State>,
    shutdown: Option<oneshot::Sender<()>>,
    task: Option<JoinHandle<()>>,
}

impl FakeModelServer {
    /// Starts serving `script` on `127.0.0.1` at a free port.
    pub async fn start(script: Script) -> anyhow::Result<Self> {
        Self::start_with(script, ServerOptions::default()).await
    }

    /// Starts serving `script` with `options`.
    pub async fn start_with(script: Script, options: ServerOptions) -> anyhow::Result<Self> {
        let recorder = options.record_path.as_deref().map(JsonlRecorder::open).transpose()?;
        let state = Arc::new(State::new(script, recorder));
        let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, options.port))
            .await
            .with_context(|| format!("cannot bind 127.0.0.1:{}", options.port))?;
        let addr = listener.local_addr().context("bound socket has no address")?;
        // Without NODELAY, small SSE writes can wait on delayed ACKs for tens of milliseconds.
        let listener = listener.tap_io(|tcp| {
            if let Err(error) = tcp.set_nodelay(true) {
                tracing::debug!(%error, "cannot set TCP_NODELAY");
            }
        });
        let (shutdown, shutdown_rx) = oneshot::channel::<()>();
        let app = handler::router(Arc::clone(&state));
        let task = tokio::spawn(async move {
            let signal = async move {
                // A dropped sender means the handle is gone: shut down too.
                let _ = shutdown_rx.await;
            };
            if let Err(error) = axum::serve(listener, app).with_graceful_shutdown(signal).await {
                tracing::warn!(%error, "fake model server stopped");
            }
        });
        Ok(Self { addr, state, shutdown: Some(shutdown), task: Some(task) })
    }

    /// The Anthropic base URL, `http://127.0.0.1:PORT`.
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// The OpenAI base URL, `http://127.0.0.1:PORT/v1`.
    pub fn openai_url(&self) -> String {
        format!("http://{}/v1", self.addr)
    }

    /// The bound address.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// Every request received so far, in arrival order.
    pub fn requests(&self) -> Vec<RecordedRequest> {
        self.state.requests()
    }

    /// Replies not yet served.
    pub fn remaining(&self) -> usize {
        self.state.remaining()
    }

    /// Appends a reply to the end of the script.
    pub fn push_reply(&self, reply: Reply) {
        self.state.push_reply(reply);
    }

    /// Moves the server's clock forward by `by`, as if that much time had passed; prompt cache
    /// entries unused for longer than their TTL expire. Has no other effect.
    pub fn advance_clock(&self, by: Duration) {
        self.state.clock.advance(by);
    }

    /// Prompt cache entries alive now; always 0 when the script does not enable caching.
    pub fn cache_entries(&self) -> usize {
        self.state.cache_entries()
    }

    /// Whether every reply has been served and no request is being handled.
    pub fn is_done(&self) -> bool {
        self.state.is_done()
    }

    /// Resolves once every reply has been served and every handler has produced its response
    /// (streamed bodies may still be in transit; [`FakeModelServer::shutdown`] waits for them).
    pub async fn wait_until_done(&self) {
        self.state.wait_until_done().await;
    }

    /// Stops accepting connections and waits until responses in progress have been sent.
    pub async fn shutdown(mut self) {
        if let Some(shutdown) = self.shutdown.take() {
            let _ = shutdown.send(());
        }
        if let Some(task) = self.task.take()
            && let Err(error) = task.await
        {
            tracing::warn!(%error, "fake model server task failed");
        }
    }
}

impl Drop for FakeModelServer {
    fn drop(&mut self) {
        if let Some(shutdown) = self.shutdown.take() {
            let _ = shutdown.send(());
        }
    }
}
