//! One spelling per tool. Rules come from rein's own settings (`web_fetch`) and from Claude
//! Code's (`WebFetch`, `MultiEdit`, `LS`), and the model may call a tool in either style, so every
//! name is reduced to rein's snake_case spelling before anything is compared.

/// rein's built-in tools. A name that differs from one of these only in case or underscores
/// (`WEBFETCH`, `Multiedit`) is taken to mean it.
const KNOWN_TOOLS: &[&str] = &[
    "bash",
    "bash_output",
    "bash_kill",
    "read",
    "write",
    "edit",
    "multi_edit",
    "notebook_edit",
    "grep",
    "glob",
    "list",
    "web_fetch",
    "web_search",
    "todo",
    "ask_user",
    "memory",
    "agent",
    "skill",
];

/// Claude Code (and Codex) names whose rein tool is spelled differently.
const ALIASES: &[(&str, &str)] = &[
    ("ls", "list"),
    ("shell", "bash"),
    ("todo_write", "todo"),
    ("ask_user_question", "ask_user"),
    ("kill_shell", "bash_kill"),
    ("kill_bash", "bash_kill"),
];

/// Prefix of tools served by MCP servers: `mcp__<server>__<tool>`.
pub(crate) const MCP_PREFIX: &str = "mcp__";

/// rein's spelling of `name`: `Bash` → `bash`, `WebFetch` → `web_fetch`, `MultiEdit` →
/// `multi_edit`, `LS` → `list`. MCP names are only lower-cased: their server and tool parts may
/// contain underscores of their own.
pub fn canonical_tool_name(name: &str) -> String {
    let trimmed = name.trim();
    let lower = trimmed.to_ascii_lowercase();
    if lower.starts_with(MCP_PREFIX) {
        return lower;
    }
    let snake = to_snake_case(trimmed);
    if let Some((_, target)) = ALIASES.iter().find(|(alias, _)| *alias == snake) {
        return (*target).to_owned();
    }
    let squashed: String = snake.chars().filter(|c| *c != '_').collect();
    KNOWN_TOOLS
        .iter()
        .find(|known| known.chars().filter(|c| *c != '_').eq(squashed.chars()))
        .map_or(snake, |known| (*known).to_owned())
}

/// `WebFetch` → `web_fetch`; `web-fetch` → `web_fetch`; runs of capitals stay one word (`LS`).
fn to_snake_case(name: &str) -> String {
    let mut out = String::with_capacity(name.len() + 4);
    let mut previous_lower_or_digit = false;
    for c in name.chars() {
        if c == '-' {
            out.push('_');
            previous_lower_or_digit = false;
            continue;
        }
        if c.is_ascii_uppercase() && previous_lower_or_digit {
            out.push('_');
        }
        previous_lower_or_digit = c.is_ascii_lowercase() || c.is_ascii_digit();
        out.push(c.to_ascii_lowercase());
    }
    out
}

/// The rule tools whose rules apply to a call of `tool` (canonical), most specific first:
/// `edit` rules also govern `write`, `multi_edit` and `notebook_edit`; `read` rules also govern
/// the other tools that read files (`grep`, `glob`, `list`).
pub(crate) fn covering_rule_tools(tool: &str) -> &'static [&'static str] {
    match tool {
        "read" => &["read"],
        "grep" => &["grep", "read"],
        "glob" => &["glob", "read"],
        "list" => &["list", "read"],
        "edit" => &["edit"],
        "write" => &["write", "edit"],
        "multi_edit" => &["multi_edit", "edit"],
        "notebook_edit" => &["notebook_edit", "edit"],
        "bash" => &["bash"],
        "web_fetch" => &["web_fetch"],
        _ => &[],
    }
}

/// The tools whose rules take a path pattern: `read(src/**)`, `edit(docs/*.md)`.
pub(crate) fn takes_path_specifier(tool: &str) -> bool {
    matches!(
        tool,
        "read" | "grep" | "glob" | "list" | "edit" | "write" | "multi_edit" | "notebook_edit"
    )
}

/// The server part of an MCP tool name: `mcp__github__create_issue` → `github`.
pub(crate) fn mcp_server(tool: &str) -> Option<&str> {
    let rest = tool.strip_prefix(MCP_PREFIX)?;
    let (server, _) = rest.split_once("__")?;
    (!server.is_empty()).then_some(server)
}

#[cfg(test)]
mod tests {
    use super::*;
    use pretty_assertions::assert_eq;

    #[test]
    fn claude_code_names_map_to_rein_names() {
        for (given, expected) in [
            ("Bash", "bash"),
            ("WebFetch", "web_fetch"),
            ("MultiEdit", "multi_edit"),
            ("NotebookEdit", "notebook_edit"),
            ("LS", "list"),
            ("TodoWrite", "todo"),
            ("WEBFETCH", "web_fetch"),
            ("web_fetch", "web_fetch"),
            ("read", "read"),
            ("Mcp__GitHub__Create_Issue", "mcp__github__create_issue"),
            ("some_new_tool", "some_new_tool"),
        ] {
            assert_eq!(canonical_tool_name(given), expected, "{given}");
        }
    }

    #[test]
    fn edit_rules_cover_every_file_writing_tool() {
        for tool in ["edit", "write", "multi_edit", "notebook_edit"] {
            assert!(covering_rule_tools(tool).contains(&"edit"), "{tool}");
        }
        assert!(!covering_rule_tools("read").contains(&"edit"));
        assert_eq!(mcp_server("mcp__github__create_issue"), Some("github"));
        assert_eq!(mcp_server("bash"), None);
    }
}
