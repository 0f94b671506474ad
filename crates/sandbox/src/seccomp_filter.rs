//! The seccomp filters, compiled to BPF in the parent. They close what Landlock does not cover:
//! making new namespaces or mounts (which could undo the read-only protections), kernel
//! interfaces that bypass path checks (io_uring, bpf, keyrings), typing into the user's
//! terminal, and — unless allowed — network and Unix sockets.

use crate::error::SandboxError;
use seccompiler::{
    BpfProgram, SeccompAction, SeccompCmpArgLen, SeccompCmpOp, SeccompCondition, SeccompFilter,
    SeccompRule,
};
use std::collections::BTreeMap;

/// System calls refused outright.
const REFUSED: &[libc::c_long] = &[
    libc::SYS_mount,
    libc::SYS_umount2,
    libc::SYS_pivot_root,
    libc::SYS_chroot,
    libc::SYS_unshare,
    libc::SYS_setns,
    libc::SYS_move_mount,
    libc::SYS_open_tree,
    libc::SYS_fsopen,
    libc::SYS_fsconfig,
    libc::SYS_fsmount,
    libc::SYS_fspick,
    libc::SYS_mount_setattr,
    libc::SYS_io_uring_setup,
    libc::SYS_io_uring_enter,
    libc::SYS_io_uring_register,
    libc::SYS_bpf,
    libc::SYS_keyctl,
    libc::SYS_add_key,
    libc::SYS_request_key,
    libc::SYS_userfaultfd,
];

/// `clone` flags that make a new namespace.
const NAMESPACE_FLAGS: &[libc::c_int] = &[
    libc::CLONE_NEWNS,
    libc::CLONE_NEWUSER,
    libc::CLONE_NEWPID,
    libc::CLONE_NEWNET,
    libc::CLONE_NEWUTS,
    libc::CLONE_NEWIPC,
    libc::CLONE_NEWCGROUP,
];

/// Terminal ioctls that inject input into (or take over) the terminal rein runs in.
const TERMINAL_INJECTION: &[libc::c_ulong] = &[libc::TIOCSTI, libc::TIOCLINUX];

/// Socket families that stay available without network: the kernel's routing queries, which
/// cannot reach another host. Unix sockets are refused too: a socket file outside the sandbox
/// (a container engine's, the user's session bus, an ssh agent) is a door out of it, and
/// Landlock cannot yet tell those apart. `socketpair` stays available for pipes between the
/// command's own processes.
const LOCAL_FAMILIES: &[libc::c_int] = &[libc::AF_NETLINK];

/// The compiled filters, in the order they are loaded.
pub(crate) fn build(network: bool) -> Result<Vec<BpfProgram>, SandboxError> {
    let arch = std::env::consts::ARCH.try_into().map_err(|_| {
        SandboxError::Seccomp(format!("unsupported architecture {}", std::env::consts::ARCH))
    })?;
    let err = |e: seccompiler::BackendError| SandboxError::Seccomp(e.to_string());

    let mut refused: BTreeMap<i64, Vec<SeccompRule>> =
        REFUSED.iter().map(|nr| (*nr, Vec::new())).collect();
    let namespace_rules = NAMESPACE_FLAGS
        .iter()
        .map(|flag| {
            let flag = u64::from(flag.unsigned_abs());
            let cond = SeccompCondition::new(
                0,
                SeccompCmpArgLen::Qword,
                SeccompCmpOp::MaskedEq(flag),
                flag,
            )?;
            SeccompRule::new(vec![cond])
        })
        .collect::<Result<Vec<_>, _>>()
        .map_err(err)?;
    refused.insert(libc::SYS_clone, namespace_rules);
    let ioctl_rules = TERMINAL_INJECTION
        .iter()
        .map(|request| {
            let cond =
                SeccompCondition::new(1, SeccompCmpArgLen::Dword, SeccompCmpOp::Eq, *request)?;
            SeccompRule::new(vec![cond])
        })
        .collect::<Result<Vec<_>, _>>()
        .map_err(err)?;
    refused.insert(libc::SYS_ioctl, ioctl_rules);
    if !network {
        let conditions = LOCAL_FAMILIES
            .iter()
            .map(|family| {
                let family = u64::from(family.unsigned_abs());
                SeccompCondition::new(0, SeccompCmpArgLen::Dword, SeccompCmpOp::Ne, family)
            })
            .collect::<Result<Vec<_>, _>>()
            .map_err(err)?;
        refused.insert(libc::SYS_socket, vec![SeccompRule::new(conditions).map_err(err)?]);
    }
    let eperm = SeccompAction::Errno(libc::EPERM.unsigned_abs());
    let refuse_filter =
        SeccompFilter::new(refused, SeccompAction::Allow, eperm, arch).map_err(err)?;

    // clone3 passes its flags in memory, where a filter cannot look; "not implemented" makes
    // the C library fall back to clone, whose flags the filter above checks.
    let clone3: BTreeMap<i64, Vec<SeccompRule>> = [(libc::SYS_clone3, Vec::new())].into();
    let enosys = SeccompAction::Errno(libc::ENOSYS.unsigned_abs());
    let clone3_filter =
        SeccompFilter::new(clone3, SeccompAction::Allow, enosys, arch).map_err(err)?;

    let compile = |filter: SeccompFilter| -> Result<BpfProgram, SandboxError> {
        filter
            .try_into()
            .map_err(|e: seccompiler::BackendError| SandboxError::Seccomp(e.to_string()))
    };
    Ok(vec![compile(clone3_filter)?, compile(refuse_filter)?])
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, reason = "test")]

    #[test]
    fn both_filters_compile_with_and_without_network() {
        for network in [false, true] {
            let filters = super::build(network).unwrap();
            assert_eq!(filters.len(), 2);
            assert!(filters.iter().all(|f| !f.is_empty()));
        }
    }
}
