use super::*;
use std::fs;

fn paths(prompt: &str, implicit: bool) -> Vec<(&str, bool)> {
    mentioned_paths(prompt, implicit).into_iter().map(|m| (m.path, m.explicit)).collect()
}

#[test]
fn finds_explicit_and_implicit_mentions() {
    let prompt =
        "Fix @src/lib.rs (see `greeter.py`, test_greeter.py and docs/cli.md). Use @src/lib.rs.";
    assert_eq!(
        paths(prompt, true),
        [
            ("src/lib.rs", true),
            ("greeter.py", false),
            ("test_greeter.py", false),
            ("docs/cli.md", false)
        ]
    );
    assert_eq!(paths(prompt, false), [("src/lib.rs", true)]);
}

#[test]
fn ignores_words_that_only_resemble_paths() {
    let prompt =
        "Use version 1.5, e.g. the flag --out=a.txt, see https://x.dev/a.html, email @ me. Done.";
    assert_eq!(paths(prompt, true), Vec::<(&str, bool)>::new());
}

#[test]
fn attaches_files_and_reports_explicit_failures_only() {
    let dir = tempfile::tempdir().unwrap();
    let root = fs::canonicalize(dir.path()).unwrap();
    fs::write(root.join("greeter.py"), "def greet():\n    pass").unwrap();
    fs::write(root.join("big.txt"), "x".repeat(20 * 1024)).unwrap();
    let ctx = ToolContext::new(root);
    let (blocks, warnings) =
        attach_mentions(&ctx, "Change greeter.py, not big.txt or missing.py; see @gone.md", true);
    assert_eq!(blocks, [ContentBlock::text("greeter.py\n```python\ndef greet():\n    pass\n```")]);
    assert_eq!(warnings, ["not attached: gone.md: no such file"]);
    // Named with @, the larger limit applies.
    let (blocks, warnings) = attach_mentions(&ctx, "@big.txt", false);
    assert_eq!((blocks.len(), warnings.len()), (1, 0));
}

#[test]
fn rendered_files_are_told_from_prompts_with_code() {
    assert!(is_rendered_file(&render("app.py", "x = 1\n")));
    assert!(is_rendered_file(&render("src/a.md", "```sh\nls\n```\n")));
    assert!(is_rendered_file(&render("lib.rs", "no newline")));
    assert!(!is_rendered_file("Fix:\n```\nlet x = 1;\n```"));
    assert!(!is_rendered_file("app.py\n```python\nx = 1\n```\nand make it faster"));
}

#[test]
fn fences_outgrow_backticks_in_the_content() {
    assert_eq!(render("a.md", "```sh\nls\n```\n"), "a.md\n````markdown\n```sh\nls\n```\n````");
    assert_eq!(render("Makefile", ""), "Makefile\n```\n```");
}
