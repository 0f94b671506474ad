//! The environment a command sees.

use std::ffi::OsString;
use tokio::process::Command;

/// Variables every command gets, so that pagers and prompts never block a non-interactive run.
const FIXED_VARS: &[(&str, &str)] =
    &[("REIN", "1"), ("GIT_PAGER", "cat"), ("PAGER", "cat"), ("GIT_TERMINAL_PROMPT", "0")];

/// Name endings that mark a variable as a credential.
const SECRET_SUFFIXES: &[&str] = &["_API_KEY", "_TOKEN", "_SECRET", "_PASSWORD"];

/// Credentials whose names do not follow the suffix convention.
const SECRET_NAMES: &[&str] = &["AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN"];

/// Whether an inherited environment variable carries a secret and is withheld from commands by
/// default: provider keys such as `ANTHROPIC_API_KEY` and anything ending in `_API_KEY`,
/// `_TOKEN`, `_SECRET` or `_PASSWORD` (case-insensitive).
pub fn is_secret_var(name: &str) -> bool {
    let upper = name.to_ascii_uppercase();
    SECRET_NAMES.contains(&upper.as_str()) || SECRET_SUFFIXES.iter().any(|s| upper.ends_with(s))
}

/// Applies scrubbing, the fixed variables and the caller's extras, in that order.
pub(crate) fn apply(cmd: &mut Command, extra: &[(String, String)], scrub: bool) {
    if scrub {
        scrub_from(cmd, std::env::vars_os().map(|(name, _)| name));
    }
    for (k, v) in FIXED_VARS {
        cmd.env(k, v);
    }
    for (k, v) in extra {
        cmd.env(k, v);
    }
}

/// Removes, from what `cmd` inherits, every secret among `inherited`.
fn scrub_from(cmd: &mut Command, inherited: impl Iterator<Item = OsString>) {
    for name in inherited {
        if name.to_str().is_some_and(is_secret_var) {
            cmd.env_remove(&name);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scrubs_inherited_secrets_and_sets_fixed_vars() {
        let mut cmd = Command::new("true");
        let inherited = ["PATH", "ANTHROPIC_API_KEY", "GH_TOKEN", "HOME", "APP_SECRET"];
        scrub_from(&mut cmd, inherited.iter().map(OsString::from));
        apply(&mut cmd, &[("EXTRA_TOKEN".into(), "given".into())], false);
        let envs: Vec<(String, Option<String>)> = cmd
            .as_std()
            .get_envs()
            .map(|(k, v)| {
                (k.to_string_lossy().into_owned(), v.map(|v| v.to_string_lossy().into_owned()))
            })
            .collect();
        let get = |name: &str| envs.iter().find(|(k, _)| k == name).map(|(_, v)| v.clone());
        assert_eq!(get("ANTHROPIC_API_KEY"), Some(None));
        assert_eq!(get("GH_TOKEN"), Some(None));
        assert_eq!(get("APP_SECRET"), Some(None));
        assert_eq!(get("PATH"), None, "non-secrets are inherited untouched");
        assert_eq!(get("REIN"), Some(Some("1".into())));
        assert_eq!(get("GIT_PAGER"), Some(Some("cat".into())));
        assert_eq!(get("EXTRA_TOKEN"), Some(Some("given".into())), "explicit extras win");
    }

    #[test]
    fn recognises_secret_names() {
        for name in
            ["ANTHROPIC_API_KEY", "OPENAI_API_KEY", "GITHUB_TOKEN", "my_secret", "DB_PASSWORD"]
        {
            assert!(is_secret_var(name), "{name}");
        }
        for name in ["PATH", "HOME", "TOKENIZERS_PARALLELISM", "CARGO_HOME"] {
            assert!(!is_secret_var(name), "{name}");
        }
    }
}
