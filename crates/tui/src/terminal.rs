//! Taking over the terminal and giving it back sane: on a normal exit, on a panic, and — the
//! case no in-process handler can cover — when rein is killed outright. For that last case a
//! tiny shell process saves the terminal's settings before raw mode is entered and restores
//! them when its pipe from rein closes without the word that says rein restored them itself.

use crossterm::event::{DisableBracketedPaste, EnableBracketedPaste};
use crossterm::terminal::{
    EnterAlternateScreen, LeaveAlternateScreen, disable_raw_mode, enable_raw_mode,
};
use ratatui::Terminal;
use ratatui::backend::CrosstermBackend;
use std::io::{BufRead, BufReader, Stdout, Write};
use std::process::{Child, Command, Stdio};
use std::sync::Once;

/// The terminal type the interface draws on.
pub type TuiTerminal = Terminal<CrosstermBackend<Stdout>>;

/// Restores the terminal if rein dies without doing so. Ignores the terminal's signals (it
/// must outlive rein) and SIGTTOU (it may restore after the shell took the terminal back).
const GUARD_SCRIPT: &str = r#"trap '' INT QUIT HUP TSTP TTOU
saved=$(stty -g </dev/tty 2>/dev/null) || exit 0
echo ready
if read -r word && [ "$word" = done ]; then exit 0; fi
stty "$saved" </dev/tty 2>/dev/null
printf '\033[?2004l\033[?1049l\033[?25h\033[0m' >/dev/tty 2>/dev/null
"#;

/// The terminal in raw mode on the alternate screen. Dropping it gives the terminal back.
pub struct TerminalSession {
    terminal: TuiTerminal,
    guard: Option<Child>,
    restored: bool,
}

impl TerminalSession {
    /// Saves the terminal's state, enters raw mode and the alternate screen, and turns on
    /// bracketed paste (pasted text arrives whole, newlines included).
    pub fn enter() -> std::io::Result<Self> {
        let guard = start_guard();
        install_panic_hook();
        enable_raw_mode()?;
        let mut stdout = std::io::stdout();
        if let Err(error) = crossterm::execute!(stdout, EnterAlternateScreen, EnableBracketedPaste)
        {
            leave();
            return Err(error);
        }
        let terminal = match Terminal::new(CrosstermBackend::new(stdout)) {
            Ok(terminal) => terminal,
            Err(error) => {
                leave();
                return Err(error);
            }
        };
        Ok(Self { terminal, guard, restored: false })
    }

    /// The terminal to draw on.
    pub fn terminal(&mut self) -> &mut TuiTerminal {
        &mut self.terminal
    }

    /// Gives the terminal back: raw mode off, main screen, cursor shown.
    pub fn restore(&mut self) {
        if std::mem::replace(&mut self.restored, true) {
            return;
        }
        let _ = self.terminal.show_cursor();
        leave();
        if let Some(mut guard) = self.guard.take() {
            if let Some(mut pipe) = guard.stdin.take() {
                let _ = pipe.write_all(b"done\n");
            }
            // Wait, so the guard cannot touch the terminal after the shell has it back.
            let _ = guard.wait();
        }
    }
}

impl Drop for TerminalSession {
    fn drop(&mut self) {
        self.restore();
    }
}

/// Starts the guard and waits until it has saved the terminal's settings; `None` when there
/// is no shell or no controlling terminal (then only the in-process handlers protect it).
fn start_guard() -> Option<Child> {
    // The one process rein-tui starts itself: it must exist before raw mode and outlive rein.
    let mut child = Command::new("/bin/sh")
        .arg("-c")
        .arg(GUARD_SCRIPT)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .ok()?;
    let ready = child.stdout.take().map(BufReader::new).and_then(|mut out| {
        let mut line = String::new();
        out.read_line(&mut line).ok().map(|_| line)
    });
    if ready.as_deref().map(str::trim) == Some("ready") {
        Some(child)
    } else {
        let _ = child.kill();
        let _ = child.wait();
        None
    }
}

fn leave() {
    let _ = crossterm::execute!(
        std::io::stdout(),
        DisableBracketedPaste,
        LeaveAlternateScreen,
        crossterm::cursor::Show
    );
    let _ = disable_raw_mode();
}

/// A panic restores the terminal before the message is printed, so the message is readable
/// and the shell usable.
fn install_panic_hook() {
    static INSTALLED: Once = Once::new();
    INSTALLED.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            leave();
            previous(info);
        }));
    });
}
