//! Prompt profiles: how much rein says to the model, tuned to the model's size.

use crate::prompt::{COMPACT_SYSTEM_PROMPT, SYSTEM_PROMPT};

/// How the session talks to its model.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum PromptProfile {
    /// Hosted models: the full system prompt; files attach when named with `@`.
    #[default]
    Standard,
    /// Small local models: a short system prompt, and files named in the prompt attach even
    /// without `@`, because a small model given the content edits the right file far more
    /// often than one that has to read it first.
    Compact,
}

impl PromptProfile {
    /// The system prompt of this profile.
    pub fn system_prompt(self) -> &'static str {
        match self {
            Self::Standard => SYSTEM_PROMPT,
            Self::Compact => COMPACT_SYSTEM_PROMPT,
        }
    }

    /// Whether bare file names in a prompt attach the files.
    pub(crate) fn attaches_named_files(self) -> bool {
        self == Self::Compact
    }

    /// Whether the session context (environment, instructions) follows the prompt instead of
    /// preceding it.
    pub(crate) fn context_last(self) -> bool {
        self == Self::Compact
    }
}
