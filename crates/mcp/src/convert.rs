//! MCP results as the text a model reads: text as it is, binary content as a short note
//! (the model cannot see an image through a text result, and base64 would only burn tokens).

use rmcp::model::{CallToolResult, ContentBlock, PromptMessage, ResourceContents, Role};

/// Longest result passed on; the session's result budget usually cuts far earlier, this only
/// protects against a server that answers with megabytes.
pub const MAX_RESULT_CHARS: usize = 200_000;

/// A tool result as text, and whether the server called it an error.
pub(crate) fn tool_result(result: &CallToolResult) -> (String, bool) {
    let mut parts: Vec<String> = result.content.iter().map(block).collect();
    let has_text = result.content.iter().any(|b| matches!(b, ContentBlock::Text(_)));
    if !has_text && let Some(structured) = &result.structured_content {
        parts.push(structured.to_string());
    }
    let text = if parts.is_empty() { "(no output)".to_string() } else { parts.join("\n") };
    (cap(text), result.is_error == Some(true))
}

/// Resource contents as text.
pub(crate) fn resource_contents(contents: &[ResourceContents]) -> String {
    let parts: Vec<String> = contents.iter().map(resource).collect();
    if parts.is_empty() { "(empty resource)".to_string() } else { cap(parts.join("\n")) }
}

/// A prompt's messages as one text: a lone user message as it is, a conversation with each
/// turn labelled.
pub(crate) fn prompt_messages(messages: &[PromptMessage]) -> String {
    let all_user = messages.iter().all(|m| m.role == Role::User);
    let parts: Vec<String> = messages
        .iter()
        .map(|message| {
            let text = block(&message.content);
            match (all_user, &message.role) {
                (true, _) => text,
                (false, Role::User) => format!("User: {text}"),
                (false, _) => format!("Assistant: {text}"),
            }
        })
        .collect();
    cap(parts.join("\n\n"))
}

fn block(block: &ContentBlock) -> String {
    match block {
        ContentBlock::Text(text) => text.text.clone(),
        ContentBlock::Image(image) => binary_note("image", &image.mime_type, &image.data),
        ContentBlock::Audio(audio) => binary_note("audio", &audio.mime_type, &audio.data),
        ContentBlock::Resource(embedded) => resource(&embedded.resource),
        ContentBlock::ResourceLink(link) => {
            let mut note = format!("[resource link: {}", link.uri);
            if link.name != link.uri {
                note.push_str(&format!(" ({})", link.name));
            }
            if let Some(mime) = &link.mime_type {
                note.push_str(&format!(", {mime}"));
            }
            if let Some(description) = &link.description {
                note.push_str(&format!(": {description}"));
            }
            note.push(']');
            note
        }
        // Content kinds newer than this code: show their JSON rather than lose them.
        #[allow(unreachable_patterns)]
        other => serde_json::to_string(other).unwrap_or_default(),
    }
}

fn resource(contents: &ResourceContents) -> String {
    match contents {
        ResourceContents::TextResourceContents { uri, text, .. } => {
            format!("[resource {uri}]\n{text}")
        }
        ResourceContents::BlobResourceContents { uri, mime_type, blob, .. } => {
            let kind = format!("resource {uri}");
            binary_note(&kind, mime_type.as_deref().unwrap_or("application/octet-stream"), blob)
        }
        #[allow(unreachable_patterns)]
        other => serde_json::to_string(other).unwrap_or_default(),
    }
}

/// `[image: image/png, 1.2 KB, not shown]` for base64 `data`.
fn binary_note(kind: &str, mime: &str, data: &str) -> String {
    let bytes = data.trim_end_matches('=').len() * 3 / 4;
    format!("[{kind}: {mime}, {}, not shown]", size(bytes))
}

fn size(bytes: usize) -> String {
    match bytes {
        0..1024 => format!("{bytes} bytes"),
        1024..1_048_576 => format!("{:.1} KB", bytes as f64 / 1024.0),
        _ => format!("{:.1} MB", bytes as f64 / 1_048_576.0),
    }
}

/// `text` cut at [`MAX_RESULT_CHARS`], saying how much was left out.
fn cap(text: String) -> String {
    match text.char_indices().nth(MAX_RESULT_CHARS) {
        None => text,
        Some((at, _)) => {
            let dropped = text[at..].chars().count();
            format!("{}\n[… {dropped} more characters cut: the result was too long]", &text[..at])
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use pretty_assertions::assert_eq;
    use serde_json::json;

    fn result(value: serde_json::Value) -> CallToolResult {
        serde_json::from_value(value).unwrap()
    }

    #[test]
    fn text_blocks_are_joined_and_binary_is_described() {
        let r = result(json!({"content": [
            {"type": "text", "text": "first"},
            {"type": "image", "data": "aGVsbG8gd29ybGQh", "mimeType": "image/png"},
            {"type": "resource", "resource": {"uri": "file:///a.txt", "text": "inside"}},
            {"type": "resource", "resource": {"uri": "file:///b.bin", "blob": "AAAA", "mimeType": "application/zip"}},
            {"type": "resource_link", "uri": "demo://r/1", "name": "one", "mimeType": "text/plain"},
            {"type": "text", "text": "last"}
        ]}));
        let (text, is_error) = tool_result(&r);
        assert!(!is_error);
        assert_eq!(
            text,
            "first\n[image: image/png, 12 bytes, not shown]\n[resource file:///a.txt]\ninside\n\
             [resource file:///b.bin: application/zip, 3 bytes, not shown]\n\
             [resource link: demo://r/1 (one), text/plain]\nlast"
        );
    }

    #[test]
    fn structured_content_stands_in_for_missing_text_and_errors_stay_errors() {
        let r = result(json!({"content": [], "structuredContent": {"temp": 21}}));
        assert_eq!(tool_result(&r), ("{\"temp\":21}".to_string(), false));
        let r = result(
            json!({"content": [{"type": "text", "text": "t"}], "structuredContent": {"x": 1}}),
        );
        assert_eq!(tool_result(&r), ("t".to_string(), false));
        let r =
            result(json!({"content": [{"type": "text", "text": "no such file"}], "isError": true}));
        assert_eq!(tool_result(&r), ("no such file".to_string(), true));
        let r = result(json!({"content": []}));
        assert_eq!(tool_result(&r), ("(no output)".to_string(), false));
    }

    #[test]
    fn huge_results_are_cut_with_a_note() {
        let r = result(
            json!({"content": [{"type": "text", "text": "x".repeat(MAX_RESULT_CHARS + 10)}]}),
        );
        let (text, _) = tool_result(&r);
        assert!(
            text.ends_with("[… 10 more characters cut: the result was too long]"),
            "{}",
            &text[text.len() - 80..]
        );
        assert!(text.len() < MAX_RESULT_CHARS + 100);
    }

    #[test]
    fn prompts_render_as_one_text() {
        let messages: Vec<PromptMessage> = serde_json::from_value(json!([
            {"role": "user", "content": {"type": "text", "text": "Review this."}},
            {"role": "assistant", "content": {"type": "text", "text": "Sure."}}
        ]))
        .unwrap();
        assert_eq!(prompt_messages(&messages), "User: Review this.\n\nAssistant: Sure.");
        assert_eq!(prompt_messages(&messages[..1]), "Review this.");
    }
}
