//! Building the shell sandbox a session's commands run in, and saying plainly when the
//! machine cannot give a complete one.

use rein_config::Config;
use rein_sandbox::{Sandbox, SandboxPolicy, SandboxSupport};
use std::sync::Arc;

/// Files and folders under the home folder that stay read-only when a writable root holds them.
const HOME_FILES: &[&str] = &[
    ".claude",
    ".bashrc",
    ".bash_profile",
    ".bash_login",
    ".profile",
    ".zshrc",
    ".zprofile",
    ".zshenv",
    ".ssh",
    ".gitconfig",
    ".config/git",
    ".local/bin",
    ".cargo/bin",
    ".cargo/config.toml",
    ".npmrc",
];

/// The sandbox for this session's shell commands, and a warning for the user when it is off
/// or incomplete (then commands that could change something are asked about).
pub(crate) fn shell_sandbox(config: &Config) -> (Option<Arc<Sandbox>>, Option<String>) {
    let settings = &config.settings.sandbox;
    if !settings.enabled {
        return (None, None);
    }
    let support = SandboxSupport::detect();
    if !support.is_usable() {
        let why = support.shortfall().unwrap_or_default();
        return (
            None,
            Some(format!(
                "shell sandbox unavailable: {why}; commands that could change something will be asked about"
            )),
        );
    }
    let mut user_dirs = vec![config.paths.config_dir.clone()];
    if let Some(home) = &config.paths.home {
        // Read-only should the project be the home folder itself: files whose contents run
        // later with the user's full rights, or grant the agent more.
        user_dirs.extend(HOME_FILES.iter().map(|name| home.join(name)));
    }
    let policy = SandboxPolicy::for_workspace(
        &config.project_root,
        &settings.writable,
        &user_dirs,
        settings.network,
    );
    match Sandbox::prepare(policy) {
        Ok(sandbox) => {
            let warning = support.shortfall().map(|why| {
                format!("shell sandbox incomplete: {why}; commands that could change something will be asked about")
            });
            (Some(Arc::new(sandbox)), warning)
        }
        Err(error) => (
            None,
            Some(format!(
                "shell sandbox could not be set up ({error}); commands that could change something will be asked about"
            )),
        ),
    }
}
