//! Memory in a session: the indexes and standing preferences open the conversation, the
//! topics that bear on each prompt ride along with it, the `memory` tool is offered, content
//! from outside marks the session, and when the session ends its digest goes to the daily log.

use crate::session::Session;
use rein_memory::{Memory, MemoryTool, SessionDigest, Taint, ToolState};
use rein_protocol::ContentBlock;
use rein_store::UNTRUSTED_NOTE;
use rein_tools::ToolRegistry;
use std::collections::HashSet;
use std::sync::Arc;

/// How a session uses memory.
#[derive(Debug, Clone)]
pub struct MemoryOptions {
    /// The memory folders.
    pub memory: Arc<Memory>,
    /// Offer the `memory` tool (small local models go without: every schema costs them).
    pub tool: bool,
    /// Topics recalled per prompt at most.
    pub recall_limit: usize,
}

/// A session's memory state.
pub(crate) struct SessionMemoryState {
    pub(crate) memory: Arc<Memory>,
    pub(crate) taint: Taint,
    recall_limit: usize,
    /// Topics already in the conversation.
    seen: HashSet<String>,
    /// The block loaded at the start (computed once, so the opening stays byte-identical).
    opening: Option<String>,
}

/// What the session did, for its daily-log entry.
#[derive(Debug, Default)]
pub(crate) struct Activity {
    pub(crate) prompts: Vec<String>,
    pub(crate) changed: Vec<String>,
    pub(crate) ran: Vec<String>,
    pub(crate) last_answer: String,
}

impl SessionMemoryState {
    /// Loads the opening block; returns the state, the tool to offer (if any) and warnings.
    pub(crate) fn start(
        options: MemoryOptions,
        session_id: &str,
        untrusted: bool,
    ) -> (Self, Option<MemoryTool>, Vec<String>) {
        let taint = Taint::default();
        if untrusted {
            taint.mark("content from outside entered this session before it was resumed");
        }
        let loaded = options.memory.session_context();
        let tool = options.tool.then(|| {
            MemoryTool::new(
                options.memory.clone(),
                ToolState::new("agent", session_id, taint.clone()),
            )
        });
        let state = Self {
            memory: options.memory,
            taint,
            recall_limit: options.recall_limit,
            seen: loaded.loaded,
            opening: loaded.text,
        };
        (state, tool, loaded.warnings)
    }

    /// The block of memory opening a conversation.
    pub(crate) fn opening(&self) -> Option<&str> {
        self.opening.as_deref()
    }

    /// The recalled topics for `prompt`, each at most once per session.
    pub(crate) fn recall(&mut self, prompt: &str) -> Option<String> {
        let recalled = self.memory.recall(prompt, &self.seen, self.recall_limit);
        self.seen.extend(recalled.iter().map(|r| r.topic.meta.name.clone()));
        rein_memory::render_recalled(&recalled)
    }
}

/// A registry with the memory tool added.
pub(crate) fn with_memory_tool(tools: &ToolRegistry, tool: MemoryTool) -> ToolRegistry {
    let mut tools = tools.clone();
    tools.register(Arc::new(tool));
    tools
}

impl Session {
    /// The memory blocks of a new prompt: recalled topics.
    pub(crate) fn recalled_memory(&mut self, prompt: &str) -> Option<ContentBlock> {
        let state = self.memory.as_mut()?;
        state.recall(prompt).map(ContentBlock::text)
    }

    /// Marks the session when a tool call brings in content from outside, and notes the
    /// moment in the transcript (so a resumed session stays marked).
    pub(crate) fn note_outside_content(&mut self, calls: &[crate::dispatch::ToolCall]) {
        let Some(state) = &self.memory else { return };
        if state.taint.reason().is_some() {
            return;
        }
        let workspace = self.tool_ctx.workspace().to_path_buf();
        let reason = calls
            .iter()
            .find_map(|call| rein_memory::untrusted_source(&call.name, &call.input, &workspace));
        if let Some(reason) = reason {
            state.taint.mark(reason.clone());
            if let Err(error) = self.note(UNTRUSTED_NOTE, reason) {
                tracing::warn!(%error, "could not note outside content in the transcript");
            }
        }
    }

    /// Keeps what the calls did for the daily log.
    pub(crate) fn note_activity(&mut self, calls: &[crate::dispatch::ToolCall]) {
        for call in calls {
            let text = |key: &str| call.input.get(key).and_then(serde_json::Value::as_str);
            match call.name.as_str() {
                "write" | "edit" | "multi_edit" => {
                    if let Some(path) = text("path") {
                        let path = path.to_string();
                        if !self.activity.changed.contains(&path) {
                            self.activity.changed.push(path);
                        }
                    }
                }
                "bash" => {
                    if let Some(command) = text("command") {
                        let line = command.lines().next().unwrap_or_default().to_string();
                        if !self.activity.ran.contains(&line) {
                            self.activity.ran.push(line);
                        }
                    }
                }
                _ => {}
            }
        }
    }

    /// Appends this session's entry to today's daily log of the project memory, when the
    /// session did anything. Returns the log file.
    pub fn write_daily_log(&mut self) -> Option<std::path::PathBuf> {
        let state = self.memory.as_ref()?;
        if self.activity.prompts.is_empty() {
            return None;
        }
        let digest = SessionDigest {
            session_id: self.id.clone(),
            model: self.model.clone(),
            asked: std::mem::take(&mut self.activity.prompts),
            changed: std::mem::take(&mut self.activity.changed),
            ran: std::mem::take(&mut self.activity.ran),
            outcome: self
                .activity
                .last_answer
                .lines()
                .find(|l| !l.trim().is_empty())
                .unwrap_or_default()
                .to_string(),
            untrusted: state.taint.reason(),
        };
        let now = chrono::Local::now();
        let dir = state.memory.dir(rein_memory::Scope::Project);
        match dir.append_log(now.date_naive(), &digest.render(&now.format("%H:%M").to_string())) {
            Ok(path) => Some(path),
            Err(error) => {
                tracing::warn!(%error, "could not write the daily log");
                None
            }
        }
    }

    /// The session's memory, if it has one.
    pub fn memory(&self) -> Option<&Arc<Memory>> {
        self.memory.as_ref().map(|state| &state.memory)
    }

    /// Why the session counts as having read content from outside, if it does.
    pub fn outside_content(&self) -> Option<String> {
        self.memory.as_ref().and_then(|state| state.taint.reason())
    }
}
