//! `rein sessions list|show`.

use crate::args::{RunArgs, SessionsCommand};
use crate::setup;
use rein_protocol::ContentBlock;
use rein_store::TranscriptEntry;
use std::io::Write;

pub(super) fn run(command: &SessionsCommand, args: &RunArgs) -> anyhow::Result<u8> {
    let config = setup::load_config(args)?;
    let store = setup::open_store(&config)?;
    let mut out = std::io::stdout().lock();
    match command {
        SessionsCommand::List { limit, json } => {
            let sessions = store.list(*limit)?;
            if *json {
                writeln!(out, "{}", serde_json::to_string_pretty(&sessions)?)?;
            } else if sessions.is_empty() {
                writeln!(out, "no sessions yet")?;
            } else {
                writeln!(
                    out,
                    "{:<36}  {:<16}  {:>5}  {:>8}  title",
                    "id", "updated", "turns", "cost"
                )?;
                for s in sessions {
                    let updated = s.updated_at.get(..16).unwrap_or(&s.updated_at).replace('T', " ");
                    writeln!(
                        out,
                        "{:<36}  {:<16}  {:>5}  {:>8}  {}",
                        s.id,
                        updated,
                        s.turns,
                        format!("${:.4}", s.cost_usd),
                        s.title
                    )?;
                }
            }
        }
        SessionsCommand::Show { id, json, compactions } => {
            let summary = store.find(id)?;
            if *compactions {
                return show_compactions(&store, &summary, *json, &mut out);
            }
            if *json {
                out.write_all(&std::fs::read(&summary.transcript)?)?;
                return Ok(crate::exit::SUCCESS);
            }
            let loaded = store.load(summary)?;
            writeln!(
                out,
                "session {} · {} · {}",
                loaded.summary.id, loaded.summary.model, loaded.summary.cwd
            )?;
            for message in &loaded.messages {
                for block in &message.content {
                    let line = match block {
                        ContentBlock::Text { text } => format!("[{:?}] {text}", message.role),
                        ContentBlock::Thinking { thinking, .. } => format!("[thinking] {thinking}"),
                        ContentBlock::ToolUse { name, input, .. } => {
                            format!("[tool call] {name} {input}")
                        }
                        ContentBlock::ToolResult { content, is_error, .. } => {
                            let first = content.lines().next().unwrap_or_default();
                            let mark = if *is_error { "error" } else { "result" };
                            format!("[tool {mark}] {first}")
                        }
                    };
                    writeln!(out, "{line}")?;
                }
            }
            writeln!(
                out,
                "turns {} · input {} (+{} cached) · output {} · ${:.4}",
                loaded.turns,
                loaded.usage.input_tokens,
                loaded.usage.cache_read_tokens,
                loaded.usage.output_tokens,
                loaded.cost_usd
            )?;
        }
    }
    Ok(crate::exit::SUCCESS)
}

/// The compaction entries of a session's transcript.
fn show_compactions(
    store: &rein_store::Store,
    summary: &rein_store::SessionSummary,
    json: bool,
    out: &mut impl Write,
) -> anyhow::Result<u8> {
    let entries: Vec<TranscriptEntry> = store
        .entries(summary)?
        .into_iter()
        .filter(|e| matches!(e, TranscriptEntry::Compaction { .. }))
        .collect();
    if json {
        writeln!(out, "{}", serde_json::to_string_pretty(&entries)?)?;
        return Ok(crate::exit::SUCCESS);
    }
    if entries.is_empty() {
        writeln!(out, "session {} has not been compacted", summary.id)?;
    }
    for (index, entry) in entries.iter().enumerate() {
        let TranscriptEntry::Compaction {
            ts,
            reason,
            tokens_before,
            messages_dropped,
            summary,
            from_running_summary,
            ..
        } = entry
        else {
            continue;
        };
        let source = if *from_running_summary { " · from the running summary" } else { "" };
        writeln!(
            out,
            "compaction {} · {ts} · {reason}{source} · {tokens_before} tokens before · \
             {messages_dropped} messages replaced (still in the transcript: rein sessions show \
             --json)\n{summary}\n",
            index + 1
        )?;
    }
    Ok(crate::exit::SUCCESS)
}
