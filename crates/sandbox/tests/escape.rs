#![allow(
    clippy::unwrap_used,
    clippy::panic,
    clippy::print_stderr,
    reason = "test: a failed setup step or a successful escape must fail the test loudly"
)]

//! Kernel-level escape attempts, straight through [`Sandbox::apply`]: making namespaces,
//! mounting and unmounting, entering the host's namespaces, signalling, tracing or reaching
//! into processes outside, typing into the terminal, kernel interfaces that skip path checks,
//! and sockets that lead out. Each test checks the refusal (the errno where it matters) and
//! that nothing changed outside.
//!
//! Every test starts with a guard: on a machine where the sandbox is incomplete (no Landlock 4,
//! no user namespaces) it says why and passes, since rein then asks before running commands.

mod common;

use rein_sandbox::{Sandbox, SandboxPolicy, SandboxSupport};
use std::io::ErrorKind;
use std::path::{Path, PathBuf};
use std::process::Stdio;

/// A workspace and a directory beside it, both outside the sandbox's writable temp roots, and
/// the sandbox for the workspace.
struct Jail {
    _dir: tempfile::TempDir,
    ws: PathBuf,
    outside: PathBuf,
    sandbox: Sandbox,
}

/// What a sandboxed command printed (stdout then stderr) and its exit code.
struct Outcome {
    code: i32,
    text: String,
}

impl Outcome {
    #[track_caller]
    fn assert_failed(&self) {
        assert_ne!(self.code, 0, "the escape attempt should have failed:\n{}", self.text);
    }
}

impl Jail {
    /// `None`, after saying why, when this machine cannot give a complete sandbox.
    fn new() -> Option<Self> {
        let support = SandboxSupport::detect();
        if !support.is_complete() {
            eprintln!("skipped: the sandbox is incomplete on this machine ({support})");
            return None;
        }
        let dir = tempfile::tempdir_in(common::scratch_base()).unwrap();
        let root = dir.path().canonicalize().unwrap();
        let (ws, outside) = (root.join("ws"), root.join("outside"));
        std::fs::create_dir_all(&ws).unwrap();
        std::fs::create_dir_all(&outside).unwrap();
        std::fs::write(outside.join("target.txt"), "original\n").unwrap();
        let git = std::process::Command::new("git").args(["init", "-q"]).current_dir(&ws).status();
        assert!(git.unwrap().success());
        let sandbox = Sandbox::prepare(SandboxPolicy::for_workspace(&ws, &[], &[], false)).unwrap();
        Some(Self { _dir: dir, ws, outside, sandbox })
    }

    fn outside(&self, name: &str) -> PathBuf {
        self.outside.join(name)
    }

    /// Runs `program args` in the sandbox, in the workspace, with stdin from /dev/null.
    async fn exec(&self, program: &str, args: &[&str]) -> Outcome {
        let mut cmd = tokio::process::Command::new(program);
        cmd.args(args).current_dir(&self.ws).stdin(Stdio::null());
        self.sandbox.apply(&mut cmd);
        let out = cmd.output().await.unwrap();
        let text = format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        Outcome { code: out.status.code().unwrap_or(-1), text }
    }

    /// A bash script in the sandbox.
    async fn sh(&self, script: &str) -> Outcome {
        self.exec("bash", &["-c", script]).await
    }

    /// A Python script in the sandbox; `None` (after saying so) when there is no python3.
    async fn python(&self, script: &str) -> Option<Outcome> {
        let found = std::process::Command::new("python3").arg("-c").arg("pass").status();
        if !found.is_ok_and(|s| s.success()) {
            eprintln!("skipped: python3 is not installed");
            return None;
        }
        Some(self.exec("python3", &["-c", script]).await)
    }

    /// The errno of each system call `(name, number, integer arguments)`, made from Python in
    /// the sandbox through `syscall(2)`; `None` without python3.
    async fn syscall_errnos(&self, calls: &[(&str, i64, &[i64])]) -> Option<Vec<(String, i32)>> {
        let mut script = String::from(
            "import ctypes\nlibc = ctypes.CDLL(None, use_errno=True)\n\
             def probe(name, nr, *args):\n\
             \x20   ctypes.set_errno(0)\n\
             \x20   r = libc.syscall(ctypes.c_long(nr), *[ctypes.c_long(a) for a in args])\n\
             \x20   print(name, ctypes.get_errno() if r == -1 else 0)\n",
        );
        for (name, nr, args) in calls {
            let args: Vec<String> = args.iter().map(i64::to_string).collect();
            script.push_str(&format!("probe({name:?}, {nr}, {})\n", args.join(", ")));
        }
        let outcome = self.python(&script).await?;
        assert_eq!(outcome.code, 0, "{}", outcome.text);
        let errnos = outcome
            .text
            .lines()
            .filter_map(|line| line.split_once(' '))
            .map(|(name, errno)| (name.to_string(), errno.trim().parse().unwrap()))
            .collect();
        Some(errnos)
    }

    /// A process outside the sandbox, working in the outside directory.
    fn victim(&self) -> Victim {
        let child = std::process::Command::new("sleep")
            .arg("60")
            .current_dir(&self.outside)
            .stdin(Stdio::null())
            .spawn()
            .unwrap();
        Victim(child)
    }
}

/// A process outside the sandbox that the tests try to reach; killed when dropped.
struct Victim(std::process::Child);

impl Victim {
    fn pid(&self) -> u32 {
        self.0.id()
    }

    #[track_caller]
    fn assert_alive(&mut self) {
        assert!(self.0.try_wait().unwrap().is_none(), "the process outside was killed");
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.pid())).unwrap();
        let state = status.lines().find(|l| l.starts_with("State:")).unwrap_or_default();
        assert!(!state.contains("stopped") && !state.contains("tracing"), "{state}");
    }
}

impl Drop for Victim {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

#[track_caller]
fn assert_absent(path: &Path) {
    assert!(!path.exists(), "{} must not exist: something got out", path.display());
}

#[track_caller]
fn assert_all_eperm(errnos: &[(String, i32)], expected: usize) {
    assert_eq!(errnos.len(), expected, "{errnos:?}");
    for (name, errno) in errnos {
        assert_eq!(*errno, libc::EPERM, "{name} should be refused with EPERM: {errnos:?}");
    }
}

/// `unshare -r`, `unshare -m`, and the raw `unshare` and `clone` calls with namespace flags
/// (a new user namespace would give back the rights to mount). `clone3`, whose flags a filter
/// cannot see, reports "not implemented" so the C library falls back to `clone`.
#[tokio::test]
async fn new_namespaces_are_refused() {
    let Some(jail) = Jail::new() else { return };
    for args in [
        &["-r", "true"][..],
        &["-m", "true"],
        &["--user", "--map-root-user", "--mount", "touch", "x"],
    ] {
        let outcome = jail.exec("unshare", args).await;
        outcome.assert_failed();
        assert!(outcome.text.contains("Operation not permitted"), "{}", outcome.text);
    }
    let user = i64::from(libc::CLONE_NEWUSER);
    let flags = i64::from(libc::CLONE_NEWUSER | libc::CLONE_NEWNS | libc::SIGCHLD);
    let Some(errnos) = jail
        .syscall_errnos(&[
            ("unshare", libc::SYS_unshare, &[user]),
            ("unshare_net", libc::SYS_unshare, &[i64::from(libc::CLONE_NEWNET)]),
            ("clone", libc::SYS_clone, &[flags, 0, 0, 0, 0]),
        ])
        .await
    else {
        return;
    };
    assert_all_eperm(&errnos, 3);
    let clone3 = jail.syscall_errnos(&[("clone3", libc::SYS_clone3, &[0, 0])]).await.unwrap();
    assert_eq!(clone3[0].1, libc::ENOSYS, "{clone3:?}");
}

/// Bind-mounting a directory from outside into the workspace, remounting `.git/hooks`
/// read-write and unmounting the protected paths (the command is root in its own user
/// namespace, so only the seccomp filter stands in the way), then writing a hook.
#[tokio::test]
async fn mounts_and_unmounts_are_refused() {
    let Some(jail) = Jail::new() else { return };
    let outside = jail.outside.display().to_string();
    let scripts = [
        format!("mkdir -p mnt && mount --bind {outside} mnt && touch mnt/escaped"),
        "mount -o remount,rw,bind .git/hooks && touch .git/hooks/pre-commit".to_string(),
        "umount .git/hooks; umount -l .git/config; touch .git/hooks/pre-commit".to_string(),
        "mount -t tmpfs none .git/hooks && touch .git/hooks/pre-commit".to_string(),
    ];
    for script in &scripts {
        jail.sh(script).await.assert_failed();
    }
    assert_absent(&jail.outside("escaped"));
    assert_absent(&jail.ws.join(".git/hooks/pre-commit"));
    let Some(errnos) = jail
        .syscall_errnos(&[
            ("mount", libc::SYS_mount, &[0, 0, 0, 0, 0]),
            ("umount2", libc::SYS_umount2, &[0, 0]),
            ("pivot_root", libc::SYS_pivot_root, &[0, 0]),
            ("chroot", libc::SYS_chroot, &[0]),
            ("open_tree", libc::SYS_open_tree, &[-100, 0, 0]),
            ("fsopen", libc::SYS_fsopen, &[0, 0]),
            ("move_mount", libc::SYS_move_mount, &[-100, 0, -100, 0, 0]),
        ])
        .await
    else {
        return;
    };
    assert_all_eperm(&errnos, 7);
}

/// `nsenter` into the namespaces of a process outside the sandbox, to write from there.
#[tokio::test]
async fn entering_outside_namespaces_is_refused() {
    let Some(jail) = Jail::new() else { return };
    let victim = jail.victim();
    let marker = jail.outside("escaped").display().to_string();
    for target in [victim.pid().to_string(), "1".to_string()] {
        let outcome =
            jail.exec("nsenter", &["-t", &target, "-m", "-U", "--", "touch", &marker]).await;
        outcome.assert_failed();
    }
    assert_absent(&jail.outside("escaped"));
    let Some(errnos) = jail.syscall_errnos(&[("setns", libc::SYS_setns, &[0, 0])]).await else {
        return;
    };
    assert_all_eperm(&errnos, 1);
}

/// Signals to a process outside the sandbox, and to the process that started the command
/// (SIGWINCH, harmless should it arrive).
#[tokio::test]
async fn signals_do_not_cross_the_edge() {
    let Some(jail) = Jail::new() else { return };
    let mut victim = jail.victim();
    let pid = victim.pid();
    for script in
        [format!("kill -TERM {pid}"), format!("kill -STOP {pid}"), "kill -WINCH $PPID".into()]
    {
        let outcome = jail.sh(&script).await;
        outcome.assert_failed();
        assert!(outcome.text.contains("Operation not permitted"), "{}", outcome.text);
    }
    victim.assert_alive();
}

/// `ptrace` attach to a process outside, and writing its memory through `/proc/<pid>/mem`.
#[tokio::test]
async fn outside_processes_cannot_be_traced_or_written() {
    let Some(jail) = Jail::new() else { return };
    let mut victim = jail.victim();
    let pid = i64::from(victim.pid());
    let Some(errnos) = jail
        .syscall_errnos(&[
            ("attach", libc::SYS_ptrace, &[i64::from(libc::PTRACE_ATTACH), pid, 0, 0]),
            ("seize", libc::SYS_ptrace, &[i64::from(libc::PTRACE_SEIZE), pid, 0, 0]),
        ])
        .await
    else {
        return;
    };
    assert!(errnos.iter().all(|(_, errno)| *errno != 0), "ptrace succeeded: {errnos:?}");
    let mem = format!("open('/proc/{pid}/mem', 'r+b')");
    jail.python(&mem).await.unwrap().assert_failed();
    victim.assert_alive();
}

/// The `/proc/<pid>/cwd` and `/proc/<pid>/root` links of a process outside lead to its
/// directories, which are still outside.
#[tokio::test]
async fn proc_links_of_outside_processes_lead_nowhere() {
    let Some(jail) = Jail::new() else { return };
    let victim = jail.victim();
    let pid = victim.pid();
    jail.sh(&format!("echo x > /proc/{pid}/cwd/escaped")).await.assert_failed();
    let via_root = format!("echo x > /proc/{pid}/root{}", jail.outside("escaped").display());
    jail.sh(&via_root).await.assert_failed();
    assert_absent(&jail.outside("escaped"));
}

/// `TIOCSTI` (push characters into the terminal's input, to be run by the user's shell) and
/// `TIOCLINUX`: refused with EPERM by the filter, not merely failing because stdin is no
/// terminal (that would be ENOTTY).
#[tokio::test]
async fn terminal_input_injection_is_refused() {
    let Some(jail) = Jail::new() else { return };
    let script = "import fcntl, termios, errno\n\
                  for name, request in (('TIOCSTI', termios.TIOCSTI), ('TIOCLINUX', 0x541C)):\n\
                  \x20   try:\n\
                  \x20       fcntl.ioctl(0, request, b'x')\n\
                  \x20       print(name, 'accepted')\n\
                  \x20   except OSError as e:\n\
                  \x20       print(name, errno.errorcode[e.errno])\n";
    let Some(outcome) = jail.python(script).await else { return };
    assert_eq!(outcome.text, "TIOCSTI EPERM\nTIOCLINUX EPERM\n");
}

/// Kernel interfaces that act without the path checks: io_uring, bpf, keyrings, userfaultfd.
#[tokio::test]
async fn kernel_interfaces_that_skip_path_checks_are_refused() {
    let Some(jail) = Jail::new() else { return };
    let Some(errnos) = jail
        .syscall_errnos(&[
            ("io_uring_setup", libc::SYS_io_uring_setup, &[1, 0]),
            ("io_uring_enter", libc::SYS_io_uring_enter, &[0, 0, 0, 0, 0, 0]),
            ("io_uring_register", libc::SYS_io_uring_register, &[0, 0, 0, 0]),
            ("bpf", libc::SYS_bpf, &[0, 0, 0]),
            ("keyctl", libc::SYS_keyctl, &[0, 0, 0, 0, 0]),
            ("add_key", libc::SYS_add_key, &[0, 0, 0, 0, 0]),
            ("userfaultfd", libc::SYS_userfaultfd, &[0]),
        ])
        .await
    else {
        return;
    };
    assert_all_eperm(&errnos, 7);
}

/// Sockets of every family but netlink are refused by the filter: Unix sockets too, since a
/// socket file outside the sandbox is a door out of it.
#[tokio::test]
async fn network_sockets_are_refused() {
    let Some(jail) = Jail::new() else { return };
    let socket = |family: libc::c_int, kind: libc::c_int| [i64::from(family), i64::from(kind), 0];
    let (inet, inet6) =
        (socket(libc::AF_INET, libc::SOCK_STREAM), socket(libc::AF_INET6, libc::SOCK_DGRAM));
    let (packet, unix) =
        (socket(libc::AF_PACKET, libc::SOCK_RAW), socket(libc::AF_UNIX, libc::SOCK_STREAM));
    let Some(errnos) = jail
        .syscall_errnos(&[
            ("inet", libc::SYS_socket, &inet),
            ("inet6", libc::SYS_socket, &inet6),
            ("packet", libc::SYS_socket, &packet),
            ("unix", libc::SYS_socket, &unix),
        ])
        .await
    else {
        return;
    };
    assert_all_eperm(&errnos, 4);
}

/// Whether a connection is waiting on `listener`.
fn accepted(listener: &std::os::unix::net::UnixListener) -> bool {
    listener.set_nonblocking(true).unwrap();
    match listener.accept() {
        Ok(_) => true,
        Err(e) if e.kind() == ErrorKind::WouldBlock => false,
        Err(e) => panic!("accept: {e}"),
    }
}

/// Python that connects to the Unix socket `address` (a Python literal).
fn unix_connect(address: &str) -> String {
    format!("import socket\nsocket.socket(socket.AF_UNIX).connect({address})\nprint('connected')")
}

/// An abstract Unix socket a process outside the sandbox listens on (abstract sockets have no
/// path for Landlock to check; its scope refuses them across the edge). The same connection
/// from outside the sandbox works.
#[tokio::test]
async fn abstract_unix_socket_outside_is_unreachable() {
    use std::os::linux::net::SocketAddrExt;
    let Some(jail) = Jail::new() else { return };
    let name = format!("rein-escape-{}", std::process::id());
    let address = std::os::unix::net::SocketAddr::from_abstract_name(name.as_bytes()).unwrap();
    let listener = std::os::unix::net::UnixListener::bind_addr(&address).unwrap();
    let connect = unix_connect(&format!("'\\0{name}'"));
    let Some(outcome) = jail.python(&connect).await else { return };
    outcome.assert_failed();
    assert!(outcome.text.contains("Operation not permitted"), "{}", outcome.text);
    assert!(!accepted(&listener), "a sandboxed command reached the listener");
    let control = std::process::Command::new("python3").arg("-c").arg(&connect).output().unwrap();
    assert!(control.status.success(), "{control:?}");
    assert!(accepted(&listener), "unsandboxed, the connection should work");
}

/// A Unix socket with a path, listened on by a process outside the sandbox (a stand-in for
/// the Docker socket, the session bus that `systemd-run --user` talks to, or an ssh agent).
#[tokio::test]
async fn unix_socket_with_a_path_outside_is_unreachable() {
    let Some(jail) = Jail::new() else { return };
    let path = jail.outside("listener.sock");
    let listener = std::os::unix::net::UnixListener::bind(&path).unwrap();
    let Some(outcome) =
        jail.python(&unix_connect(&format!("{:?}", path.display().to_string()))).await
    else {
        return;
    };
    outcome.assert_failed();
    assert!(!accepted(&listener), "a sandboxed command reached the listener: {}", outcome.text);
}

/// Block devices under /dev: the sandbox lets commands write files beneath /dev (for
/// /dev/null, terminals, …), so a command running as root could open a disk for writing and
/// change any file on it. Only opened, never written. Skipped where the test itself cannot
/// open one (not root, no loop device).
#[tokio::test]
async fn block_devices_cannot_be_opened_for_writing() {
    let Some(jail) = Jail::new() else { return };
    let device = "/dev/loop0";
    let writable = std::fs::OpenOptions::new().write(true).open(device);
    if writable.is_err() {
        eprintln!("skipped: this test process cannot open {device} for writing either");
        return;
    }
    drop(writable);
    let script = format!("import os\nos.close(os.open('{device}', os.O_WRONLY))\nprint('opened')");
    let Some(outcome) = jail.python(&script).await else { return };
    outcome.assert_failed();
}

/// Moving a file from outside into the workspace, hard-linking it, and renaming a workspace
/// file over it: each needs rights outside that Landlock does not grant.
#[tokio::test]
async fn files_outside_cannot_be_moved_linked_or_replaced() {
    let Some(jail) = Jail::new() else { return };
    let target = jail.outside("target.txt").display().to_string();
    let scripts = [
        format!("mv {target} stolen.txt"),
        format!("ln {target} linked.txt && echo escaped >> linked.txt"),
        format!("echo escaped > new.txt && mv new.txt {target}"),
        format!("ln -s {target} sym.txt && echo escaped >> sym.txt"),
    ];
    for script in &scripts {
        jail.sh(script).await.assert_failed();
    }
    assert_eq!(std::fs::read_to_string(&target).unwrap(), "original\n");
}
