//! What this machine's kernel lets the sandbox do, found out once per process.

use std::fmt;
use std::sync::OnceLock;

/// The kernel features the sandbox relies on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SandboxSupport {
    /// The Landlock ABI version (0: no Landlock). Writes are limited from version 1, TCP from
    /// version 4, abstract Unix sockets and signals from version 6.
    pub landlock_abi: u32,
    /// Whether a process may make its own user and mount namespace, which the read-only
    /// protection of git hooks and settings needs.
    pub user_namespaces: bool,
}

impl SandboxSupport {
    /// Probes the kernel (once; later calls return the first answer).
    pub fn detect() -> Self {
        static DETECTED: OnceLock<SandboxSupport> = OnceLock::new();
        *DETECTED.get_or_init(|| {
            let landlock_abi = u32::try_from(crate::child::landlock_abi()).unwrap_or(0);
            let user_namespaces = user_namespaces_allowed();
            Self { landlock_abi, user_namespaces }
        })
    }

    /// Whether every protection works: writes limited, protected paths read-only, TCP blocked
    /// by Landlock as well as by the seccomp filter.
    pub fn is_complete(&self) -> bool {
        self.landlock_abi >= 4 && self.user_namespaces
    }

    /// Whether shell commands can be sandboxed at all (writes limited to the writable roots).
    pub fn is_usable(&self) -> bool {
        self.landlock_abi >= 1
    }

    /// What is missing, in words for the user; `None` when nothing is.
    pub fn shortfall(&self) -> Option<String> {
        let mut missing = Vec::new();
        if self.landlock_abi == 0 {
            missing.push(
                "the kernel has no Landlock, so writes outside the workspace cannot be blocked",
            );
        } else if self.landlock_abi < 4 {
            missing.push("the kernel's Landlock is older than version 4, so only the seccomp filter blocks the network");
        }
        if !self.user_namespaces {
            missing.push("user namespaces are switched off, so git hooks, git config and settings folders cannot be made read-only for commands");
        }
        (!missing.is_empty()).then(|| missing.join("; "))
    }
}

/// Whether this process may make a user namespace with the rights to mount in it, read from
/// the switches distributions use to turn that off (reading three small files costs far less
/// than starting a probe process on every start).
fn user_namespaces_allowed() -> bool {
    let read =
        |path: &str| -> Option<i64> { std::fs::read_to_string(path).ok()?.trim().parse().ok() };
    if read("/proc/sys/user/max_user_namespaces") == Some(0) {
        return false;
    }
    if rustix::process::geteuid().is_root() {
        return true;
    }
    // Debian's switch for unprivileged user namespaces, and Ubuntu's AppArmor restriction
    // (which lets the namespace be made but without the rights to mount in it).
    read("/proc/sys/kernel/unprivileged_userns_clone") != Some(0)
        && read("/proc/sys/kernel/apparmor_restrict_unprivileged_userns") != Some(1)
}

impl fmt::Display for SandboxSupport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let ns = if self.user_namespaces { "yes" } else { "no" };
        write!(f, "Landlock ABI {}, user namespaces {ns}", self.landlock_abi)
    }
}
