//! Process execution for rein. This crate is the only place that spawns processes.
//!
//! - [`run`] runs one `bash -c` command to completion with a timeout, cancellation, a bounded
//!   output capture (head and tail kept, the middle counted) and a scrubbed environment.
//! - [`JobTable`] runs commands in the background and lets the caller poll their new output or
//!   kill them; every job dies with the table.
//!
//! Every child runs in its own process group so that a timeout, a cancellation or the end of a
//! session kills everything the command started, grandchildren included.

mod capture;
mod detached;
mod env;
mod error;
mod jobs;
mod pid_lock;
mod process;
mod request;
mod run;
mod supervise;

pub use detached::spawn_detached;
pub use env::is_secret_var;
pub use error::ExecError;
pub use jobs::{JobId, JobInfo, JobSnapshot, JobStatus, JobTable};
pub use pid_lock::{PidLock, PidLockError};
pub use request::{ExecOutput, ExecRequest};
pub use run::run;
