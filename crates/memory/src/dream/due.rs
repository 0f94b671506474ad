//! Whether a dream is due: enough sessions and enough hours since the last one, checked
//! cheapest first when a session ends.

use crate::dirs::MemoryDir;
use crate::dream::lock::DreamLock;
use crate::error::MemoryError;
use rein_store::Store;
use std::path::Path;

/// When automatic dreams run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DreamSchedule {
    /// Sessions in the project since the last dream.
    pub min_sessions: usize,
    /// Hours since the last dream.
    pub min_hours: u64,
}

/// Why a dream is due now, or `None`. Sessions that ran at least one model call count,
/// the one just ending included.
pub fn due(
    store: &Store,
    dir: &MemoryDir,
    project_root: &Path,
    schedule: DreamSchedule,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<Option<String>, MemoryError> {
    let last = store.last_dream(&dir.history_key())?;
    let since = match &last {
        Some(dream) => {
            let finished = chrono::DateTime::parse_from_rfc3339(&dream.finished_at)
                .map(|t| t.with_timezone(&chrono::Utc))
                .unwrap_or(now);
            let hours = (now - finished).num_hours();
            if hours < i64::try_from(schedule.min_hours).unwrap_or(i64::MAX) {
                return Ok(None);
            }
            Some(dream.finished_at.clone())
        }
        None => None,
    };
    let root = project_root.to_string_lossy();
    let sessions =
        store.sessions_under(&root, since.as_deref())?.into_iter().filter(|s| s.turns > 0).count();
    if sessions < schedule.min_sessions.max(1) || DreamLock::is_held(dir) {
        return Ok(None);
    }
    let when = match &last {
        Some(dream) => format!("since the last dream ({})", dream.finished_at),
        None => "and no dream yet".to_string(),
    };
    Ok(Some(format!("{sessions} sessions {when}")))
}
