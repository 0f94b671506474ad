//! What an interactive front end reads and changes on a live session: the figures of its
//! status line and the settings its commands switch (model, permission mode).

use crate::session::Session;
use rein_permissions::{PermissionMode, RuleLists};

impl Session {
    /// Tokens the conversation takes now (the last request's prompt and reply, or an
    /// estimate after a compaction).
    pub fn context_tokens(&self) -> u64 {
        self.context_tokens
    }

    /// Cost of the session so far in dollars (0 when unknown or local).
    pub fn cost_usd(&self) -> f64 {
        self.cost_usd
    }

    /// The session's title (its first prompt, shortened; empty before the first prompt).
    pub fn title(&self) -> &str {
        &self.title
    }

    /// How tool calls are approved now.
    pub fn permission_mode(&self) -> PermissionMode {
        self.permissions.mode
    }

    /// Switches how tool calls are approved, from the next call on.
    pub fn set_permission_mode(&mut self, mode: PermissionMode) {
        self.permissions.mode = mode;
        self.sync_subagents();
    }

    /// The allow, ask and deny rules in force.
    pub fn permission_rules(&self) -> RuleLists {
        self.permissions.rule_lists()
    }

    /// Switches the model for the following requests (same provider). The provider's prompt
    /// cache does not carry over to another model, so the next request pays for the prefix.
    pub fn set_model(&mut self, model: &str) {
        self.model = model.to_string();
        self.sync_subagents();
    }
}
