//! The slash commands: one registry for the built-in ones and those that settings add, used
//! for completion, `/help` and dispatch.

/// One slash command.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SlashCommand {
    /// Name without the slash.
    pub name: String,
    /// What it takes, e.g. `[focus]`; empty when nothing.
    pub args: String,
    /// One line on what it does.
    pub description: String,
}

/// The commands the interface offers.
#[derive(Debug, Clone, Default)]
pub struct CommandRegistry {
    commands: Vec<SlashCommand>,
}

/// The built-in commands: (name, arguments, description).
const BUILTIN: &[(&str, &str, &str)] = &[
    ("help", "", "list commands and keys"),
    ("clear", "", "start a new conversation (this one stays resumable)"),
    ("compact", "[focus]", "summarise the conversation to free context"),
    ("cost", "", "tokens and cost of this session"),
    ("model", "[name]", "show or switch the model"),
    ("resume", "", "pick an earlier session to continue"),
    ("permissions", "[mode]", "show the rules; switch mode: ask, accept-edits, plan, bypass"),
    ("memory", "", "instruction files and persistent memory of this session"),
    ("flags", "", "the settings that switch features on and off"),
    ("mcp", "", "MCP servers: state, tools, resources and prompts"),
    ("exit", "", "leave rein"),
];

impl CommandRegistry {
    /// The built-in commands.
    pub fn builtin() -> Self {
        let commands = BUILTIN
            .iter()
            .map(|(name, args, description)| SlashCommand {
                name: (*name).into(),
                args: (*args).into(),
                description: (*description).into(),
            })
            .collect();
        Self { commands }
    }

    /// Adds a command; one with the same name as an existing one replaces it.
    pub fn register(&mut self, command: SlashCommand) {
        self.commands.retain(|existing| existing.name != command.name);
        self.commands.push(command);
    }

    /// Every command, in registration order.
    pub fn all(&self) -> &[SlashCommand] {
        &self.commands
    }

    /// The command named exactly `name`.
    pub fn get(&self, name: &str) -> Option<&SlashCommand> {
        self.commands.iter().find(|command| command.name == name)
    }

    /// Commands matching what was typed after the slash: names starting with it first, then
    /// names containing it.
    pub(crate) fn complete(&self, typed: &str) -> Vec<&SlashCommand> {
        let typed = typed.to_lowercase();
        let mut starting: Vec<_> =
            self.commands.iter().filter(|command| command.name.starts_with(&typed)).collect();
        let containing = self
            .commands
            .iter()
            .filter(|command| !command.name.starts_with(&typed) && command.name.contains(&typed));
        starting.extend(containing);
        starting
    }
}

/// Splits `/name rest` into the name and its arguments; `None` when the text is not a
/// command (no leading slash, or a path such as `/usr/bin` followed by more text is still a
/// command name — the caller checks the registry).
pub(crate) fn parse(text: &str) -> Option<(&str, &str)> {
    let rest = text.trim_start().strip_prefix('/')?;
    let (name, args) = rest.split_once(char::is_whitespace).unwrap_or((rest, ""));
    if name.is_empty() {
        return None;
    }
    Some((name, args.trim()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use pretty_assertions::assert_eq;

    #[test]
    fn completion_puts_prefix_matches_first() {
        let registry = CommandRegistry::builtin();
        let names = |typed| -> Vec<String> {
            registry.complete(typed).iter().map(|command| command.name.clone()).collect()
        };
        assert_eq!(names("c"), ["clear", "compact", "cost", "mcp"]);
        assert_eq!(names("m"), ["model", "memory", "mcp", "compact", "resume", "permissions"]);
        assert_eq!(names("zz"), Vec::<String>::new());
        assert_eq!(names("").len(), registry.all().len());
    }

    #[test]
    fn registered_commands_replace_built_in_ones_by_name() {
        let mut registry = CommandRegistry::builtin();
        let review = SlashCommand {
            name: "review".into(),
            args: "[files]".into(),
            description: "review the change".into(),
        };
        registry.register(review.clone());
        assert_eq!(registry.get("review"), Some(&review));
        registry.register(SlashCommand { description: "other".into(), ..review });
        assert_eq!(registry.all().iter().filter(|c| c.name == "review").count(), 1);
    }

    #[test]
    fn parses_name_and_arguments() {
        assert_eq!(parse("/compact keep the plan"), Some(("compact", "keep the plan")));
        assert_eq!(parse("  /cost"), Some(("cost", "")));
        assert_eq!(parse("/"), None);
        assert_eq!(parse("fix /etc/hosts"), None);
    }
}
