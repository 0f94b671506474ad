//! Carrying the shell's working directory from one command to the next.

use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};

static COUNTER: AtomicU64 = AtomicU64::new(0);

/// A temporary file the wrapped command writes its final working directory to. Removed on
/// drop.
pub(crate) struct CwdMarker {
    path: PathBuf,
}

impl CwdMarker {
    /// Creates the file, so that the shell only ever writes into a file of ours (never
    /// through a symlink someone planted at a predictable name in the shared temp dir).
    pub(crate) fn new() -> std::io::Result<Self> {
        let dir = std::env::temp_dir();
        let mut attempts = 0;
        loop {
            let n = COUNTER.fetch_add(1, Ordering::Relaxed);
            let path = dir.join(format!("rein-cwd-{}-{n}", std::process::id()));
            match std::fs::OpenOptions::new().write(true).create_new(true).open(&path) {
                Ok(_) => return Ok(Self { path }),
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists && attempts < 16 => {
                    attempts += 1;
                }
                Err(e) => return Err(e),
            }
        }
    }

    /// `command` wrapped so that the shell records `pwd -P` when it exits, whichever way it
    /// exits (an `exit` inside the command included); the exit status is unchanged.
    pub(crate) fn wrap(&self, command: &str) -> String {
        let target = shell_quote(&self.path.to_string_lossy());
        format!("trap 'pwd -P >| {target} 2>/dev/null' EXIT\n{command}")
    }

    /// The directory the command ended in, if it recorded one.
    pub(crate) fn read(&self) -> Option<PathBuf> {
        let text = std::fs::read_to_string(&self.path).ok()?;
        let dir = text.strip_suffix('\n').unwrap_or(&text);
        (!dir.is_empty()).then(|| PathBuf::from(dir))
    }
}

impl Drop for CwdMarker {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.path);
    }
}

/// `s` as one single-quoted shell word, usable inside a single-quoted trap string too.
fn shell_quote(s: &str) -> String {
    // Inside the trap's single quotes we use double quotes, escaping what bash expands there.
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' | '\\' | '$' | '`' => {
                out.push('\\');
                out.push(c);
            }
            '\'' => out.push_str("'\\''"),
            _ => out.push(c),
        }
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use super::shell_quote;

    #[test]
    fn quotes_for_a_trap_string() {
        assert_eq!(shell_quote("/tmp/a b"), "\"/tmp/a b\"");
        assert_eq!(shell_quote("/t/$x\"'"), "\"/t/\\$x\\\"'\\''\"");
    }
}
