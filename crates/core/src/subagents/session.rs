//! How a session hosts subagents: it offers the `agent` tool, keeps the children's view of its
//! permission mode and rules current, and delivers background results.

use super::{AgentCatalog, AgentTool, ParentView, SubagentHost, SubagentOptions};
use crate::session::Session;
use crate::sink::EventSink;
use rein_protocol::{ContentBlock, Event, Message};
use rein_store::StoreError;
use rein_tools::ToolRegistry;
use std::sync::Arc;
use tokio_util::sync::CancellationToken;

/// A session's subagent state.
pub(crate) struct Subagents {
    pub(crate) host: Arc<SubagentHost>,
    await_background: bool,
}

impl Subagents {
    /// Builds the host from the parent's parts and returns it with the parent's tools, the
    /// `agent` tool added.
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn start(
        options: SubagentOptions,
        config: Arc<rein_config::Config>,
        provider: Arc<dyn rein_provider::Provider>,
        model: &str,
        tools: &ToolRegistry,
        profile: crate::PromptProfile,
        tool_ctx: &rein_tools::ToolContext,
        taint: Option<rein_memory::Taint>,
    ) -> (Self, ToolRegistry) {
        let parent = ParentView {
            mode: config.settings.permission_mode,
            rules: config.settings.permissions.clone(),
            approver: None,
            model: model.to_owned(),
        };
        let host = Arc::new(SubagentHost::new(
            config,
            provider,
            tools,
            profile,
            tool_ctx.clone(),
            AgentCatalog::new(options.definitions),
            taint,
            parent,
        ));
        // Opening the transcript store (SQLite, migrations) is the slowest part of a first
        // spawn; done off the start-up path, it is ready by the time the model asks.
        let warming = host.clone();
        std::thread::spawn(move || {
            if let Err(error) = warming.store() {
                tracing::warn!(%error, "could not open the subagent transcript store");
            }
        });
        let mut with_agent = tools.clone();
        with_agent.register(Arc::new(AgentTool::new(host.clone())));
        (Self { host, await_background: options.await_background }, with_agent)
    }
}

impl Drop for Subagents {
    /// Background subagents stop with the session that started them (a `/clear` or the end of
    /// the program); the tasks hold the host, so its own drop would come too late.
    fn drop(&mut self) {
        self.host.shutdown.cancel();
    }
}

impl Session {
    /// Tells subagents started from now on what the parent's mode, rules and model are.
    pub(crate) fn sync_subagents(&self) {
        let Some(subagents) = &self.subagents else { return };
        let mut parent = subagents.host.parent();
        parent.mode = self.permissions.mode;
        parent.rules = self.permissions.rule_lists();
        parent.approver.clone_from(&self.permissions.approver);
        parent.model.clone_from(&self.model);
    }

    /// Results of background subagents that finished since the last look, as blocks for the
    /// next user-side message.
    pub(crate) fn agent_notifications(&self) -> Vec<ContentBlock> {
        let Some(subagents) = &self.subagents else { return Vec::new() };
        subagents
            .host
            .background
            .take()
            .iter()
            .map(|notification| ContentBlock::text(notification.render()))
            .collect()
    }

    /// Background subagents still at work.
    pub fn background_agents(&self) -> usize {
        self.subagents.as_ref().map_or(0, |s| s.host.background.running())
    }

    /// When the run would end while background subagents work and the session waits for
    /// them: waits for the next one to finish and adds its result to the conversation.
    /// Returns whether the run goes on.
    pub(crate) async fn await_background(
        &mut self,
        sink: &dyn EventSink,
        cancel: &CancellationToken,
    ) -> Result<bool, StoreError> {
        let Some(subagents) = &self.subagents else { return Ok(false) };
        let background = &subagents.host.background;
        // A subagent that finished during the last model call has a result waiting too.
        if !subagents.await_background || (background.running() == 0 && !background.has_finished())
        {
            return Ok(false);
        }
        let background = subagents.host.background.clone();
        tokio::select! {
            biased;
            () = cancel.cancelled() => return Ok(false),
            () = background.next() => {}
        }
        let blocks = self.agent_notifications();
        if blocks.is_empty() {
            return Ok(false);
        }
        sink.emit(Event::Continuing { reason: "subagent".into() });
        self.push(Message { role: rein_protocol::Role::User, content: blocks })?;
        Ok(true)
    }
}
