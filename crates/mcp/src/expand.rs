//! `${VAR}` and `${VAR:-default}` in server definitions, filled from the environment, so a
//! committed `.mcp.json` can name a token without holding it.

/// Looks up an environment variable. The binary passes the process environment; tests pass
/// a map.
pub type EnvLookup<'a> = &'a dyn Fn(&str) -> Option<String>;

/// `text` with every `${VAR}` and `${VAR:-default}` replaced. A variable that is unset (or
/// empty, for the `:-` form) and has no default becomes empty, and its name is added to
/// `missing`. Anything else, `$VAR` included, stays as written.
pub(crate) fn expand(text: &str, env: EnvLookup<'_>, missing: &mut Vec<String>) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(start) = rest.find("${") {
        out.push_str(&rest[..start]);
        let after = &rest[start + 2..];
        let Some(end) = after.find('}') else {
            out.push_str(&rest[start..]);
            return out;
        };
        let inner = &after[..end];
        let (name, default) = match inner.split_once(":-") {
            Some((name, default)) => (name, Some(default)),
            None => (inner, None),
        };
        if is_name(name) {
            match (env(name).filter(|v| !v.is_empty() || default.is_none()), default) {
                (Some(value), _) => out.push_str(&value),
                (None, Some(default)) => out.push_str(default),
                (None, None) => {
                    if !missing.iter().any(|m| m == name) {
                        missing.push(name.to_string());
                    }
                }
            }
        } else {
            out.push_str(&rest[start..start + 2 + end + 1]);
        }
        rest = &after[end + 1..];
    }
    out.push_str(rest);
    out
}

fn is_name(name: &str) -> bool {
    let mut chars = name.chars();
    chars.next().is_some_and(|c| c == '_' || c.is_ascii_alphabetic())
        && chars.all(|c| c == '_' || c.is_ascii_alphanumeric())
}

#[cfg(test)]
mod tests {
    use super::*;
    use pretty_assertions::assert_eq;

    fn env(name: &str) -> Option<String> {
        match name {
            "TOKEN" => Some("s3cret".into()),
            "EMPTY" => Some(String::new()),
            _ => None,
        }
    }

    fn run(text: &str) -> (String, Vec<String>) {
        let mut missing = Vec::new();
        let out = expand(text, &env, &mut missing);
        (out, missing)
    }

    #[test]
    fn replaces_set_variables_and_uses_defaults() {
        assert_eq!(run("Bearer ${TOKEN}"), ("Bearer s3cret".into(), vec![]));
        assert_eq!(run("${PORT:-3001}/mcp"), ("3001/mcp".into(), vec![]));
        assert_eq!(run("${TOKEN:-x}"), ("s3cret".into(), vec![]));
        assert_eq!(run("${EMPTY:-fallback}"), ("fallback".into(), vec![]));
        assert_eq!(run("${EMPTY}"), (String::new(), vec![]));
    }

    #[test]
    fn unset_variables_become_empty_and_are_reported_once() {
        assert_eq!(run("a${NOPE}b${NOPE}"), ("ab".into(), vec!["NOPE".to_string()]));
    }

    #[test]
    fn other_dollar_forms_stay_as_written() {
        assert_eq!(
            run("$TOKEN ${not a name} ${unclosed"),
            ("$TOKEN ${not a name} ${unclosed".into(), vec![])
        );
        assert_eq!(run("price: $5"), ("price: $5".into(), vec![]));
    }
}
