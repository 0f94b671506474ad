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
    /// Most bytes of memory opening the conversation (small local models have small
    /// windows); `None`: as much as the index caps allow.
    pub opening_budget: Option<usize>,
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
        // Edits made by hand since the last session are recorded off the start-up path; the
        // memory tool records them too before any change of its own.
        let syncing = Arc::clone(&options.memory);
        std::thread::spawn(move || {
            if let Err(error) = syncing.sync() {
                tracing::warn!(%error, "could not record memory edits made outside rein");
            }
        });
        let loaded = options.memory.session_context();
        let tool = options.tool.then(|| {
            MemoryTool::new(
                options.memory.clone(),
                ToolState::new("agent", session_id, taint.clone()),
            )
        });
        let opening = match (loaded.text, options.opening_budget) {
            (Some(text), Some(budget)) if text.len() > budget => Some(cut_opening(&text, budget)),
            (text, _) => text,
        };
        let state = Self {
            memory: options.memory,
            taint,
            recall_limit: options.recall_limit,
            seen: loaded.loaded,
            opening,
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

/// `text` cut at a line end within `budget` bytes, closed with a note.
fn cut_opening(text: &str, budget: usize) -> String {
    let mut end = budget.min(text.len());
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    let end = text[..end].rfind('\n').unwrap_or(0);
    format!(
        "{}\n(memory cut to fit this model's context; `rein memory` lists it all)\n</memory>",
        &text[..end]
    )
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

    /// The calls that would bring in content from outside, with why: (call id, tool, reason).
    pub(crate) fn outside_sources(
        &self,
        calls: &[crate::dispatch::ToolCall],
    ) -> Vec<(String, String, String)> {
        let Some(taint) = &self.taint else { return Vec::new() };
        if taint.reason().is_some() {
            return Vec::new();
        }
        let workspace = self.tool_ctx.workspace();
        calls
            .iter()
            .filter_map(|call| {
                rein_memory::untrusted_source(&call.name, &call.input, workspace)
                    .map(|reason| (call.id.clone(), call.name.clone(), reason))
            })
            .collect()
    }

    /// Marks the session when one of `sources` brought content in: it succeeded, or it is a
    /// shell command (whose output comes back even when it fails). Notes the moment in the
    /// transcript, so a resumed session stays marked.
    pub(crate) fn note_outside_content(
        &mut self,
        sources: &[(String, String, String)],
        results: &[ContentBlock],
    ) {
        let Some(taint) = self.taint.clone() else { return };
        let came_in = sources.iter().find(|(id, tool, _)| {
            results.iter().any(|block| match block {
                ContentBlock::ToolResult { tool_use_id, is_error, .. } => {
                    tool_use_id == id && (!is_error || tool == "bash")
                }
                _ => false,
            })
        });
        let Some((_, _, reason)) = came_in else { return };
        taint.mark(reason.clone());
        if let Err(error) = self.note(UNTRUSTED_NOTE, reason.clone()) {
            tracing::warn!(%error, "could not note outside content in the transcript");
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

    /// Marks `taint` when content from outside enters this session (sessions with memory
    /// have their own mark; a dream passes the one its memory tool checks).
    pub fn watch_outside_content(&mut self, taint: Taint) {
        self.taint = Some(taint);
    }

    /// The session's memory, if it has one.
    pub fn memory(&self) -> Option<&Arc<Memory>> {
        self.memory.as_ref().map(|state| &state.memory)
    }

    /// Why the session counts as having read content from outside, if it does.
    pub fn outside_content(&self) -> Option<String> {
        self.taint.as_ref().and_then(Taint::reason)
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_long_opening_is_cut_at_a_line_and_closed() {
        let text = format!("<memory>\n{}</memory>", "- a line of the index é\n".repeat(400));
        let cut = super::cut_opening(&text, 3_000);
        assert!(cut.len() < 3_100, "{}", cut.len());
        assert!(cut.ends_with("lists it all)\n</memory>"));
        assert!(cut.contains("\n- a line of the index é\n(memory cut"));
    }
}
