//! Search tools: glob (file names) and grep (file contents).

mod glob;
mod grep;
mod walk;

pub use self::glob::GlobTool;
pub use self::grep::GrepTool;
pub(crate) use walk::{search_root, walker};
