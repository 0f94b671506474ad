//! Files put straight into the conversation because the user's prompt names them.
//!
//! An attached file counts as read: the model saw its whole content, so it may edit or
//! overwrite it without a `read` call first.

use crate::context::ToolContext;
use crate::paths::{absolute, human_size};
use crate::read_state::FileStamp;
use std::fs;

/// A file's whole text, ready to be shown to the model.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AttachedFile {
    /// The path as the user wrote it.
    pub path: String,
    /// The file's text.
    pub content: String,
}

/// Why a named file was not attached.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AttachError {
    /// Nothing by that name exists.
    #[error("{0}: no such file")]
    NotFound(String),
    /// A directory or another non-regular file.
    #[error("{0} is not a regular file")]
    NotAFile(String),
    /// Outside the workspace: mentions never pull in files from elsewhere on the machine.
    #[error("{0} is outside the workspace")]
    OutsideWorkspace(String),
    /// Larger than the caller's limit.
    #[error("{path} is {size}, more than the {limit} limit for attached files")]
    TooLarge {
        /// The path as written.
        path: String,
        /// Its size, human readable.
        size: String,
        /// The limit, human readable.
        limit: String,
    },
    /// Contains NUL bytes or is not UTF-8.
    #[error("{0} is not a text file")]
    NotText(String),
    /// Any other I/O failure.
    #[error("cannot read {path}: {reason}")]
    Unreadable {
        /// The path as written.
        path: String,
        /// The I/O error.
        reason: String,
    },
}

/// Reads the text file `raw` (relative to the session's working directory) for attaching to a
/// prompt, if it lies inside the workspace and is at most `max_bytes` long, and records it as
/// read.
pub fn attach_file(
    ctx: &ToolContext,
    raw: &str,
    max_bytes: u64,
) -> Result<AttachedFile, AttachError> {
    let path = match fs::canonicalize(absolute(ctx, raw)) {
        Ok(path) => path,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return Err(AttachError::NotFound(raw.to_string()));
        }
        Err(e) => return Err(AttachError::Unreadable { path: raw.into(), reason: e.to_string() }),
    };
    if !path.starts_with(ctx.workspace()) {
        return Err(AttachError::OutsideWorkspace(raw.to_string()));
    }
    let meta = fs::metadata(&path)
        .map_err(|e| AttachError::Unreadable { path: raw.into(), reason: e.to_string() })?;
    if !meta.is_file() {
        return Err(AttachError::NotAFile(raw.to_string()));
    }
    if meta.len() > max_bytes {
        return Err(AttachError::TooLarge {
            path: raw.into(),
            size: human_size(meta.len()),
            limit: human_size(max_bytes),
        });
    }
    let bytes = fs::read(&path)
        .map_err(|e| AttachError::Unreadable { path: raw.into(), reason: e.to_string() })?;
    if bytes.contains(&0) {
        return Err(AttachError::NotText(raw.to_string()));
    }
    let content = String::from_utf8(bytes).map_err(|_| AttachError::NotText(raw.to_string()))?;
    ctx.reads().record(path, FileStamp::of(&meta, content.as_bytes()));
    Ok(AttachedFile { path: raw.to_string(), content })
}

#[cfg(test)]
mod tests {
    use super::*;
    use tempfile::TempDir;

    fn workspace() -> (TempDir, ToolContext) {
        let dir = tempfile::tempdir().unwrap();
        let root = fs::canonicalize(dir.path()).unwrap();
        (dir, ToolContext::new(root))
    }

    #[test]
    fn attaches_a_text_file_and_counts_it_as_read() {
        let (dir, ctx) = workspace();
        fs::write(dir.path().join("a.py"), "x = 1\n").unwrap();
        let file = attach_file(&ctx, "a.py", 1024).unwrap();
        assert_eq!(file, AttachedFile { path: "a.py".into(), content: "x = 1\n".into() });
        let canonical = fs::canonicalize(dir.path().join("a.py")).unwrap();
        assert!(ctx.read_stamp(&canonical).is_some());
    }

    #[test]
    fn refuses_what_should_not_be_attached() {
        let (dir, ctx) = workspace();
        fs::create_dir(dir.path().join("sub")).unwrap();
        fs::write(dir.path().join("big.txt"), "x".repeat(2048)).unwrap();
        fs::write(dir.path().join("bin"), [0u8, 1, 2]).unwrap();
        fs::write(dir.path().join("latin1"), [0xe9u8, 0x41]).unwrap();
        let outside_file = tempfile::NamedTempFile::new().unwrap();
        let outside = outside_file.path().to_str().unwrap().to_string();
        assert_eq!(
            attach_file(&ctx, "nope.rs", 1024),
            Err(AttachError::NotFound("nope.rs".into()))
        );
        assert_eq!(attach_file(&ctx, "sub", 1024), Err(AttachError::NotAFile("sub".into())));
        assert!(matches!(attach_file(&ctx, "big.txt", 1024), Err(AttachError::TooLarge { .. })));
        assert_eq!(attach_file(&ctx, "bin", 1024), Err(AttachError::NotText("bin".into())));
        assert_eq!(attach_file(&ctx, "latin1", 1024), Err(AttachError::NotText("latin1".into())));
        assert_eq!(
            attach_file(&ctx, &outside, 1024),
            Err(AttachError::OutsideWorkspace(outside.clone()))
        );
        std::os::unix::fs::symlink(&outside, dir.path().join("link")).unwrap();
        assert_eq!(
            attach_file(&ctx, "link", 1024),
            Err(AttachError::OutsideWorkspace("link".into()))
        );
    }
}
