use super::*;
use pretty_assertions::assert_eq;

fn start(text: &str) -> Option<(usize, CallForm)> {
    find_call_start(text).map(|s| (s.offset, s.form))
}

#[test]
fn call_starts() {
    assert_eq!(start("<tool_call>"), Some((0, CallForm::Tagged)));
    assert_eq!(start("\n {\"na"), Some((2, CallForm::Bare)));
    assert_eq!(start("```json"), Some((0, CallForm::Fenced)));
    assert_eq!(start("```\n{"), Some((0, CallForm::Fenced)));
    assert_eq!(start("```\n"), None);
    assert_eq!(start("```python\n{"), None);
    assert_eq!(start("Let me read it.\n<tool_call>\n{"), Some((16, CallForm::Tagged)));
    assert_eq!(start("Use {braces} later"), None);
    assert_eq!(start("Example:\n```json\n{}"), None);
}

fn stream(pieces: &[&str]) -> (Vec<String>, Option<String>) {
    let mut gate = TextGate::new(true);
    let shown = pieces.iter().filter_map(|p| gate.push(p)).collect();
    (shown, gate.finish())
}

#[test]
fn prose_streams_and_skips_leading_whitespace() {
    assert_eq!(
        stream(&["\n", "Hello", " world", "\n"]),
        (vec!["Hello".into(), " world".into()], None)
    );
    assert_eq!(stream(&["a", "\n\n", "b "]), (vec!["a".into(), "\n\nb".into()], None));
}

#[test]
fn possible_call_starts_are_held_back() {
    assert_eq!(
        stream(&["``", "`", "python\nx", "\n```"]),
        (vec!["```python\nx".into(), "\n```".into()], None)
    );
    assert_eq!(stream(&["<tool", "_call", ">", "{}"]), (vec![], None));
    assert_eq!(stream(&["```", "json\n{}"]), (vec![], None));
    assert_eq!(stream(&["<", "b>bold"]), (vec!["<b>bold".into()], None));
}

#[test]
fn text_before_a_tagged_call_is_shown() {
    assert_eq!(
        stream(&["I'll look.", " <tool", "_call>", "{\"name\""]),
        (vec!["I'll look.".into()], None)
    );
}

#[test]
fn held_text_is_released_at_the_end() {
    assert_eq!(stream(&["Done <tool"]), (vec!["Done".into()], Some(" <tool".into())));
    assert_eq!(stream(&["  ``"]), (vec![], Some("``".into())));
}

#[test]
fn without_tools_everything_streams() {
    let mut gate = TextGate::new(false);
    assert_eq!(gate.push("  {\"name\""), Some("{\"name\"".into()));
    assert_eq!(gate.push("<tool"), Some("<tool".into()));
    assert_eq!(gate.finish(), None);
}
