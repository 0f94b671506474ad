//! Numbered schema migrations, applied in order and recorded in `PRAGMA user_version`.

use rusqlite::Connection;

/// Each entry upgrades the schema from version `index` to `index + 1`. Never edit a shipped
/// migration; append a new one.
const MIGRATIONS: &[&str] = &[
    // 1: the session index.
    "CREATE TABLE sessions (
        id TEXT PRIMARY KEY,
        cwd TEXT NOT NULL,
        model TEXT NOT NULL,
        provider TEXT NOT NULL,
        title TEXT NOT NULL DEFAULT '',
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        turns INTEGER NOT NULL DEFAULT 0,
        input_tokens INTEGER NOT NULL DEFAULT 0,
        output_tokens INTEGER NOT NULL DEFAULT 0,
        cache_read_tokens INTEGER NOT NULL DEFAULT 0,
        cache_creation_tokens INTEGER NOT NULL DEFAULT 0,
        cost_usd REAL NOT NULL DEFAULT 0,
        transcript TEXT NOT NULL
    );
    CREATE INDEX sessions_cwd_updated ON sessions (cwd, updated_at);",
    // 2: memory history: revisions of memory folders, their changes, content blobs, dreams.
    "CREATE TABLE memory_blobs (
        hash TEXT PRIMARY KEY,
        content TEXT NOT NULL
    );
    CREATE TABLE memory_revisions (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        root TEXT NOT NULL,
        created_at TEXT NOT NULL,
        author TEXT NOT NULL,
        reason TEXT NOT NULL,
        session_id TEXT,
        provenance TEXT NOT NULL DEFAULT ''
    );
    CREATE INDEX memory_revisions_root ON memory_revisions (root, id);
    CREATE TABLE memory_changes (
        revision_id INTEGER NOT NULL REFERENCES memory_revisions (id),
        path TEXT NOT NULL,
        before_hash TEXT REFERENCES memory_blobs (hash),
        after_hash TEXT REFERENCES memory_blobs (hash),
        PRIMARY KEY (revision_id, path)
    );
    CREATE TABLE memory_dreams (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        root TEXT NOT NULL,
        started_at TEXT NOT NULL,
        finished_at TEXT NOT NULL,
        status TEXT NOT NULL,
        revision_id INTEGER,
        report TEXT NOT NULL DEFAULT '',
        tokens INTEGER NOT NULL DEFAULT 0
    );
    CREATE INDEX memory_dreams_root ON memory_dreams (root, finished_at);",
];

pub(crate) fn migrate(conn: &mut Connection) -> rusqlite::Result<()> {
    let current: usize = conn.query_row("PRAGMA user_version", [], |row| row.get(0))?;
    for (version, sql) in MIGRATIONS.iter().enumerate().skip(current) {
        let tx = conn.transaction()?;
        tx.execute_batch(sql)?;
        tx.pragma_update(None, "user_version", version + 1)?;
        tx.commit()?;
    }
    Ok(())
}
