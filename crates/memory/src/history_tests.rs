use super::*;
use std::fs;

fn setup() -> (tempfile::TempDir, Store, MemoryDir) {
    let tmp = tempfile::tempdir().unwrap();
    let store = Store::open(&tmp.path().join("data")).unwrap();
    let dir = MemoryDir::project(&tmp.path().join("repo"));
    (tmp, store, dir)
}

fn agent(reason: &str) -> Author {
    Author {
        kind: "agent",
        reason: reason.into(),
        session: Some("s1".into()),
        provenance: "session s1".into(),
    }
}

#[test]
fn commits_are_revisions_and_revert_restores_the_content_before() {
    let (_tmp, store, dir) = setup();
    let v = Versioned { dir: &dir, store: Some(&store) };
    let first = v.commit(&agent("add"), &[("a.md".into(), Some("one\n".into()))]).unwrap();
    let second = v.commit(&agent("change"), &[("a.md".into(), Some("two\n".into()))]).unwrap();
    assert!(second > first);
    // Writing the same content again changes nothing and records nothing.
    assert_eq!(v.commit(&agent("same"), &[("a.md".into(), Some("two\n".into()))]).unwrap(), None);

    let (undo, changed_since) = v.revert(second.unwrap()).unwrap();
    assert!(undo.is_some());
    assert!(changed_since.is_empty());
    assert_eq!(fs::read_to_string(dir.root.join("a.md")).unwrap(), "one\n");

    // Reverting the creation deletes the file; reverting that brings it back.
    let (undo_create, _) = v.revert(first.unwrap()).unwrap();
    assert!(!dir.root.join("a.md").exists());
    v.revert(undo_create.unwrap()).unwrap();
    assert_eq!(fs::read_to_string(dir.root.join("a.md")).unwrap(), "one\n");

    let log = v.log(10).unwrap();
    assert_eq!(log.len(), 5);
    assert!(log[0].reason.starts_with("revert of revision"));
}

#[test]
fn edits_outside_rein_are_recorded_as_the_users_before_the_next_change() {
    let (_tmp, store, dir) = setup();
    let v = Versioned { dir: &dir, store: Some(&store) };
    v.commit(&agent("add"), &[("a.md".into(), Some("one\n".into()))]).unwrap();
    fs::write(dir.root.join("a.md"), "hand edit\n").unwrap();
    fs::write(dir.root.join("b.md"), "new by hand\n").unwrap();
    v.commit(&agent("add c"), &[("c.md".into(), Some("c\n".into()))]).unwrap();

    let log = v.log(10).unwrap();
    let reasons: Vec<_> = log.iter().map(|r| (r.author.as_str(), r.reason.as_str())).collect();
    assert_eq!(
        reasons,
        vec![("agent", "add c"), ("user", "edited outside rein"), ("agent", "add")]
    );
    let user = v.revision(log[1].id).unwrap();
    assert_eq!(user.summary.paths, vec!["a.md", "b.md"]);
    let diff = render_diff(&user.changes[0]);
    assert!(diff.contains("-one") && diff.contains("+hand edit"), "{diff}");
}

#[test]
fn memory_found_before_any_history_is_imported_once() {
    let (_tmp, store, dir) = setup();
    fs::create_dir_all(&dir.root).unwrap();
    fs::write(dir.root.join("MEMORY.md"), "# Memory\n").unwrap();
    fs::create_dir_all(dir.root.join("logs/2026/11")).unwrap();
    fs::write(dir.root.join("logs/2026/11/21.md"), "log\n").unwrap();
    let v = Versioned { dir: &dir, store: Some(&store) };
    let id = v.sync().unwrap().unwrap();
    assert_eq!(v.sync().unwrap(), None);
    let revision = v.revision(id).unwrap();
    assert_eq!(revision.summary.reason, "memory found on disk (first seen by rein)");
    assert_eq!(revision.summary.paths, vec!["MEMORY.md"]);
}

#[test]
fn a_revision_number_of_another_folder_is_a_clear_error() {
    let (tmp, store, dir) = setup();
    let other = MemoryDir::user(&tmp.path().join("config"));
    let v = Versioned { dir: &dir, store: Some(&store) };
    let id = v.commit(&agent("add"), &[("a.md".into(), Some("x".into()))]).unwrap().unwrap();
    let error = Versioned { dir: &other, store: Some(&store) }.revert(id).unwrap_err();
    assert!(error.is_user_error());
    assert!(error.to_string().contains("no memory revision"), "{error}");
}
