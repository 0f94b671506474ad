//! Everything a session needs to start subagents: the parts of itself a child shares (provider,
//! settings, tools, approver) and the parts that follow the parent as it changes (permission
//! mode and the rules the user allowed along the way).

use super::background::Background;
use super::catalog::AgentCatalog;
use crate::permission::Approver;
use crate::profile::PromptProfile;
use rein_config::Config;
use rein_memory::Taint;
use rein_permissions::{PermissionMode, RuleLists};
use rein_provider::Provider;
use rein_store::Store;
use rein_tools::{ToolContext, ToolRegistry};
use std::sync::{Arc, Mutex, MutexGuard, OnceLock, PoisonError};
use tokio_util::sync::CancellationToken;

/// What a session passes to start subagents.
#[derive(Debug, Clone, Default)]
pub struct SubagentOptions {
    /// The user's subagent definitions (`.rein/agents/`, `.claude/agents/`, …).
    pub definitions: Vec<rein_context::extensions::AgentDefinition>,
    /// Whether a run that ends while background subagents still work waits for them (and goes
    /// on with their results). Interactive front ends deliver results with the next prompt.
    pub await_background: bool,
}

/// The state the parent session updates as it changes.
pub(crate) struct ParentView {
    pub(crate) mode: PermissionMode,
    pub(crate) rules: RuleLists,
    pub(crate) approver: Option<Arc<dyn Approver>>,
    pub(crate) model: String,
}

/// Starts a session's subagents.
pub(crate) struct SubagentHost {
    pub(crate) config: Arc<Config>,
    pub(crate) provider: Arc<dyn Provider>,
    /// The tools a subagent may be given: the parent's, without the ones only the main
    /// session has (subagents start no subagents of their own).
    pub(crate) tools: ToolRegistry,
    pub(crate) profile: PromptProfile,
    pub(crate) tool_ctx: ToolContext,
    pub(crate) catalog: AgentCatalog,
    pub(crate) taint: Option<Taint>,
    pub(crate) background: Arc<Background>,
    /// Cancelled when the parent session goes away (see `Subagents`' drop): background
    /// subagents stop with it.
    pub(crate) shutdown: CancellationToken,
    parent: Mutex<ParentView>,
    /// Subagent transcripts live in a store of their own, so session listings and `--continue`
    /// only see the sessions the user started. Opened on first use.
    store: OnceLock<Result<Arc<Store>, String>>,
}

/// Tools a subagent never gets.
const MAIN_SESSION_ONLY: &[&str] = &["agent", "memory", "ask_user"];

impl SubagentHost {
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn new(
        config: Arc<Config>,
        provider: Arc<dyn Provider>,
        parent_tools: &ToolRegistry,
        profile: PromptProfile,
        tool_ctx: ToolContext,
        catalog: AgentCatalog,
        taint: Option<Taint>,
        parent: ParentView,
    ) -> Self {
        let mut tools = parent_tools.clone();
        tools.retain(|name| !MAIN_SESSION_ONLY.contains(&name));
        Self {
            config,
            provider,
            tools,
            profile,
            tool_ctx,
            catalog,
            taint,
            background: Arc::default(),
            shutdown: CancellationToken::new(),
            parent: Mutex::new(parent),
            store: OnceLock::new(),
        }
    }

    pub(crate) fn parent(&self) -> MutexGuard<'_, ParentView> {
        self.parent.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// The store of subagent transcripts.
    pub(crate) fn store(&self) -> Result<Arc<Store>, String> {
        self.store
            .get_or_init(|| {
                let dir = self.config.paths.data_dir.join("agents");
                Store::open(&dir)
                    .map(Arc::new)
                    .map_err(|error| format!("opening {}: {error}", dir.display()))
            })
            .clone()
    }
}

/// The mode a subagent runs in: its definition may narrow the parent's, never widen it (a
/// definition that came with a repository must not grant itself more than the user did).
pub(crate) fn child_mode(parent: PermissionMode, asked: Option<PermissionMode>) -> PermissionMode {
    fn rank(mode: PermissionMode) -> u8 {
        match mode {
            PermissionMode::Plan => 0,
            PermissionMode::Ask => 1,
            PermissionMode::AcceptEdits => 2,
            PermissionMode::Bypass => 3,
        }
    }
    match asked {
        Some(asked) if rank(asked) < rank(parent) => asked,
        _ => parent,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use PermissionMode::*;

    #[test]
    fn a_definition_narrows_the_mode_but_never_widens_it() {
        assert_eq!(child_mode(Ask, Some(Plan)), Plan);
        assert_eq!(child_mode(Ask, Some(Bypass)), Ask);
        assert_eq!(child_mode(Bypass, Some(AcceptEdits)), AcceptEdits);
        assert_eq!(child_mode(AcceptEdits, None), AcceptEdits);
        assert_eq!(child_mode(Plan, Some(AcceptEdits)), Plan);
    }
}
