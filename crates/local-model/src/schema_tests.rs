use super::*;
use pretty_assertions::assert_eq;
use serde_json::json;

fn write_schema() -> Value {
    json!({
        "type": "object",
        "additionalProperties": false,
        "properties": {
            "content": {"type": "string", "description": "Full new contents. Replaces the file."},
            "path": {"type": "string", "description": "File path, e.g. src/main.rs. Relative."},
            "mode": {"type": "string", "enum": ["a", "b"], "default": "a", "title": "Mode"}
        },
        "required": ["path", "content"]
    })
}

#[test]
fn first_sentence_skips_abbreviations_and_cuts_long_text() {
    assert_eq!(first_sentence("Read a file. Then more."), "Read a file.");
    assert_eq!(first_sentence("Use e.g. this. Not that."), "Use e.g. this.");
    assert_eq!(first_sentence("One line\n\nSecond paragraph"), "One line");
    assert_eq!(first_sentence("No period"), "No period");
    assert_eq!(first_sentence("Version 1.5 is out. Yes."), "Version 1.5 is out.");
    assert_eq!(first_sentence(&"x".repeat(300)).chars().count(), 200);
}

#[test]
fn properties_follow_required_order() {
    let schema = write_schema();
    let names: Vec<&str> = ordered_properties(&schema).into_iter().map(|(n, _)| n).collect();
    assert_eq!(names, ["path", "content", "mode"]);
}

#[test]
fn compact_schema_drops_noise() {
    let compact = compact_schema(&write_schema());
    let Ordered::Object(entries) = compact else { panic!("not an object") };
    let keys: Vec<&str> = entries.iter().map(|(k, _)| k.as_str()).collect();
    assert_eq!(keys, ["type", "properties", "required"]);
    let Ordered::Object(props) = &entries[1].1 else { panic!("no properties") };
    assert_eq!(
        props[0],
        (
            "path".to_string(),
            Ordered::Object(vec![
                ("type".into(), Ordered::Plain(json!("string"))),
                ("description".into(), Ordered::Plain(json!("File path, e.g. src/main.rs."))),
            ])
        )
    );
    assert_eq!(
        props[2].1,
        Ordered::Object(vec![
            ("type".into(), Ordered::Plain(json!("string"))),
            ("enum".into(), Ordered::Plain(json!(["a", "b"]))),
        ])
    );
}

#[test]
fn signatures_are_one_line() {
    assert_eq!(
        signature("write", &write_schema()),
        r#"write(path: string, content: string, mode?: "a"|"b")"#
    );
    let list = json!({"type": "object", "properties": {"tags": {"type": "array", "items": {"type": "integer"}}}});
    assert_eq!(signature("tag", &list), "tag(tags?: integer[])");
    assert_eq!(signature("noop", &json!({"type": "object"})), "noop()");
}
