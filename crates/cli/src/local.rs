//! The embedded local model: find it in the catalogue, install it on first use (with a
//! progress bar), load it.

use crate::exit::UsageError;
use anyhow::Context;
use indicatif::{ProgressBar, ProgressStyle};
use rein_config::{LocalReplyFormat, LocalSettings};
use rein_models::{InstallStatus, ModelSpec, ModelStore, Progress};
use std::path::PathBuf;

/// The catalogue entry a name refers to, or a usage error listing the choices.
pub(crate) fn spec(name: &str) -> Result<&'static ModelSpec, UsageError> {
    rein_models::find(name).ok_or_else(|| UsageError {
        message: format!(
            "unknown local model `{name}`; choose one of: {}",
            rein_models::CATALOGUE.iter().map(|m| m.name).collect::<Vec<_>>().join(", ")
        ),
    })
}

/// The model file, installing it first when it is missing.
pub(crate) async fn ensure_installed(
    settings: &LocalSettings,
    spec: &'static ModelSpec,
) -> anyhow::Result<PathBuf> {
    let store = ModelStore::new(&settings.models_dir);
    if let InstallStatus::Present { .. } = store.status(spec) {
        return Ok(store.path_of(spec));
    }
    install(store, spec).await
}

/// Downloads and assembles a model, showing progress on stderr.
pub(crate) async fn install(
    store: ModelStore,
    spec: &'static ModelSpec,
) -> anyhow::Result<PathBuf> {
    let bar = ProgressBar::new(spec.size_bytes);
    bar.set_style(
        ProgressStyle::with_template("{msg:>12} [{bar:30}] {bytes}/{total_bytes} ({eta})")
            .map(|style| style.progress_chars("=> "))
            .unwrap_or_else(|_| ProgressStyle::default_bar()),
    );
    bar.println(format!(
        "rein: installing local model {} ({:.2} GB, {}) into {}",
        spec.name,
        spec.size_bytes as f64 / 1e9,
        spec.license,
        store.dir().display()
    ));
    let shown = bar.clone();
    let path = tokio::task::spawn_blocking(move || {
        store.install(spec, &|progress| match progress {
            Progress::Downloading { index, total, .. } => {
                shown.set_message(format!("fetch {index}/{total}"));
            }
            Progress::Assembling { bytes, .. } => {
                shown.set_message("assemble");
                shown.set_position(bytes);
            }
            Progress::Verifying => shown.set_message("verify"),
            Progress::Done => shown.set_message("done"),
        })
    })
    .await
    .context("the installer stopped unexpectedly")??;
    bar.finish_and_clear();
    Ok(path)
}

/// Installs (if needed) and loads the model; loading maps the file and reads its metadata,
/// so it runs on the blocking pool.
pub(crate) async fn load(
    settings: &LocalSettings,
    spec: &'static ModelSpec,
) -> anyhow::Result<std::sync::Arc<dyn rein_provider::Provider>> {
    let path = ensure_installed(settings, spec).await?;
    let options = rein_local::LocalOptions {
        n_ctx: settings.context_tokens,
        threads: settings.threads,
        max_new_tokens: settings.max_new_tokens,
        reply_format: match settings.reply_format {
            LocalReplyFormat::Blocks => rein_local::ReplyFormat::Blocks,
            LocalReplyFormat::Tools => rein_local::ReplyFormat::Tools,
        },
        ..rein_local::LocalOptions::default()
    };
    let provider = tokio::task::spawn_blocking(move || {
        rein_local::LocalProvider::load(&path, spec.name, options)
    })
    .await
    .context("loading the local model stopped unexpectedly")?
    .with_context(|| format!("loading local model {}", spec.name))?;
    Ok(std::sync::Arc::new(provider))
}
