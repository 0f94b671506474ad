//! What memory puts into a session: at the start the indexes and standing preferences; with
//! each prompt the few topics that bear on it.

use crate::dirs::Scope;
use crate::index::LoadedIndex;
use crate::memory::Memory;
use crate::recall::Recalled;
use crate::topic::{Topic, Trust, truncate};
use std::collections::HashSet;
use std::fmt::Write as _;

/// Most bytes of standing preferences loaded at the start; the rest wait to be recalled.
pub const STANDING_BUDGET: usize = 8_000;
/// Most bytes of one recalled topic's body.
const RECALL_BODY_BYTES: usize = 2_000;

/// Memory loaded at the start of a session.
#[derive(Debug, Clone, Default)]
pub struct SessionMemory {
    /// The block for the model, when there is any memory.
    pub text: Option<String>,
    /// Topics already in the block (not to be recalled again).
    pub loaded: HashSet<String>,
    /// For the user: index filling up, unreadable files, preferences over budget.
    pub warnings: Vec<String>,
}

const PREAMBLE: &str = "What rein remembers from earlier sessions, as plain files the user can \
read, edit and revert. A memory can be out of date: check it against the code before acting on \
it, and fix or delete it with the memory tool when it is wrong.";

fn label(memory: &Memory, scope: Scope) -> String {
    memory.dir(scope).index_path().display().to_string()
}

impl Memory {
    /// The indexes and standing preferences, and warnings about them. Does not record edits
    /// made outside rein (see [`Memory::sync`]), so a session need not wait for that.
    pub fn session_context(&self) -> SessionMemory {
        let mut out = SessionMemory::default();
        let mut text = String::new();
        for scope in [Scope::Project, Scope::User] {
            let index = match self.dir(scope).index_text() {
                Ok(index) => index,
                Err(error) => {
                    out.warnings.push(error.to_string());
                    continue;
                }
            };
            if index.trim().is_empty() {
                continue;
            }
            let loaded = LoadedIndex::load(&index);
            if let Some(warning) = loaded.warning() {
                out.warnings.push(format!("{} memory: {warning}", scope.as_str()));
            }
            let _ = write!(
                text,
                "\n\n{} memory index ({}):\n{}",
                capitalise(scope.as_str()),
                label(self, scope),
                loaded.text.trim_end()
            );
        }
        let mut standing = String::new();
        let mut over_budget = Vec::new();
        for scope in [Scope::Project, Scope::User] {
            let (topics, warnings) = self.scan(scope);
            out.warnings.extend(warnings);
            for topic in topics {
                if !topic.meta.kind.is_standing() || topic.meta.trust != Trust::Trusted {
                    continue;
                }
                if out.loaded.contains(&topic.meta.name) {
                    continue;
                }
                let block = topic_block(scope, &topic, usize::MAX);
                if standing.len() + block.len() > STANDING_BUDGET {
                    over_budget.push(topic.meta.name.clone());
                    continue;
                }
                standing.push_str(&block);
                out.loaded.insert(topic.meta.name);
            }
        }
        if !over_budget.is_empty() {
            out.warnings.push(format!(
                "standing preferences exceed {STANDING_BUDGET} bytes; {} load only when relevant: {}",
                over_budget.len(),
                over_budget.join(", ")
            ));
        }
        if !standing.is_empty() {
            let _ = write!(text, "\n\nStanding preferences (always apply):{standing}");
        }
        if !text.is_empty() {
            out.text = Some(format!("<memory>\n{PREAMBLE}{text}\n</memory>"));
        }
        out
    }
}

/// The block that brings recalled topics into a prompt.
pub fn render_recalled(recalled: &[Recalled]) -> Option<String> {
    if recalled.is_empty() {
        return None;
    }
    let mut text = String::from(
        "<memory-recall>\nMemories that may bear on this request (check them before relying on them):",
    );
    for r in recalled {
        text.push_str(&topic_block(r.scope, &r.topic, RECALL_BODY_BYTES));
    }
    text.push_str("\n</memory-recall>");
    Some(text)
}

fn topic_block(scope: Scope, topic: &Topic, max_body: usize) -> String {
    let meta = &topic.meta;
    let mut body = topic.body.trim().to_string();
    if body.len() > max_body {
        body = format!(
            "{}\n(cut; read the whole memory with the memory tool)",
            truncate(&body, max_body)
        );
    }
    let updated =
        if meta.updated.is_empty() { String::new() } else { format!(", updated {}", meta.updated) };
    format!(
        "\n\n### {} ({} memory, {}{updated}) — {}\n{body}",
        meta.name,
        scope.as_str(),
        meta.kind.as_str(),
        meta.description
    )
}

fn capitalise(word: &str) -> String {
    let mut chars = word.chars();
    chars.next().map(|c| c.to_uppercase().chain(chars).collect()).unwrap_or_default()
}
