//! What the built-in slash commands do.

use super::{ChannelApprover, ChannelSink, Driver};
use rein_core::{CompactReason, PermissionMode, Session, SessionEndReason};
use rein_tui::{Notice, SessionRow};
use std::fmt::Write;
use std::sync::Arc;
use tokio_util::sync::CancellationToken;

/// Earlier sessions the resume picker lists.
const PICKER_SESSIONS: usize = 100;

impl Driver {
    pub(super) async fn command(&mut self, session: &mut Session, name: &str, args: &str) {
        match name {
            "help" => self.help(),
            "clear" => self.clear(session).await,
            "compact" => self.compact(session, args).await,
            "cost" => self.cost(session),
            "model" => self.model(session, args),
            "resume" if args.is_empty() => self.open_picker(session),
            "resume" => self.resume(session, args).await,
            "permissions" => self.permissions(session, args),
            "memory" => self.memory(session),
            "flags" => self.flags(),
            "mcp" => {
                let text = crate::mcp_setup::describe(
                    self.factory.config(),
                    self.factory.mcp().map(|m| m.as_ref()),
                );
                self.app.notice(Notice::Info, text);
            }
            "exit" | "quit" => self.quit = true,
            other => match self.factory.expand_command(other, args).await {
                Some(Ok(prompt)) => self.run_prompt(session, prompt).await,
                Some(Err(error)) => {
                    self.app.notice(Notice::Error, format!("/{other} failed: {error}"))
                }
                None => self.app.notice(Notice::Error, format!("/{other} is not available here")),
            },
        }
        self.refresh_status(session);
    }

    fn help(&mut self) {
        let mut text = String::from("Commands:\n");
        for command in self.app.commands().all() {
            let usage = format!("/{} {}", command.name, command.args);
            let _ = writeln!(text, "  {usage:<22} {}", command.description);
        }
        text.push_str(
            "Keys:\n  enter send · alt-enter, ctrl-j or a trailing \\ new line · ↑ ↓ earlier prompts\n  \
             esc interrupt the turn · ctrl-c clear the line or interrupt, twice to exit · ctrl-d exit\n  \
             ctrl-o open or close tool cards · pgup pgdn scroll · ctrl-l redraw · tab complete a command",
        );
        self.app.notice(Notice::Info, text);
    }

    async fn clear(&mut self, session: &mut Session) {
        let previous = session.id().to_string();
        match self.factory.start(None) {
            Ok(fresh) => {
                session.end(SessionEndReason::Clear).await;
                *session = fresh;
                session.set_approver(Arc::new(ChannelApprover(self.ui_tx.clone())));
                self.show_session(session);
                self.app.notice(
                    Notice::Info,
                    format!("new conversation; the last one stays resumable: /resume {previous}"),
                );
            }
            Err(error) => {
                self.app.notice(Notice::Error, format!("could not start a session: {error:#}"))
            }
        }
    }

    async fn compact(&mut self, session: &mut Session, focus: &str) {
        let focus = Some(focus).filter(|focus| !focus.is_empty());
        let cancel = CancellationToken::new();
        let sink = ChannelSink(self.ui_tx.clone());
        self.app.set_busy(true);
        let result = self
            .drive(session.compact(CompactReason::Manual, focus, &sink, &cancel), &cancel)
            .await;
        self.app.set_busy(false);
        match result {
            Ok(()) => self.app.notice(Notice::Info, "details: rein sessions show --compactions"),
            Err(error) => self.app.notice(Notice::Error, format!("not compacted: {error}")),
        }
    }

    fn cost(&mut self, session: &Session) {
        let usage = session.usage();
        let tokens = rein_tui::format_tokens;
        let mut text = format!(
            "tokens: {} in · {} out · {} read from cache · {} written to cache\n",
            tokens(usage.input_tokens),
            tokens(usage.output_tokens),
            tokens(usage.cache_read_tokens),
            tokens(usage.cache_creation_tokens),
        );
        let cost = session.cost_usd();
        if cost > 0.0 {
            let _ = writeln!(text, "cost: ${cost:.4}");
        } else {
            let _ = writeln!(
                text,
                "cost: none known for {} ({})",
                session.model(),
                session.provider_name()
            );
        }
        let window = session.context_window();
        let used = session.context_tokens();
        let percent = (used * 100).checked_div(window).unwrap_or(0);
        let _ = write!(text, "context: {} of {} tokens ({percent}%)", tokens(used), tokens(window));
        self.app.notice(Notice::Info, text);
    }

    fn model(&mut self, session: &mut Session, name: &str) {
        if name.is_empty() {
            let text = format!(
                "model: {} via {}\n/model NAME switches to another model of the same provider",
                session.model(),
                session.provider_name()
            );
            self.app.notice(Notice::Info, text);
            return;
        }
        session.set_model(name);
        self.app.notice(Notice::Info, format!("model switched to {name} for the next turns"));
    }

    pub(super) fn open_picker(&mut self, session: &Session) {
        let rows = match self.factory.store().list(PICKER_SESSIONS) {
            Ok(sessions) => sessions
                .into_iter()
                .filter(|summary| summary.id != session.id())
                .map(|summary| SessionRow {
                    title: if summary.title.is_empty() {
                        "(no prompt)".into()
                    } else {
                        summary.title
                    },
                    updated: summary
                        .updated_at
                        .chars()
                        .take(16)
                        .collect::<String>()
                        .replace('T', " "),
                    turns: summary.turns,
                    id: summary.id,
                })
                .collect::<Vec<_>>(),
            Err(error) => {
                self.app.notice(Notice::Error, format!("could not list sessions: {error}"));
                return;
            }
        };
        if rows.is_empty() {
            self.app.notice(Notice::Info, "no earlier sessions to resume");
            return;
        }
        self.app.pick_session(rows);
    }

    pub(super) async fn resume(&mut self, session: &mut Session, id: &str) {
        let found = self.factory.store().find(id).map_err(anyhow::Error::from);
        match found.and_then(|summary| self.factory.start(Some(summary))) {
            Ok(resumed) => {
                session.end(SessionEndReason::Other).await;
                *session = resumed;
                session.set_approver(Arc::new(ChannelApprover(self.ui_tx.clone())));
                self.show_session(session);
            }
            Err(error) => {
                self.app.notice(Notice::Error, format!("could not resume {id}: {error:#}"))
            }
        }
    }

    fn permissions(&mut self, session: &mut Session, mode: &str) {
        if !mode.is_empty() {
            match mode.parse::<PermissionMode>() {
                Ok(mode) => {
                    session.set_permission_mode(mode);
                    self.app.notice(Notice::Info, format!("permission mode: {}", mode.as_str()));
                }
                Err(error) => self.app.notice(Notice::Error, error.to_string()),
            }
            return;
        }
        let rules = session.permission_rules();
        let list = |rules: &[String]| {
            if rules.is_empty() { "(none)".to_string() } else { rules.join(", ") }
        };
        let text = format!(
            "mode: {} — /permissions ask | accept-edits | plan | bypass switches\nallow: {}\nask:   {}\ndeny:  {}\n\
             answers \"always\" are added to {}",
            session.permission_mode().as_str(),
            list(&rules.allow),
            list(&rules.ask),
            list(&rules.deny),
            self.factory.config().project_file().display(),
        );
        self.app.notice(Notice::Info, text);
    }

    fn memory(&mut self, session: &Session) {
        let mut text = String::new();
        let files = &session.instructions().files;
        if files.is_empty() {
            text.push_str("instruction files: none (rein reads AGENTS.md and CLAUDE.md)\n");
        } else {
            text.push_str("instruction files loaded into this session:\n");
        }
        for file in files {
            let origin = match &file.origin {
                rein_context::InstructionOrigin::User => "user".to_string(),
                rein_context::InstructionOrigin::Project => "project".to_string(),
                rein_context::InstructionOrigin::Nested => "subfolder".to_string(),
                rein_context::InstructionOrigin::Import { from } => {
                    format!("imported by {}", from.display())
                }
            };
            let _ = writeln!(
                text,
                "  {}  ({origin}, {} bytes)",
                file.path.display(),
                file.content.len()
            );
        }
        match session.memory() {
            None => text.push_str("memory: off (memory.enabled = false)\n"),
            Some(memory) => memory_summary(memory, session.outside_content(), &mut text),
        }
        self.app.notice(Notice::Info, text.trim_end().to_string());
    }

    fn flags(&mut self) {
        let mut text =
            String::from("feature switches (set with -C KEY=VALUE or in .rein/config.toml):\n");
        for row in self.factory.config().explain() {
            if row.value == "true" || row.value == "false" {
                let _ = writeln!(
                    text,
                    "  {:<24} {:<6} {}  — {}",
                    row.key, row.value, row.origin, row.doc
                );
            }
        }
        self.app.notice(Notice::Info, text.trim_end().to_string());
    }
}

/// What memory holds: each folder's memories, the candidates in quarantine, and how to
/// inspect and undo changes.
fn memory_summary(memory: &rein_memory::Memory, outside: Option<String>, text: &mut String) {
    for scope in [rein_memory::Scope::Project, rein_memory::Scope::User] {
        let dir = memory.dir(scope);
        let topics = memory.topics(scope).map(|list| list.topics).unwrap_or_default();
        let _ = writeln!(
            text,
            "{} memory: {} ({} memories)",
            scope.as_str(),
            dir.root.display(),
            topics.len()
        );
        for found in topics.iter().take(12) {
            let meta = &found.topic.meta;
            let _ =
                writeln!(text, "  {} ({}) — {}", meta.name, meta.kind.as_str(), meta.description);
        }
        if topics.len() > 12 {
            let _ = writeln!(text, "  … {} more (rein memory list)", topics.len() - 12);
        }
    }
    let waiting = memory.quarantined().map(|q| q.len()).unwrap_or(0);
    if waiting > 0 {
        let _ = writeln!(text, "{waiting} candidate(s) wait in quarantine: rein memory review");
    }
    if let Some(reason) = outside {
        let _ = writeln!(
            text,
            "this session read content from outside ({reason}); memory it writes goes to quarantine"
        );
    }
    text.push_str(
        "history: rein memory log · undo: rein memory revert N · consolidate: rein dream\n",
    );
}
