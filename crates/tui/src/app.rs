//! The interface's state and what each key does. Drawing is in `view.rs`.

use crate::cells::{Cell, Notice};
use crate::commands::{self, CommandRegistry};
use crate::input::Input;
use crate::prompts::{
    ApprovalAnswer, ApprovalPrompt, QuestionPrompt, SessionRow, approval_choices, filter_sessions,
};
use crate::status::Status;
use crate::theme::Theme;
use crate::transcript::Transcript;
use crossterm::event::{Event as TermEvent, KeyCode, KeyEvent, KeyEventKind, KeyModifiers};
use rein_protocol::{Event, Message};
use std::time::{Duration, Instant};

/// A second Ctrl-C within this time leaves.
const DOUBLE_CTRL_C: Duration = Duration::from_secs(2);

/// What the owner of the interface should do after a key press.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Action {
    /// Run this prompt (or queue it while a turn runs).
    Submit(String),
    /// Run a slash command from the registry.
    Command {
        /// Its name, without the slash.
        name: String,
        /// What followed the name.
        args: String,
    },
    /// Stop the running turn.
    Interrupt,
    /// The answer to the approval prompt.
    Approve(ApprovalAnswer),
    /// The answer to the model's question; `None` when dismissed.
    Answer(Option<String>),
    /// Continue this session instead.
    Resume(String),
    /// Leave.
    Quit,
}

/// What sits between the conversation and the status line.
#[derive(Debug)]
pub(crate) enum Overlay {
    None,
    Approval { prompt: ApprovalPrompt, selected: usize },
    Question { prompt: QuestionPrompt, selected: usize },
    Picker { rows: Vec<SessionRow>, filter: String, selected: usize },
}

/// The whole interface.
#[derive(Debug)]
pub struct App {
    pub(crate) theme: Theme,
    pub(crate) transcript: Transcript,
    pub(crate) input: Input,
    pub(crate) commands: CommandRegistry,
    pub(crate) overlay: Overlay,
    pub(crate) status: Status,
    pub(crate) todos: Vec<(String, String)>,
    pub(crate) queued: Vec<String>,
    /// Tool cards open.
    pub(crate) expanded: bool,
    /// First line shown when scrolled up; `None` follows the end of the conversation.
    pub(crate) scroll_top: Option<usize>,
    /// Rows of the conversation area at the last draw (for paging).
    pub(crate) page_rows: usize,
    /// Wrapped lines of the conversation at the last draw.
    pub(crate) total_rows: usize,
    pub(crate) completion_selected: usize,
    completion_dismissed: bool,
    pub(crate) running_since: Option<Instant>,
    last_ctrl_c: Option<Instant>,
    /// The screen must be cleared and drawn in full (Ctrl-L).
    redraw_all: bool,
}

impl App {
    /// An empty conversation with the given prompt history and commands.
    pub fn new(
        theme: Theme,
        status: Status,
        commands: CommandRegistry,
        history: Vec<String>,
    ) -> Self {
        Self {
            theme,
            transcript: Transcript::default(),
            input: Input::with_history(history),
            commands,
            overlay: Overlay::None,
            status,
            todos: Vec::new(),
            queued: Vec::new(),
            expanded: false,
            scroll_top: None,
            page_rows: 20,
            total_rows: 0,
            completion_selected: 0,
            completion_dismissed: false,
            running_since: None,
            last_ctrl_c: None,
            redraw_all: false,
        }
    }

    /// The status line's facts.
    pub fn status_mut(&mut self) -> &mut Status {
        &mut self.status
    }

    /// The command registry.
    pub fn commands(&self) -> &CommandRegistry {
        &self.commands
    }

    /// Shows the "working" line for work that is not a prompt (a compaction).
    pub fn set_busy(&mut self, busy: bool) {
        self.running_since = busy.then(Instant::now);
    }

    /// The command registry (to add commands from settings).
    pub fn commands_mut(&mut self) -> &mut CommandRegistry {
        &mut self.commands
    }

    /// Whether a turn is running.
    pub fn is_running(&self) -> bool {
        self.running_since.is_some()
    }

    /// Marks a turn as started (showing the prompt) or finished.
    pub fn set_running(&mut self, prompt: Option<&str>) {
        match prompt {
            Some(prompt) => {
                self.transcript.push(Cell::User(prompt.to_string()));
                self.running_since = Some(Instant::now());
                self.scroll_top = None;
            }
            None => self.running_since = None,
        }
    }

    /// Prompts typed while a turn runs, shown until they run.
    pub fn set_queued(&mut self, queued: Vec<String>) {
        self.queued = queued;
    }

    /// Takes in a session event.
    pub fn on_event(&mut self, event: &Event) -> bool {
        match event {
            Event::ToolCallStarted { name, input, .. } if name == "todo" => self.take_todos(input),
            Event::Usage { usage, session_usage, session_cost_usd, .. } => {
                self.status.context_tokens = usage.total_input() + usage.output_tokens;
                self.status.session_tokens =
                    session_usage.total_input() + session_usage.output_tokens;
                self.status.cost_usd = *session_cost_usd;
                return true;
            }
            Event::SessionStarted { session_id, model, .. } => {
                self.status.session_id = session_id.clone();
                self.status.model = model.clone();
            }
            Event::Compacted { .. } => self.status.context_tokens = 0,
            _ => {}
        }
        self.transcript.apply(event)
    }

    /// Shows a message from rein itself (command output, errors of commands).
    pub fn notice(&mut self, kind: Notice, text: impl Into<String>) {
        self.transcript.push(Cell::Notice(kind, text.into()));
        self.scroll_top = None;
    }

    /// Forgets the conversation on screen (a new or resumed session follows).
    pub fn clear(&mut self) {
        self.transcript.clear();
        self.todos.clear();
        self.scroll_top = None;
    }

    /// Shows an earlier conversation.
    pub fn load_conversation(&mut self, messages: &[Message]) {
        self.transcript.load(messages);
        for message in messages {
            for (_, name, input) in message.tool_uses() {
                if name == "todo" {
                    self.take_todos(input);
                }
            }
        }
    }

    /// Asks about a tool call; the answer comes back as [`Action::Approve`].
    pub fn ask_approval(&mut self, prompt: ApprovalPrompt) {
        self.overlay = Overlay::Approval { prompt, selected: 0 };
        self.scroll_top = None;
    }

    /// Asks the model's question; the answer comes back as [`Action::Answer`].
    pub fn ask_question(&mut self, prompt: QuestionPrompt) {
        self.overlay = Overlay::Question { prompt, selected: 0 };
    }

    /// Opens the resume picker; the choice comes back as [`Action::Resume`].
    pub fn pick_session(&mut self, rows: Vec<SessionRow>) {
        self.overlay = Overlay::Picker { rows, filter: String::new(), selected: 0 };
    }

    /// Whether the next draw must repaint every cell (after Ctrl-L); resets the request.
    pub fn take_redraw_all(&mut self) -> bool {
        std::mem::take(&mut self.redraw_all)
    }

    /// Handles a terminal event: keys, pasted text, resizes.
    pub fn on_terminal_event(&mut self, event: &TermEvent) -> Option<Action> {
        match event {
            TermEvent::Key(key) if key.kind != KeyEventKind::Release => self.on_key(*key),
            TermEvent::Paste(text) => {
                match &mut self.overlay {
                    Overlay::Picker { filter, selected, .. } => {
                        filter.push_str(text.lines().next().unwrap_or_default());
                        *selected = 0;
                    }
                    _ => self.input.insert(text),
                }
                self.after_edit();
                None
            }
            _ => None,
        }
    }

    fn on_key(&mut self, key: KeyEvent) -> Option<Action> {
        let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
        if ctrl && key.code == KeyCode::Char('c') {
            return self.ctrl_c();
        }
        match &self.overlay {
            Overlay::Approval { .. } => return self.approval_key(key),
            Overlay::Picker { .. } => return self.picker_key(key),
            Overlay::Question { .. } => {
                if let Some(action) = self.question_key(key) {
                    return action;
                }
            }
            Overlay::None => {}
        }
        let alt = key.modifiers.contains(KeyModifiers::ALT);
        let shift = key.modifiers.contains(KeyModifiers::SHIFT);
        let completions = self.completions().len();
        match key.code {
            KeyCode::Enter if alt || shift => self.input.insert("\n"),
            KeyCode::Char('j') if ctrl => self.input.insert("\n"),
            KeyCode::Enter => return self.enter(),
            KeyCode::Esc if self.is_running() => return Some(Action::Interrupt),
            KeyCode::Esc => self.completion_dismissed = true,
            KeyCode::Tab if completions > 0 => self.accept_completion(),
            KeyCode::Up if completions > 0 => {
                self.completion_selected =
                    (self.completion_selected + completions - 1) % completions;
            }
            KeyCode::Down if completions > 0 => {
                self.completion_selected = (self.completion_selected + 1) % completions;
            }
            KeyCode::PageUp => self.scroll_by(-(self.page_rows as isize - 1).max(1)),
            KeyCode::PageDown => self.scroll_by((self.page_rows as isize - 1).max(1)),
            KeyCode::Char('o') if ctrl => self.expanded = !self.expanded,
            KeyCode::Char('l') if ctrl => self.redraw_all = true,
            KeyCode::Char('d') if ctrl && self.input.is_empty() => return Some(Action::Quit),
            _ => self.edit(key),
        }
        self.after_edit();
        None
    }

    /// Editing keys shared by the prompt and the question's free-text answer.
    fn edit(&mut self, key: KeyEvent) {
        let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
        let alt = key.modifiers.contains(KeyModifiers::ALT);
        match key.code {
            KeyCode::Char('a') if ctrl => self.input.line_start(),
            KeyCode::Char('e') if ctrl => self.input.line_end(),
            KeyCode::Char('w') if ctrl => self.input.delete_word_back(),
            KeyCode::Char('u') if ctrl => self.input.delete_to_line_start(),
            KeyCode::Char('k') if ctrl => self.input.delete_to_line_end(),
            KeyCode::Char('b') if alt => self.input.word_left(),
            KeyCode::Char('f') if alt => self.input.word_right(),
            KeyCode::Left if ctrl || alt => self.input.word_left(),
            KeyCode::Right if ctrl || alt => self.input.word_right(),
            KeyCode::Backspace if ctrl || alt => self.input.delete_word_back(),
            KeyCode::Char(c) if !ctrl => self.input.insert(c.encode_utf8(&mut [0; 4])),
            KeyCode::Backspace => self.input.backspace(),
            KeyCode::Delete => self.input.delete(),
            KeyCode::Left => self.input.left(),
            KeyCode::Right => self.input.right(),
            KeyCode::Home => self.input.line_start(),
            KeyCode::End => self.input.line_end(),
            KeyCode::Up => self.input.up(),
            KeyCode::Down => self.input.down(),
            _ => {}
        }
    }

    fn after_edit(&mut self) {
        if !self.input.text().starts_with('/') {
            self.completion_dismissed = false;
        }
        let count = self.completions().len();
        if self.completion_selected >= count {
            self.completion_selected = 0;
        }
    }

    fn ctrl_c(&mut self) -> Option<Action> {
        let now = Instant::now();
        if self.last_ctrl_c.is_some_and(|at| now.duration_since(at) < DOUBLE_CTRL_C) {
            return Some(Action::Quit);
        }
        self.last_ctrl_c = Some(now);
        match std::mem::replace(&mut self.overlay, Overlay::None) {
            Overlay::Approval { .. } => return Some(Action::Approve(ApprovalAnswer::Deny)),
            Overlay::Question { .. } => return Some(Action::Answer(None)),
            Overlay::Picker { .. } => return None,
            Overlay::None => {}
        }
        if !self.input.is_empty() {
            self.input.clear();
            return None;
        }
        self.is_running().then_some(Action::Interrupt)
    }

    /// Whether the "press Ctrl-C again" hint is due.
    pub(crate) fn ctrl_c_pending(&self) -> bool {
        self.last_ctrl_c.is_some_and(|at| at.elapsed() < DOUBLE_CTRL_C)
    }

    fn enter(&mut self) -> Option<Action> {
        // `get`: pasted text can shrink the menu below the selected row.
        let chosen = self.completions().get(self.completion_selected).map(|c| c.name.clone());
        if let Some(chosen) = chosen {
            let typed = self.input.text().trim_start_matches('/').to_string();
            if chosen != typed {
                self.accept_completion();
                let takes_args = self.commands.get(&chosen).is_some_and(|c| !c.args.is_empty());
                if takes_args {
                    return None;
                }
            }
        }
        if self.input.text().ends_with('\\') {
            self.input.backspace();
            self.input.insert("\n");
            return None;
        }
        if self.input.text().trim().is_empty() {
            return None;
        }
        let text = self.input.submit();
        self.completion_dismissed = false;
        if let Some((name, args)) = commands::parse(&text) {
            if self.commands.get(name).is_some() {
                return Some(Action::Command { name: name.to_string(), args: args.to_string() });
            }
            if !name.contains('/') {
                self.notice(Notice::Error, format!("unknown command /{name}; /help lists them"));
                return None;
            }
        }
        Some(Action::Submit(text.trim_end().to_string()))
    }

    /// Commands matching the typed `/name`, while it is being typed.
    pub(crate) fn completions(&self) -> Vec<&crate::commands::SlashCommand> {
        let text = self.input.text();
        if self.completion_dismissed || !matches!(self.overlay, Overlay::None) {
            return Vec::new();
        }
        match text.strip_prefix('/') {
            Some(typed) if !typed.contains(char::is_whitespace) => self.commands.complete(typed),
            _ => Vec::new(),
        }
    }

    fn accept_completion(&mut self) {
        let Some(command) =
            self.completions().get(self.completion_selected).map(|c| c.name.clone())
        else {
            return;
        };
        self.input.set(&format!("/{command} "));
        self.completion_selected = 0;
    }

    fn approval_key(&mut self, key: KeyEvent) -> Option<Action> {
        let Overlay::Approval { prompt, selected } = &mut self.overlay else { return None };
        let choices = approval_choices(prompt);
        let answer = match key.code {
            KeyCode::Char('y') | KeyCode::Char('1') => Some(ApprovalAnswer::Once),
            KeyCode::Char('a') | KeyCode::Char('2') if prompt.rule.is_some() => {
                Some(ApprovalAnswer::Always)
            }
            KeyCode::Char('n') | KeyCode::Esc => Some(ApprovalAnswer::Deny),
            KeyCode::Char('3') if prompt.rule.is_some() => Some(ApprovalAnswer::Deny),
            KeyCode::Char('2') => Some(ApprovalAnswer::Deny),
            KeyCode::Up => {
                *selected = (*selected + choices.len() - 1) % choices.len();
                None
            }
            KeyCode::Down | KeyCode::Tab => {
                *selected = (*selected + 1) % choices.len();
                None
            }
            KeyCode::Enter => choices.get(*selected).map(|(answer, _)| *answer),
            _ => None,
        };
        let answer = answer?;
        self.overlay = Overlay::None;
        Some(Action::Approve(answer))
    }

    /// Keys of the question prompt; `None` passes the key on to the editor.
    fn question_key(&mut self, key: KeyEvent) -> Option<Option<Action>> {
        let Overlay::Question { prompt, selected } = &mut self.overlay else { return None };
        let options = prompt.options.len();
        match key.code {
            KeyCode::Esc => {
                self.overlay = Overlay::None;
                Some(Some(Action::Answer(None)))
            }
            KeyCode::Up if options > 0 && self.input.is_empty() => {
                *selected = (*selected + options - 1) % options;
                Some(None)
            }
            KeyCode::Down if options > 0 && self.input.is_empty() => {
                *selected = (*selected + 1) % options;
                Some(None)
            }
            KeyCode::Enter
                if !key.modifiers.intersects(KeyModifiers::ALT | KeyModifiers::SHIFT) =>
            {
                let answer = if self.input.text().trim().is_empty() {
                    prompt.options.get(*selected).cloned()?
                } else {
                    self.input.submit()
                };
                self.overlay = Overlay::None;
                self.notice(Notice::Info, format!("you answered: {answer}"));
                Some(Some(Action::Answer(Some(answer))))
            }
            _ => None,
        }
    }

    fn picker_key(&mut self, key: KeyEvent) -> Option<Action> {
        let Overlay::Picker { rows, filter, selected } = &mut self.overlay else { return None };
        let shown = filter_sessions(rows, filter).len();
        match key.code {
            KeyCode::Esc => self.overlay = Overlay::None,
            KeyCode::Up if shown > 0 => *selected = (*selected + shown - 1) % shown,
            KeyCode::Down if shown > 0 => *selected = (*selected + 1) % shown,
            KeyCode::Backspace => {
                filter.pop();
                *selected = 0;
            }
            KeyCode::Char(c) if !key.modifiers.contains(KeyModifiers::CONTROL) => {
                filter.push(c);
                *selected = 0;
            }
            KeyCode::Enter => {
                let id = filter_sessions(rows, filter).get(*selected).map(|row| row.id.clone())?;
                self.overlay = Overlay::None;
                return Some(Action::Resume(id));
            }
            _ => {}
        }
        None
    }

    fn scroll_by(&mut self, delta: isize) {
        let bottom = self.total_rows.saturating_sub(self.page_rows);
        let top = self.scroll_top.unwrap_or(bottom) as isize + delta;
        let top = top.clamp(0, bottom as isize) as usize;
        self.scroll_top = (top < bottom).then_some(top);
    }

    fn take_todos(&mut self, input: &serde_json::Value) {
        let Some(todos) = input.get("todos").and_then(serde_json::Value::as_array) else { return };
        self.todos = todos
            .iter()
            .filter_map(|todo| {
                let content = todo.get("content")?.as_str()?.to_string();
                let status = todo.get("status")?.as_str()?.to_string();
                Some((content, status))
            })
            .collect();
    }
}

#[cfg(test)]
#[path = "app_tests.rs"]
mod tests;
