//! Which provider and model a run uses, from settings and the credentials present.

use crate::exit::UsageError;
use rein_config::{Config, ProviderChoice};
use rein_provider::{AnthropicProvider, OpenAiProvider, Provider};
use std::io::Write;
use std::sync::Arc;

const DEFAULT_ANTHROPIC_MODEL: &str = "claude-sonnet-4-5";
const DEFAULT_OPENAI_MODEL: &str = "gpt-4.1";
const OPENAI_DEFAULT_BASE: &str = "https://api.openai.com/v1";

/// The provider and model chosen for a session.
pub(crate) struct Selection {
    pub(crate) provider: Arc<dyn Provider>,
    pub(crate) model: String,
    /// Whether the embedded model runs it (small models get the compact prompt profile).
    pub(crate) local: bool,
}

pub(crate) async fn select(config: &Config, http: reqwest::Client) -> anyhow::Result<Selection> {
    let settings = &config.settings;
    let choice = match settings.provider {
        ProviderChoice::Auto => auto_choice(config),
        explicit => explicit,
    };
    if choice == ProviderChoice::Local {
        let spec = crate::local::spec(&settings.local.model)?;
        if settings.provider == ProviderChoice::Auto {
            let _ = writeln!(
                std::io::stderr().lock(),
                "rein: no API key set; using the embedded local model {} (set ANTHROPIC_API_KEY or \
                 OPENAI_API_KEY for a hosted model)",
                spec.name
            );
        }
        let provider = crate::local::load(&settings.local, spec).await?;
        return Ok(Selection { provider, model: spec.name.to_string(), local: true });
    }
    Ok(hosted(config, choice, http)?)
}

fn hosted(
    config: &Config,
    choice: ProviderChoice,
    http: reqwest::Client,
) -> Result<Selection, UsageError> {
    let settings = &config.settings;
    let env = &config.env;
    match choice {
        ProviderChoice::Anthropic => {
            let key = env.get("ANTHROPIC_API_KEY").ok_or_else(|| UsageError {
                message: "the anthropic provider needs an API key: set ANTHROPIC_API_KEY".into(),
            })?;
            Ok(Selection {
                provider: Arc::new(AnthropicProvider::new(
                    key.to_string(),
                    settings.anthropic_base_url.clone(),
                    http,
                )),
                model: settings.model.clone().unwrap_or_else(|| DEFAULT_ANTHROPIC_MODEL.into()),
                local: false,
            })
        }
        _ => {
            let key = env.get("OPENAI_API_KEY").map(str::to_string);
            if key.is_none()
                && settings.openai_base_url.trim_end_matches('/') == OPENAI_DEFAULT_BASE
            {
                return Err(UsageError {
                    message: "the openai provider needs an API key: set OPENAI_API_KEY, or set \
                              OPENAI_BASE_URL to a local OpenAI-compatible server"
                        .into(),
                });
            }
            Ok(Selection {
                provider: Arc::new(OpenAiProvider::new(
                    key,
                    settings.openai_base_url.clone(),
                    http,
                )),
                model: settings.model.clone().unwrap_or_else(|| DEFAULT_OPENAI_MODEL.into()),
                local: false,
            })
        }
    }
}

/// With `provider = "auto"`: the model name decides when it names a family, otherwise the
/// first credential found (Anthropic, then OpenAI, then a custom OpenAI-compatible URL), and
/// with none the embedded local model.
fn auto_choice(config: &Config) -> ProviderChoice {
    let env = &config.env;
    let has_anthropic = env.get("ANTHROPIC_API_KEY").is_some();
    let has_openai = env.get("OPENAI_API_KEY").is_some()
        || config.settings.openai_base_url.trim_end_matches('/') != OPENAI_DEFAULT_BASE;
    let model = config.settings.model.as_deref().unwrap_or_default();
    if model.starts_with("claude") && has_anthropic {
        return ProviderChoice::Anthropic;
    }
    if !model.is_empty() && !model.starts_with("claude") && has_openai {
        return ProviderChoice::OpenAi;
    }
    if has_anthropic {
        ProviderChoice::Anthropic
    } else if has_openai {
        ProviderChoice::OpenAi
    } else {
        ProviderChoice::Local
    }
}
