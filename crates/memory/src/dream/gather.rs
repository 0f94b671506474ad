//! The first two phases of a dream, done by rein rather than the model: orient (the index
//! and what each memory is about) and gather (daily-log entries and sessions since the last
//! dream). Untrusted log lines are withheld: only the user's own words of those sessions
//! reach the model. The material is cut to a share of the token budget, newest first.

use crate::dirs::MemoryDir;
use crate::error::MemoryError;
use crate::folder::FoundTopic;
use crate::index::LoadedIndex;
use crate::topic::Trust;
use chrono::NaiveDate;
use rein_store::Store;
use std::fmt::Write as _;
use std::path::Path;

/// Characters per token, for budgeting (a safe over-estimate of tokens for English text).
const CHARS_PER_TOKEN: usize = 3;
/// Share of the token budget the gathered material may take: every model call of the dream
/// sends it again, and the rest is for reading memories and writing changes.
const INPUT_SHARE_PERCENT: usize = 25;
/// How a dream's own daily-log entry heading ends.
pub const DREAM_HEADING: &str = "· dream";
/// Days of logs read when there was no dream yet.
const FIRST_DREAM_DAYS: i64 = 30;

/// What a dream starts from.
#[derive(Debug, Clone, Default)]
pub struct DreamInput {
    /// The index text (capped as sessions see it).
    pub index: String,
    /// Index lines before the dream.
    pub index_lines: usize,
    /// Every memory: name, type, description, size.
    pub topics: Vec<FoundTopic>,
    /// Log entries, oldest first, already filtered: (date, heading, text).
    pub entries: Vec<(NaiveDate, String, String)>,
    /// Log entries from sessions with outside content.
    pub untrusted_entries: usize,
    /// Lines withheld from those.
    pub withheld_lines: usize,
    /// Entries left out for the budget.
    pub dropped_entries: usize,
    /// Sessions since the last dream: (date, title).
    pub sessions: Vec<(String, String)>,
    /// The first day read.
    pub since: Option<NaiveDate>,
    /// Candidates in quarantine (not shown to the model).
    pub quarantined: usize,
}

impl DreamInput {
    /// Gathers the material for a dream of `dir` whose last dream ended at `last` (RFC 3339).
    pub fn gather(
        dir: &MemoryDir,
        store: Option<&Store>,
        project_root: &Path,
        last: Option<&str>,
        today: NaiveDate,
        budget_tokens: u64,
    ) -> Result<Self, MemoryError> {
        let mut input = Self::default();
        let index = dir.index_text()?;
        let loaded = LoadedIndex::load(&index);
        input.index = loaded.text;
        input.index_lines = loaded.lines;
        input.topics = dir.topics()?.topics;
        input.topics.retain(|t| t.topic.meta.trust == Trust::Trusted);
        input.quarantined = dir.quarantined()?.topics.len();

        let since = last
            .and_then(|t| chrono::DateTime::parse_from_rfc3339(t).ok())
            .map(|t| t.with_timezone(&chrono::Local).date_naive())
            .unwrap_or(today - chrono::Duration::days(FIRST_DREAM_DAYS));
        input.since = Some(since);
        let mut budget =
            usize::try_from(budget_tokens).unwrap_or(usize::MAX).saturating_mul(CHARS_PER_TOKEN)
                / 100
                * INPUT_SHARE_PERCENT;
        budget = budget.saturating_sub(input.index.len());
        // Newest first until the budget is spent, then back in order.
        let mut kept = Vec::new();
        // A dream's own log entries are records of earlier dreams, not new material.
        let mut entries = dir.log_entries_since(since)?;
        entries.retain(|entry| !entry.heading.ends_with(DREAM_HEADING));
        let total = entries.len();
        for entry in entries.into_iter().rev() {
            let (text, withheld) = entry.for_dream();
            let cost = text.len() + entry.heading.len() + 16;
            if cost > budget {
                break;
            }
            budget -= cost;
            if entry.untrusted {
                input.untrusted_entries += 1;
                input.withheld_lines += withheld;
            }
            kept.push((entry.date, entry.heading, text));
        }
        input.dropped_entries = total - kept.len();
        kept.reverse();
        input.entries = kept;
        if let Some(store) = store {
            let root = project_root.to_string_lossy();
            for session in store.sessions_under(&root, last)? {
                if session.turns == 0 || session.title.is_empty() {
                    continue;
                }
                let cost = session.title.len() + 16;
                if cost > budget {
                    break;
                }
                budget -= cost;
                let date = session.created_at.chars().take(10).collect();
                input.sessions.push((date, session.title));
            }
        }
        Ok(input)
    }

    /// The material as the model reads it.
    pub fn render(&self) -> String {
        let mut text = String::new();
        let _ = writeln!(text, "## The index (MEMORY.md), {} lines\n", self.index_lines);
        if self.index.trim().is_empty() {
            text.push_str("(empty)\n");
        } else {
            let _ = writeln!(text, "{}", self.index.trim_end());
        }
        let _ = writeln!(text, "\n## Memories ({})\n", self.topics.len());
        for t in &self.topics {
            let meta = &t.topic.meta;
            let _ = writeln!(
                text,
                "- {} ({}, {} bytes, updated {}): {}",
                meta.name,
                meta.kind.as_str(),
                t.bytes,
                if meta.updated.is_empty() { "?" } else { &meta.updated },
                meta.description
            );
        }
        let since = self.since.map(|d| d.format("%Y-%m-%d").to_string()).unwrap_or_default();
        let _ = writeln!(text, "\n## Daily log entries since {since} ({})\n", self.entries.len());
        if self.untrusted_entries > 0 {
            let _ = writeln!(
                text,
                "({} entries came from sessions that read content from outside; only the user's own \
                 requests of those are shown.)\n",
                self.untrusted_entries
            );
        }
        for (date, heading, body) in &self.entries {
            let _ = writeln!(text, "### {} {heading}\n{body}\n", date.format("%Y-%m-%d"));
        }
        if !self.sessions.is_empty() {
            let _ = writeln!(text, "## Sessions since the last dream ({})\n", self.sessions.len());
            for (date, title) in &self.sessions {
                let _ = writeln!(text, "- {date}: {title}");
            }
        }
        text
    }
}
