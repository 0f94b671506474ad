//! `---`-fenced YAML at the top of a Markdown file.

use serde::Deserialize;

/// Frontmatter longer than this is taken for prose that happens to start with `---`.
const MAX_FRONTMATTER_LINES: usize = 80;

/// Splits `---\nYAML\n---\nbody` into the YAML and the body; `None` when the text has no
/// frontmatter.
pub fn split_frontmatter(text: &str) -> Option<(&str, &str)> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let rest = text.strip_prefix("---\n").or_else(|| text.strip_prefix("---\r\n"))?;
    let mut offset = 0;
    for (i, line) in rest.split_inclusive('\n').enumerate() {
        if i > MAX_FRONTMATTER_LINES {
            return None;
        }
        if line.trim_end() == "---" {
            return Some((&rest[..offset], &rest[offset + line.len()..]));
        }
        offset += line.len();
    }
    None
}

/// Parses the frontmatter of `text` as `T` and returns it with the body. Text without
/// frontmatter is all body, with `T::default()`.
pub(crate) fn parse<T: for<'de> Deserialize<'de> + Default>(
    text: &str,
) -> Result<(T, &str), String> {
    match split_frontmatter(text) {
        None => Ok((T::default(), text)),
        Some((yaml, body)) if yaml.trim().is_empty() => Ok((T::default(), body)),
        Some((yaml, body)) => serde_norway::from_str(yaml)
            .map(|meta| (meta, body))
            .map_err(|error| format!("bad frontmatter: {error}")),
    }
}

/// A list written either as YAML (`[Read, Grep]`) or as one comma-separated string
/// (`Read, Grep`), the two ways definitions in the wild spell tool lists.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(from = "ListForm")]
pub struct ListField(pub Vec<String>);

#[derive(Deserialize)]
#[serde(untagged)]
enum ListForm {
    One(String),
    Many(Vec<String>),
}

impl From<ListForm> for ListField {
    fn from(form: ListForm) -> Self {
        let items = match form {
            ListForm::One(text) => text.split(',').map(str::to_owned).collect(),
            ListForm::Many(items) => items,
        };
        Self(items.into_iter().map(|s| s.trim().to_owned()).filter(|s| !s.is_empty()).collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use pretty_assertions::assert_eq;

    #[derive(Debug, Default, Deserialize)]
    struct Meta {
        description: Option<String>,
        tools: Option<ListField>,
    }

    #[test]
    fn splits_yaml_from_body() {
        let (meta, body) =
            parse::<Meta>("---\ndescription: x\ntools: Read, Grep\n---\nbody\n").unwrap();
        assert_eq!(meta.description.as_deref(), Some("x"));
        assert_eq!(meta.tools, Some(ListField(vec!["Read".into(), "Grep".into()])));
        assert_eq!(body, "body\n");
    }

    #[test]
    fn lists_may_be_yaml_sequences() {
        let (meta, _) = parse::<Meta>("---\ntools: [read, bash]\n---\n").unwrap();
        assert_eq!(meta.tools, Some(ListField(vec!["read".into(), "bash".into()])));
    }

    #[test]
    fn text_without_frontmatter_is_all_body() {
        let (meta, body) = parse::<Meta>("just text\n---\n").unwrap();
        assert!(meta.description.is_none());
        assert_eq!(body, "just text\n---\n");
        assert_eq!(split_frontmatter("---\nunterminated"), None);
    }

    #[test]
    fn broken_yaml_is_an_error_not_a_panic() {
        assert!(parse::<Meta>("---\ndescription: [unclosed\n---\nx").is_err());
    }
}
