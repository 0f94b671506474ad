//! A request's prompt as an ordered list of blocks, with the size and cache key of every prefix.
//!
//! Both the input-token estimate and the prompt cache read from this one decomposition, so the
//! cached and uncached parts of a prompt always add up to its whole.
//!
//! Anthropic prompts are split into tool definitions, then system blocks (a string `system` is
//! one block), then the content blocks of each message (a string `content` is one block); blocks
//! carrying an ephemeral `cache_control` are marked as breakpoints. OpenAI prompts are split into
//! tool definitions, then whole messages; every message end is marked.

use crate::answer::Format;
use serde::Serialize;
use serde_json::Value;
use std::hash::{DefaultHasher, Hasher as _};

/// Characters per estimated token.
pub(crate) const CHARS_PER_TOKEN: u64 = 4;

/// Field naming a block's cache breakpoint; left out of keys and sizes.
const CACHE_CONTROL: &str = "cache_control";

/// Tags fed to the key before each element, so equal bytes in different roles differ.
const TAG_FORMAT_ANTHROPIC: u8 = b'A';
const TAG_FORMAT_OPENAI: u8 = b'O';
const TAG_TOOL: u8 = b'T';
const TAG_SYSTEM: u8 = b'S';
const TAG_MESSAGE: u8 = b'M';
const TAG_CONTENT: u8 = b'C';

/// The prompt-relevant part of a request.
#[derive(Debug, Clone)]
pub(crate) struct Prompt {
    format: Format,
    /// One entry per block: the prefix ending with that block.
    prefixes: Vec<Prefix>,
    /// Indices into `prefixes` where a cache entry may start or end: breakpoints for
    /// Anthropic, message ends for OpenAI. Ascending.
    marks: Vec<usize>,
}

/// The prompt up to and including one block.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Prefix {
    /// Hash of the model and every block so far, without `cache_control` fields.
    pub(crate) key: u64,
    /// Estimated tokens of every block so far.
    pub(crate) tokens: u64,
}

impl Prompt {
    /// Splits `request`, sent in `format`, into blocks.
    pub(crate) fn new(format: Format, request: &Value) -> Self {
        let model = request.get("model").and_then(Value::as_str).unwrap_or_default();
        let tools = items(request.get("tools"));
        let messages = items(request.get("messages"));
        match format {
            Format::Anthropic => {
                let mut builder = Builder::new(TAG_FORMAT_ANTHROPIC, model);
                for tool in tools {
                    builder.block(TAG_TOOL, tool, is_breakpoint(tool));
                }
                for block in items(request.get("system")) {
                    builder.block(TAG_SYSTEM, block, is_breakpoint(block));
                }
                for message in messages {
                    builder.marker(TAG_MESSAGE, role(message));
                    match message.get("content") {
                        Some(Value::Array(blocks)) => {
                            for block in blocks {
                                builder.block(TAG_CONTENT, block, is_breakpoint(block));
                            }
                        }
                        // A string content has nowhere to put a breakpoint.
                        Some(content) => builder.block(TAG_CONTENT, content, false),
                        None => builder.block(TAG_CONTENT, message, false),
                    }
                }
                builder.finish(format)
            }
            Format::OpenAi => {
                let mut builder = Builder::new(TAG_FORMAT_OPENAI, model);
                for tool in tools {
                    builder.block(TAG_TOOL, tool, false);
                }
                for message in messages {
                    builder.block(TAG_MESSAGE, message, true);
                }
                builder.finish(format)
            }
        }
    }

    pub(crate) fn format(&self) -> Format {
        self.format
    }

    /// Estimated tokens of the whole prompt.
    pub(crate) fn total(&self) -> u64 {
        self.prefixes.last().map_or(0, |prefix| prefix.tokens)
    }

    /// The prefix ending with block `index`.
    pub(crate) fn prefix(&self, index: usize) -> Option<Prefix> {
        self.prefixes.get(index).copied()
    }

    /// Marked block indices with their prefixes, in prompt order.
    pub(crate) fn marked(&self) -> impl Iterator<Item = (usize, Prefix)> + '_ {
        self.marks.iter().filter_map(|&index| Some((index, self.prefix(index)?)))
    }

    /// How many blocks are marked.
    pub(crate) fn mark_count(&self) -> usize {
        self.marks.len()
    }
}

/// Tokens estimated for `chars` characters of serialized JSON.
pub(crate) fn tokens_for_chars(chars: u64) -> u64 {
    chars.div_ceil(CHARS_PER_TOKEN)
}

/// The elements of an array, a lone value as one element, nothing for an absent or null value.
fn items(value: Option<&Value>) -> &[Value] {
    match value {
        None | Some(Value::Null) => &[],
        Some(Value::Array(items)) => items,
        Some(value) => std::slice::from_ref(value),
    }
}

fn role(message: &Value) -> &str {
    message.get("role").and_then(Value::as_str).unwrap_or_default()
}

/// Whether `block` asks for an ephemeral cache entry to end with it.
pub(crate) fn is_breakpoint(block: &Value) -> bool {
    block
        .get(CACHE_CONTROL)
        .and_then(|control| control.get("type"))
        .and_then(Value::as_str)
        .is_some_and(|kind| kind == "ephemeral")
}

/// Accumulates blocks into prefixes.
struct Builder {
    hasher: DefaultHasher,
    tokens: u64,
    /// Canonical form of the current block; reused to avoid an allocation per block.
    buffer: Vec<u8>,
    prefixes: Vec<Prefix>,
    marks: Vec<usize>,
}

impl Builder {
    fn new(format_tag: u8, model: &str) -> Self {
        let mut builder = Self {
            hasher: DefaultHasher::new(),
            tokens: 0,
            buffer: Vec::new(),
            prefixes: Vec::new(),
            marks: Vec::new(),
        };
        builder.marker(format_tag, model);
        builder
    }

    /// Feeds structure that is part of the key but no block of its own (a message's role).
    fn marker(&mut self, tag: u8, text: &str) {
        self.hasher.write_u8(tag);
        self.hasher.write_usize(text.len());
        self.hasher.write(text.as_bytes());
    }

    fn block(&mut self, tag: u8, value: &Value, mark: bool) {
        self.buffer.clear();
        write_canonical(&mut self.buffer, value, true);
        self.hasher.write_u8(tag);
        self.hasher.write_usize(self.buffer.len());
        self.hasher.write(&self.buffer);
        self.tokens += tokens_for_chars(self.buffer.len() as u64);
        if mark {
            self.marks.push(self.prefixes.len());
        }
        self.prefixes.push(Prefix { key: self.hasher.finish(), tokens: self.tokens });
    }

    fn finish(self, format: Format) -> Prompt {
        Prompt { format, prefixes: self.prefixes, marks: self.marks }
    }
}

/// Compact JSON with object keys sorted, and without `cache_control` at the top level, so the
/// form depends neither on key order nor on where breakpoints sit.
fn write_canonical(out: &mut Vec<u8>, value: &Value, top: bool) {
    match value {
        Value::Object(map) => {
            let mut fields: Vec<(&String, &Value)> =
                map.iter().filter(|(key, _)| !(top && key.as_str() == CACHE_CONTROL)).collect();
            fields.sort_unstable_by(|a, b| a.0.cmp(b.0));
            out.push(b'{');
            for (n, (key, field)) in fields.into_iter().enumerate() {
                if n > 0 {
                    out.push(b',');
                }
                write_scalar(out, key);
                out.push(b':');
                write_canonical(out, field, false);
            }
            out.push(b'}');
        }
        Value::Array(elements) => {
            out.push(b'[');
            for (n, element) in elements.iter().enumerate() {
                if n > 0 {
                    out.push(b',');
                }
                write_canonical(out, element, false);
            }
            out.push(b']');
        }
        scalar => write_scalar(out, scalar),
    }
}

fn write_scalar(out: &mut Vec<u8>, value: &impl Serialize) {
    // Serializing a string, number or literal into memory cannot fail.
    let _ = serde_json::to_writer(out, value);
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn canonical(value: &Value) -> String {
        let mut out = Vec::new();
        write_canonical(&mut out, value, true);
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn canonical_form_sorts_keys_and_drops_top_level_cache_control() {
        let block = json!({"type": "text", "text": "a\"b", "cache_control": {"type": "ephemeral"},
                           "meta": {"z": 1, "a": [true, null, 1.5], "cache_control": 2}});
        assert_eq!(
            canonical(&block),
            r#"{"meta":{"a":[true,null,1.5],"cache_control":2,"z":1},"text":"a\"b","type":"text"}"#
        );
    }

    #[test]
    fn anthropic_blocks_run_tools_system_messages() {
        let request = json!({
            "model": "m",
            "tools": [{"name": "t", "cache_control": {"type": "ephemeral"}}],
            "system": "sys",
            "messages": [
                {"role": "user", "content": "hi"},
                {"role": "assistant", "content": [
                    {"type": "text", "text": "ok"},
                    {"type": "text", "text": "yes", "cache_control": {"type": "ephemeral"}},
                ]},
            ],
        });
        let prompt = Prompt::new(Format::Anthropic, &request);
        // {"name":"t"} 12, "sys" 5, "hi" 4, {"text":"ok","type":"text"} 27, … "yes" … 28.
        let tokens: Vec<u64> = prompt.prefixes.iter().map(|p| p.tokens).collect();
        assert_eq!(tokens, [3, 5, 6, 13, 20]);
        assert_eq!(prompt.marks, [0, 4]);
        assert_eq!(prompt.total(), 20);
        assert_eq!(prompt.mark_count(), 2);
    }

    #[test]
    fn keys_ignore_breakpoint_placement_but_not_content_model_or_role() {
        let with = |text: &str, model: &str, role: &str, marked: bool| {
            let mut block = json!({"type": "text", "text": text});
            if marked {
                block["cache_control"] = json!({"type": "ephemeral"});
            }
            let request = json!({"model": model, "messages": [{"role": role, "content": [block]}]});
            Prompt::new(Format::Anthropic, &request).prefixes[0]
        };
        let base = with("x", "m", "user", true);
        assert_eq!(base, with("x", "m", "user", false));
        assert_ne!(base.key, with("y", "m", "user", true).key);
        assert_ne!(base.key, with("x", "n", "user", true).key);
        assert_ne!(base.key, with("x", "m", "assistant", true).key);
    }

    #[test]
    fn openai_marks_every_message_end() {
        let request = json!({
            "model": "m",
            "tools": [{"type": "function", "function": {"name": "f"}}],
            "messages": [{"role": "system", "content": "s"}, {"role": "user", "content": "u"}],
        });
        let prompt = Prompt::new(Format::OpenAi, &request);
        assert_eq!(prompt.prefixes.len(), 3);
        assert_eq!(prompt.marks, [1, 2]);
        // The same messages in the other format give other keys.
        let anthropic = Prompt::new(Format::Anthropic, &request);
        assert_ne!(anthropic.prefixes[0].key, prompt.prefixes[0].key);
    }

    #[test]
    fn odd_shapes_still_count() {
        let request = json!({"model": 3, "system": null, "messages": [{"role": "user"}, "loose"]});
        let prompt = Prompt::new(Format::Anthropic, &request);
        assert_eq!(prompt.prefixes.len(), 2);
        assert!(prompt.total() > 0);
        assert_eq!(Prompt::new(Format::Anthropic, &json!({})).total(), 0);
    }
}
