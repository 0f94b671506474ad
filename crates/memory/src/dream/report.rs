//! The report every dream writes: what it added, merged, updated and pruned, and why.

use crate::tool::{Action, ActionKind};
use std::fmt::Write as _;

/// A finished dream, for its report.
#[derive(Debug, Clone, Default)]
pub struct DreamReport {
    /// When it started (local time, for the title).
    pub started: String,
    /// The memory folder.
    pub folder: String,
    /// Model used.
    pub model: String,
    /// Tokens used.
    pub tokens: u64,
    /// Token budget.
    pub budget: u64,
    /// Whether the budget stopped it.
    pub hit_budget: bool,
    /// One line per phase.
    pub phases: Vec<(String, String)>,
    /// The memory tool's changes.
    pub actions: Vec<Action>,
    /// Index lines before and after.
    pub index_lines: (usize, usize),
    /// Files the user changed during the dream, left alone.
    pub conflicts: Vec<String>,
    /// The revision, if applied.
    pub revision: Option<i64>,
    /// Shown only, not applied.
    pub dry_run: bool,
    /// The model's closing summary.
    pub summary: String,
    /// Why it did not finish, if it did not.
    pub error: Option<String>,
}

impl DreamReport {
    /// Counts for a one-line summary: added, merged, updated, pruned.
    pub fn counts(&self) -> (usize, usize, usize, usize) {
        let count = |kind| self.actions.iter().filter(|a| a.kind == kind).count();
        (
            count(ActionKind::Added),
            count(ActionKind::Merged),
            count(ActionKind::Updated),
            count(ActionKind::Deleted),
        )
    }

    /// One line: what changed.
    pub fn headline(&self) -> String {
        let (added, merged, updated, pruned) = self.counts();
        if self.actions.is_empty() {
            return "nothing changed".into();
        }
        format!("{added} added, {merged} merged, {updated} updated, {pruned} pruned")
    }

    /// The report as Markdown.
    pub fn render(&self) -> String {
        let mut text = format!("# Dream {}\n\n", self.started);
        let _ = writeln!(text, "- memory: {}", self.folder);
        let _ = writeln!(text, "- model: {}", self.model);
        let _ = writeln!(
            text,
            "- tokens: {} of a {} budget{}",
            self.tokens,
            self.budget,
            if self.hit_budget { " (the budget ended the dream)" } else { "" }
        );
        let _ = writeln!(text, "- index: {} → {} lines", self.index_lines.0, self.index_lines.1);
        let _ = writeln!(text, "- result: {}", self.headline());
        if self.dry_run {
            text.push_str("- dry run: nothing was applied\n");
        }
        if let Some(error) = &self.error {
            let _ = writeln!(text, "- stopped early: {error}");
        }
        text.push_str("\n## Phases\n\n");
        for (phase, note) in &self.phases {
            let _ = writeln!(text, "- {phase}: {note}");
        }
        let sections = [
            (ActionKind::Added, "Added"),
            (ActionKind::Merged, "Merged"),
            (ActionKind::Updated, "Updated"),
            (ActionKind::Deleted, "Pruned"),
            (ActionKind::Quarantined, "Quarantined for review"),
        ];
        for (kind, title) in sections {
            let actions: Vec<&Action> = self.actions.iter().filter(|a| a.kind == kind).collect();
            if actions.is_empty() {
                continue;
            }
            let _ = writeln!(text, "\n## {title}\n");
            for action in actions {
                let merged = if action.merged_from.is_empty() {
                    String::new()
                } else {
                    format!(" ← {}", action.merged_from.join(", "))
                };
                let reason = if action.reason.is_empty() {
                    "no reason given".into()
                } else {
                    action.reason.clone()
                };
                let _ = writeln!(text, "- `{}`{merged}: {reason}", action.name);
            }
        }
        if !self.conflicts.is_empty() {
            text.push_str("\n## Not applied\n\n");
            for path in &self.conflicts {
                let _ = writeln!(
                    text,
                    "- {path}: changed by someone else during the dream; kept as it is"
                );
            }
        }
        if !self.summary.trim().is_empty() {
            let _ = writeln!(text, "\n## The model's summary\n\n{}", self.summary.trim());
        }
        if let Some(revision) = self.revision {
            let _ = writeln!(
                text,
                "\nRevision {revision}: see it with `rein memory show {revision}`, undo it with `rein memory revert {revision}`."
            );
        }
        text
    }
}
