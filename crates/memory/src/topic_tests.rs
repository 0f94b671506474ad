use super::*;
use pretty_assertions::assert_eq;

fn sample() -> Topic {
    Topic {
        meta: TopicMeta {
            name: "test-command".into(),
            description: "how the tests are run".into(),
            kind: TopicKind::Project,
            trust: Trust::Trusted,
            provenance: vec![Source {
                session: Some("s1".into()),
                event: None,
                via: Some("memory tool".into()),
            }],
            created: "2026-11-21".into(),
            updated: "2026-11-21".into(),
        },
        body: "Run `make check`.".into(),
    }
}

#[test]
fn a_rendered_topic_parses_back_the_same() {
    let topic = sample();
    let text = topic.render();
    assert!(text.starts_with("---\nname: test-command\n"), "{text}");
    assert!(text.ends_with("---\nRun `make check`.\n"), "{text}");
    assert_eq!(Topic::parse("test-command", &text).unwrap(), topic);
}

#[test]
fn a_file_without_frontmatter_is_a_project_memory_described_by_its_first_line() {
    let topic = Topic::parse("notes", "\n# Deploys go through CI only\nnever by hand\n").unwrap();
    assert_eq!(topic.meta.name, "notes");
    assert_eq!(topic.meta.description, "Deploys go through CI only");
    assert_eq!(topic.meta.kind, TopicKind::Project);
    assert_eq!(topic.meta.trust, Trust::Trusted);
}

#[test]
fn missing_fields_take_defaults_and_a_nested_type_is_found() {
    let text = "---\ndescription: tabs not spaces\nmetadata:\n  type: feedback\n---\nbody\n";
    let topic = Topic::parse("indent", text).unwrap();
    assert_eq!(topic.meta.name, "indent");
    assert_eq!(topic.meta.kind, TopicKind::Feedback);
    assert_eq!(topic.body, "body");
}

#[test]
fn broken_frontmatter_is_an_error_not_a_panic() {
    assert!(Topic::parse("x", "---\nname: [unclosed\n---\nbody").is_err());
    assert!(Topic::parse("x", "---\ntype: opinion\n---\nbody").is_err());
    // Never closed: no frontmatter at all.
    let topic = Topic::parse("x", "---\nname: x\nbody without end").unwrap();
    assert_eq!(topic.meta.kind, TopicKind::Project);
}

#[test]
fn names_are_kebab_case_slugs() {
    assert!(valid_name("test-command"));
    assert!(valid_name("a1"));
    for bad in ["", "-x", "Caps", "a b", "../x", "a/b", "x.md", &"a".repeat(65)] {
        assert!(!valid_name(bad), "{bad:?}");
    }
}
