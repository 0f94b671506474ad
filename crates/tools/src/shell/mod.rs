//! Shell tools: bash (foreground or background), bash_output and bash_kill for jobs.

mod bash;
mod cwd;
mod jobs;

pub use bash::BashTool;
pub use jobs::{BashKillTool, BashOutputTool};
