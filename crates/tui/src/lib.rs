//! rein's interactive terminal interface.
//!
//! The interface knows only protocol types: it is fed [`rein_protocol::Event`]s and terminal
//! events, draws the conversation, and hands back [`Action`]s for its owner to carry out.

mod app;
mod cells;
mod commands;
mod diff;
mod highlight;
mod input;
mod markdown;
mod prompts;
mod status;
mod terminal;
mod theme;
mod transcript;
mod view;
mod wrap;

pub use app::{Action, App};
pub use cells::Notice;
pub use commands::{CommandRegistry, SlashCommand};
pub use prompts::{ApprovalAnswer, ApprovalPrompt, QuestionPrompt, SessionRow};
pub use status::{Status, tokens as format_tokens};
pub use terminal::{TerminalSession, TuiTerminal};
pub use theme::Theme;
