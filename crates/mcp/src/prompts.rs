//! Servers' prompts: what they are called and take, and turning a slash command's arguments
//! into the named arguments a prompt expects.

use crate::error::McpError;
use crate::names::tool_name;
use std::collections::BTreeMap;

/// A prompt a server offers.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct PromptInfo {
    /// Server name.
    pub server: String,
    /// Prompt name on the server.
    pub name: String,
    /// The name a slash command would use: `mcp__<server>__<prompt>`, sanitised.
    pub command: String,
    /// What it is for.
    pub description: Option<String>,
    /// Its arguments, in the server's order.
    pub arguments: Vec<PromptArgument>,
}

/// One argument of a prompt.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct PromptArgument {
    /// Name.
    pub name: String,
    /// What it means.
    pub description: Option<String>,
    /// Whether the prompt needs it.
    pub required: bool,
}

/// Arguments for [`crate::McpManager::get_prompt`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PromptArgs {
    /// By name.
    Named(BTreeMap<String, String>),
    /// As typed after a slash command: words (quotes group words) fill the arguments in order,
    /// and the last argument takes whatever is left.
    Positional(String),
}

impl PromptInfo {
    pub(crate) fn from_remote(server: &str, prompt: &rmcp::model::Prompt) -> Self {
        Self {
            server: server.to_string(),
            name: prompt.name.clone(),
            command: tool_name(server, &prompt.name),
            description: prompt.description.clone().or_else(|| prompt.title.clone()),
            arguments: prompt
                .arguments
                .iter()
                .flatten()
                .map(|a| PromptArgument {
                    name: a.name.clone(),
                    description: a.description.clone(),
                    required: a.required == Some(true),
                })
                .collect(),
        }
    }

    /// `args` as named arguments, checked against the required ones.
    pub(crate) fn named(&self, args: PromptArgs) -> Result<BTreeMap<String, String>, McpError> {
        let named = match args {
            PromptArgs::Named(named) => named,
            PromptArgs::Positional(text) => self.assign(&text),
        };
        let missing: Vec<String> = self
            .arguments
            .iter()
            .filter(|a| a.required && named.get(&a.name).is_none_or(|v| v.is_empty()))
            .map(|a| format!("`{}`", a.name))
            .collect();
        if missing.is_empty() {
            Ok(named)
        } else {
            Err(McpError::MissingArguments {
                server: self.server.clone(),
                prompt: self.name.clone(),
                missing: missing.join(", "),
            })
        }
    }

    fn assign(&self, text: &str) -> BTreeMap<String, String> {
        let mut words = split_words(text);
        let mut named = BTreeMap::new();
        let count = self.arguments.len();
        for (i, argument) in self.arguments.iter().enumerate() {
            if words.is_empty() {
                break;
            }
            let value =
                if i + 1 == count { std::mem::take(&mut words).join(" ") } else { words.remove(0) };
            named.insert(argument.name.clone(), value);
        }
        named
    }
}

use rein_context::extensions::split_words;

#[cfg(test)]
mod tests {
    use super::*;
    use pretty_assertions::assert_eq;

    fn prompt() -> PromptInfo {
        let arg = |name: &str, required| PromptArgument {
            name: name.into(),
            description: None,
            required,
        };
        PromptInfo {
            server: "s".into(),
            name: "review".into(),
            command: "mcp__s__review".into(),
            description: None,
            arguments: vec![arg("city", true), arg("state", false)],
        }
    }

    #[test]
    fn positional_words_fill_arguments_in_order_and_the_last_takes_the_rest() {
        let named =
            prompt().named(PromptArgs::Positional("\"New York\" New York State".into())).unwrap();
        assert_eq!(
            named,
            BTreeMap::from([
                ("city".into(), "New York".into()),
                ("state".into(), "New York State".into())
            ])
        );
        let named = prompt().named(PromptArgs::Positional("Paris".into())).unwrap();
        assert_eq!(named, BTreeMap::from([("city".into(), "Paris".into())]));
    }

    #[test]
    fn missing_required_arguments_are_named() {
        let error = prompt().named(PromptArgs::Positional("  ".into())).unwrap_err();
        assert_eq!(error.to_string(), "prompt `review` of MCP server `s` needs `city`");
        let error = prompt().named(PromptArgs::Named(BTreeMap::new())).unwrap_err();
        assert!(error.to_string().contains("`city`"));
    }

    #[test]
    fn quotes_group_words() {
        assert_eq!(split_words(r#"a "b c" 'd e'f g"#), ["a", "b c", "d ef", "g"]);
        assert_eq!(split_words(r#""""#), [""]);
    }
}
