//! Failures of loading or running the local model.

use rein_provider::ProviderError;
use std::path::PathBuf;

/// Why the local model could not be loaded or used.
#[derive(Debug, thiserror::Error)]
pub enum LocalError {
    /// The model file does not exist.
    #[error("model file not found: {}", path.display())]
    NotFound {
        /// Path that was tried.
        path: PathBuf,
    },
    /// The file exists but is not a GGUF model.
    #[error("{} is not a GGUF model file", path.display())]
    NotGguf {
        /// Path of the file.
        path: PathBuf,
    },
    /// Reading the file failed.
    #[error("cannot read {}: {source}", path.display())]
    Io {
        /// Path of the file.
        path: PathBuf,
        /// The I/O error.
        source: std::io::Error,
    },
    /// llama.cpp could not load the model or create its context.
    #[error("cannot load model {}: {message}", path.display())]
    Load {
        /// Path of the model.
        path: PathBuf,
        /// What went wrong.
        message: String,
    },
    /// The chat template could not be parsed or rendered.
    #[error("chat template error: {message}")]
    Template {
        /// What went wrong.
        message: String,
    },
    /// llama.cpp rejected a tool-call grammar.
    #[error("invalid tool-call grammar: {message}")]
    Grammar {
        /// What went wrong.
        message: String,
    },
    /// The inference thread is gone (it failed or was shut down).
    #[error("the local inference thread stopped")]
    EngineStopped,
}

impl From<LocalError> for ProviderError {
    fn from(error: LocalError) -> Self {
        ProviderError::InvalidConfig { message: error.to_string() }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rein_provider::ErrorAction;

    #[test]
    fn maps_to_a_stopping_provider_error() {
        let err: ProviderError = LocalError::Template { message: "bad".into() }.into();
        assert_eq!(err.action(), ErrorAction::Stop);
        assert!(err.to_string().contains("chat template error: bad"));
    }
}
