//! What `rein mcp list` and `/mcp` show about each server.

use std::fmt;
use std::path::PathBuf;

/// One server's state and what it offers.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct ServerStatus {
    /// Configured name.
    pub name: String,
    /// The settings file that defines it.
    pub source: PathBuf,
    /// `stdio` or `http`.
    pub transport: &'static str,
    /// The command line or URL.
    pub target: String,
    /// Connected, failed or disabled.
    pub state: ServerState,
    /// Tools offered (when connected).
    pub tools: usize,
    /// Resources offered.
    pub resources: usize,
    /// Prompts offered.
    pub prompts: usize,
    /// Where its stderr is logged (stdio servers).
    pub log: Option<PathBuf>,
}

/// Whether a server can be used.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[serde(tag = "state", content = "reason", rename_all = "snake_case")]
pub enum ServerState {
    /// Connected and listed.
    Connected,
    /// Did not start, or stopped; the reason says which.
    Failed(String),
    /// `enabled = false` in the settings.
    Disabled,
}

impl fmt::Display for ServerState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ServerState::Connected => write!(f, "connected"),
            ServerState::Failed(reason) => write!(f, "failed: {reason}"),
            ServerState::Disabled => write!(f, "disabled"),
        }
    }
}

/// `name (transport): state, what it offers`.
impl fmt::Display for ServerStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} ({}): {}", self.name, self.transport, self.state)?;
        if self.state == ServerState::Connected {
            write!(
                f,
                ", {} tool{}, {} resource{}, {} prompt{}",
                self.tools,
                plural(self.tools),
                self.resources,
                plural(self.resources),
                self.prompts,
                plural(self.prompts)
            )?;
        }
        Ok(())
    }
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}
