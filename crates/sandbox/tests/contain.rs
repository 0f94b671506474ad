//! A quick check that the sandbox holds on this machine.
#![allow(clippy::unwrap_used, clippy::panic, reason = "test")]

mod common;

use rein_sandbox::{Sandbox, SandboxPolicy, SandboxSupport};

async fn run(sandbox: &Sandbox, cwd: &std::path::Path, script: &str) -> (i32, String) {
    let mut cmd = tokio::process::Command::new("bash");
    cmd.arg("-c").arg(script).current_dir(cwd);
    sandbox.apply(&mut cmd);
    let out = cmd.output().await.unwrap();
    let text =
        format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    (out.status.code().unwrap_or(-1), text)
}

#[tokio::test]
async fn writes_stay_inside_the_workspace() {
    let support = SandboxSupport::detect();
    eprintln!("{support}");
    if !support.is_usable() {
        return;
    }
    let dir = tempfile::tempdir_in(common::scratch_base()).unwrap();
    let ws = dir.path().canonicalize().unwrap();
    std::process::Command::new("git").arg("init").arg("-q").current_dir(&ws).status().unwrap();
    let sandbox = Sandbox::prepare(SandboxPolicy::for_workspace(&ws, &[], &[], false)).unwrap();
    let (code, out) =
        run(&sandbox, &ws, "echo hi > a.txt && mkdir d && echo x > d/b && cat a.txt").await;
    assert_eq!((code, out.trim()), (0, "hi"));
    let outside = ws.parent().unwrap().join("outside.txt");
    let (code, out) = run(&sandbox, &ws, &format!("echo x > {}", outside.display())).await;
    assert_ne!(code, 0, "{out}");
    assert!(!outside.exists());
    let (code, out) = run(&sandbox, &ws, "echo evil > .git/hooks/pre-commit").await;
    assert_ne!(code, 0, "{out}");
    eprintln!("{out}");
    let (code, out) = run(&sandbox, &ws, "exec 3<>/dev/tcp/127.0.0.1/9 && echo open").await;
    assert_ne!(code, 0, "{out}");
    eprintln!("{out}");
    let (code, out) = run(&sandbox, &ws, "git add a.txt && git -c user.name=a -c user.email=a@b commit -qm x && git log --oneline | wc -l").await;
    assert_eq!((code, out.trim()), (0, "1"), "{out}");
}
