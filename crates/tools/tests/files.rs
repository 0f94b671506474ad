//! read, write, edit and multi_edit against temporary workspaces.

mod common;

use common::Ws;
use pretty_assertions::assert_eq;
use serde_json::json;
use std::time::{Duration, Instant};

#[tokio::test]
async fn read_numbers_lines_and_pages() {
    let ws = Ws::new();
    ws.put("a.txt", "one\ntwo\nthree\n");
    let out = ws.call("read", json!({"path": "a.txt"})).await;
    assert!(!out.is_error);
    assert_eq!(out.content, "     1\tone\n     2\ttwo\n     3\tthree");
    let out = ws.call("read", json!({"path": "a.txt", "offset": 2, "limit": 1})).await;
    assert_eq!(out.content, "     2\ttwo\n\n[Showing lines 2-2 of 3. Continue with offset=3.]");
    let abs = ws.path("a.txt");
    let out = ws.call("read", json!({"path": abs})).await;
    assert!(out.content.starts_with("     1\tone"));
}

#[tokio::test]
async fn read_defaults_to_2000_lines() {
    let ws = Ws::new();
    let text: String = (1..=2500).map(|i| format!("line {i}\n")).collect();
    ws.put("big.txt", &text);
    let out = ws.call("read", json!({"path": "big.txt"})).await;
    assert!(out.content.contains("  2000\tline 2000\n"));
    assert!(!out.content.contains("line 2001\n"));
    assert!(out.content.ends_with("[Showing lines 1-2000 of 2500. Continue with offset=2001.]"));
}

#[tokio::test]
async fn read_errors_for_missing_binary_dir_and_huge_files() {
    let ws = Ws::new();
    let out = ws.call("read", json!({"path": "nope.txt"})).await;
    assert!(out.is_error && out.content.contains("not found"), "{}", out.content);

    std::fs::write(ws.path("bin.dat"), [0x7f, b'E', b'L', b'F', 0, 1, 2, 3]).unwrap();
    let out = ws.call("read", json!({"path": "bin.dat"})).await;
    assert!(out.is_error, "{}", out.content);
    assert!(out.content.contains("binary") && out.content.contains("8 bytes"), "{}", out.content);

    std::fs::create_dir(ws.path("sub")).unwrap();
    let out = ws.call("read", json!({"path": "sub"})).await;
    assert!(out.is_error && out.content.contains("use `list`"), "{}", out.content);

    // 11 MB of short lines.
    let line = "0123456789abcdef\n";
    let big = line.repeat(11 * 1024 * 1024 / line.len());
    ws.put("huge.txt", &big);
    let out = ws.call("read", json!({"path": "huge.txt"})).await;
    assert!(out.is_error, "{}", out.content);
    assert!(
        out.content.contains("11.0 MB") && out.content.contains("offset/limit"),
        "{}",
        out.content
    );
    let out = ws.call("read", json!({"path": "huge.txt", "offset": 100, "limit": 2})).await;
    assert!(!out.is_error, "{}", out.content);
    assert!(out.content.starts_with("   100\t0123456789abcdef\n   101\t0123456789abcdef\n"));
    assert!(out.content.contains("Continue with offset=102"), "{}", out.content);
}

#[tokio::test]
async fn read_of_a_small_file_is_fast() {
    let ws = Ws::new();
    let text: String = (1..=200).map(|i| format!("fn f{i}() {{ body(); }}\n")).collect();
    ws.put("small.rs", &text);
    ws.call("read", json!({"path": "small.rs"})).await; // warm up the blocking pool
    let n = 200;
    let started = Instant::now();
    for _ in 0..n {
        ws.call("read", json!({"path": "small.rs"})).await;
    }
    let per_call = started.elapsed() / n;
    eprintln!("read: {per_call:?} per call");
    // Generous bound for debug builds on a busy machine; typical is far below.
    assert!(per_call < Duration::from_millis(5), "read took {per_call:?} per call");
}

#[tokio::test]
async fn write_creates_files_and_dirs() {
    let ws = Ws::new();
    let out = ws.call("write", json!({"path": "new/dir/f.txt", "content": "a\nb\n"})).await;
    assert!(!out.is_error, "{}", out.content);
    assert_eq!(out.content, "Created new/dir/f.txt (2 lines, 4 bytes)");
    assert_eq!(ws.get("new/dir/f.txt"), "a\nb\n");
    // Written files count as read: they can be overwritten and edited right away.
    let out = ws.call("write", json!({"path": "new/dir/f.txt", "content": "c\n"})).await;
    assert_eq!(out.content, "Overwrote new/dir/f.txt (1 lines, 2 bytes)");
    let out = ws
        .call("edit", json!({"path": "new/dir/f.txt", "old_string": "c", "new_string": "d"}))
        .await;
    assert!(!out.is_error, "{}", out.content);
}

#[tokio::test]
async fn write_requires_a_fresh_read_of_existing_files() {
    let ws = Ws::new();
    ws.put("f.txt", "old\n");
    let out = ws.call("write", json!({"path": "f.txt", "content": "new\n"})).await;
    assert!(out.is_error && out.content.contains("has not been read"), "{}", out.content);
    assert_eq!(ws.get("f.txt"), "old\n");
    ws.call("read", json!({"path": "f.txt"})).await;
    std::fs::write(ws.path("f.txt"), "changed\n").unwrap();
    let out = ws.call("write", json!({"path": "f.txt", "content": "new\n"})).await;
    assert!(out.is_error && out.content.contains("changed since it was read"), "{}", out.content);
    ws.call("read", json!({"path": "f.txt"})).await;
    let out = ws.call("write", json!({"path": "f.txt", "content": "new\n"})).await;
    assert!(!out.is_error, "{}", out.content);
    assert_eq!(ws.get("f.txt"), "new\n");
}

#[tokio::test]
async fn refused_write_shows_a_small_file_and_counts_it_as_read() {
    let ws = Ws::new();
    ws.put("g.txt", "keep me\n");
    let out = ws.call("write", json!({"path": "g.txt", "content": "lost\n"})).await;
    assert!(out.is_error && out.content.ends_with("keep me\n"), "{}", out.content);
    assert_eq!(ws.get("g.txt"), "keep me\n");
    // The content was shown, so the next write goes through.
    let out = ws.call("write", json!({"path": "g.txt", "content": "keep me\nand more\n"})).await;
    assert!(!out.is_error, "{}", out.content);
    assert_eq!(ws.get("g.txt"), "keep me\nand more\n");

    // A large file is not shown and still needs a read.
    ws.put("big.txt", &"x".repeat(20_000));
    let out = ws.call("write", json!({"path": "big.txt", "content": "y"})).await;
    assert!(out.is_error && out.content.contains("read it first"), "{}", out.content);
    let out = ws.call("write", json!({"path": "big.txt", "content": "y"})).await;
    assert!(out.is_error, "still unread: {}", out.content);
}

#[cfg(unix)]
#[tokio::test]
async fn write_keeps_permissions_and_leaves_no_temp_files() {
    use std::os::unix::fs::PermissionsExt;
    let ws = Ws::new();
    let p = ws.put("run.sh", "#!/bin/sh\n");
    std::fs::set_permissions(&p, std::fs::Permissions::from_mode(0o755)).unwrap();
    ws.call("read", json!({"path": "run.sh"})).await;
    let out = ws.call("write", json!({"path": "run.sh", "content": "#!/bin/sh\necho hi\n"})).await;
    assert!(!out.is_error, "{}", out.content);
    assert_eq!(std::fs::metadata(&p).unwrap().permissions().mode() & 0o777, 0o755);
    let names: Vec<_> =
        std::fs::read_dir(ws.root()).unwrap().map(|e| e.unwrap().file_name()).collect();
    assert_eq!(names.len(), 1, "{names:?}");
}

#[tokio::test]
async fn writes_and_edits_outside_the_workspace_are_refused() {
    let ws = Ws::new();
    let outside = tempfile::tempdir().unwrap();
    let victim = outside.path().join("victim.txt");
    std::fs::write(&victim, "keep\n").unwrap();
    std::fs::create_dir(ws.path("sub")).unwrap();

    for path in [
        "../x.txt".to_owned(),
        "sub/../../x.txt".to_owned(),
        "nonexistent/../../x.txt".to_owned(),
        victim.to_string_lossy().into_owned(),
        "/etc/rein-test-should-not-exist".to_owned(),
    ] {
        let out = ws.call("write", json!({"path": path, "content": "x"})).await;
        assert!(out.is_error, "{path}: {}", out.content);
        assert!(out.content.contains("outside the workspace"), "{path}: {}", out.content);
        let out =
            ws.call("edit", json!({"path": path, "old_string": "keep", "new_string": "x"})).await;
        assert!(
            out.is_error && out.content.contains("outside the workspace"),
            "{path}: {}",
            out.content
        );
    }

    #[cfg(unix)]
    {
        // A symlink inside the workspace pointing outside, and a symlinked directory.
        std::os::unix::fs::symlink(&victim, ws.path("link.txt")).unwrap();
        std::os::unix::fs::symlink(outside.path(), ws.path("linkdir")).unwrap();
        let out = ws.call("read", json!({"path": "link.txt"})).await;
        assert!(!out.is_error, "reading is not limited to the workspace");
        for path in ["link.txt", "linkdir/victim.txt", "linkdir/new.txt"] {
            let out = ws.call("write", json!({"path": path, "content": "x"})).await;
            assert!(
                out.is_error && out.content.contains("outside the workspace"),
                "{path}: {}",
                out.content
            );
            let out = ws
                .call("edit", json!({"path": path, "old_string": "keep", "new_string": "x"}))
                .await;
            assert!(
                out.is_error && out.content.contains("outside the workspace"),
                "{path}: {}",
                out.content
            );
        }
    }
    assert_eq!(std::fs::read_to_string(&victim).unwrap(), "keep\n");
    assert!(!outside.path().join("new.txt").exists());
    assert!(!ws.root().parent().unwrap().join("x.txt").exists());
}

#[tokio::test]
async fn edit_happy_path_returns_a_numbered_snippet() {
    let ws = Ws::new();
    ws.put("m.rs", "fn a() {\n    1\n}\n\nfn b() {\n    2\n}\n");
    ws.call("read", json!({"path": "m.rs"})).await;
    let out = ws
        .call(
            "edit",
            json!({"path": "m.rs", "old_string": "    2", "new_string": "    20\n    21"}),
        )
        .await;
    assert!(!out.is_error, "{}", out.content);
    assert_eq!(ws.get("m.rs"), "fn a() {\n    1\n}\n\nfn b() {\n    20\n    21\n}\n");
    assert_eq!(
        out.content,
        "Edited m.rs (1 replacement):\n     4\t\n     5\tfn b() {\n-    6\t    2\n+    6\t    20\n+    7\t    21\n     8\t}"
    );
}

#[tokio::test]
async fn edit_requires_read_and_detects_external_changes() {
    let ws = Ws::new();
    ws.put("f.txt", "alpha beta\n");
    let out =
        ws.call("edit", json!({"path": "f.txt", "old_string": "alpha", "new_string": "x"})).await;
    assert!(out.is_error && out.content.contains("has not been read"), "{}", out.content);

    ws.call("read", json!({"path": "f.txt"})).await;
    std::fs::write(ws.path("f.txt"), "alpha gamma\n").unwrap();
    let out =
        ws.call("edit", json!({"path": "f.txt", "old_string": "alpha", "new_string": "x"})).await;
    assert!(out.is_error, "{}", out.content);
    assert!(out.content.contains("changed since it was read; read it again"), "{}", out.content);
    assert_eq!(ws.get("f.txt"), "alpha gamma\n");

    // Same length, same mtime granularity: still detected through the content hash.
    ws.call("read", json!({"path": "f.txt"})).await;
    std::fs::write(ws.path("f.txt"), "alpha delta\n").unwrap();
    let out =
        ws.call("edit", json!({"path": "f.txt", "old_string": "alpha", "new_string": "x"})).await;
    assert!(out.is_error && out.content.contains("changed since"), "{}", out.content);

    let out =
        ws.call("edit", json!({"path": "missing.txt", "old_string": "a", "new_string": "b"})).await;
    assert!(out.is_error && out.content.contains("not found"), "{}", out.content);
}

#[tokio::test]
async fn edit_rejects_ambiguous_and_missing_strings_and_replace_all_works() {
    let ws = Ws::new();
    ws.put("f.txt", "x = 1\ny = 2\nx = 1\nz = 3\nx = 1\n");
    ws.call("read", json!({"path": "f.txt"})).await;
    let out = ws
        .call("edit", json!({"path": "f.txt", "old_string": "x = 1", "new_string": "x = 9"}))
        .await;
    assert!(out.is_error, "{}", out.content);
    assert!(out.content.contains("occurs 3 times (lines 1, 3, 5)"), "{}", out.content);
    assert!(out.content.contains("replace_all"), "{}", out.content);

    let out =
        ws.call("edit", json!({"path": "f.txt", "old_string": "w = 0", "new_string": "x"})).await;
    assert!(out.is_error && out.content.contains("not found"), "{}", out.content);
    let out = ws
        .call("edit", json!({"path": "f.txt", "old_string": "z = 3", "new_string": "z = 3"}))
        .await;
    assert!(out.is_error && out.content.contains("identical"), "{}", out.content);

    let out = ws
        .call("edit", json!({"path": "f.txt", "old_string": "x = 1", "new_string": "x = 9", "replace_all": true}))
        .await;
    assert!(!out.is_error, "{}", out.content);
    assert!(out.content.starts_with("Edited f.txt (3 replacements):"), "{}", out.content);
    assert_eq!(ws.get("f.txt"), "x = 9\ny = 2\nx = 9\nz = 3\nx = 9\n");
}

#[tokio::test]
async fn multi_edit_is_all_or_nothing() {
    let ws = Ws::new();
    ws.put("f.txt", "one\ntwo\nthree\n");
    ws.call("read", json!({"path": "f.txt"})).await;
    let out = ws
        .call(
            "multi_edit",
            json!({"path": "f.txt", "edits": [
                {"old_string": "one", "new_string": "1"},
                {"old_string": "four", "new_string": "4"}
            ]}),
        )
        .await;
    assert!(out.is_error, "{}", out.content);
    assert!(out.content.contains("edit 2 of 2 failed"), "{}", out.content);
    assert!(out.content.contains("No changes were written"), "{}", out.content);
    assert_eq!(ws.get("f.txt"), "one\ntwo\nthree\n");

    // Edits apply in order: the second sees the first's result.
    let out = ws
        .call(
            "multi_edit",
            json!({"path": "f.txt", "edits": [
                {"old_string": "one", "new_string": "uno"},
                {"old_string": "uno\ntwo", "new_string": "uno\ndos"},
                {"old_string": "e", "new_string": "E", "replace_all": true}
            ]}),
        )
        .await;
    assert!(!out.is_error, "{}", out.content);
    assert_eq!(ws.get("f.txt"), "uno\ndos\nthrEE\n");
    let out = ws.call("multi_edit", json!({"path": "f.txt", "edits": []})).await;
    assert!(out.is_error);
}

#[tokio::test]
async fn relative_paths_follow_the_shell_cwd() {
    let ws = Ws::new();
    ws.put("sub/inner.txt", "inside\n");
    let out = ws.call("bash", json!({"command": "cd sub"})).await;
    assert!(!out.is_error, "{}", out.content);
    let out = ws.call("read", json!({"path": "inner.txt"})).await;
    assert!(out.content.contains("inside"), "{}", out.content);
}
