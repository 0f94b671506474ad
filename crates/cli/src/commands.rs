//! Dispatch to the command the arguments name.

mod config;
mod context;
pub(crate) mod dream;
mod mcp;
mod mcp_serve;
mod memory;
mod model;
mod sessions;

use crate::args::{Cli, Command};
use crate::exit;
use std::io::IsTerminal;
use std::process::ExitCode;

pub(crate) async fn dispatch(cli: Cli) -> ExitCode {
    let result = match &cli.command {
        Some(Command::Sessions(command)) => sessions::run(command, &cli.run),
        Some(Command::Config(command)) => config::run(command, &cli.run),
        Some(Command::Model(command)) => model::run(command, &cli.run).await,
        Some(Command::Mcp(command)) => mcp::run(command, &cli.run).await,
        Some(Command::Context { json }) => context::run(*json, &cli.run),
        Some(Command::Memory { user, command }) => memory::run(*user, command.as_ref(), &cli.run),
        Some(Command::Dream { dry_run, budget, user, auto }) => {
            let request = dream::DreamRequest {
                dry_run: *dry_run,
                budget: *budget,
                user: *user,
                auto: *auto,
            };
            dream::run(request, &cli.run).await
        }
        None => match &cli.run.prompt {
            Some(prompt) => crate::run::headless(&cli.run, prompt, cli.verbose).await,
            None if std::io::stdin().is_terminal() && std::io::stdout().is_terminal() => {
                crate::interactive::run(&cli.run).await
            }
            None if std::io::stdin().is_terminal() => crate::repl::run(&cli.run, cli.verbose).await,
            None => crate::run::headless(&cli.run, "-", cli.verbose).await,
        },
    };
    match result {
        Ok(code) => ExitCode::from(code),
        Err(error) => exit::report(&error, exit::code_for(&error)),
    }
}
