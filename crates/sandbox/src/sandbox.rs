//! A prepared sandbox: built once per session in the parent, applied to every shell command.

use crate::child::{self, ChildSetup, SelfMount};
use crate::error::SandboxError;
use crate::policy::SandboxPolicy;
use crate::support::SandboxSupport;
use crate::{landlock_rules, seccomp_filter};
use rustix::fs::StatVfsMountFlags;
use std::ffi::CString;
use std::os::fd::{AsRawFd, OwnedFd};
use std::os::unix::ffi::OsStrExt;
use std::path::Path;
use std::sync::Arc;

/// The sandbox for a session's shell commands.
#[derive(Debug)]
pub struct Sandbox {
    policy: SandboxPolicy,
    support: SandboxSupport,
    setup: Arc<ChildSetup>,
    /// Keeps the ruleset open for as long as commands may be spawned.
    _ruleset: Option<OwnedFd>,
}

impl Sandbox {
    /// Builds the Landlock ruleset and seccomp filters for `policy`. Fails only when something
    /// the kernel offers refuses to work; a kernel without a feature is reported by
    /// [`Sandbox::support`] instead.
    pub fn prepare(policy: SandboxPolicy) -> Result<Self, SandboxError> {
        let support = SandboxSupport::detect();
        let ruleset = if support.is_usable() { landlock_rules::build(&policy)? } else { None };
        let mounts = if support.user_namespaces {
            // Pinned directories first: a read-only mount below them must sit on top.
            let pinned = policy.pinned.iter().map(|path| self_mount(path, false));
            let protected = policy.protected.iter().map(|path| self_mount(path, true));
            pinned.chain(protected).collect::<Result<_, _>>()?
        } else {
            Vec::new()
        };
        let setup = ChildSetup {
            mounts,
            uid_map: child::id_map(rustix::process::geteuid().as_raw()),
            gid_map: child::id_map(rustix::process::getegid().as_raw()),
            ruleset: ruleset.as_ref().map(AsRawFd::as_raw_fd),
            filters: seccomp_filter::build(policy.network)?,
        };
        tracing::debug!(%support, ?policy, "sandbox prepared");
        Ok(Self { policy, support, setup: Arc::new(setup), _ruleset: ruleset })
    }

    /// Makes `cmd` run inside the sandbox.
    pub fn apply(&self, cmd: &mut tokio::process::Command) {
        child::install(cmd, Arc::clone(&self.setup));
    }

    /// Makes a standard-library `cmd` run inside the sandbox (rein's own git commands, which
    /// read a repository that sandboxed commands may have changed).
    pub fn apply_std(&self, cmd: &mut std::process::Command) {
        child::install_std(cmd, Arc::clone(&self.setup));
    }

    /// Removes the files a command created that must stay absent (see
    /// [`SandboxPolicy::must_stay_absent`]) and returns them. Call after each command.
    pub fn sweep(&self) -> Vec<std::path::PathBuf> {
        self.policy
            .must_stay_absent
            .iter()
            .filter(|path| {
                let removed = match path.symlink_metadata() {
                    Ok(meta) if meta.is_dir() => std::fs::remove_dir_all(path),
                    Ok(_) => std::fs::remove_file(path),
                    Err(_) => return false,
                };
                removed.is_ok()
            })
            .cloned()
            .collect()
    }

    /// The limits commands run under.
    pub fn policy(&self) -> &SandboxPolicy {
        &self.policy
    }

    /// What the kernel lets the sandbox enforce.
    pub fn support(&self) -> SandboxSupport {
        self.support
    }

    /// Whether every protection of the policy is enforced, so a command needs no approval to
    /// be contained.
    pub fn is_complete(&self) -> bool {
        self.support.is_complete()
    }

    /// One line for the model and the user: what a sandboxed command may and may not do.
    pub fn describe(&self) -> String {
        let network = if self.policy.network { "allowed" } else { "off" };
        let temp = crate::policy::temp_dirs();
        let extra: Vec<String> = self
            .policy
            .writable
            .iter()
            .filter(|root| **root != self.policy.workspace && !temp.contains(root))
            .map(|root| root.display().to_string())
            .collect();
        let extra =
            if extra.is_empty() { String::new() } else { format!(", {}", extra.join(", ")) };
        format!(
            "bash commands may write only in the project, the temp directories{extra}; .git \
             hooks/config/info, .rein and .claude are read-only; network {network}. A command \
             the sandbox blocks can be retried with outside_sandbox: true, which asks the user"
        )
    }
}

fn self_mount(path: &Path, read_only: bool) -> Result<SelfMount, SandboxError> {
    let c_path = CString::new(path.as_os_str().as_bytes())
        .map_err(|_| SandboxError::NulInPath(path.to_path_buf()))?;
    let flags = rustix::fs::statvfs(path)
        .map_err(|e| SandboxError::Open { path: path.to_path_buf(), source: e.into() })?
        .f_flag;
    let kept = [
        (StatVfsMountFlags::NOSUID, libc::MS_NOSUID),
        (StatVfsMountFlags::NODEV, libc::MS_NODEV),
        (StatVfsMountFlags::NOEXEC, libc::MS_NOEXEC),
        (StatVfsMountFlags::NOATIME, libc::MS_NOATIME),
        (StatVfsMountFlags::NODIRATIME, libc::MS_NODIRATIME),
        (StatVfsMountFlags::RELATIME, libc::MS_RELATIME),
    ]
    .iter()
    .filter(|(flag, _)| flags.contains(*flag))
    .fold(0, |acc, (_, ms)| acc | ms);
    Ok(SelfMount { path: c_path, kept_flags: kept, read_only })
}
