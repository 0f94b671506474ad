//! Running blocking file-system work off the async threads.

use crate::tool::ToolOutput;

/// Runs `work` on the blocking pool; a panic inside it becomes an error result.
pub(crate) async fn run_blocking<F>(work: F) -> ToolOutput
where
    F: FnOnce() -> ToolOutput + Send + 'static,
{
    match tokio::task::spawn_blocking(work).await {
        Ok(out) => out,
        Err(err) => ToolOutput::error(format!("internal error while running the tool: {err}")),
    }
}
