//! The memory of a session: the project and user folders, their history and recall.

use crate::dirs::{MemoryDir, Scope};
use crate::error::MemoryError;
use crate::folder::TopicList;
use crate::history::{Author, Versioned};
use crate::index;
use crate::recall::{Recall, Recalled};
use crate::topic::{Source, Topic, TopicKind, TopicMeta, Trust, valid_name};
use rein_store::Store;
use std::collections::HashSet;
use std::sync::Arc;

/// The project and user memory folders with their history.
#[derive(Debug)]
pub struct Memory {
    project: MemoryDir,
    user: MemoryDir,
    store: Option<Arc<Store>>,
    recall: Recall,
}

/// A memory to write.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TopicInput {
    /// Kebab-case name.
    pub name: String,
    /// One line saying when it matters.
    pub description: String,
    /// What it is about.
    pub kind: TopicKind,
    /// The content.
    pub body: String,
    /// Where it goes; by default user and feedback memories go to the user folder.
    pub scope: Option<Scope>,
}

/// What a change did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Saved {
    /// Folder.
    pub scope: Scope,
    /// Memory name.
    pub name: String,
    /// Written to quarantine for the user to review, not to memory.
    pub quarantined: bool,
    /// The revision recorded, if the content changed.
    pub revision: Option<i64>,
}

/// Today's date, as memory files write it.
pub(crate) fn today() -> String {
    chrono::Local::now().format("%Y-%m-%d").to_string()
}

impl Memory {
    /// Memory in `project` and `user`, with changes recorded in `store` (none: unversioned,
    /// as in a dream's staging copy).
    pub fn new(project: MemoryDir, user: MemoryDir, store: Option<Arc<Store>>) -> Self {
        Self { project, user, store, recall: Recall::default() }
    }

    /// The folder of `scope`.
    pub fn dir(&self, scope: Scope) -> &MemoryDir {
        match scope {
            Scope::Project => &self.project,
            Scope::User => &self.user,
        }
    }

    /// Both folders, project first.
    pub fn dirs(&self) -> [&MemoryDir; 2] {
        [&self.project, &self.user]
    }

    /// The folder of `scope` with its history.
    pub fn versioned(&self, scope: Scope) -> Versioned<'_> {
        Versioned { dir: self.dir(scope), store: self.store.as_deref() }
    }

    /// Records edits made outside rein in both folders.
    pub fn sync(&self) -> Result<(), MemoryError> {
        for scope in [Scope::Project, Scope::User] {
            self.versioned(scope).sync()?;
        }
        Ok(())
    }

    /// The topics of `scope`.
    pub fn topics(&self, scope: Scope) -> Result<TopicList, MemoryError> {
        self.dir(scope).topics()
    }

    /// The memory called `name`: in `scope`, or the project's before the user's.
    pub fn find(
        &self,
        name: &str,
        scope: Option<Scope>,
    ) -> Result<Option<(Scope, Topic)>, MemoryError> {
        if !valid_name(name) {
            return Err(MemoryError::InvalidName(name.to_string()));
        }
        let scopes = match scope {
            Some(scope) => vec![scope],
            None => vec![Scope::Project, Scope::User],
        };
        for scope in scopes {
            let dir = self.dir(scope);
            if let Some(text) = dir.read(&format!("{name}.md"))? {
                let topic = Topic::parse(name, &text).map_err(|message| {
                    MemoryError::Frontmatter { path: dir.topic_path(name), message }
                })?;
                return Ok(Some((scope, topic)));
            }
        }
        Ok(None)
    }

    /// Writes a memory, replacing one of the same name (its creation date and provenance
    /// are kept). `merged_from` names memories this one replaces; they are deleted in the
    /// same revision. With `untrusted` (why the content may come from outside), the memory
    /// goes to quarantine instead, and nothing else changes.
    pub fn save(
        &self,
        input: TopicInput,
        merged_from: &[String],
        source: Source,
        author: &Author,
        untrusted: Option<&str>,
    ) -> Result<Saved, MemoryError> {
        if !valid_name(&input.name) {
            return Err(MemoryError::InvalidName(input.name));
        }
        let scope = input.scope.unwrap_or(if input.kind.is_standing() {
            Scope::User
        } else {
            Scope::Project
        });
        let existing = self.find(&input.name, Some(scope))?;
        let mut meta = match &existing {
            Some((_, topic)) => topic.meta.clone(),
            None => TopicMeta {
                name: input.name.clone(),
                description: String::new(),
                kind: input.kind,
                trust: Trust::Trusted,
                provenance: Vec::new(),
                created: today(),
                updated: String::new(),
            },
        };
        meta.description = input.description.trim().to_string();
        meta.kind = input.kind;
        meta.updated = today();
        if !meta.provenance.contains(&source) {
            meta.provenance.push(source);
        }
        if let Some(reason) = untrusted {
            meta.trust = Trust::Untrusted;
            meta.provenance.push(Source {
                via: Some(format!("written after content from outside: {reason}")),
                ..Source::default()
            });
            let topic = Topic { meta, body: input.body };
            let rel = format!("{}/{}.md", crate::dirs::QUARANTINE_DIR, input.name);
            let revision = self.versioned(scope).commit(author, &[(rel, Some(topic.render()))])?;
            return Ok(Saved { scope, name: input.name, quarantined: true, revision });
        }
        meta.trust = Trust::Trusted;
        let dir = self.dir(scope);
        let mut index_text = dir.index_text()?;
        let mut edits = Vec::new();
        for old in merged_from.iter().filter(|old| **old != input.name) {
            if !valid_name(old) {
                return Err(MemoryError::InvalidName(old.clone()));
            }
            if dir.read(&format!("{old}.md"))?.is_none() {
                return Err(MemoryError::NotFound(old.clone()));
            }
            edits.push((format!("{old}.md"), None));
            index_text = index::remove(&index_text, old);
        }
        index_text = index::upsert(&index_text, &input.name, &meta.description);
        let topic = Topic { meta, body: input.body };
        edits.push((format!("{}.md", input.name), Some(topic.render())));
        edits.push((crate::dirs::INDEX_FILE.to_string(), Some(index_text)));
        let revision = self.versioned(scope).commit(author, &edits)?;
        Ok(Saved { scope, name: input.name, quarantined: false, revision })
    }

    /// Deletes memory `name` and its index line.
    pub fn delete(
        &self,
        name: &str,
        scope: Option<Scope>,
        author: &Author,
    ) -> Result<Saved, MemoryError> {
        let Some((scope, _)) = self.find(name, scope)? else {
            return Err(MemoryError::NotFound(name.to_string()));
        };
        let dir = self.dir(scope);
        let index_text = index::remove(&dir.index_text()?, name);
        let edits =
            [(format!("{name}.md"), None), (crate::dirs::INDEX_FILE.to_string(), Some(index_text))];
        let revision = self.versioned(scope).commit(author, &edits)?;
        Ok(Saved { scope, name: name.to_string(), quarantined: false, revision })
    }

    /// Candidates in quarantine, both folders.
    pub fn quarantined(&self) -> Result<Vec<(Scope, Topic)>, MemoryError> {
        let mut all = Vec::new();
        for scope in [Scope::Project, Scope::User] {
            let list = self.dir(scope).quarantined()?;
            all.extend(list.topics.into_iter().map(|found| (scope, found.topic)));
        }
        Ok(all)
    }

    fn quarantined_one(&self, name: &str) -> Result<(Scope, Topic), MemoryError> {
        self.quarantined()?.into_iter().find(|(_, topic)| topic.meta.name == name).ok_or_else(
            || {
                MemoryError::Invalid(format!(
                    "no candidate named `{name}` in quarantine (see `rein memory review`)"
                ))
            },
        )
    }

    /// Moves a quarantined candidate into memory: the user vouches for it.
    pub fn approve(&self, name: &str) -> Result<Saved, MemoryError> {
        let (scope, topic) = self.quarantined_one(name)?;
        let dir = self.dir(scope);
        let mut meta = topic.meta;
        meta.trust = Trust::Trusted;
        meta.updated = today();
        meta.provenance.push(Source { via: Some("approved by user".into()), ..Source::default() });
        let index_text = index::upsert(&dir.index_text()?, name, &meta.description);
        let topic = Topic { meta, body: topic.body };
        let edits = [
            (format!("{}/{name}.md", crate::dirs::QUARANTINE_DIR), None),
            (format!("{name}.md"), Some(topic.render())),
            (crate::dirs::INDEX_FILE.to_string(), Some(index_text)),
        ];
        let revision = self
            .versioned(scope)
            .commit(&Author::user(format!("approved {name} from quarantine")), &edits)?;
        Ok(Saved { scope, name: name.to_string(), quarantined: false, revision })
    }

    /// Drops a quarantined candidate (its content stays in the history).
    pub fn reject(&self, name: &str) -> Result<Saved, MemoryError> {
        let (scope, _) = self.quarantined_one(name)?;
        let edits = [(format!("{}/{name}.md", crate::dirs::QUARANTINE_DIR), None)];
        let revision = self
            .versioned(scope)
            .commit(&Author::user(format!("rejected {name} from quarantine")), &edits)?;
        Ok(Saved { scope, name: name.to_string(), quarantined: true, revision })
    }

    /// Every readable topic of `scope` (cached between calls) and warnings about the rest.
    pub(crate) fn scan(&self, scope: Scope) -> (Vec<Topic>, Vec<String>) {
        let (topics, warnings) = self.recall.scan(&[self.dir(scope)]);
        (topics.into_iter().map(|(_, topic)| topic).collect(), warnings)
    }

    /// Up to `limit` memories that bear on `query`, best first, skipping `exclude`.
    pub fn recall(&self, query: &str, exclude: &HashSet<String>, limit: usize) -> Vec<Recalled> {
        self.recall.select(&self.dirs(), query, exclude, limit, |topic| {
            topic.meta.trust == Trust::Untrusted
        })
    }
}

#[cfg(test)]
#[path = "memory_tests.rs"]
mod tests;
