use rein_store::StoreError;

/// Errors that keep a session from starting.
#[derive(Debug, thiserror::Error)]
pub enum CoreError {
    /// Session state could not be read or written.
    #[error(transparent)]
    Store(#[from] StoreError),
}
