//! File tools: read, write, edit, multi_edit.

mod atomic;
mod attach;
mod edit;
mod read;
mod snippet;
mod write;

pub use atomic::write_atomic;
pub use attach::{AttachError, AttachedFile, attach_file};
pub use edit::{EditTool, MultiEditTool};
pub use read::ReadTool;
pub use write::WriteTool;
