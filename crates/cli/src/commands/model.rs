//! `rein model list|install|serve`.

use crate::args::{ModelCommand, RunArgs};
use crate::{local, setup};
use rein_models::{CATALOGUE, InstallStatus, ModelStore};
use std::io::Write;

pub(super) async fn run(command: &ModelCommand, args: &RunArgs) -> anyhow::Result<u8> {
    let config = setup::load_config(args)?;
    let settings = &config.settings.local;
    let store = ModelStore::new(&settings.models_dir);
    match command {
        ModelCommand::List { json } => {
            let rows: Vec<_> = CATALOGUE
                .iter()
                .map(|spec| {
                    let installed = matches!(store.status(spec), InstallStatus::Present { .. });
                    serde_json::json!({
                        "name": spec.name,
                        "aliases": spec.aliases,
                        "size_bytes": spec.size_bytes,
                        "installed": installed,
                        "default": spec.name == settings.model,
                        "tools": spec.supports_tools,
                        "path": store.path_of(spec),
                        "description": spec.description,
                    })
                })
                .collect();
            let mut out = std::io::stdout().lock();
            if *json {
                writeln!(out, "{}", serde_json::to_string_pretty(&rows)?)?;
                return Ok(crate::exit::SUCCESS);
            }
            writeln!(out, "models in {}\n", store.dir().display())?;
            for (spec, row) in CATALOGUE.iter().zip(&rows) {
                let mark = if row["default"] == true { "*" } else { " " };
                let state = if row["installed"] == true { "installed" } else { "-" };
                writeln!(
                    out,
                    "{mark} {:<20} {:>8}  {:<9}  {}",
                    spec.name,
                    format!("{:.2} GB", spec.size_bytes as f64 / 1e9),
                    state,
                    spec.description
                )?;
            }
            writeln!(out, "\n* used when no hosted provider is configured (setting local.model)")?;
        }
        ModelCommand::Install { names } => {
            let names = if names.is_empty() { vec![settings.model.clone()] } else { names.clone() };
            for name in &names {
                let spec = local::spec(name)?;
                let path = local::install(store.clone(), spec).await?;
                writeln!(
                    std::io::stderr().lock(),
                    "rein: {} ready at {}",
                    spec.name,
                    path.display()
                )?;
            }
        }
        ModelCommand::Serve { model, port, token } => {
            let name = model.clone().unwrap_or_else(|| settings.model.clone());
            return crate::serve::run(&config, &name, *port, token.clone()).await;
        }
    }
    Ok(crate::exit::SUCCESS)
}
