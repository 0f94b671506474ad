use super::*;

fn calls(text: &str) -> Vec<(String, Value)> {
    parse_blocks(text, true, true).into_iter().map(|c| (c.name.to_string(), c.arguments)).collect()
}

fn write(path: &str, content: &str) -> (String, Value) {
    ("write".into(), json!({"path": path, "content": content}))
}

fn bash(command: &str) -> (String, Value) {
    ("bash".into(), json!({"command": command}))
}

#[test]
fn path_line_then_block_is_a_write_and_sh_is_a_command() {
    let text = "greeter.py\n```python\ndef greet():\n    pass\n```\n\nNow the tests:\n\n```sh\n$ python -m unittest\n```\nDone.";
    assert_eq!(
        calls(text),
        [write("greeter.py", "def greet():\n    pass\n"), bash("python -m unittest")]
    );
}

#[test]
fn header_shapes_small_models_write() {
    let text = "1. **Add the `farewell` function to `greeter.py`:**\n\n```python\nx = 1\n```\n\
                **src/lib.rs**\n```rust\nfn a() {}\n```\n\
                ```python\n# tests/test_a.py\nimport a\n```\n\
                ```python\ntest_greeter.py\n```python\nimport unittest\n```";
    assert_eq!(
        calls(text),
        [
            write("greeter.py", "x = 1\n"),
            write("src/lib.rs", "fn a() {}\n"),
            write("tests/test_a.py", "import a\n"),
            write("test_greeter.py", "import unittest\n"),
        ]
    );
}

#[test]
fn blocks_without_a_path_or_cut_off_are_not_files() {
    let text = "Here is an example:\n```python\nprint(1)\n```\nResult:\n```json\n{\"a\": 1}\n```\n\
                notes.md\n```markdown\n# Title\nunfinished";
    assert_eq!(calls(text), Vec::<(String, Value)>::new());
}

#[test]
fn respects_which_tools_are_offered() {
    let text = "a.txt\n```\nhi\n```\n```bash\nls\n# a comment\n\n```";
    assert_eq!(parse_blocks(text, false, true).len(), 1);
    assert_eq!(parse_blocks(text, true, false)[0].name, "write");
    assert_eq!(calls(text)[1], bash("ls"));
}

#[test]
fn prose_words_are_not_paths() {
    assert_eq!(path_in("Here is the updated code, e.g. this:"), None);
    assert_eq!(path_in("Version 1.5 of it"), None);
    assert_eq!(path_in("See https://x.dev/a.py"), None);
    assert_eq!(path_in("In `Makefile`:"), Some("Makefile"));
}

#[test]
fn imagined_output_is_not_a_command() {
    let text = "```sh\n$ python -m unittest\nRan 1 test\n\nOK\n```";
    assert_eq!(calls(text), [bash("python -m unittest")]);
}

#[test]
fn an_echo_before_the_path_is_dropped() {
    let text =
        "```python\n<environment>\ncwd: /x\n</environment>\n\ngreeter.py\n```python\nx = 1\n```";
    assert_eq!(calls(text), [write("greeter.py", "x = 1\n")]);
}

#[test]
fn a_closed_shell_block_ends_the_turn() {
    assert!(ends_with_shell_block("Run it:\n```sh\npython a.py\n```\n"));
    assert!(!ends_with_shell_block("Run it:\n```sh\npython a.py\n"));
    assert!(!ends_with_shell_block("a.py\n```python\nx = 1\n```"));
    assert!(!ends_with_shell_block("```sh\n```"));
}
