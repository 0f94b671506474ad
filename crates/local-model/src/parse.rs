//! Lenient parsing of a finished reply into text and tool calls.
//!
//! Small models write calls in several shapes: `<tool_call>` tags, fenced ```` ```json ````
//! blocks, or a bare JSON object with `name` and `arguments` (or `parameters`). All are accepted,
//! in any number; whatever lies outside the calls is text.

use serde_json::{Map, Value};

/// One piece of a parsed reply.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Segment {
    /// Text outside any call, trimmed, never empty.
    Text(String),
    /// A tool call. The name may be unknown to the caller.
    Call {
        /// Tool name as written.
        name: String,
        /// Arguments object.
        arguments: Value,
    },
}

const OPEN_TAG: &str = "<tool_call>";
const CLOSE_TAG: &str = "</tool_call>";
const FENCE: &str = "```";

/// Splits `text` into text and calls, in order.
pub(crate) fn parse_reply(text: &str) -> Vec<Segment> {
    let mut out = Vec::new();
    let mut text_start = 0;
    let mut pos = 0;
    while pos < text.len() {
        let rest = &text[pos..];
        let found = if rest.starts_with(OPEN_TAG) {
            tagged_call(text, pos)
        } else if rest.starts_with(FENCE) {
            fenced_calls(text, pos)
        } else if rest.starts_with('{') {
            bare_call(text, pos)
        } else {
            None
        };
        match found {
            Some((calls, end)) => {
                push_text(&mut out, &text[text_start..pos]);
                out.extend(calls);
                pos = end;
                text_start = end;
            }
            None => {
                // Skip a whole fenced block that is not a call, so JSON inside ordinary code
                // blocks is left alone.
                pos = if rest.starts_with(FENCE) {
                    fence_end(text, pos).unwrap_or(text.len())
                } else {
                    pos + rest.chars().next().map_or(1, char::len_utf8)
                };
            }
        }
    }
    push_text(&mut out, &text[text_start..]);
    out
}

fn push_text(out: &mut Vec<Segment>, text: &str) {
    let text = text.trim();
    if !text.is_empty() {
        out.push(Segment::Text(text.to_string()));
    }
}

/// `<tool_call>…</tool_call>` at `start`; the closing tag may be missing at the end of output.
fn tagged_call(text: &str, start: usize) -> Option<(Vec<Segment>, usize)> {
    let inner_start = start + OPEN_TAG.len();
    let (inner_end, end) = match text[inner_start..].find(CLOSE_TAG) {
        Some(i) => (inner_start + i, inner_start + i + CLOSE_TAG.len()),
        None => (text.len(), text.len()),
    };
    let calls = calls_in(text[inner_start..inner_end].trim(), false)?;
    Some((calls, end))
}

/// A fenced block at `start` whose body is one call or an array of calls.
fn fenced_calls(text: &str, start: usize) -> Option<(Vec<Segment>, usize)> {
    let after = &text[start + FENCE.len()..];
    let line_end = after.find('\n').unwrap_or(after.len());
    let lang = after[..line_end].trim();
    let body_start = if lang.is_empty() || lang.eq_ignore_ascii_case("json") {
        start + FENCE.len() + line_end
    } else if after.starts_with("json") {
        start + FENCE.len() + 4
    } else {
        return None;
    };
    let (body_end, end) = match text[body_start..].find(FENCE) {
        Some(i) => (body_start + i, body_start + i + FENCE.len()),
        None => (text.len(), text.len()),
    };
    // JSON blocks with a `name` key are common (package manifests), so a fenced call must
    // also have its arguments.
    let calls = calls_in(text[body_start..body_end].trim(), true)?;
    Some((calls, end))
}

/// The end of the fenced block starting at `start` (after its closing fence).
fn fence_end(text: &str, start: usize) -> Option<usize> {
    let body = start + FENCE.len();
    text[body..].find(FENCE).map(|i| body + i + FENCE.len())
}

/// A bare call object starting at `start`.
fn bare_call(text: &str, start: usize) -> Option<(Vec<Segment>, usize)> {
    let end = object_end(text, start)?;
    let value: Value = serde_json::from_str(&text[start..end]).ok()?;
    // A bare object is a call only with both parts, so JSON in prose stays prose.
    Some((vec![call_from(value.as_object()?, true)?], end))
}

/// The calls in the body of a tag or fence: one object, an array of objects, or several
/// objects one after another. `strict` calls must name their arguments.
fn calls_in(body: &str, strict: bool) -> Option<Vec<Segment>> {
    if let Ok(Value::Array(items)) = serde_json::from_str::<Value>(body) {
        let calls: Option<Vec<Segment>> =
            items.iter().map(|v| v.as_object().and_then(|o| call_from(o, strict))).collect();
        return calls.filter(|c| !c.is_empty());
    }
    let mut calls = Vec::new();
    let mut pos = 0;
    while let Some(offset) = body[pos..].find('{') {
        let start = pos + offset;
        if !body[pos..start].trim().is_empty() {
            return None;
        }
        let end = object_end(body, start)?;
        let value: Value = serde_json::from_str(&body[start..end]).ok()?;
        calls.push(call_from(value.as_object()?, strict)?);
        pos = end;
    }
    (body[pos..].trim().is_empty() && !calls.is_empty()).then_some(calls)
}

fn call_from(object: &Map<String, Value>, strict: bool) -> Option<Segment> {
    if strict && !object.contains_key("arguments") && !object.contains_key("parameters") {
        return None;
    }
    let name = object.get("name")?.as_str()?.trim().to_string();
    if name.is_empty() {
        return None;
    }
    let arguments = match object.get("arguments").or_else(|| object.get("parameters")) {
        None | Some(Value::Null) => Value::Object(Map::new()),
        // Some models send the arguments as a JSON string, as the OpenAI API does.
        Some(Value::String(raw)) => serde_json::from_str(raw).unwrap_or(Value::String(raw.clone())),
        Some(other) => other.clone(),
    };
    Some(Segment::Call { name, arguments })
}

/// The index just past the JSON object starting at `start`, honouring strings and escapes.
fn object_end(text: &str, start: usize) -> Option<usize> {
    let mut depth = 0usize;
    let mut in_string = false;
    let mut escaped = false;
    for (i, b) in text.as_bytes()[start..].iter().enumerate() {
        if in_string {
            match b {
                _ if escaped => escaped = false,
                b'\\' => escaped = true,
                b'"' => in_string = false,
                _ => {}
            }
            continue;
        }
        match b {
            b'"' => in_string = true,
            b'{' | b'[' => depth += 1,
            b'}' | b']' => {
                depth = depth.checked_sub(1)?;
                if depth == 0 {
                    return Some(start + i + 1);
                }
            }
            _ => {}
        }
    }
    None
}

#[cfg(test)]
#[path = "parse_tests.rs"]
mod tests;
