//! The models folder: where each model file lives and whether it is there intact.

use crate::catalogue::ModelSpec;
use crate::error::ModelError;
use crate::hash::sha256_file;
use std::path::{Path, PathBuf};

/// What [`ModelStore::status`] found, judging by size alone.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InstallStatus {
    /// No file.
    Missing,
    /// A file of the expected size; [`ModelStore::verify`] checks its contents.
    Present {
        /// Its size in bytes.
        size: u64,
    },
    /// A file of another size: an interrupted copy or a different file. Installing replaces
    /// it.
    WrongSize {
        /// Its size in bytes.
        size: u64,
    },
}

/// A folder of model files, and how to download into it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ModelStore {
    dir: PathBuf,
    python: String,
    pip_args: Vec<String>,
}

impl ModelStore {
    /// The interpreter used to run pip unless [`with_python`](Self::with_python) says
    /// otherwise.
    pub const DEFAULT_PYTHON: &'static str = "python3";

    /// A store in `models_dir` (created on first install).
    pub fn new(models_dir: impl Into<PathBuf>) -> Self {
        Self { dir: models_dir.into(), python: Self::DEFAULT_PYTHON.into(), pip_args: Vec::new() }
    }

    /// Runs pip with this interpreter instead of `python3`.
    pub fn with_python(mut self, python: impl Into<String>) -> Self {
        self.python = python.into();
        self
    }

    /// Extra arguments for `pip download`, placed before the requirements: a mirror
    /// (`--index-url …`) or a local folder of wheels (`--no-index --find-links DIR`).
    pub fn with_pip_args(mut self, args: Vec<String>) -> Self {
        self.pip_args = args;
        self
    }

    /// The models folder.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    pub(crate) fn python(&self) -> &str {
        &self.python
    }

    pub(crate) fn pip_args(&self) -> &[String] {
        &self.pip_args
    }

    /// Where `spec`'s file is (or would be) installed.
    pub fn path_of(&self, spec: &ModelSpec) -> PathBuf {
        self.dir.join(spec.file_name)
    }

    /// Whether `spec` is installed, by size only; cheap enough to call on every start.
    pub fn status(&self, spec: &ModelSpec) -> InstallStatus {
        match std::fs::metadata(self.path_of(spec)) {
            Ok(meta) if meta.is_file() && meta.len() == spec.size_bytes => {
                InstallStatus::Present { size: meta.len() }
            }
            Ok(meta) if meta.is_file() => InstallStatus::WrongSize { size: meta.len() },
            _ => InstallStatus::Missing,
        }
    }

    /// Whether the installed file has the right size and SHA-256. Reads the whole file.
    pub fn verify(&self, spec: &ModelSpec) -> Result<bool, ModelError> {
        if !matches!(self.status(spec), InstallStatus::Present { .. }) {
            return Ok(false);
        }
        Ok(sha256_file(&self.path_of(spec))? == spec.sha256)
    }
}
