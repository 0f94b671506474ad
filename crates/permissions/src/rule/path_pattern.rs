//! Path patterns (`src/**`, `~/.ssh/**`, `/etc/*`, `.env`) with gitignore conventions: a pattern
//! with a `/` before its end is anchored at the project root, one without matches at any depth,
//! and a trailing `/` means "this directory and everything in it".

use super::RuleParseError;
use globset::GlobBuilder;
use std::path::Path;

/// What a path pattern is relative to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PathAnchor {
    /// The project root (`src/**`, `./build/*`, `.env`).
    Project,
    /// The user's home directory (`~/.ssh/**`).
    Home,
    /// The filesystem root (`/etc/**`; Claude Code's `//etc/**` means the same).
    Absolute,
}

/// A parsed path pattern.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PathPattern {
    anchor: PathAnchor,
    /// The glob relative to the anchor (absolute for [`PathAnchor::Absolute`]).
    glob: String,
}

impl PathPattern {
    /// Parses the text between the parentheses of a path rule.
    pub(crate) fn parse(rule: &str, pattern: &str) -> Result<Self, RuleParseError> {
        let bad = |reason: &str| RuleParseError::BadPathPattern {
            rule: rule.to_owned(),
            reason: reason.to_owned(),
        };
        let pattern = pattern.trim();
        let (anchor, mut glob) = if pattern == "~" {
            (PathAnchor::Home, "**".to_owned())
        } else if let Some(rest) = pattern.strip_prefix("~/") {
            (PathAnchor::Home, rest.to_owned())
        } else if pattern.starts_with('~') {
            return Err(bad("only `~/` (your own home) is supported"));
        } else if pattern.starts_with('/') {
            (PathAnchor::Absolute, format!("/{}", pattern.trim_start_matches('/')))
        } else if let Some(rest) = pattern.strip_prefix("./") {
            (PathAnchor::Project, rest.to_owned())
        } else if pattern.trim_end_matches('/').contains('/') {
            (PathAnchor::Project, pattern.to_owned())
        } else {
            (PathAnchor::Project, format!("**/{pattern}"))
        };
        if glob.ends_with('/') {
            glob.push_str("**");
        }
        if glob.is_empty() {
            glob.push_str("**");
        }
        if glob.split('/').any(|part| part == "..") {
            return Err(bad("`..` is not allowed; write the path from the project root or `/`"));
        }
        compile_check(&glob).map_err(|error| bad(&error))?;
        Ok(Self { anchor, glob })
    }

    /// What the pattern is relative to.
    pub fn anchor(&self) -> PathAnchor {
        self.anchor
    }

    /// The glob to match: relative to the project root for [`PathAnchor::Project`], absolute
    /// otherwise. `None` for a home pattern when the home directory is unknown.
    pub(crate) fn glob_for(&self, home: Option<&Path>) -> Option<String> {
        match self.anchor {
            PathAnchor::Project | PathAnchor::Absolute => Some(self.glob.clone()),
            PathAnchor::Home => {
                let home = home?.to_string_lossy();
                let escaped = globset::escape(home.trim_end_matches('/'));
                let prefix = if escaped.starts_with('/') { escaped } else { format!("/{escaped}") };
                Some(format!("{prefix}/{}", self.glob))
            }
        }
    }
}

/// Globs are compiled with `*` stopping at `/`, as in `.gitignore`; `**` crosses directories.
pub(crate) fn build_glob(glob: &str) -> Result<globset::Glob, globset::Error> {
    GlobBuilder::new(glob).literal_separator(true).backslash_escape(true).build()
}

fn compile_check(glob: &str) -> Result<(), String> {
    build_glob(glob).map(drop).map_err(|error| error.kind().to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use pretty_assertions::assert_eq;

    fn parse(pattern: &str) -> PathPattern {
        PathPattern::parse(pattern, pattern).unwrap()
    }

    #[test]
    fn anchors_follow_gitignore_and_claude_conventions() {
        assert_eq!(parse("src/**").glob, "src/**");
        assert_eq!(parse("src/**").anchor(), PathAnchor::Project);
        assert_eq!(parse(".env").glob, "**/.env");
        assert_eq!(parse("./build/*").glob, "build/*");
        assert_eq!(parse("docs/").glob, "**/docs/**");
        assert_eq!(parse("./docs/").glob, "docs/**");
        assert_eq!(parse("/etc/**").anchor(), PathAnchor::Absolute);
        assert_eq!(parse("//etc/**").glob, "/etc/**");
        let home = parse("~/.ssh/**");
        assert_eq!(home.anchor(), PathAnchor::Home);
        assert_eq!(home.glob_for(Some(Path::new("/home/me"))).unwrap(), "/home/me/.ssh/**");
        assert_eq!(home.glob_for(None), None);
    }

    #[test]
    fn bad_path_patterns_are_rejected_with_the_rule() {
        for bad in ["../other/**", "src/[", "~bob/x"] {
            let error = PathPattern::parse(&format!("edit({bad})"), bad).unwrap_err();
            assert!(
                matches!(&error, RuleParseError::BadPathPattern { rule, .. } if rule.contains(bad)),
                "{error:?}"
            );
        }
    }
}
