//! The server: routes, the optional token, and serving on a loopback socket.

use crate::auth::require_token;
use crate::handlers;
use crate::state::AppState;
use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::middleware::from_fn_with_state;
use axum::routing::{get, post};
use rein_provider::Provider;
use std::future::Future;
use std::io;
use std::net::SocketAddr;
use std::sync::Arc;
use tokio::net::TcpListener;

/// Largest request body accepted. Long conversations with file contents exceed axum's 2 MiB
/// default; this still bounds memory.
const MAX_BODY_BYTES: usize = 32 * 1024 * 1024;

/// An OpenAI-compatible Chat Completions endpoint in front of one [`Provider`], so editors
/// and other agents can use the model rein runs.
///
/// Routes: `GET /health`, `GET /v1/models`, `GET /v1/models/{id}` and
/// `POST /v1/chat/completions` (whole or streamed answers, tool calls included). Requests are
/// answered one at a time, in arrival order.
#[derive(Debug, Clone)]
pub struct OpenAiServer {
    state: Arc<AppState>,
    token: Option<Arc<str>>,
}

impl OpenAiServer {
    /// A server answering with `provider`, listing it as `model_name`. Whatever model a client
    /// names, this one answers.
    pub fn new(provider: Arc<dyn Provider>, model_name: String) -> Self {
        Self { state: Arc::new(AppState::new(provider, model_name)), token: None }
    }

    /// Requires `Authorization: Bearer <token>` on the `/v1` routes (401 otherwise).
    /// `/health` stays open so that readiness checks need no secret.
    pub fn with_token(mut self, token: String) -> Self {
        self.token = Some(Arc::from(token));
        self
    }

    /// The routes, for serving on a listener of one's own or calling directly in tests.
    pub fn router(&self) -> Router {
        let mut api = Router::new()
            .route("/v1/models", get(handlers::models))
            .route("/v1/models/{id}", get(handlers::model))
            .route("/v1/chat/completions", post(handlers::chat_completions))
            .layer(DefaultBodyLimit::max(MAX_BODY_BYTES));
        if let Some(token) = &self.token {
            api = api.route_layer(from_fn_with_state(Arc::clone(token), require_token));
        }
        Router::new()
            .route("/health", get(handlers::health))
            .merge(api)
            .fallback(handlers::not_found)
            .with_state(Arc::clone(&self.state))
    }

    /// Binds `addr`, which must be a loopback address, and serves until `shutdown` completes.
    /// Refusing other addresses keeps a model without a token from being exposed by mistake.
    pub async fn serve(
        self,
        addr: SocketAddr,
        shutdown: impl Future<Output = ()> + Send + 'static,
    ) -> io::Result<()> {
        ensure_loopback(addr)?;
        let listener = TcpListener::bind(addr).await?;
        self.serve_on(listener, shutdown).await
    }

    /// Serves on a listener already bound to a loopback address (bind port 0 to let the system
    /// choose one, then read it with `local_addr`) until `shutdown` completes.
    pub async fn serve_on(
        self,
        listener: TcpListener,
        shutdown: impl Future<Output = ()> + Send + 'static,
    ) -> io::Result<()> {
        ensure_loopback(listener.local_addr()?)?;
        tracing::info!(addr = %listener.local_addr()?, model = %self.state.model, "serving");
        axum::serve(listener, self.router()).with_graceful_shutdown(shutdown).await
    }
}

fn ensure_loopback(addr: SocketAddr) -> io::Result<()> {
    if addr.ip().is_loopback() {
        Ok(())
    } else {
        Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            format!("refusing to serve on {addr}: only loopback addresses are allowed"),
        ))
    }
}
