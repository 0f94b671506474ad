//! Names the model calls MCP tools by: `mcp__<server>__<tool>`, in the characters and length
//! every provider accepts (`[A-Za-z0-9_-]`, at most 64).

use rein_tools::MCP_PREFIX;

/// Longest tool name providers accept.
pub const MAX_TOOL_NAME: usize = 64;

/// `mcp__<server>__<tool>`, sanitised and capped. A name that had to be shortened ends in a
/// hash of the full name, so two long names that share a beginning stay apart.
pub fn tool_name(server: &str, tool: &str) -> String {
    let full = format!("{MCP_PREFIX}{}__{}", sanitize(server), sanitize(tool));
    if full.len() <= MAX_TOOL_NAME {
        return full;
    }
    let hash = format!("{:08x}", fnv1a(format!("{server}\u{0}{tool}").as_bytes()) as u32);
    // Sanitised names are ASCII, so any byte index is a character boundary.
    let keep = MAX_TOOL_NAME - hash.len() - 1;
    format!("{}_{hash}", &full[..keep])
}

/// `name` with every character outside `[A-Za-z0-9_-]` replaced by `_`.
pub fn sanitize(name: &str) -> String {
    name.chars()
        .map(|c| if c.is_ascii_alphanumeric() || c == '_' || c == '-' { c } else { '_' })
        .collect()
}

/// A small, stable hash (the same on every run and machine, unlike the standard hasher).
fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325_u64, |hash, byte| {
        (hash ^ u64::from(*byte)).wrapping_mul(0x0000_0100_0000_01b3)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use pretty_assertions::assert_eq;

    #[test]
    fn names_join_server_and_tool() {
        assert_eq!(tool_name("everything", "echo"), "mcp__everything__echo");
        assert_eq!(tool_name("my server", "get.sum/v2"), "mcp__my_server__get_sum_v2");
        assert_eq!(tool_name("fs", "read-file"), "mcp__fs__read-file");
    }

    #[test]
    fn long_names_are_capped_and_stay_distinct() {
        let long = "a_really_long_tool_name_that_keeps_going_and_going";
        let one = tool_name("some-server", &format!("{long}_one"));
        let two = tool_name("some-server", &format!("{long}_two"));
        assert_eq!(one.len(), MAX_TOOL_NAME);
        assert_eq!(two.len(), MAX_TOOL_NAME);
        assert_ne!(one, two);
        assert!(one.starts_with("mcp__some-server__a_really_long"));
        assert_eq!(one, tool_name("some-server", &format!("{long}_one")), "stable");
    }
}
