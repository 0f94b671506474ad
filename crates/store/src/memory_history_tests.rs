use super::*;
use crate::{NewSession, Store};

fn change(path: &str, before: Option<&str>, after: Option<&str>) -> MemoryChange {
    MemoryChange {
        path: path.into(),
        before: before.map(str::to_string),
        after: after.map(str::to_string),
    }
}

fn record(store: &Store, root: &str, author: &str, changes: &[MemoryChange]) -> i64 {
    store
        .record_memory_revision(&NewRevision {
            root,
            author,
            reason: "test",
            session_id: Some("s1"),
            provenance: "session s1",
            changes,
        })
        .unwrap()
}

#[test]
fn revisions_keep_contents_and_list_newest_first() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path()).unwrap();
    let first = record(&store, "/m", "agent", &[change("a.md", None, Some("one"))]);
    let second = record(&store, "/m", "user", &[change("a.md", Some("one"), Some("two"))]);
    record(&store, "/other", "agent", &[change("b.md", None, Some("x"))]);

    let log = store.memory_log("/m", 10).unwrap();
    assert_eq!(log.iter().map(|r| r.id).collect::<Vec<_>>(), vec![second, first]);
    assert_eq!(log[0].author, "user");
    assert_eq!(log[0].paths, vec!["a.md"]);

    let revision = store.memory_revision("/m", second).unwrap();
    assert_eq!(revision.changes, vec![change("a.md", Some("one"), Some("two"))]);
    assert_eq!(revision.summary.session_id.as_deref(), Some("s1"));
}

#[test]
fn a_revision_of_another_folder_is_not_found() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path()).unwrap();
    let id = record(&store, "/m", "agent", &[change("a.md", None, Some("one"))]);
    let error = store.memory_revision("/elsewhere", id).unwrap_err();
    assert!(matches!(error, StoreError::NoRevision(n) if n == id));
    assert!(error.is_user_error());
}

#[test]
fn recorded_hashes_follow_the_latest_change_of_each_file() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path()).unwrap();
    record(
        &store,
        "/m",
        "agent",
        &[change("a.md", None, Some("one")), change("b.md", None, Some("b"))],
    );
    record(&store, "/m", "agent", &[change("a.md", Some("one"), Some("two"))]);
    record(&store, "/m", "agent", &[change("b.md", Some("b"), None)]);
    let hashes = store.memory_recorded_hashes("/m").unwrap();
    assert_eq!(hashes.get("a.md"), Some(&Some(content_hash("two"))));
    assert_eq!(hashes.get("b.md"), Some(&None));
    assert_eq!(store.memory_blob(&content_hash("two")).unwrap().as_deref(), Some("two"));
}

#[test]
fn the_last_real_dream_is_found_and_dry_runs_do_not_count() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path()).unwrap();
    assert!(store.last_dream("/m").unwrap().is_none());
    let dream = |finished: &str, status: &str| DreamRecord {
        started_at: finished.into(),
        finished_at: finished.into(),
        status: status.into(),
        revision_id: None,
        report: "r.md".into(),
        tokens: 10,
    };
    store.record_dream("/m", &dream("2026-01-01T00:00:00Z", "applied")).unwrap();
    store.record_dream("/m", &dream("2026-01-02T00:00:00Z", "dry-run")).unwrap();
    store.record_dream("/m", &dream("2026-01-03T00:00:00Z", "failed")).unwrap();
    let last = store.last_dream("/m").unwrap().unwrap();
    assert_eq!(last.finished_at, "2026-01-01T00:00:00Z");
}

#[test]
fn sessions_under_a_folder_are_counted_since_a_time() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path()).unwrap();
    let new = |cwd| NewSession { cwd, model: "m", provider: "p", version: "0" };
    store.create(&new("/repo")).unwrap();
    store.create(&new("/repo/sub")).unwrap();
    store.create(&new("/repository")).unwrap();
    assert_eq!(store.sessions_under("/repo", None).unwrap().len(), 2);
    assert_eq!(store.sessions_under("/repo", Some("9999")).unwrap().len(), 0);
}
