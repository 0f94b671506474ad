//! Topic files: one memory each, YAML frontmatter then a Markdown body.
//!
//! ```text
//! ---
//! name: test-command
//! description: how the tests of this repository are run
//! type: project
//! trust: trusted
//! provenance:
//! - session: 0193a…
//!   via: memory tool
//! created: 2026-11-21
//! updated: 2026-11-21
//! ---
//! Run `make check`; `cargo test` alone skips the integration suite.
//! ```

use serde::{Deserialize, Serialize};

/// What a memory is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum TopicKind {
    /// Who the user is: role, expertise, language.
    User,
    /// How the user wants the work done: corrections and standing preferences.
    Feedback,
    /// Facts about the project: commands, layout, decisions, gotchas.
    Project,
    /// Pointers to outside material: documents, dashboards, tickets.
    Reference,
}

impl TopicKind {
    /// Lower-case name.
    pub fn as_str(self) -> &'static str {
        match self {
            TopicKind::User => "user",
            TopicKind::Feedback => "feedback",
            TopicKind::Project => "project",
            TopicKind::Reference => "reference",
        }
    }

    /// Standing preferences load into every session instead of waiting to be recalled.
    pub fn is_standing(self) -> bool {
        matches!(self, TopicKind::User | TopicKind::Feedback)
    }
}

/// Whether a memory's content came from the user and their repository, or from outside.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Trust {
    /// From the user, the repository or rein itself.
    #[default]
    Trusted,
    /// Written after content from outside (web pages, issue text, unknown command output)
    /// entered the conversation; quarantined until the user approves it.
    Untrusted,
}

/// Where a memory's content came from.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Source {
    /// The session that wrote it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub session: Option<String>,
    /// The event (daemon observation, dream id, revision) that produced it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub event: Option<String>,
    /// How: `memory tool`, `dream`, `user edit`, `approved by user`, or what tainted it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub via: Option<String>,
}

/// The frontmatter of a topic file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TopicMeta {
    /// Kebab-case name; also the file name.
    pub name: String,
    /// One line, used to decide when the memory is relevant.
    #[serde(default)]
    pub description: String,
    /// What it is about.
    #[serde(rename = "type", default = "default_kind")]
    pub kind: TopicKind,
    /// Whether its source was trusted.
    #[serde(default)]
    pub trust: Trust,
    /// The sessions and events that produced it, oldest first.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub provenance: Vec<Source>,
    /// Day it was created (YYYY-MM-DD).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub created: String,
    /// Day it last changed (YYYY-MM-DD).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub updated: String,
}

fn default_kind() -> TopicKind {
    TopicKind::Project
}

/// A topic file: frontmatter and body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Topic {
    /// The frontmatter.
    pub meta: TopicMeta,
    /// The Markdown body.
    pub body: String,
}

impl Topic {
    /// Parses a topic file. `name` (the file stem) fills in a missing name; a file without
    /// frontmatter is a project memory whose description is its first line.
    pub fn parse(name: &str, text: &str) -> Result<Self, String> {
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        let Some((yaml, body)) = rein_context::extensions::split_frontmatter(text) else {
            let description = text
                .lines()
                .map(|l| l.trim_start_matches('#').trim())
                .find(|l| !l.is_empty())
                .unwrap_or_default();
            return Ok(Self {
                meta: TopicMeta {
                    name: name.to_string(),
                    description: truncate(description, 150),
                    kind: TopicKind::Project,
                    trust: Trust::Trusted,
                    provenance: Vec::new(),
                    created: String::new(),
                    updated: String::new(),
                },
                body: text.to_string(),
            });
        };
        let mut value: serde_norway::Value = serde_norway::from_str(yaml)
            .map_err(|e| format!("frontmatter is not valid YAML: {e}"))?;
        // Newer files of other tools nest the type under `metadata`.
        if let serde_norway::Value::Mapping(map) = &mut value {
            if !map.contains_key("type") {
                let nested = map.get("metadata").and_then(|m| m.get("type")).cloned();
                if let Some(kind) = nested {
                    map.insert("type".into(), kind);
                }
            }
            if !map.contains_key("name") {
                map.insert("name".into(), name.into());
            }
        }
        let meta: TopicMeta =
            serde_norway::from_value(value).map_err(|e| format!("frontmatter: {e}"))?;
        Ok(Self { meta, body: body.trim_start_matches('\n').trim_end().to_string() })
    }

    /// The file's text.
    pub fn render(&self) -> String {
        let yaml = serde_norway::to_string(&self.meta).unwrap_or_default();
        let body = self.body.trim_end();
        format!("---\n{yaml}---\n{body}\n")
    }
}

/// Whether `name` can be a memory file name: 1–64 of `[a-z0-9-]`, not starting with `-`.
pub fn valid_name(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= 64
        && !name.starts_with('-')
        && name.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

/// `text` cut to `max` characters at most, with an ellipsis when cut.
pub(crate) fn truncate(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_string();
    }
    let mut cut: String = text.chars().take(max.saturating_sub(1)).collect();
    cut.push('…');
    cut
}

#[cfg(test)]
#[path = "topic_tests.rs"]
mod tests;
