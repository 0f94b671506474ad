//! `rein memory`: list, search, log, show, diff, revert, edit, review, approve, reject, path.

use crate::args::{MemoryCommand, RunArgs};
use crate::exit::UsageError;
use crate::setup;
use rein_memory::{Memory, Scope, render_diff};
use std::io::Write;
use std::sync::Arc;

pub(super) fn run(
    user: bool,
    command: Option<&MemoryCommand>,
    args: &RunArgs,
) -> anyhow::Result<u8> {
    let config = setup::load_config(args)?;
    let store = Arc::new(setup::open_store(&config)?);
    let memory = setup::open_memory(&config, &store);
    memory.sync()?;
    let scope = if user { Scope::User } else { Scope::Project };
    let versioned = memory.versioned(scope);
    let mut out = std::io::stdout().lock();
    match command.unwrap_or(&MemoryCommand::List { json: false }) {
        MemoryCommand::List { json } => list(&memory, *json, &mut out)?,
        MemoryCommand::Search { query } => {
            let query = query.join(" ");
            let found = memory.recall(&query, &Default::default(), 10);
            if found.is_empty() {
                writeln!(out, "no memory matches `{query}`")?;
            }
            for r in found {
                writeln!(
                    out,
                    "{:<28} {:<8} {:<10} {}",
                    r.topic.meta.name,
                    r.scope.as_str(),
                    r.topic.meta.kind.as_str(),
                    r.topic.meta.description
                )?;
            }
        }
        MemoryCommand::Log { limit, json } => {
            let log = versioned.log(*limit)?;
            if *json {
                writeln!(out, "{}", serde_json::to_string_pretty(&log)?)?;
            } else if log.is_empty() {
                writeln!(out, "no changes to {} memory yet", scope.as_str())?;
            } else {
                for r in log {
                    let when = r.created_at.get(..16).unwrap_or(&r.created_at).replace('T', " ");
                    writeln!(
                        out,
                        "{:>5}  {when}  {:<5}  {}  [{}]",
                        r.id,
                        r.author,
                        r.reason,
                        r.paths.join(", ")
                    )?;
                }
            }
        }
        MemoryCommand::Show { what } => match what.parse::<i64>() {
            Ok(id) => {
                let revision = versioned.revision(id)?;
                let s = &revision.summary;
                writeln!(out, "revision {} · {} · {}", s.id, s.created_at, s.author)?;
                writeln!(out, "reason: {}", s.reason)?;
                if let Some(session) = &s.session_id {
                    writeln!(out, "session: {session}")?;
                }
                if !s.provenance.is_empty() {
                    writeln!(out, "provenance: {}", s.provenance)?;
                }
                writeln!(out)?;
                for change in &revision.changes {
                    out.write_all(render_diff(change).as_bytes())?;
                }
            }
            Err(_) => match memory.find(what, user.then_some(scope))? {
                Some((scope, topic)) => {
                    writeln!(
                        out,
                        "# {} ({} memory)",
                        memory.dir(scope).topic_path(what).display(),
                        scope.as_str()
                    )?;
                    out.write_all(topic.render().as_bytes())?;
                }
                None => {
                    return Err(UsageError {
                        message: format!("no revision or memory named `{what}`"),
                    }
                    .into());
                }
            },
        },
        MemoryCommand::Diff { revision } => {
            for change in &versioned.revision(*revision)?.changes {
                out.write_all(render_diff(change).as_bytes())?;
            }
        }
        MemoryCommand::Revert { revision } => {
            let (undo, changed_since) = versioned.revert(*revision)?;
            match undo {
                Some(id) => writeln!(
                    out,
                    "reverted revision {revision} as revision {id} (undo with `rein memory revert {id}`)"
                )?,
                None => writeln!(out, "revision {revision} is already undone; nothing changed")?,
            }
            if !changed_since.is_empty() {
                writeln!(
                    out,
                    "these files had changed since revision {revision}; their later content is in the history: {}",
                    changed_since.join(", ")
                )?;
            }
        }
        MemoryCommand::Edit { name } => edit(&memory, scope, name.as_deref(), &mut out)?,
        MemoryCommand::Review => {
            let waiting = memory.quarantined()?;
            if waiting.is_empty() {
                writeln!(out, "nothing waits in quarantine")?;
            }
            for (scope, topic) in waiting {
                let why =
                    topic.meta.provenance.iter().rev().find_map(|s| s.via.as_deref()).unwrap_or("");
                writeln!(
                    out,
                    "── {} ({} memory, {}) — {}",
                    topic.meta.name,
                    scope.as_str(),
                    topic.meta.kind.as_str(),
                    topic.meta.description
                )?;
                writeln!(out, "   {why}")?;
                for line in topic.body.lines() {
                    writeln!(out, "   │ {line}")?;
                }
                writeln!(
                    out,
                    "   approve: rein memory approve {0}    reject: rein memory reject {0}\n",
                    topic.meta.name
                )?;
            }
        }
        MemoryCommand::Approve { name } => {
            let saved = memory.approve(name)?;
            writeln!(
                out,
                "approved `{name}` into {} memory{}",
                saved.scope.as_str(),
                revision_note(saved.revision)
            )?;
        }
        MemoryCommand::Reject { name } => {
            let saved = memory.reject(name)?;
            writeln!(out, "rejected `{name}`{}", revision_note(saved.revision))?;
        }
        MemoryCommand::Path => {
            for dir in memory.dirs() {
                writeln!(out, "{:<8} {}", dir.scope.as_str(), dir.root.display())?;
            }
            let project = memory.dir(Scope::Project);
            writeln!(out, "logs     {}", project.root.join(rein_memory::LOGS_DIR).display())?;
            writeln!(out, "dreams   {}", project.root.join(rein_memory::DREAMS_DIR).display())?;
            writeln!(out, "history  {}", config.paths.data_dir.join("rein.db").display())?;
        }
    }
    Ok(crate::exit::SUCCESS)
}

fn revision_note(revision: Option<i64>) -> String {
    revision.map(|r| format!(" (revision {r})")).unwrap_or_default()
}

fn list(memory: &Memory, json: bool, out: &mut impl Write) -> anyhow::Result<()> {
    let mut rows = Vec::new();
    for scope in [Scope::Project, Scope::User] {
        let found = memory.topics(scope)?;
        for warning in &found.warnings {
            crate::output::warn(warning);
        }
        for t in found.topics {
            rows.push(serde_json::json!({
                "scope": scope.as_str(),
                "name": t.topic.meta.name,
                "type": t.topic.meta.kind.as_str(),
                "description": t.topic.meta.description,
                "updated": t.topic.meta.updated,
                "bytes": t.bytes,
            }));
        }
    }
    let waiting = memory.quarantined()?.len();
    if json {
        let value = serde_json::json!({ "memories": rows, "quarantined": waiting });
        writeln!(out, "{}", serde_json::to_string_pretty(&value)?)?;
        return Ok(());
    }
    if rows.is_empty() {
        writeln!(out, "no memories yet (project: {})", memory.dir(Scope::Project).root.display())?;
    }
    for row in &rows {
        let field = |key: &str| row[key].as_str().unwrap_or_default().to_string();
        writeln!(
            out,
            "{:<28} {:<8} {:<10} {}",
            field("name"),
            field("scope"),
            field("type"),
            field("description")
        )?;
    }
    if waiting > 0 {
        writeln!(out, "\n{waiting} candidate(s) wait in quarantine: `rein memory review`")?;
    }
    Ok(())
}

/// Opens a memory in the user's editor; the edit is recorded as the user's.
fn edit(
    memory: &Memory,
    scope: Scope,
    name: Option<&str>,
    out: &mut impl Write,
) -> anyhow::Result<()> {
    let path = match name {
        Some(name) => match memory.find(name, None)? {
            Some((scope, _)) => memory.dir(scope).topic_path(name),
            None => {
                return Err(UsageError {
                    message: format!("no memory named `{name}` (see `rein memory list`)"),
                }
                .into());
            }
        },
        None => {
            let dir = memory.dir(scope);
            std::fs::create_dir_all(&dir.root)?;
            if !dir.index_path().exists() {
                std::fs::write(dir.index_path(), "# Memory\n\n")?;
            }
            dir.index_path()
        }
    };
    let editor = std::env::var("VISUAL")
        .or_else(|_| std::env::var("EDITOR"))
        .unwrap_or_else(|_| "vi".into());
    // The editor takes over the terminal: it is the user's own program, run in the
    // foreground and waited for, so it does not go through rein's process supervisor.
    let status = std::process::Command::new("sh")
        .arg("-c")
        .arg(format!("{editor} \"$1\""))
        .arg("sh")
        .arg(&path)
        .status()?;
    if !status.success() {
        return Err(
            UsageError { message: format!("the editor `{editor}` exited with {status}") }.into()
        );
    }
    match memory.versioned(scope).sync()? {
        Some(id) => writeln!(out, "recorded your edit as revision {id}")?,
        None => writeln!(out, "no change")?,
    }
    Ok(())
}
