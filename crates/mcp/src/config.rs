//! What the settings say about one MCP server.

use std::collections::BTreeMap;
use std::fmt;
use std::path::PathBuf;
use std::time::Duration;

/// How long a server may take to start and answer the handshake and listings.
pub const DEFAULT_STARTUP_TIMEOUT: Duration = Duration::from_secs(10);

/// How long one request (a tool call, a resource read, a prompt) may take.
pub const DEFAULT_TOOL_TIMEOUT: Duration = Duration::from_secs(60);

/// One configured server, after `${VAR}` expansion.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServerConfig {
    /// The name it is configured under (tools are `mcp__<name>__<tool>`).
    pub name: String,
    /// How to reach it.
    pub transport: Transport,
    /// `false` keeps it configured but not started.
    pub enabled: bool,
    /// Limit for start-up (process start, handshake, listings).
    pub startup_timeout: Duration,
    /// Limit for each request.
    pub tool_timeout: Duration,
    /// The settings file it came from (the last one, when several define it).
    pub source: PathBuf,
}

/// How rein talks to a server.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Transport {
    /// A child process speaking JSON-RPC on its stdin and stdout.
    Stdio {
        /// Program to run (looked up on `PATH` unless it holds a `/`).
        command: String,
        /// Its arguments.
        args: Vec<String>,
        /// Variables set for it, on top of rein's environment.
        env: BTreeMap<String, String>,
        /// Working directory; default the project root.
        cwd: Option<PathBuf>,
    },
    /// A server reached over streamable HTTP.
    Http {
        /// The endpoint, e.g. `http://127.0.0.1:3001/mcp`.
        url: String,
        /// Headers sent with every request (e.g. `Authorization`).
        headers: BTreeMap<String, String>,
    },
}

impl Transport {
    /// `stdio` or `http`.
    pub fn kind(&self) -> &'static str {
        match self {
            Transport::Stdio { .. } => "stdio",
            Transport::Http { .. } => "http",
        }
    }
}

/// The command line or the URL, for listings. Header values and environment values are left
/// out: they often hold credentials.
impl fmt::Display for Transport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Transport::Stdio { command, args, .. } => {
                write!(f, "{command}")?;
                for arg in args {
                    write!(f, " {arg}")?;
                }
                Ok(())
            }
            Transport::Http { url, .. } => write!(f, "{url}"),
        }
    }
}
