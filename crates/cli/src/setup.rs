//! What every command that runs a session needs: settings, store, provider, tools.

use crate::args::RunArgs;
use crate::exit::UsageError;
use crate::provider_select;
use anyhow::Context;
use rein_config::{CliOverride, Config, EnvSnapshot, LoadOptions};
use rein_core::{PromptProfile, Session, SessionOptions};
use rein_store::Store;
use rein_tools::ToolContext;
use std::sync::Arc;

/// Loads settings with the run flags as the top layer.
pub(crate) fn load_config(args: &RunArgs) -> anyhow::Result<Config> {
    let cwd = std::env::current_dir().context("reading the working directory")?;
    let mut cli = Vec::new();
    let mut flag = |key: &str, value: String, name: &str| {
        cli.push(CliOverride { key: key.into(), value, flag: name.into() });
    };
    if let Some(model) = &args.model {
        flag("model", model.clone(), "--model");
    }
    if let Some(provider) = &args.provider {
        flag("provider", provider.clone(), "--provider");
    }
    if let Some(max_turns) = args.max_turns {
        flag("max_turns", max_turns.to_string(), "--max-turns");
    }
    if let Some(mode) = &args.permission_mode {
        flag("permission_mode", mode.clone(), "--permission-mode");
    }
    for pair in &args.config {
        let (key, value) = pair.split_once('=').ok_or_else(|| UsageError {
            message: format!("--config expects KEY=VALUE, got `{pair}`"),
        })?;
        flag(key.trim(), value.trim().to_string(), "--config");
    }
    let mut config = Config::load(LoadOptions { cwd, env: EnvSnapshot::capture(), cli })?;
    // The flags add to the rules of the settings files rather than replacing them.
    let rules = &mut config.settings.permissions;
    rules.allow.extend(args.allowed_tools.iter().flat_map(|list| rein_config::split_list(list)));
    rules.deny.extend(args.disallowed_tools.iter().flat_map(|list| rein_config::split_list(list)));
    Ok(config)
}

pub(crate) fn open_store(config: &Config) -> anyhow::Result<Store> {
    Store::open(&config.paths.data_dir)
        .with_context(|| format!("opening session state in {}", config.paths.data_dir.display()))
}

/// Creates or resumes the session the flags ask for.
pub(crate) async fn session(args: &RunArgs, config: Config) -> anyhow::Result<Session> {
    let store = open_store(&config)?;
    let resume = if let Some(id) = &args.resume {
        Some(store.find(id)?)
    } else if args.r#continue {
        let cwd = config.cwd.to_string_lossy().into_owned();
        Some(store.latest_in(&cwd)?.ok_or_else(|| UsageError {
            message: format!("no earlier session in {cwd} to continue"),
        })?)
    } else {
        None
    };
    let http = rein_provider::http_client()?;
    let selection = provider_select::select(&config, http.clone()).await?;
    let mut tool_ctx =
        ToolContext::new(config.project_root.clone()).with_cwd(config.cwd.clone()).with_http(http);
    let (sandbox, sandbox_warning) = crate::sandbox_setup::shell_sandbox(&config);
    if let Some(sandbox) = sandbox {
        tool_ctx = tool_ctx.with_sandbox(sandbox);
    }
    let (tools, profile) = if selection.local {
        (local_tools(), PromptProfile::Compact)
    } else {
        (rein_tools::builtin_tools(), PromptProfile::Standard)
    };
    let options = SessionOptions {
        provider: selection.provider,
        model: selection.model,
        tools: Arc::new(tools),
        profile,
        tool_ctx,
        store: Arc::new(store),
        resume,
        config: Arc::new(config),
    };
    let mut session = Session::start(options)?;
    session.add_warnings(sandbox_warning);
    Ok(session)
}

/// The tools offered to small local models: few, with simple argument shapes, because every
/// schema costs prefill time and each extra choice is a chance to pick wrong.
fn local_tools() -> rein_tools::ToolRegistry {
    let mut tools = rein_tools::builtin_tools();
    tools.retain(|name| matches!(name, "read" | "write" | "bash" | "list" | "grep"));
    tools
}
