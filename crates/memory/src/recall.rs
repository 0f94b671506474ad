//! Choosing the topic files that bear on a prompt: BM25 over each topic's name, description
//! and body, with the name and description counting more. Parsed topics are cached by file
//! size and modification time, so a turn costs a directory listing and a few `stat`s.

use crate::dirs::{INDEX_FILE, MemoryDir, Scope};
use crate::topic::Topic;
use std::collections::{HashMap, HashSet};
use std::path::PathBuf;
use std::sync::{Mutex, PoisonError};
use std::time::SystemTime;

/// A topic chosen for a prompt.
#[derive(Debug, Clone, PartialEq)]
pub struct Recalled {
    /// Which folder it is in.
    pub scope: Scope,
    /// The topic.
    pub topic: Topic,
    /// How well it matched.
    pub score: f64,
}

type Stamp = (u64, Option<SystemTime>);
/// Parsed files (or why they could not be parsed) by path, with the stamp they had.
type Cache = HashMap<PathBuf, (Stamp, Result<CachedTopic, String>)>;

#[derive(Debug)]
struct CachedTopic {
    topic: Topic,
    /// Term frequencies, name and description weighted.
    terms: HashMap<String, f64>,
    /// Words of the name and description.
    head: HashSet<String>,
    length: f64,
}

/// The recall cache of a set of memory folders.
#[derive(Debug, Default)]
pub(crate) struct Recall {
    cache: Mutex<Cache>,
}

/// Weight of a name or description word against a body word.
const HEAD_WEIGHT: f64 = 3.0;
/// BM25 parameters.
const K1: f64 = 1.2;
const B: f64 = 0.75;
/// A topic qualifies when a query word is in its name or description, or this many
/// different query words are in its body: one shared body word is usually chance.
const MIN_BODY_MATCHES: usize = 2;

const STOPWORDS: &[&str] = &[
    "a", "an", "and", "are", "as", "at", "be", "but", "by", "can", "do", "does", "for", "from",
    "has", "have", "how", "i", "if", "in", "into", "is", "it", "its", "me", "my", "not", "of",
    "on", "or", "our", "please", "so", "that", "the", "their", "then", "there", "this", "to",
    "use", "was", "we", "what", "when", "where", "which", "why", "will", "with", "you", "your",
];

/// Lower-case, lightly stemmed words of two or more letters or digits, minus stopwords.
pub(crate) fn words(text: &str) -> impl Iterator<Item = String> + '_ {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| w.len() >= 2)
        .map(str::to_lowercase)
        .filter(|w| !STOPWORDS.contains(&w.as_str()))
        .map(stem)
}

/// Folds the commonest English endings, so `deploys`, `deployed` and `deploying` meet
/// `deploy`. Crude on purpose: both sides of a match go through it.
fn stem(word: String) -> String {
    for (suffix, min) in [("ing", 6), ("ed", 5), ("es", 5), ("s", 4)] {
        if word.len() >= min && word.ends_with(suffix) && !word.ends_with("ss") {
            return word[..word.len() - suffix.len()].to_string();
        }
    }
    word
}

fn index_terms(topic: &Topic) -> (HashMap<String, f64>, HashSet<String>, f64) {
    let mut terms: HashMap<String, f64> = HashMap::new();
    let head_text = format!("{} {}", topic.meta.name.replace('-', " "), topic.meta.description);
    let mut head = HashSet::new();
    let mut length = 0.0;
    for word in words(&head_text) {
        *terms.entry(word.clone()).or_default() += HEAD_WEIGHT;
        head.insert(word);
        length += HEAD_WEIGHT;
    }
    for word in words(&topic.body) {
        *terms.entry(word).or_default() += 1.0;
        length += 1.0;
    }
    (terms, head, length)
}

/// Brings the cache up to date with the topic files of `dirs`; returns the files present
/// (sorted) and a warning per unreadable one.
fn refresh(cache: &mut Cache, dirs: &[&MemoryDir]) -> (Vec<(Scope, PathBuf)>, Vec<String>) {
    let mut present: Vec<(Scope, PathBuf)> = Vec::new();
    let mut warnings = Vec::new();
    for dir in dirs {
        let Ok(entries) = std::fs::read_dir(&dir.root) else { continue };
        let mut found = Vec::new();
        for entry in entries.filter_map(Result::ok) {
            let name = entry.file_name();
            let Some(name) = name.to_str() else { continue };
            if !name.ends_with(".md") || name == INDEX_FILE || name.starts_with('.') {
                continue;
            }
            let Ok(meta) = entry.metadata() else { continue };
            if !meta.is_file() {
                continue;
            }
            let path = entry.path();
            let stamp = (meta.len(), meta.modified().ok());
            if cache.get(&path).is_none_or(|(cached, _)| *cached != stamp) {
                let parsed = std::fs::read_to_string(&path)
                    .map_err(|e| e.to_string())
                    .and_then(|text| Topic::parse(name.trim_end_matches(".md"), &text))
                    .map(|topic| {
                        let (terms, head, length) = index_terms(&topic);
                        CachedTopic { topic, terms, head, length }
                    });
                cache.insert(path.clone(), (stamp, parsed));
            }
            if let Some((_, Err(message))) = cache.get(&path) {
                warnings.push(format!("{}: {message}", path.display()));
            }
            found.push(path);
        }
        found.sort();
        present.extend(found.into_iter().map(|path| (dir.scope, path)));
    }
    (present, warnings)
}

impl Recall {
    /// Every readable topic of `dirs` in name order, and a warning per unreadable file.
    pub(crate) fn scan(&self, dirs: &[&MemoryDir]) -> (Vec<(Scope, Topic)>, Vec<String>) {
        let mut cache = self.cache.lock().unwrap_or_else(PoisonError::into_inner);
        let (present, warnings) = refresh(&mut cache, dirs);
        let topics = present
            .iter()
            .filter_map(|(scope, path)| match cache.get(path) {
                Some((_, Ok(cached))) => Some((*scope, cached.topic.clone())),
                _ => None,
            })
            .collect();
        (topics, warnings)
    }

    /// Up to `limit` topics of `dirs` that match `query`, best first, skipping the names in
    /// `exclude` (already loaded or recalled) and topics that `skip` rejects.
    pub(crate) fn select(
        &self,
        dirs: &[&MemoryDir],
        query: &str,
        exclude: &HashSet<String>,
        limit: usize,
        skip: impl Fn(&Topic) -> bool,
    ) -> Vec<Recalled> {
        let query: HashSet<String> = words(query).collect();
        if query.is_empty() || limit == 0 {
            return Vec::new();
        }
        let mut cache = self.cache.lock().unwrap_or_else(PoisonError::into_inner);
        let (present, _) = refresh(&mut cache, dirs);
        let docs: Vec<(Scope, &CachedTopic)> = present
            .iter()
            .filter_map(|(scope, path)| match cache.get(path) {
                Some((_, Ok(cached))) => Some((*scope, cached)),
                _ => None,
            })
            .filter(|(_, c)| !exclude.contains(&c.topic.meta.name) && !skip(&c.topic))
            .collect();
        if docs.is_empty() {
            return Vec::new();
        }
        let n = docs.len() as f64;
        let average = docs.iter().map(|(_, c)| c.length).sum::<f64>() / n;
        let idf: HashMap<&str, f64> = query
            .iter()
            .map(|term| {
                let df = docs.iter().filter(|(_, c)| c.terms.contains_key(term)).count() as f64;
                (term.as_str(), ((n - df + 0.5) / (df + 0.5) + 1.0).ln())
            })
            .collect();
        let mut scored: Vec<Recalled> = docs
            .iter()
            .filter_map(|(scope, cached)| {
                let mut score = 0.0;
                let (mut in_head, mut in_body) = (false, 0);
                for (term, idf) in &idf {
                    let Some(tf) = cached.terms.get(*term) else { continue };
                    let norm = K1 * (1.0 - B + B * cached.length / average.max(1.0));
                    score += idf.max(0.1) * tf * (K1 + 1.0) / (tf + norm);
                    if cached.head.contains(*term) {
                        in_head = true;
                    } else {
                        in_body += 1;
                    }
                }
                (in_head || in_body >= MIN_BODY_MATCHES).then(|| Recalled {
                    scope: *scope,
                    topic: cached.topic.clone(),
                    score,
                })
            })
            .collect();
        scored.sort_by(|a, b| {
            b.score.total_cmp(&a.score).then_with(|| a.topic.meta.name.cmp(&b.topic.meta.name))
        });
        scored.truncate(limit);
        scored
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::topic::{TopicKind, TopicMeta, Trust};

    fn write(dir: &MemoryDir, name: &str, description: &str, body: &str) {
        let topic = Topic {
            meta: TopicMeta {
                name: name.into(),
                description: description.into(),
                kind: TopicKind::Project,
                trust: Trust::Trusted,
                provenance: Vec::new(),
                created: String::new(),
                updated: String::new(),
            },
            body: body.into(),
        };
        std::fs::create_dir_all(&dir.root).unwrap();
        std::fs::write(dir.topic_path(name), topic.render()).unwrap();
    }

    #[test]
    fn the_matching_topic_is_recalled_and_unrelated_ones_are_not() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = MemoryDir::project(tmp.path());
        write(&dir, "test-command", "how the tests are run", "Run `make check`, not cargo test.");
        write(&dir, "deploy", "deploys go through CI", "Never deploy by hand.");
        write(&dir, "db-schema", "where migrations live", "Migrations are in db/migrations.");
        let recall = Recall::default();
        let none = HashSet::new();
        let found =
            recall.select(&[&dir], "please run the tests and fix failures", &none, 3, |_| false);
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(found[0].topic.meta.name, "test-command");
        assert!(recall.select(&[&dir], "the weather today", &none, 3, |_| false).is_empty());

        let excluded: HashSet<String> = ["test-command".to_string()].into();
        assert!(recall.select(&[&dir], "run the tests", &excluded, 3, |_| false).is_empty());

        // A changed file is read again.
        write(&dir, "deploy", "deploys and tests", "tests gate every deploy");
        let found = recall.select(&[&dir], "tests", &none, 3, |_| false);
        assert_eq!(found.len(), 2, "{found:?}");
    }

    #[test]
    fn a_missing_folder_or_empty_query_recalls_nothing() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = MemoryDir::project(tmp.path());
        let recall = Recall::default();
        assert!(recall.select(&[&dir], "anything", &HashSet::new(), 3, |_| false).is_empty());
        assert!(recall.select(&[&dir], "the a of", &HashSet::new(), 3, |_| false).is_empty());
    }
}
