//! The part of the sandbox that runs in the child between `fork` and `exec`. Only system calls
//! on data prepared by the parent happen here: no allocation, no locks, no logging, because the
//! parent is multi-threaded and the child inherits whatever state those were in.
#![allow(unsafe_code, reason = "pre_exec and raw system calls; each block states why it is sound")]

use seccompiler::BpfProgram;
use std::ffi::CString;
use std::io;
use std::os::fd::RawFd;
use std::sync::Arc;

/// A path to bind-mount over itself, and the flags its mount already has (a remount in a user
/// namespace must keep nosuid, nodev, noexec and the atime flags, or the kernel refuses).
#[derive(Debug)]
pub(crate) struct SelfMount {
    pub(crate) path: CString,
    pub(crate) kept_flags: libc::c_ulong,
    /// Remounted read-only; otherwise the mount only pins the path (a mount point cannot be
    /// renamed or removed).
    pub(crate) read_only: bool,
}

/// Everything the child needs, prepared in the parent.
#[derive(Debug)]
pub(crate) struct ChildSetup {
    /// Paths pinned or made read-only in a private mount namespace, parents first; empty: no
    /// namespace is made.
    pub(crate) mounts: Vec<SelfMount>,
    /// `/proc/self/uid_map` and `gid_map` contents mapping the caller's ids to themselves.
    pub(crate) uid_map: Vec<u8>,
    pub(crate) gid_map: Vec<u8>,
    /// The Landlock ruleset to enforce, when the kernel has Landlock.
    pub(crate) ruleset: Option<RawFd>,
    /// Seccomp filters, loaded in order.
    pub(crate) filters: Vec<BpfProgram>,
}

impl ChildSetup {
    /// Enters the sandbox. Called in the child only.
    fn enter(&self) -> io::Result<()> {
        if !self.mounts.is_empty() {
            self.protect_paths()?;
        }
        // SAFETY: prctl with integer arguments only.
        check(unsafe { libc::prctl(libc::PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) })?;
        if let Some(fd) = self.ruleset {
            // SAFETY: `fd` is a Landlock ruleset owned by the parent's `Sandbox`, which
            // outlives every spawn; flags 0.
            check_long(unsafe { libc::syscall(libc::SYS_landlock_restrict_self, fd, 0) })?;
        }
        for filter in &self.filters {
            load_filter(filter)?;
        }
        Ok(())
    }

    /// A private user and mount namespace in which the protected paths are read-only bind
    /// mounts of themselves.
    fn protect_paths(&self) -> io::Result<()> {
        // SAFETY: unshare with flags only; the child is single-threaded, as unshare requires.
        check(unsafe { libc::unshare(libc::CLONE_NEWUSER | libc::CLONE_NEWNS) })?;
        write_file(c"/proc/self/setgroups", b"deny")?;
        write_file(c"/proc/self/uid_map", &self.uid_map)?;
        write_file(c"/proc/self/gid_map", &self.gid_map)?;
        // Nothing mounted here may propagate back to the user's namespace.
        // SAFETY: valid NUL-terminated strings and null pointers the call accepts.
        check(unsafe {
            libc::mount(
                std::ptr::null(),
                c"/".as_ptr(),
                std::ptr::null(),
                libc::MS_REC | libc::MS_PRIVATE,
                std::ptr::null(),
            )
        })?;
        for entry in &self.mounts {
            let path = entry.path.as_ptr();
            // SAFETY: `path` is a NUL-terminated string owned by `self`.
            let bound = unsafe {
                libc::mount(
                    path,
                    path,
                    std::ptr::null(),
                    libc::MS_BIND | libc::MS_REC,
                    std::ptr::null(),
                )
            };
            if bound != 0 {
                let error = io::Error::last_os_error();
                // The path went away since the session started: nothing there to protect.
                if error.raw_os_error() == Some(libc::ENOENT) {
                    continue;
                }
                return Err(error);
            }
            if !entry.read_only {
                continue;
            }
            let flags = libc::MS_REMOUNT | libc::MS_BIND | libc::MS_RDONLY | entry.kept_flags;
            // SAFETY: as above.
            check(unsafe {
                libc::mount(std::ptr::null(), path, std::ptr::null(), flags, std::ptr::null())
            })?;
        }
        Ok(())
    }
}

/// Makes `cmd` enter the sandbox described by `setup` just before it executes.
pub(crate) fn install(cmd: &mut tokio::process::Command, setup: Arc<ChildSetup>) {
    // SAFETY: the closure only makes system calls on memory `setup` owns (kept alive by the
    // Arc the closure holds) and allocates nothing, so it is sound between fork and exec.
    unsafe {
        cmd.pre_exec(move || setup.enter());
    }
}

/// [`install`] for a standard-library command.
pub(crate) fn install_std(cmd: &mut std::process::Command, setup: Arc<ChildSetup>) {
    // SAFETY: as in `install`.
    unsafe {
        std::os::unix::process::CommandExt::pre_exec(cmd, move || setup.enter());
    }
}

/// The Landlock ABI the kernel offers; 0 or less when it has none.
pub(crate) fn landlock_abi() -> i64 {
    const LANDLOCK_CREATE_RULESET_VERSION: libc::c_uint = 1;
    // SAFETY: the version query takes a null attribute pointer and size 0.
    unsafe {
        libc::syscall(
            libc::SYS_landlock_create_ruleset,
            std::ptr::null::<libc::c_void>(),
            0usize,
            LANDLOCK_CREATE_RULESET_VERSION,
        )
    }
}

fn load_filter(filter: &BpfProgram) -> io::Result<()> {
    let program = libc::sock_fprog {
        len: u16::try_from(filter.len()).map_err(|_| io::Error::from_raw_os_error(libc::E2BIG))?,
        // seccompiler's sock_filter has the kernel's layout (code, jt, jf, k).
        filter: filter.as_ptr().cast::<libc::sock_filter>().cast_mut(),
    };
    // SAFETY: the kernel copies the program; `program` and `filter` outlive the call.
    check_long(unsafe {
        libc::syscall(
            libc::SYS_seccomp,
            libc::SECCOMP_SET_MODE_FILTER,
            0,
            &program as *const libc::sock_fprog,
        )
    })
}

fn write_file(path: &std::ffi::CStr, content: &[u8]) -> io::Result<()> {
    // SAFETY: NUL-terminated path; the fd is closed below on every path.
    let fd = unsafe { libc::open(path.as_ptr(), libc::O_WRONLY | libc::O_CLOEXEC) };
    check(fd)?;
    // SAFETY: `content` is valid for its length.
    let written = unsafe { libc::write(fd, content.as_ptr().cast(), content.len()) };
    // SAFETY: closing the fd opened above.
    unsafe { libc::close(fd) };
    if written < 0 {
        return Err(io::Error::last_os_error());
    }
    Ok(())
}

fn check(result: libc::c_int) -> io::Result<()> {
    if result < 0 { Err(io::Error::last_os_error()) } else { Ok(()) }
}

fn check_long(result: libc::c_long) -> io::Result<()> {
    if result < 0 { Err(io::Error::last_os_error()) } else { Ok(()) }
}

/// One line mapping `id` to itself.
pub(crate) fn id_map(id: u32) -> Vec<u8> {
    format!("{id} {id} 1\n").into_bytes()
}
