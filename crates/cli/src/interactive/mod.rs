//! `rein` on a terminal: the full-screen interface. This module owns the session and the
//! screen; `rein-tui` draws and interprets keys, and hands back actions carried out here.
//!
//! One task does everything: while a turn runs, the loop polls the run alongside key
//! presses and session events, so typing, approvals and Esc never wait for the model.

mod bridge;
mod history;
mod slash;

use crate::args::RunArgs;
use crate::setup::{self, SessionFactory};
use bridge::{ChannelApprover, ChannelPrompter, ChannelSink, ToUi};
use crossterm::event::Event as TermEvent;
use history::PromptHistory;
use rein_core::{Approval, ApprovalRequest, Session, SessionEndReason};
use rein_tui::{Action, App, ApprovalAnswer, ApprovalPrompt, CommandRegistry, Notice};
use rein_tui::{QuestionPrompt, Status, TerminalSession, Theme};
use std::collections::VecDeque;
use std::future::Future;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::{mpsc, oneshot};
use tokio::time::Instant;
use tokio_util::sync::CancellationToken;

/// Shortest time between two frames while events stream in (~60 per second); key presses
/// are drawn at once.
const FRAME: Duration = Duration::from_millis(16);
/// How often the "working" line updates while a turn runs.
const SPINNER: Duration = Duration::from_millis(250);

pub(crate) async fn run(args: &RunArgs) -> anyhow::Result<u8> {
    let config = setup::load_config(args)?;
    let theme = Theme::from_no_color(std::env::var("NO_COLOR").ok().as_deref());
    let (ui_tx, ui_rx) = mpsc::unbounded_channel();
    let prompter = Arc::new(ChannelPrompter(ui_tx.clone()));
    let mut factory = SessionFactory::new(config, Some(prompter)).await?;
    factory.deliver_background_results_later();
    let resume = factory.resume_from_flags(args)?;
    let mut session = factory.start(resume)?;
    session.set_approver(Arc::new(ChannelApprover(ui_tx.clone())));
    let history = PromptHistory::new(&factory.config().paths.data_dir);
    let mut commands = CommandRegistry::builtin();
    for (name, args, description) in factory.added_commands() {
        // A user's command never shadows a built-in one.
        if commands.get(&name).is_none() {
            commands.register(rein_tui::SlashCommand { name, args, description });
        }
    }
    let app = App::new(theme, Status::default(), commands, history.load());
    let screen = TerminalSession::enter()?;
    let mut driver = Driver {
        app,
        screen,
        keys: spawn_key_reader(),
        ui_rx,
        ui_tx,
        factory,
        history,
        queue: VecDeque::new(),
        approvals: VecDeque::new(),
        question: None,
        quit: false,
        dirty: false,
        last_frame: Instant::now(),
        signals: Signals::install(),
    };
    driver.show_session(&session);
    if args.resume.as_deref() == Some("") {
        driver.open_picker(&session);
    }
    driver.idle(&mut session).await;
    let notice = driver.factory.end(&mut session, SessionEndReason::PromptInputExit).await;
    driver.screen.restore();
    if let Some(notice) = notice {
        crate::output::notice(&notice);
    }
    let mut stderr = std::io::stderr().lock();
    let _ = std::io::Write::write_all(
        &mut stderr,
        format!("resume this conversation with: rein --resume {}\n", session.id()).as_bytes(),
    );
    Ok(crate::exit::SUCCESS)
}

/// Work waiting for the current turn to end.
enum Queued {
    Prompt(String),
    Command { name: String, args: String },
    Resume(String),
}

pub(crate) struct Driver {
    app: App,
    screen: TerminalSession,
    keys: mpsc::UnboundedReceiver<TermEvent>,
    ui_rx: mpsc::UnboundedReceiver<ToUi>,
    ui_tx: bridge::UiSender,
    factory: SessionFactory,
    history: PromptHistory,
    queue: VecDeque<Queued>,
    /// Approval requests in arrival order; the first is on screen.
    approvals: VecDeque<(ApprovalRequest, oneshot::Sender<Approval>)>,
    question: Option<oneshot::Sender<Option<String>>>,
    quit: bool,
    /// Events arrived since the last frame.
    dirty: bool,
    last_frame: Instant,
    signals: Signals,
}

impl Driver {
    /// Waits for the user between turns.
    async fn idle(&mut self, session: &mut Session) {
        while !self.quit {
            if let Some(next) = self.queue.pop_front() {
                self.show_queue();
                match next {
                    Queued::Prompt(prompt) => self.run_prompt(session, prompt).await,
                    Queued::Command { name, args } => self.command(session, &name, &args).await,
                    Queued::Resume(id) => self.resume(session, &id).await,
                }
                continue;
            }
            self.draw();
            tokio::select! {
                event = self.keys.recv() => match event {
                    Some(event) => {
                        if let Some(action) = self.app.on_terminal_event(&event) {
                            self.act_idle(action);
                        }
                    }
                    // The terminal is gone: nobody is there to type.
                    None => self.quit = true,
                },
                Some(message) = self.ui_rx.recv() => self.take(message),
                () = self.signals.recv() => self.quit = true,
            }
        }
    }

    fn act_idle(&mut self, action: Action) {
        match action {
            Action::Submit(prompt) => self.queue.push_back(Queued::Prompt(prompt)),
            Action::Command { name, args } => self.queue.push_back(Queued::Command { name, args }),
            Action::Resume(id) => self.queue.push_back(Queued::Resume(id)),
            Action::Quit => self.quit = true,
            Action::Approve(answer) => self.answer_approval(answer),
            Action::Answer(answer) => self.answer_question(answer),
            Action::Interrupt => {}
        }
    }

    async fn run_prompt(&mut self, session: &mut Session, prompt: String) {
        self.history.append(&prompt);
        self.app.set_running(Some(&prompt));
        self.draw();
        let cancel = CancellationToken::new();
        let sink = ChannelSink(self.ui_tx.clone());
        self.drive(session.run(&prompt, &sink, &cancel), &cancel).await;
        self.app.set_running(None);
        self.refresh_status(session);
    }

    /// Polls `work` (a turn, a compaction) while keys, session events and signals are
    /// handled; returns what `work` returned.
    async fn drive<F: Future>(&mut self, work: F, cancel: &CancellationToken) -> F::Output {
        tokio::pin!(work);
        let mut spinner = tokio::time::interval(SPINNER);
        loop {
            let frame_due = self.last_frame + FRAME;
            tokio::select! {
                biased;
                // A closed channel would be ready on every poll; stop polling it.
                event = self.keys.recv(), if !self.quit => {
                    match event {
                        Some(event) => {
                            if let Some(action) = self.app.on_terminal_event(&event) {
                                self.act_running(action, cancel);
                            }
                        }
                        None => self.stop(cancel),
                    }
                    self.draw();
                }
                output = &mut work => {
                    while let Ok(message) = self.ui_rx.try_recv() {
                        self.take(message);
                    }
                    self.draw();
                    return output;
                }
                Some(message) = self.ui_rx.recv() => self.take(message),
                () = tokio::time::sleep_until(frame_due), if self.dirty => self.draw(),
                _ = spinner.tick() => self.draw(),
                () = self.signals.recv() => self.stop(cancel),
            }
        }
    }

    fn act_running(&mut self, action: Action, cancel: &CancellationToken) {
        match action {
            Action::Interrupt => {
                cancel.cancel();
                self.deny_all();
            }
            Action::Quit => self.stop(cancel),
            Action::Command { name, .. } if name == "exit" => self.stop(cancel),
            Action::Approve(answer) => self.answer_approval(answer),
            Action::Answer(answer) => self.answer_question(answer),
            Action::Submit(prompt) => self.queue.push_back(Queued::Prompt(prompt)),
            Action::Command { name, args } => self.queue.push_back(Queued::Command { name, args }),
            Action::Resume(id) => self.queue.push_back(Queued::Resume(id)),
        }
        self.show_queue();
    }

    /// Leaves as soon as the running work has stopped.
    fn stop(&mut self, cancel: &CancellationToken) {
        self.quit = true;
        self.queue.clear();
        cancel.cancel();
        self.deny_all();
    }

    fn take(&mut self, message: ToUi) {
        match message {
            ToUi::Event(event) => {
                if self.app.on_event(&event) {
                    self.dirty = true;
                }
            }
            ToUi::Approval(request, answer) => {
                self.approvals.push_back((request, answer));
                if self.approvals.len() == 1 {
                    self.show_approval();
                }
                self.draw();
            }
            ToUi::Question { question, options, answer } => {
                self.question = Some(answer);
                self.app.ask_question(QuestionPrompt { question, options });
                self.draw();
            }
        }
    }

    fn show_approval(&mut self) {
        let Some((request, _)) = self.approvals.front() else { return };
        let settings = self.factory.config().project_file();
        let cwd = &self.factory.config().cwd;
        let shown = settings.strip_prefix(cwd).unwrap_or(&settings).display().to_string();
        self.app.ask_approval(ApprovalPrompt {
            tool: request.tool.clone(),
            input: request.input.clone(),
            reason: request.reason.clone(),
            rule: request.suggested_rule.clone(),
            settings_file: shown,
        });
    }

    fn answer_approval(&mut self, answer: ApprovalAnswer) {
        let Some((request, reply)) = self.approvals.pop_front() else { return };
        let approval = match (answer, request.suggested_rule) {
            (ApprovalAnswer::Once, _) => Approval::Once,
            (ApprovalAnswer::Always, Some(rule)) => {
                let settings = self.factory.config().project_file();
                match crate::approval::add_allow_rule(&settings, &rule) {
                    Ok(()) => self.app.notice(
                        Notice::Info,
                        format!("added `{rule}` to [permissions] allow in {}", settings.display()),
                    ),
                    Err(error) => self.app.notice(
                        Notice::Warning,
                        format!(
                            "could not write {}: {error}; `{rule}` is allowed for this session only",
                            settings.display()
                        ),
                    ),
                }
                Approval::Always(rule)
            }
            (ApprovalAnswer::Always, None) => Approval::Once,
            (ApprovalAnswer::Deny, _) => Approval::Deny,
        };
        // The session may have stopped waiting (interrupted); then nobody needs the answer.
        let _ = reply.send(approval);
        self.show_approval();
    }

    fn answer_question(&mut self, answer: Option<String>) {
        if let Some(reply) = self.question.take() {
            let _ = reply.send(answer);
        }
    }

    /// Refuses every open approval and question (an interrupt or exit).
    fn deny_all(&mut self) {
        while let Some((_, reply)) = self.approvals.pop_front() {
            let _ = reply.send(Approval::Deny);
        }
        self.answer_question(None);
    }

    fn show_queue(&mut self) {
        let queued = self
            .queue
            .iter()
            .map(|item| match item {
                Queued::Prompt(prompt) => prompt.clone(),
                Queued::Command { name, args } => format!("/{name} {args}").trim_end().to_string(),
                Queued::Resume(id) => format!("/resume {id}"),
            })
            .collect();
        self.app.set_queued(queued);
    }

    /// Shows a session that just started or was resumed.
    fn show_session(&mut self, session: &Session) {
        self.app.clear();
        self.app.load_conversation(session.messages());
        let config = self.factory.config();
        let resumed = if session.messages().is_empty() { "" } else { " (resumed)" };
        self.app.notice(
            Notice::Info,
            format!(
                "rein {} · {} via {} · {}\nsession {}{resumed} · /help lists commands and keys",
                env!("CARGO_PKG_VERSION"),
                session.model(),
                session.provider_name(),
                config.cwd.display(),
                session.id(),
            ),
        );
        self.refresh_status(session);
    }

    fn refresh_status(&mut self, session: &Session) {
        let usage = session.usage();
        let status = self.app.status_mut();
        status.session_id = session.id().to_string();
        status.model = session.model().to_string();
        status.permission_mode = session.permission_mode().as_str().to_string();
        status.context_window = session.context_window();
        status.context_tokens = session.context_tokens();
        status.session_tokens = usage.total_input() + usage.output_tokens;
        status.cost_usd = session.cost_usd();
    }

    fn draw(&mut self) {
        self.dirty = false;
        self.last_frame = Instant::now();
        let terminal = self.screen.terminal();
        if self.app.take_redraw_all() {
            let _ = terminal.clear();
        }
        if let Err(error) = terminal.draw(|frame| self.app.draw(frame)) {
            tracing::warn!(%error, "drawing the interface failed");
        }
    }
}

/// Reads terminal events on a thread of its own (crossterm's reads block), so a busy loop
/// never delays a key press.
fn spawn_key_reader() -> mpsc::UnboundedReceiver<TermEvent> {
    let (tx, rx) = mpsc::unbounded_channel();
    let spawned = std::thread::Builder::new().name("rein-keys".into()).spawn(move || {
        while let Ok(event) = crossterm::event::read() {
            if tx.send(event).is_err() {
                break;
            }
        }
    });
    if let Err(error) = spawned {
        tracing::warn!(%error, "could not start the key reader");
    }
    rx
}

/// SIGTERM, SIGHUP and SIGQUIT end rein the orderly way: the turn stops, the terminal is
/// given back, the session is closed.
struct Signals {
    streams: Vec<tokio::signal::unix::Signal>,
}

impl Signals {
    fn install() -> Self {
        use tokio::signal::unix::{SignalKind, signal};
        let kinds = [SignalKind::terminate(), SignalKind::hangup(), SignalKind::quit()];
        Self { streams: kinds.into_iter().filter_map(|kind| signal(kind).ok()).collect() }
    }

    async fn recv(&mut self) {
        if self.streams.is_empty() {
            return std::future::pending().await;
        }
        let waits = self.streams.iter_mut().map(|stream| Box::pin(stream.recv()));
        futures::future::select_all(waits).await;
    }
}
