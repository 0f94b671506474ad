//! The SQLite session index: one row per session, updated after every turn.

use rein_protocol::Usage;
use rusqlite::{Connection, OptionalExtension, Row, params};
use serde::Serialize;

/// A session as listed by `rein sessions list`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SessionSummary {
    /// Session id.
    pub id: String,
    /// Working directory it ran in.
    pub cwd: String,
    /// Model last used.
    pub model: String,
    /// Provider last used.
    pub provider: String,
    /// First words of the first prompt.
    pub title: String,
    /// Creation time (RFC 3339).
    pub created_at: String,
    /// Last activity (RFC 3339).
    pub updated_at: String,
    /// Model calls made.
    pub turns: u64,
    /// Tokens used.
    pub usage: Usage,
    /// Dollars spent.
    pub cost_usd: f64,
    /// Transcript file.
    pub transcript: String,
}

const COLUMNS: &str = "id, cwd, model, provider, title, created_at, updated_at, turns, \
    input_tokens, output_tokens, cache_read_tokens, cache_creation_tokens, cost_usd, transcript";

fn from_row(row: &Row<'_>) -> rusqlite::Result<SessionSummary> {
    Ok(SessionSummary {
        id: row.get(0)?,
        cwd: row.get(1)?,
        model: row.get(2)?,
        provider: row.get(3)?,
        title: row.get(4)?,
        created_at: row.get(5)?,
        updated_at: row.get(6)?,
        turns: row.get(7)?,
        usage: Usage {
            input_tokens: row.get(8)?,
            output_tokens: row.get(9)?,
            cache_read_tokens: row.get(10)?,
            cache_creation_tokens: row.get(11)?,
        },
        cost_usd: row.get(12)?,
        transcript: row.get(13)?,
    })
}

pub(crate) fn insert(conn: &Connection, s: &SessionSummary) -> rusqlite::Result<()> {
    conn.execute(
        &format!(
            "INSERT OR REPLACE INTO sessions ({COLUMNS}) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)"
        ),
        params![
            s.id,
            s.cwd,
            s.model,
            s.provider,
            s.title,
            s.created_at,
            s.updated_at,
            s.turns,
            s.usage.input_tokens,
            s.usage.output_tokens,
            s.usage.cache_read_tokens,
            s.usage.cache_creation_tokens,
            s.cost_usd,
            s.transcript,
        ],
    )?;
    Ok(())
}

/// Progress of a session, written after each turn.
pub(crate) struct Progress<'a> {
    pub(crate) model: &'a str,
    pub(crate) title: &'a str,
    pub(crate) updated_at: &'a str,
    pub(crate) turns: u64,
    pub(crate) usage: Usage,
    pub(crate) cost_usd: f64,
}

pub(crate) fn update(conn: &Connection, id: &str, p: &Progress<'_>) -> rusqlite::Result<()> {
    conn.execute(
        "UPDATE sessions SET model = ?2, title = CASE WHEN title = '' THEN ?3 ELSE title END, \
         updated_at = ?4, turns = ?5, input_tokens = ?6, output_tokens = ?7, \
         cache_read_tokens = ?8, cache_creation_tokens = ?9, cost_usd = ?10 WHERE id = ?1",
        params![
            id,
            p.model,
            p.title,
            p.updated_at,
            p.turns,
            p.usage.input_tokens,
            p.usage.output_tokens,
            p.usage.cache_read_tokens,
            p.usage.cache_creation_tokens,
            p.cost_usd,
        ],
    )?;
    Ok(())
}

pub(crate) fn list(conn: &Connection, limit: usize) -> rusqlite::Result<Vec<SessionSummary>> {
    let mut stmt = conn.prepare(&format!(
        "SELECT {COLUMNS} FROM sessions ORDER BY updated_at DESC, id DESC LIMIT ?1"
    ))?;
    let rows = stmt.query_map([limit as i64], from_row)?;
    rows.collect()
}

pub(crate) fn latest_in(conn: &Connection, cwd: &str) -> rusqlite::Result<Option<SessionSummary>> {
    conn.query_row(
        &format!(
            "SELECT {COLUMNS} FROM sessions WHERE cwd = ?1 ORDER BY updated_at DESC, id DESC LIMIT 1"
        ),
        [cwd],
        from_row,
    )
    .optional()
}

/// Sessions in `dir` or below, active after `since`, newest first.
pub(crate) fn under(
    conn: &Connection,
    dir: &str,
    since: &str,
) -> rusqlite::Result<Vec<SessionSummary>> {
    let below = format!("{}/", dir.trim_end_matches('/'));
    let mut stmt = conn.prepare(&format!(
        "SELECT {COLUMNS} FROM sessions
         WHERE (cwd = ?1 OR substr(cwd, 1, length(?2)) = ?2) AND updated_at > ?3
         ORDER BY updated_at DESC, id DESC"
    ))?;
    let rows = stmt.query_map(params![dir, below, since], from_row)?;
    rows.collect()
}

/// Sessions whose id starts with `prefix` (at most a few, for error messages).
pub(crate) fn by_prefix(conn: &Connection, prefix: &str) -> rusqlite::Result<Vec<SessionSummary>> {
    let mut stmt = conn.prepare(&format!(
        "SELECT {COLUMNS} FROM sessions WHERE substr(id, 1, length(?1)) = ?1 ORDER BY id LIMIT 5"
    ))?;
    let rows = stmt.query_map([prefix], from_row)?;
    rows.collect()
}
