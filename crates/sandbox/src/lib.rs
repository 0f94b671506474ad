//! The Linux sandbox for rein's shell commands.
//!
//! A sandboxed command may read everything but write only beneath the workspace, the temp
//! directories and roots the user added; git's hooks, config, info, modules and worktrees and
//! the `.rein` and `.claude` folders stay read-only even there, and `.git` cannot be replaced;
//! and, unless the user allows it, it cannot open network or Unix sockets. It is built from
//! three kernel features, all applied in the child between `fork` and `exec`, so a sandboxed
//! command costs a few system calls, not a helper process:
//!
//! - **Landlock** limits writes to the writable roots (and TCP, and signals and abstract Unix
//!   sockets across the sandbox's edge);
//! - a private **user and mount namespace** bind-mounts the protected paths read-only;
//! - **seccomp** refuses new namespaces and mounts (which could undo the above), io_uring, bpf,
//!   keyrings, terminal input injection, and network and Unix sockets.
//!
//! [`SandboxSupport`] says what the running kernel allows; callers fall back to asking the user
//! when the sandbox is incomplete.

mod child;
mod error;
mod landlock_rules;
mod policy;
mod sandbox;
mod seccomp_filter;
mod support;

pub use error::SandboxError;
pub use policy::{SandboxPolicy, first_outside_temp, temp_dirs};
pub use sandbox::Sandbox;
pub use support::SandboxSupport;
