//! The Landlock ruleset, built in the parent: write access only beneath the writable roots,
//! no TCP unless the network is allowed, no signals or abstract Unix sockets across the
//! sandbox's edge. The child only enforces the finished ruleset.

use crate::error::SandboxError;
use crate::policy::SandboxPolicy;
use landlock::{
    ABI, AccessFs, AccessNet, BitFlags, CompatLevel, Compatible, PathBeneath, PathFd, Ruleset,
    RulesetAttr, RulesetCreatedAttr, Scope,
};
use std::os::fd::OwnedFd;

/// The newest ABI this code was written and tested against; newer kernels honour it too.
const TARGET_ABI: ABI = ABI::V6;

/// Device files every program expects to write. Not all of `/dev`: a command running as root
/// could otherwise open the disks.
const DEVICE_FILES: &[&str] = &[
    "/dev/null",
    "/dev/zero",
    "/dev/full",
    "/dev/random",
    "/dev/urandom",
    "/dev/tty",
    "/dev/ptmx",
    "/dev/pts",
];

/// Builds the ruleset and returns its file descriptor, or `None` when the kernel has no
/// Landlock (then nothing limits writes; [`crate::SandboxSupport`] says so).
pub(crate) fn build(policy: &SandboxPolicy) -> Result<Option<OwnedFd>, SandboxError> {
    let err = |e: landlock::RulesetError| SandboxError::Landlock(e.to_string());
    // Device ioctls are not limited: terminals and the like need them, and the seccomp filter
    // refuses the dangerous terminal ones.
    let write = AccessFs::from_write(TARGET_ABI) & !BitFlags::from(AccessFs::IoctlDev);
    let mut ruleset = Ruleset::default()
        .set_compatibility(CompatLevel::BestEffort)
        .handle_access(write)
        .map_err(err)?
        .scope(Scope::AbstractUnixSocket | Scope::Signal)
        .map_err(err)?;
    if !policy.network {
        ruleset = ruleset.handle_access(AccessNet::BindTcp | AccessNet::ConnectTcp).map_err(err)?;
    }
    let mut created = ruleset.create().map_err(err)?;
    for root in &policy.writable {
        let fd = open(root)?;
        created = created.add_rule(PathBeneath::new(fd, write)).map_err(err)?;
    }
    let device_writes = AccessFs::WriteFile | AccessFs::Truncate;
    for device in DEVICE_FILES.iter().map(std::path::Path::new).filter(|p| p.exists()) {
        let fd = open(device)?;
        created = created.add_rule(PathBeneath::new(fd, device_writes)).map_err(err)?;
    }
    Ok(created.into())
}

fn open(path: &std::path::Path) -> Result<PathFd, SandboxError> {
    PathFd::new(path).map_err(|e| SandboxError::Open {
        path: path.to_path_buf(),
        source: std::io::Error::other(e.to_string()),
    })
}
