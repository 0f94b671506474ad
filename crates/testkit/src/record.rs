//! Requests as the server received them, kept in memory and optionally appended to a file.

use anyhow::Context as _;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::fs::{File, OpenOptions};
use std::io::Write as _;
use std::path::Path;
use std::sync::{Mutex, PoisonError};

/// One request the server received.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RecordedRequest {
    /// Request path, e.g. `/v1/messages`.
    pub path: String,
    /// Headers in arrival order, names lowercase; repeated headers appear repeatedly.
    pub headers: Vec<(String, String)>,
    /// The JSON body; a body that is not JSON is kept as a JSON string.
    pub body: Value,
}

impl RecordedRequest {
    /// The first value of header `name` (case-insensitive).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(key, _)| key.eq_ignore_ascii_case(name))
            .map(|(_, value)| value.as_str())
    }
}

/// Appends each request as one JSON line to a file.
#[derive(Debug)]
pub(crate) struct JsonlRecorder {
    file: Mutex<File>,
}

impl JsonlRecorder {
    /// Opens `path` for appending, creating it if needed.
    pub(crate) fn open(path: &Path) -> anyhow::Result<Self> {
        let file = OpenOptions::new()
            .create(true)
            .append(true)
            .open(path)
            .with_context(|| format!("cannot open record file {}", path.display()))?;
        Ok(Self { file: Mutex::new(file) })
    }

    /// Appends `request`; a failed write is logged, not fatal, so the model call still answers.
    pub(crate) fn append(&self, request: &RecordedRequest) {
        let mut line = match serde_json::to_vec(request) {
            Ok(line) => line,
            Err(error) => {
                tracing::warn!(%error, "cannot serialize recorded request");
                return;
            }
        };
        line.push(b'\n');
        let mut file = self.file.lock().unwrap_or_else(PoisonError::into_inner);
        if let Err(error) = file.write_all(&line).and_then(|()| file.flush()) {
            tracing::warn!(%error, "cannot append to record file");
        }
    }
}
