//! `web_fetch` destinations: `domain:docs.rs` (that host only) and `domain:*.github.com` (any
//! subdomain of it). Hosts compare case-insensitively and without a trailing dot.

use super::RuleParseError;

/// A parsed `web_fetch(domain:...)` pattern.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum DomainPattern {
    /// Exactly this host.
    Exact(String),
    /// Any host ending in `.{0}` (the bare domain itself is not included).
    Subdomains(String),
}

impl DomainPattern {
    /// Parses the text between the parentheses of a `web_fetch(...)` rule.
    pub(crate) fn parse(rule: &str, pattern: &str) -> Result<Self, RuleParseError> {
        let bad = || RuleParseError::BadDomainPattern { rule: rule.to_owned() };
        let host = pattern.trim().strip_prefix("domain:").ok_or_else(bad)?;
        let (wildcard, host) = match host.strip_prefix("*.") {
            Some(rest) => (true, rest),
            None => (false, host),
        };
        let host = normalize_host(host);
        let valid = !host.is_empty()
            && host.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '.' | '_'));
        if !valid {
            return Err(bad());
        }
        Ok(if wildcard { Self::Subdomains(host) } else { Self::Exact(host) })
    }

    /// Whether `host` (already normalised with [`normalize_host`]) is covered.
    pub(crate) fn matches(&self, host: &str) -> bool {
        match self {
            Self::Exact(exact) => host == exact,
            Self::Subdomains(parent) => host
                .strip_suffix(parent.as_str())
                .is_some_and(|head| head.len() > 1 && head.ends_with('.')),
        }
    }
}

/// Lower case, no trailing dot: `Docs.RS.` → `docs.rs`.
pub(crate) fn normalize_host(host: &str) -> String {
    host.trim().trim_end_matches('.').to_ascii_lowercase()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exact_and_subdomain_patterns() {
        let exact = DomainPattern::parse("r", "domain:Docs.rs").unwrap();
        assert!(exact.matches("docs.rs"));
        assert!(!exact.matches("evil-docs.rs"));
        let subdomains = DomainPattern::parse("r", "domain:*.github.com").unwrap();
        assert!(subdomains.matches("api.github.com"));
        assert!(!subdomains.matches("github.com"));
        assert!(!subdomains.matches("evilgithub.com"));
        for bad in ["docs.rs", "domain:", "domain:a b", "domain:*."] {
            assert!(DomainPattern::parse("r", bad).is_err(), "{bad}");
        }
    }
}
