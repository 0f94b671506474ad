//! `rein model serve`: a local model behind an OpenAI-compatible endpoint on loopback.

use crate::local;
use anyhow::Context;
use rein_config::Config;
use std::io::Write;
use std::net::{Ipv4Addr, SocketAddr};

pub(crate) async fn run(
    config: &Config,
    name: &str,
    port: u16,
    token: Option<String>,
) -> anyhow::Result<u8> {
    let spec = local::spec(name)?;
    // Clients of an OpenAI-compatible endpoint expect tool calls, whatever sessions use.
    let settings = rein_config::LocalSettings {
        reply_format: rein_config::LocalReplyFormat::Tools,
        ..config.settings.local.clone()
    };
    let provider = local::load(&settings, spec).await?;
    let mut server = rein_server::OpenAiServer::new(provider, spec.name.to_string());
    if let Some(token) = token {
        server = server.with_token(token);
    }
    let addr = SocketAddr::from((Ipv4Addr::LOCALHOST, port));
    let _ = writeln!(
        std::io::stderr().lock(),
        "rein: serving {} at http://{addr}/v1 (OpenAI-compatible; Ctrl-C stops)",
        spec.name
    );
    let shutdown = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    server.serve(addr, shutdown).await.with_context(|| format!("serving on {addr}"))?;
    Ok(crate::exit::SUCCESS)
}
