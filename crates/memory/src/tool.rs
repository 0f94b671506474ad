//! The `memory` tool: the model lists, reads, searches, writes, updates and deletes
//! memories. Every change is a revision; in a session that took in content from outside,
//! writes go to quarantine for the user instead.

use crate::dirs::Scope;
use crate::history::Author;
use crate::memory::{Memory, Saved, TopicInput};
use crate::topic::{Source, TopicKind};
use crate::trust::Taint;
use rein_tools::{ToolContext, ToolOutput, TypedTool};
use schemars::JsonSchema;
use serde::Deserialize;
use std::collections::HashSet;
use std::fmt::Write as _;
use std::sync::{Arc, Mutex, PoisonError};

/// What a call does.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Op {
    /// Every memory with its description.
    List,
    /// One memory.
    Read,
    /// Memories matching a query.
    Search,
    /// Create or replace a memory.
    Write,
    /// Change parts of a memory.
    Update,
    /// Remove a memory.
    Delete,
}

/// Arguments of the memory tool.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct MemoryArgs {
    /// list: every memory with its description. read: one memory (name `index` reads the
    /// index). search: memories matching `query`. write: create or replace a memory. update:
    /// change parts of one (description, type, or `old_text` → `new_text` in its content).
    /// delete: remove one.
    pub action: Op,
    /// Memory name: kebab-case, e.g. `test-command`.
    #[serde(default)]
    pub name: Option<String>,
    /// Words to search for (search).
    #[serde(default)]
    pub query: Option<String>,
    /// One line saying when the memory matters (write, update).
    #[serde(default)]
    pub description: Option<String>,
    /// user (who the user is), feedback (how they want work done), project (facts about
    /// this repository), reference (where outside information lives).
    #[serde(default, rename = "type")]
    pub kind: Option<TopicKind>,
    /// The memory's content, Markdown (write).
    #[serde(default)]
    pub content: Option<String>,
    /// Text to replace in the content (update).
    #[serde(default)]
    pub old_text: Option<String>,
    /// Replacement for `old_text` (update).
    #[serde(default)]
    pub new_text: Option<String>,
    /// project or user; default: user for user and feedback memories, else project.
    #[serde(default)]
    pub scope: Option<Scope>,
    /// Memories this one replaces; they are deleted (write).
    #[serde(default)]
    pub merged_from: Option<Vec<String>>,
    /// Why, in a few words; kept in the history.
    #[serde(default)]
    pub reason: Option<String>,
}

/// What a change did, as a dream reports it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ActionKind {
    /// A new memory.
    Added,
    /// An existing memory changed.
    Updated,
    /// A memory that replaced others.
    Merged,
    /// A memory removed.
    Deleted,
    /// A candidate put in quarantine.
    Quarantined,
}

/// One change the tool made.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Action {
    /// What kind.
    pub kind: ActionKind,
    /// Which memory.
    pub name: String,
    /// Why, as the model said.
    pub reason: String,
    /// Memories merged into it.
    pub merged_from: Vec<String>,
}

/// Who is calling and what they carry: the session, its outside-content mark and a journal
/// of changes (read by dream reports).
#[derive(Debug, Clone)]
pub struct ToolState {
    /// `agent` in sessions, `dream` in dreams.
    pub author: &'static str,
    /// The session's id.
    pub session_id: String,
    /// Set once content from outside entered the session.
    pub taint: Taint,
    /// Changes made so far.
    pub journal: Arc<Mutex<Vec<Action>>>,
}

impl ToolState {
    /// State for a session.
    pub fn new(author: &'static str, session_id: impl Into<String>, taint: Taint) -> Self {
        Self { author, session_id: session_id.into(), taint, journal: Arc::default() }
    }

    /// The changes made so far.
    pub fn actions(&self) -> Vec<Action> {
        self.journal.lock().unwrap_or_else(PoisonError::into_inner).clone()
    }

    fn record(&self, action: Action) {
        self.journal.lock().unwrap_or_else(PoisonError::into_inner).push(action);
    }
}

/// The `memory` tool.
pub struct MemoryTool {
    memory: Arc<Memory>,
    state: ToolState,
}

impl MemoryTool {
    /// The tool over `memory`, acting for `state`.
    pub fn new(memory: Arc<Memory>, state: ToolState) -> Self {
        Self { memory, state }
    }
}

#[async_trait::async_trait]
impl TypedTool for MemoryTool {
    type Args = MemoryArgs;
    const NAME: &'static str = "memory";
    const DESCRIPTION: &'static str = "Persistent memory across sessions: Markdown notes in the \
project's .rein/memory/ and the user's memory folder. Save what will matter in later sessions \
and is not in the code: the user's preferences and corrections, how to build and test, \
decisions and their reasons, where outside information lives. One fact or theme per memory; \
update an existing memory rather than writing a near-duplicate; delete memories that turn out \
wrong. Write dates as dates (2026-11-21), not 'today'. Never save secrets. Changes are \
versioned and the user can review and revert them.";
    const READ_ONLY: bool = false;

    async fn call(&self, args: MemoryArgs, _ctx: &ToolContext) -> ToolOutput {
        let memory = Arc::clone(&self.memory);
        let state = self.state.clone();
        // File and database work: off the async threads.
        let result = tokio::task::spawn_blocking(move || run(&memory, &state, args))
            .await
            .unwrap_or_else(|e| Err(format!("the memory tool stopped: {e}")));
        match result {
            Ok(text) => ToolOutput::ok(text),
            Err(text) => ToolOutput::error(text),
        }
    }
}

fn run(memory: &Memory, state: &ToolState, args: MemoryArgs) -> Result<String, String> {
    let name = || {
        args.name
            .clone()
            .filter(|n| !n.trim().is_empty())
            .ok_or("`name` is required for this action")
    };
    match args.action {
        Op::List => list(memory),
        Op::Read => {
            let name = name()?;
            if name == "index" || name == "MEMORY" || name == "MEMORY.md" {
                let scope = args.scope.unwrap_or(Scope::Project);
                let text = memory.dir(scope).index_text().map_err(|e| e.to_string())?;
                return Ok(if text.is_empty() {
                    format!("The {} memory index is empty.", scope.as_str())
                } else {
                    text
                });
            }
            match memory.find(&name, args.scope).map_err(|e| e.to_string())? {
                Some((scope, topic)) => {
                    Ok(format!("({} memory)\n{}", scope.as_str(), topic.render()))
                }
                None => Err(format!("no memory named `{name}`; `list` shows them all")),
            }
        }
        Op::Search => {
            let query = args
                .query
                .as_deref()
                .filter(|q| !q.trim().is_empty())
                .ok_or("`query` is required for search")?;
            let found = memory.recall(query, &HashSet::new(), 8);
            if found.is_empty() {
                return Ok(format!("No memory matches `{query}`."));
            }
            let mut text = String::new();
            for r in found {
                let first = r.topic.body.lines().find(|l| !l.trim().is_empty()).unwrap_or_default();
                let _ = writeln!(
                    text,
                    "- {} ({} memory, {}): {} — {}",
                    r.topic.meta.name,
                    r.scope.as_str(),
                    r.topic.meta.kind.as_str(),
                    r.topic.meta.description,
                    crate::topic::truncate(first, 160)
                );
            }
            Ok(text)
        }
        Op::Write => {
            let name = name()?;
            let description = args.description.clone().filter(|d| !d.trim().is_empty()).ok_or(
                "`description` is required for write: one line saying when the memory matters",
            )?;
            let kind = args
                .kind
                .ok_or("`type` is required for write: user, feedback, project or reference")?;
            let content = args.content.clone().ok_or("`content` is required for write")?;
            let existed = memory.find(&name, args.scope).map_err(|e| e.to_string())?.is_some();
            let merged_from = args.merged_from.clone().unwrap_or_default();
            let input = TopicInput { name, description, kind, body: content, scope: args.scope };
            let saved = save(memory, state, input, &merged_from, args.reason.as_deref())?;
            let kind = if !merged_from.is_empty() {
                ActionKind::Merged
            } else if existed {
                ActionKind::Updated
            } else {
                ActionKind::Added
            };
            Ok(report(state, saved, kind, args.reason, merged_from))
        }
        Op::Update => {
            let name = name()?;
            let Some((scope, topic)) = memory.find(&name, args.scope).map_err(|e| e.to_string())?
            else {
                return Err(format!("no memory named `{name}` to update; use write to create it"));
            };
            let mut body = topic.body.clone();
            if let Some(content) = &args.content {
                body = content.clone();
            }
            match (&args.old_text, &args.new_text) {
                (Some(old), Some(new)) => {
                    let count = body.matches(old.as_str()).count();
                    if count != 1 {
                        return Err(format!(
                            "`old_text` occurs {count} times in `{name}`; it must occur exactly once (read the memory first)"
                        ));
                    }
                    body = body.replacen(old.as_str(), new, 1);
                }
                (None, None) => {}
                _ => return Err("`old_text` and `new_text` go together".into()),
            }
            let input = TopicInput {
                name,
                description: args.description.clone().unwrap_or(topic.meta.description.clone()),
                kind: args.kind.unwrap_or(topic.meta.kind),
                body,
                scope: Some(scope),
            };
            let saved = save(memory, state, input, &[], args.reason.as_deref())?;
            Ok(report(state, saved, ActionKind::Updated, args.reason, Vec::new()))
        }
        Op::Delete => {
            let name = name()?;
            if let Some(reason) = state.taint.reason() {
                return Err(format!(
                    "memory was not deleted: content from outside entered this session ({reason}), so deleting memory needs the user. Ask them to run `rein memory` themselves if it should go."
                ));
            }
            let author = author(state, args.reason.as_deref(), &format!("delete {name}"));
            let saved = memory.delete(&name, args.scope, &author).map_err(|e| e.to_string())?;
            Ok(report(state, saved, ActionKind::Deleted, args.reason, Vec::new()))
        }
    }
}

fn author(state: &ToolState, reason: Option<&str>, fallback: &str) -> Author {
    Author {
        kind: state.author,
        reason: reason.map_or_else(|| fallback.to_string(), str::to_string),
        session: Some(state.session_id.clone()),
        provenance: match state.taint.reason() {
            Some(taint) => format!("session {} after {taint}", state.session_id),
            None => format!("session {}", state.session_id),
        },
    }
}

fn save(
    memory: &Memory,
    state: &ToolState,
    input: TopicInput,
    merged_from: &[String],
    reason: Option<&str>,
) -> Result<Saved, String> {
    let author = author(state, reason, &format!("write {}", input.name));
    let source = Source {
        session: Some(state.session_id.clone()),
        event: None,
        via: Some(if state.author == "dream" { "dream".into() } else { "memory tool".into() }),
    };
    let taint = state.taint.reason();
    memory.save(input, merged_from, source, &author, taint.as_deref()).map_err(|e| e.to_string())
}

fn report(
    state: &ToolState,
    saved: Saved,
    kind: ActionKind,
    reason: Option<String>,
    merged_from: Vec<String>,
) -> String {
    let kind = if saved.quarantined { ActionKind::Quarantined } else { kind };
    let revision = saved.revision.map(|r| format!(", revision {r}")).unwrap_or_default();
    let text = match kind {
        ActionKind::Quarantined => format!(
            "Not saved to memory. Content from outside entered this session ({}), so `{}` waits in quarantine until the user reviews it (`rein memory review`). Mention this to the user if it matters.",
            state.taint.reason().unwrap_or_default(),
            saved.name
        ),
        ActionKind::Deleted => {
            format!("Deleted memory `{}` ({} memory{revision}).", saved.name, saved.scope.as_str())
        }
        ActionKind::Merged => format!(
            "Saved memory `{}`, replacing {} ({} memory{revision}).",
            saved.name,
            merged_from.join(", "),
            saved.scope.as_str()
        ),
        ActionKind::Added | ActionKind::Updated => {
            format!("Saved memory `{}` ({} memory{revision}).", saved.name, saved.scope.as_str())
        }
    };
    state.record(Action {
        kind,
        name: saved.name,
        reason: reason.unwrap_or_default(),
        merged_from,
    });
    text
}

fn list(memory: &Memory) -> Result<String, String> {
    let mut text = String::new();
    for scope in [Scope::Project, Scope::User] {
        let found = memory.topics(scope).map_err(|e| e.to_string())?;
        let _ = writeln!(
            text,
            "{} memory ({}): {} memories",
            scope.as_str(),
            memory.dir(scope).root.display(),
            found.topics.len()
        );
        for t in &found.topics {
            let _ = writeln!(
                text,
                "- {} ({}): {}",
                t.topic.meta.name,
                t.topic.meta.kind.as_str(),
                t.topic.meta.description
            );
        }
    }
    let waiting = memory.quarantined().map_err(|e| e.to_string())?.len();
    if waiting > 0 {
        let _ = writeln!(text, "{waiting} candidate(s) wait in quarantine for the user's review.");
    }
    Ok(text)
}
