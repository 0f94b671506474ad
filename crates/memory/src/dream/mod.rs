//! Dreams: consolidating a memory folder in four phases. Orient and gather are rein's work
//! ([`DreamInput`]); consolidate and prune are a restricted model session's, run by the
//! front end with the [`MemoryTool`](crate::MemoryTool) over a [`Stage`] copy; the result
//! is applied in one revision and described in a [`DreamReport`].

mod due;
mod gather;
mod lock;
mod prompts;
mod report;
mod stage;

pub use due::{DreamSchedule, due};
pub use gather::{DREAM_HEADING, DreamInput};
pub use lock::{DreamLock, STALE_AFTER};
pub use prompts::{CONSOLIDATE, DREAM_SYSTEM_PROMPT, PRUNE};
pub use report::DreamReport;
pub use stage::{Applied, Stage};
