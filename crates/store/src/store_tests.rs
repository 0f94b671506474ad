use super::*;
use rein_protocol::Message;
use std::io::Write;

fn new_session() -> NewSession<'static> {
    NewSession { cwd: "/work/repo", model: "m", provider: "p", version: "0.1.0" }
}

fn message_entry(text: &str) -> TranscriptEntry {
    TranscriptEntry::Message { ts: now(), message: Message::user_text(text) }
}

#[test]
fn create_append_and_load_round_trip() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path()).unwrap();
    let (id, mut writer) = store.create(&new_session()).unwrap();
    writer.append(&message_entry("hello")).unwrap();
    writer
        .append(&TranscriptEntry::Usage {
            ts: now(),
            model: "m".into(),
            usage: Usage { input_tokens: 10, output_tokens: 5, ..Usage::default() },
            cost_usd: 0.5,
        })
        .unwrap();
    store.record_progress(&id, "m", "hello", 1, Usage::default(), 0.5).unwrap();

    let loaded = store.load(store.find(&id).unwrap()).unwrap();
    assert_eq!(loaded.messages, vec![Message::user_text("hello")]);
    assert_eq!(loaded.usage.input_tokens, 10);
    assert_eq!(loaded.turns, 1);
    assert_eq!(loaded.summary.title, "hello");
    assert_eq!(loaded.skipped_lines, 0);
}

#[test]
fn torn_last_line_is_skipped_not_fatal() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path()).unwrap();
    let (id, mut writer) = store.create(&new_session()).unwrap();
    writer.append(&message_entry("kept")).unwrap();
    let mut file = std::fs::OpenOptions::new().append(true).open(writer.path()).unwrap();
    file.write_all(br#"{"type":"message","ts":"x","message":{"role":"us"#).unwrap();

    let loaded = store.load(store.find(&id).unwrap()).unwrap();
    assert_eq!(loaded.messages, vec![Message::user_text("kept")]);
    assert_eq!(loaded.skipped_lines, 1);
}

#[test]
fn find_by_prefix_latest_and_list() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path()).unwrap();
    let (first, _) = store.create(&new_session()).unwrap();
    std::thread::sleep(std::time::Duration::from_millis(5));
    let (second, _) = store.create(&new_session()).unwrap();
    store.record_progress(&second, "m", "t", 1, Usage::default(), 0.0).unwrap();

    assert_eq!(store.find(&first[..first.len() - 4]).unwrap().id, first);
    assert!(matches!(store.find("zzzz"), Err(StoreError::NotFound(_))));
    // uuid v7 ids made in the same process share a long time prefix.
    assert!(matches!(store.find(""), Err(StoreError::Ambiguous { .. })));
    assert_eq!(store.latest_in("/work/repo").unwrap().unwrap().id, second);
    assert_eq!(store.latest_in("/elsewhere").unwrap(), None);
    let listed: Vec<_> = store.list(10).unwrap().into_iter().map(|s| s.id).collect();
    assert_eq!(listed, vec![second, first]);
}

#[test]
fn reopening_keeps_schema_and_rows() {
    let dir = tempfile::tempdir().unwrap();
    let id = Store::open(dir.path()).unwrap().create(&new_session()).unwrap().0;
    let store = Store::open(dir.path()).unwrap();
    assert_eq!(store.find(&id).unwrap().id, id);
}

#[test]
fn missing_header_is_an_error() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path()).unwrap();
    let (id, writer) = store.create(&new_session()).unwrap();
    std::fs::write(writer.path(), "").unwrap();
    assert!(matches!(store.load(store.find(&id).unwrap()), Err(StoreError::NoHeader(_))));
}
