//! `rein config explain`.

use crate::args::{ConfigCommand, RunArgs};
use crate::setup;
use std::io::Write;

pub(super) fn run(command: &ConfigCommand, args: &RunArgs) -> anyhow::Result<u8> {
    let ConfigCommand::Explain { json } = command;
    let config = setup::load_config(args)?;
    let rows = config.explain();
    let mut out = std::io::stdout().lock();
    if *json {
        writeln!(out, "{}", serde_json::to_string_pretty(&rows)?)?;
        return Ok(crate::exit::SUCCESS);
    }
    writeln!(out, "user config:    {}", config.paths.user_config().display())?;
    writeln!(out, "project config: {}", config.project_file().display())?;
    writeln!(out, "data:           {}", config.paths.data_dir.display())?;
    writeln!(out)?;
    let width = rows.iter().map(|r| r.key.len()).max().unwrap_or(0);
    let value_width = rows.iter().map(|r| r.value.len()).max().unwrap_or(0).min(40);
    for row in rows {
        writeln!(out, "{:<width$}  {:<value_width$}  {}", row.key, row.value, row.origin)?;
    }
    writeln!(out)?;
    for key in ["ANTHROPIC_API_KEY", "OPENAI_API_KEY"] {
        let state = if config.env.get(key).is_some() { "set" } else { "not set" };
        writeln!(out, "{key}: {state}")?;
    }
    Ok(crate::exit::SUCCESS)
}
