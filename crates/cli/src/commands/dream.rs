//! `rein dream`: consolidate a memory folder, and the automatic dream a session end starts.
//!
//! Orient and gather are rein's work; consolidate and prune are a session with only the
//! memory tool (over a staging copy) and read-only repository tools. The staged change is
//! applied as one revision with a report, or only shown with `--dry-run`.

use crate::args::RunArgs;
use crate::exit::UsageError;
use crate::setup::{self, SessionFactory};
use rein_config::Config;
use rein_memory::dream::{
    CONSOLIDATE, DREAM_HEADING, DREAM_SYSTEM_PROMPT, DreamInput, DreamLock, DreamReport,
    DreamSchedule, PRUNE, Stage, due,
};
use rein_memory::{
    Author, MAX_INDEX_LINES, Memory, MemoryDir, MemoryError, MemoryTool, Scope, ToolState,
    render_diff,
};
use rein_protocol::{Event, SessionStopReason};
use rein_store::{DreamRecord, MemoryChange, Store};
use std::io::Write;
use std::sync::Arc;
use tokio_util::sync::CancellationToken;

/// How a dream was asked for.
pub(crate) struct DreamRequest {
    pub(crate) dry_run: bool,
    pub(crate) budget: Option<u64>,
    pub(crate) user: bool,
    pub(crate) auto: bool,
}

/// The index is pruned by the model once it is past this share of its cap.
const PRUNE_PERCENT: usize = 50;
/// … or there are more memories than this.
const PRUNE_TOPICS: usize = 80;

fn now_rfc3339() -> String {
    chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
}

fn schedule(config: &Config) -> DreamSchedule {
    DreamSchedule {
        min_sessions: config.settings.memory.dream_min_sessions as usize,
        min_hours: config.settings.memory.dream_min_hours,
    }
}

pub(super) async fn run(request: DreamRequest, args: &RunArgs) -> anyhow::Result<u8> {
    let config = setup::load_config(args)?;
    if !config.settings.memory.enabled {
        return Err(
            UsageError { message: "memory is off here (memory.enabled = false)".into() }.into()
        );
    }
    let factory = SessionFactory::new(config, None).await?;
    let Some(memory) = factory.memory().cloned() else { return Ok(crate::exit::SUCCESS) };
    memory.sync()?;
    let scope = if request.user { Scope::User } else { Scope::Project };
    let dir = memory.dir(scope).clone();
    let _lock = if request.dry_run {
        None
    } else {
        match DreamLock::acquire(&dir) {
            Ok(lock) => Some(lock),
            Err(MemoryError::Locked { .. }) if request.auto => return Ok(crate::exit::SUCCESS),
            Err(error) => return Err(error.into()),
        }
    };
    let config = factory.config();
    if request.auto && dreamt_recently(factory.store(), &dir)? {
        // Two sessions ended together and both started a dream: one is enough.
        return Ok(crate::exit::SUCCESS);
    }
    let budget = request.budget.unwrap_or(config.settings.memory.dream_budget_tokens).max(1);
    let report = dream(&factory, &memory, &dir, budget, request.dry_run, !request.auto).await?;
    if !request.auto || report.error.is_some() {
        let mut out = std::io::stdout().lock();
        out.write_all(report.render().as_bytes())?;
    }
    Ok(if report.error.is_some() { crate::exit::FAILURE } else { crate::exit::SUCCESS })
}

/// Whether a dream of `dir` finished in the last few minutes.
fn dreamt_recently(store: &Store, dir: &MemoryDir) -> anyhow::Result<bool> {
    let Some(last) = store.last_dream(&dir.history_key())? else { return Ok(false) };
    let finished = chrono::DateTime::parse_from_rfc3339(&last.finished_at)?;
    Ok(chrono::Utc::now().signed_duration_since(finished) < chrono::Duration::minutes(10))
}

async fn dream(
    factory: &SessionFactory,
    memory: &Memory,
    dir: &MemoryDir,
    budget: u64,
    dry_run: bool,
    show_progress: bool,
) -> anyhow::Result<DreamReport> {
    let config = factory.config();
    let store = factory.store();
    let key = dir.history_key();
    let started_at = now_rfc3339();
    let local_now = chrono::Local::now();
    let last = store.last_dream(&key)?;
    let input = DreamInput::gather(
        dir,
        Some(store),
        &config.project_root,
        last.as_ref().map(|d| d.finished_at.as_str()),
        local_now.date_naive(),
        budget,
    )?;
    let mut report = DreamReport {
        started: local_now.format("%Y-%m-%d %H:%M").to_string(),
        folder: dir.root.display().to_string(),
        budget,
        dry_run,
        index_lines: (input.index_lines, input.index_lines),
        ..DreamReport::default()
    };
    report.phases.push((
        "orient".into(),
        format!(
            "{} memories, index {} lines{}",
            input.topics.len(),
            input.index_lines,
            if input.quarantined > 0 {
                format!(", {} candidates in quarantine (left for the user)", input.quarantined)
            } else {
                String::new()
            }
        ),
    ));
    let mut gathered = format!(
        "{} log entries, {} sessions since {}",
        input.entries.len(),
        input.sessions.len(),
        input.since.map(|d| d.format("%Y-%m-%d").to_string()).unwrap_or_default()
    );
    if input.untrusted_entries > 0 {
        gathered.push_str(&format!(
            "; {} entries from sessions with content from outside: {} lines withheld, only the user's requests read",
            input.untrusted_entries, input.withheld_lines
        ));
    }
    if input.dropped_entries > 0 {
        gathered.push_str(&format!(
            "; {} older entries left out to fit the budget",
            input.dropped_entries
        ));
    }
    report.phases.push(("gather".into(), gathered));

    let stage = Stage::create(dir)?;
    let nothing_new = input.entries.is_empty() && input.sessions.is_empty();
    let small = input.index_lines * 100 / MAX_INDEX_LINES < PRUNE_PERCENT
        && input.topics.len() <= PRUNE_TOPICS;
    let mut tokens = 0;
    if nothing_new && small {
        report.phases.push((
            "consolidate".into(),
            "nothing new since the last dream; the model was not called".into(),
        ));
    } else {
        let staged = Arc::new(Memory::new(stage.dir.clone(), stage.dir.clone(), None));
        let dream_store = Arc::new(Store::open(&config.paths.data_dir.join("dreams"))?);
        let state = ToolState::new("dream", format!("dream-{started_at}"), Default::default());
        let mut tools = rein_tools::builtin_tools();
        tools.retain(|name| matches!(name, "read" | "grep" | "glob" | "list"));
        tools.register(Arc::new(MemoryTool::new(staged.clone(), state.clone())));
        let mut session = factory.start_restricted(tools, dream_store)?;
        session.set_system_prompt(DREAM_SYSTEM_PROMPT);
        session.set_token_budget(Some(budget));
        // Reading the quarantine or the logs through the repository tools marks the dream,
        // and its memory tool then writes to quarantine only.
        session.watch_outside_content(state.taint.clone());
        report.model = session.model().to_string();
        let sink = ProgressSink { show: show_progress };
        let cancel = CancellationToken::new();
        let prompt = format!(
            "Today is {}. Phases 1 (orient) and 2 (gather) are done; this is what they found.\n\n{}\n{CONSOLIDATE}",
            local_now.format("%Y-%m-%d"),
            input.render()
        );
        let first = session.run(&prompt, &sink, &cancel).await;
        let mut outcome = first.clone();
        let after = staged.dir(Scope::Project).index_text()?.lines().count();
        let topics = staged.topics(Scope::Project)?.topics.len();
        let needs_prune = after * 100 / MAX_INDEX_LINES >= PRUNE_PERCENT || topics > PRUNE_TOPICS;
        report.phases.push(("consolidate".into(), format!("{} changes", state.actions().len())));
        if first.stop_reason == SessionStopReason::Completed && needs_prune {
            let prompt = PRUNE
                .replace("{lines}", &after.to_string())
                .replace("{topics}", &topics.to_string())
                .replace("{target}", &(MAX_INDEX_LINES * PRUNE_PERCENT / 100).to_string());
            outcome = session.run(&prompt, &sink, &cancel).await;
        }
        tokens = session.usage().total_input() + session.usage().output_tokens;
        report.hit_budget = tokens >= budget || outcome.stop_reason == SessionStopReason::MaxTurns;
        report.summary = outcome.result.clone();
        report.error = match outcome.stop_reason {
            SessionStopReason::Error | SessionStopReason::Refused => {
                Some(outcome.error.unwrap_or_else(|| "the model refused".into()))
            }
            SessionStopReason::Interrupted => Some("interrupted".into()),
            _ => None,
        };
        report.actions = state.actions();
        session.end(rein_core::SessionEndReason::Other).await;
    }
    report.tokens = tokens;
    let dropped = stage.drop_dangling_index_lines()?;
    report.index_lines.1 = stage.dir.index_text()?.lines().count();
    report.phases.push((
        "prune".into(),
        format!(
            "index {} → {} lines{}",
            report.index_lines.0,
            report.index_lines.1,
            if dropped > 0 {
                format!(", {dropped} lines pointing at missing memories removed")
            } else {
                String::new()
            }
        ),
    ));
    let edits = stage.edits()?;
    let status;
    if report.error.is_some() {
        status = "failed";
    } else if dry_run {
        status = "dry-run";
        let mut out = std::io::stdout().lock();
        for (rel, after) in &edits {
            let change = MemoryChange {
                path: rel.clone(),
                before: stage.before(rel).map(str::to_string),
                after: after.clone(),
            };
            out.write_all(render_diff(&change).as_bytes())?;
        }
        if edits.is_empty() {
            writeln!(out, "(no change proposed)")?;
        }
        writeln!(out)?;
    } else {
        let author = Author {
            kind: "dream",
            reason: format!("dream: {}", report.headline()),
            session: None,
            provenance: format!("dream of {started_at}"),
        };
        let applied = stage.apply(memory.versioned(dir.scope), &author)?;
        report.revision = applied.revision;
        report.conflicts = applied.conflicts;
        status = if report.revision.is_some() { "applied" } else { "unchanged" };
    }
    let report_path = write_report(dir, &report, dry_run)?;
    store.record_dream(
        &key,
        &DreamRecord {
            started_at,
            finished_at: now_rfc3339(),
            status: status.into(),
            revision_id: report.revision,
            report: report_path.clone(),
            tokens,
        },
    )?;
    if !dry_run {
        let entry = format!(
            "## {} {DREAM_HEADING}\n- result: {}\n- report: {report_path}",
            chrono::Local::now().format("%H:%M"),
            report.error.as_deref().map_or_else(|| report.headline(), |e| format!("failed: {e}"))
        );
        dir.append_log(chrono::Local::now().date_naive(), &entry)?;
    }
    Ok(report)
}

/// Writes the report into `dreams/` (dry runs are not kept); returns its path.
fn write_report(dir: &MemoryDir, report: &DreamReport, dry_run: bool) -> anyhow::Result<String> {
    if dry_run {
        return Ok(String::new());
    }
    let name = format!("{}.md", chrono::Local::now().format("%Y-%m-%dT%H%M%S"));
    let path = dir.root.join(rein_memory::DREAMS_DIR).join(name);
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent)?;
    }
    std::fs::write(&path, report.render())?;
    Ok(path.display().to_string())
}

/// Shows the dream's tool calls on stderr as they happen.
struct ProgressSink {
    show: bool,
}

impl rein_core::EventSink for ProgressSink {
    fn emit(&self, event: Event) {
        if !self.show {
            return;
        }
        match event {
            Event::AssistantMessage { message } => {
                for (_, name, input) in message.tool_uses() {
                    let what = ["action", "name", "path", "pattern"]
                        .iter()
                        .filter_map(|k| input.get(*k).and_then(|v| v.as_str()))
                        .collect::<Vec<_>>()
                        .join(" ");
                    crate::output::notice(&format!("  dream · {name} {what}"));
                }
            }
            Event::Warning { message } => crate::output::warn(&message),
            Event::Error { message, .. } => crate::output::warn(&message),
            _ => {}
        }
    }
}

/// After a session ends: starts a dream in the background when one is due. Returns a notice
/// for the user.
pub(crate) fn start_if_due(config: &Config, store: &Store) -> Option<String> {
    let settings = &config.settings.memory;
    if !settings.enabled || !settings.auto_dream {
        return None;
    }
    let dir = MemoryDir::project(&config.project_root);
    let reason = match due(store, &dir, &config.project_root, schedule(config), chrono::Utc::now())
    {
        Ok(Some(reason)) => reason,
        Ok(None) => return None,
        Err(error) => {
            tracing::warn!(%error, "could not check whether a dream is due");
            return None;
        }
    };
    let exe = std::env::current_exe().ok()?;
    let log = config.paths.data_dir.join("logs").join("dream.log");
    match rein_exec::spawn_detached(&exe, &["dream", "--auto"], &config.cwd, &log) {
        Ok(pid) => Some(format!(
            "memory: {reason}; consolidating in the background (process {pid}); the report goes to {}",
            dir.root.join(rein_memory::DREAMS_DIR).display()
        )),
        Err(error) => {
            tracing::warn!(%error, "could not start a dream");
            None
        }
    }
}
