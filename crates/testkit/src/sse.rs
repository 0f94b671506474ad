//! Server-sent-event framing and the splitting of text into stream deltas.

use bytes::Bytes;
use serde_json::Value;

/// A named event: `event: NAME` then one `data:` line.
pub(crate) fn event(name: &str, data: &Value) -> Bytes {
    Bytes::from(format!("event: {name}\ndata: {data}\n\n"))
}

/// An unnamed event with one `data:` line.
pub(crate) fn data(data: &Value) -> Bytes {
    Bytes::from(format!("data: {data}\n\n"))
}

/// The OpenAI end-of-stream marker.
pub(crate) fn done() -> Bytes {
    Bytes::from_static(b"data: [DONE]\n\n")
}

/// Splits `text` into consecutive pieces on character boundaries: at least three when the text
/// allows (so clients must assemble deltas), at most 32 (so long texts stay cheap to stream).
pub(crate) fn pieces(text: &str) -> Vec<&str> {
    let chars = text.chars().count();
    if chars == 0 {
        return Vec::new();
    }
    let count = (chars / 20).clamp(3, 32).min(chars);
    let per_piece = chars.div_ceil(count);
    let mut out = Vec::with_capacity(count);
    let mut start = 0;
    for (seen, (offset, _)) in text.char_indices().enumerate() {
        if seen > 0 && seen % per_piece == 0 {
            out.push(&text[start..offset]);
            start = offset;
        }
    }
    out.push(&text[start..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pieces_reassemble_on_char_boundaries() {
        for text in ["", "a", "ab", "Hello", "héllo wörld ✓✓✓", &"x".repeat(5000)] {
            let parts = pieces(text);
            assert_eq!(parts.concat(), text);
            assert!(parts.len() <= 32);
            assert!(parts.iter().all(|p| !p.is_empty()));
        }
        assert_eq!(pieces("Hello"), ["He", "ll", "o"]);
        assert_eq!(pieces(&"x".repeat(5000)).len(), 32);
    }

    #[test]
    fn frames_are_sse() {
        let value = serde_json::json!({"type": "ping"});
        assert_eq!(event("ping", &value), "event: ping\ndata: {\"type\":\"ping\"}\n\n");
        assert_eq!(data(&value), "data: {\"type\":\"ping\"}\n\n");
    }
}
