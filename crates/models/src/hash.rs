//! SHA-256 of files, as lowercase hex.

use crate::error::ModelError;
use sha2::{Digest, Sha256};
use std::fs::File;
use std::io::Read;
use std::path::Path;

/// Read size for hashing and copying: large enough to keep syscalls cheap, small enough to
/// stay in cache.
pub(crate) const BUF_SIZE: usize = 64 * 1024;

/// Lowercase hex of a digest.
pub(crate) fn hex(digest: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut out = String::with_capacity(digest.len() * 2);
    for byte in digest {
        out.push(char::from(DIGITS[usize::from(byte >> 4)]));
        out.push(char::from(DIGITS[usize::from(byte & 0x0f)]));
    }
    out
}

/// Hex SHA-256 of a file's contents.
pub(crate) fn sha256_file(path: &Path) -> Result<String, ModelError> {
    let context = || format!("reading {}", path.display());
    let mut file = File::open(path).map_err(|e| ModelError::io(context(), e))?;
    let mut hasher = Sha256::new();
    let mut buf = vec![0u8; BUF_SIZE];
    loop {
        let n = file.read(&mut buf).map_err(|e| ModelError::io(context(), e))?;
        if n == 0 {
            break;
        }
        hasher.update(&buf[..n]);
    }
    Ok(hex(&hasher.finalize()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashes_known_content() -> Result<(), ModelError> {
        let dir = tempfile::tempdir().map_err(|e| ModelError::io("tempdir", e))?;
        let path = dir.path().join("abc");
        std::fs::write(&path, b"abc").map_err(|e| ModelError::io("write", e))?;
        assert_eq!(
            sha256_file(&path)?,
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
        Ok(())
    }
}
