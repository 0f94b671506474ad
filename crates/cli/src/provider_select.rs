//! Which provider and model a run uses, from settings and the credentials present.

use crate::exit::UsageError;
use rein_config::{Config, ProviderChoice};
use rein_provider::{AnthropicProvider, OpenAiProvider, Provider};
use std::sync::Arc;

const DEFAULT_ANTHROPIC_MODEL: &str = "claude-sonnet-4-5";
const DEFAULT_OPENAI_MODEL: &str = "gpt-4.1";
const OPENAI_DEFAULT_BASE: &str = "https://api.openai.com/v1";

/// The provider and model chosen for a session.
pub(crate) struct Selection {
    pub(crate) provider: Arc<dyn Provider>,
    pub(crate) model: String,
}

pub(crate) fn select(config: &Config, http: reqwest::Client) -> Result<Selection, UsageError> {
    let settings = &config.settings;
    let env = &config.env;
    let choice = match settings.provider {
        ProviderChoice::Auto => auto_choice(config)?,
        explicit => explicit,
    };
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
            })
        }
    }
}

/// With `provider = "auto"`: the model name decides when it names a family, otherwise the
/// first credential found (Anthropic, then OpenAI, then a custom OpenAI-compatible URL).
fn auto_choice(config: &Config) -> Result<ProviderChoice, UsageError> {
    let env = &config.env;
    let has_anthropic = env.get("ANTHROPIC_API_KEY").is_some();
    let has_openai = env.get("OPENAI_API_KEY").is_some()
        || config.settings.openai_base_url.trim_end_matches('/') != OPENAI_DEFAULT_BASE;
    let model = config.settings.model.as_deref().unwrap_or_default();
    if model.starts_with("claude") && has_anthropic {
        return Ok(ProviderChoice::Anthropic);
    }
    if !model.is_empty() && !model.starts_with("claude") && has_openai {
        return Ok(ProviderChoice::OpenAi);
    }
    if has_anthropic {
        Ok(ProviderChoice::Anthropic)
    } else if has_openai {
        Ok(ProviderChoice::OpenAi)
    } else {
        Err(UsageError {
            message: "no model provider is configured. Set ANTHROPIC_API_KEY for Anthropic, \
                      OPENAI_API_KEY for OpenAI, or OPENAI_BASE_URL for a local \
                      OpenAI-compatible server (see `rein config explain`)"
                .into(),
        })
    }
}
