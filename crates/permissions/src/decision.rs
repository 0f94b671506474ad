//! The answer to "may this tool call run?".

use serde::{Deserialize, Serialize};
use std::fmt;

/// What to do with one tool call. Reasons name the rule or the subcommand responsible, so the
/// user (or the model, for a denial) can see why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "decision", rename_all = "snake_case")]
pub enum Decision {
    /// Run it without asking.
    Allow,
    /// Ask the user first.
    Ask {
        /// Why the call cannot simply run.
        reason: String,
    },
    /// Refuse it; the user is not asked.
    Deny {
        /// Which rule or mode refuses it.
        reason: String,
    },
}

impl Decision {
    pub(crate) fn ask(reason: impl Into<String>) -> Self {
        Self::Ask { reason: reason.into() }
    }

    pub(crate) fn deny(reason: impl Into<String>) -> Self {
        Self::Deny { reason: reason.into() }
    }

    /// Whether the call may run without asking.
    pub fn is_allow(&self) -> bool {
        matches!(self, Self::Allow)
    }

    /// Whether the user must be asked.
    pub fn is_ask(&self) -> bool {
        matches!(self, Self::Ask { .. })
    }

    /// Whether the call is refused.
    pub fn is_deny(&self) -> bool {
        matches!(self, Self::Deny { .. })
    }

    /// The reason of an `Ask` or `Deny`.
    pub fn reason(&self) -> Option<&str> {
        match self {
            Self::Allow => None,
            Self::Ask { reason } | Self::Deny { reason } => Some(reason),
        }
    }
}

impl fmt::Display for Decision {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Allow => f.write_str("allow"),
            Self::Ask { reason } => write!(f, "ask: {reason}"),
            Self::Deny { reason } => write!(f, "deny: {reason}"),
        }
    }
}
