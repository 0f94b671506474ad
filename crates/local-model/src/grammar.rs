//! GBNF grammars for tool calls.
//!
//! The call envelope is written by hand so that the tool name comes before the arguments: a
//! small model that has to commit to arguments first tends to pick the wrong tool. After the
//! name, the grammar allows only that tool's arguments: required keys in schema order, then the
//! optional ones, each value shaped by its schema.

use crate::schema::{ordered_properties, required};
use rein_protocol::ToolSpec;
use serde_json::Value;
use std::fmt::Write as _;

/// How a tool call is wrapped in the model's output. Each form has its own root rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum CallForm {
    /// `<tool_call>{…}</tool_call>`, possibly several.
    Tagged,
    /// A fenced ```` ```json ```` block holding one call.
    Fenced,
    /// One bare JSON object.
    Bare,
}

impl CallForm {
    /// The grammar's root rule for this form.
    pub(crate) fn root(self) -> &'static str {
        match self {
            Self::Tagged => "root-tagged",
            Self::Fenced => "root-fenced",
            Self::Bare => "root-bare",
        }
    }
}

/// JSON building blocks shared by every tool grammar.
const COMMON_RULES: &str = r#"ws ::= | " " | "\n" [ \t]{0,20}
string ::= "\"" char* "\""
char ::= [^"\\\x7F\x00-\x1F] | "\\" (["\\/bfnrt] | "u" [0-9a-fA-F]{4})
integer ::= "-"? ("0" | [1-9] [0-9]{0,15})
number ::= integer ("." [0-9]+)? ([eE] [-+]? [0-9]+)?
boolean ::= "true" | "false"
null ::= "null"
value ::= object | array | string | number | boolean | null
object ::= "{" ws (string ws ":" ws value (ws "," ws string ws ":" ws value)*)? ws "}"
array ::= "[" ws (value (ws "," ws value)*)? ws "]"
"#;

/// The grammar for calls to `tools`, with one root rule per [`CallForm`].
pub(crate) fn tool_call_grammar(tools: &[ToolSpec]) -> String {
    let mut out = String::new();
    out.push_str("root-tagged ::= ws tagged (ws tagged)*\n");
    out.push_str("root-fenced ::= ws \"```\" \"json\"? ws call ws \"```\"\n");
    out.push_str("root-bare ::= ws call\n");
    out.push_str("tagged ::= \"<tool_call>\" ws call ws \"</tool_call>\"\n");
    let calls: Vec<String> = (0..tools.len()).map(|i| format!("call-{i}")).collect();
    let calls = if calls.is_empty() { "string".into() } else { group(calls) };
    let _ =
        writeln!(out, "call ::= \"{{\" ws {} ws \":\" ws {calls} ws \"}}\"", literal("\"name\""));
    for (i, tool) in tools.iter().enumerate() {
        let mut rules = Rules::default();
        let args = rules.object(&format!("args-{i}"), &tool.input_schema);
        let _ = writeln!(
            out,
            "call-{i} ::= {} ws \",\" ws {} ws \":\" ws {args}",
            json_literal(&Value::from(tool.name.as_str())),
            literal("\"arguments\"")
        );
        for (name, body) in rules.defined {
            let _ = writeln!(out, "{name} ::= {body}");
        }
    }
    out.push_str(COMMON_RULES);
    out
}

/// Named rules for one tool's arguments. Objects and arrays get a rule of their own, named
/// after the path to them, so the grammar stays readable and nothing is spelled out twice.
#[derive(Debug, Default)]
struct Rules {
    defined: Vec<(String, String)>,
}

impl Rules {
    /// A new rule called `name` (made unique) with `body`; returns its name.
    fn define(&mut self, name: &str, body: String) -> String {
        let mut unique = name.to_string();
        let mut n = 2;
        while self.defined.iter().any(|(existing, _)| *existing == unique) {
            unique = format!("{name}-{n}");
            n += 1;
        }
        self.defined.push((unique.clone(), body));
        unique
    }

    /// The expression for a value matching `schema`. Parts of JSON Schema the grammar does not
    /// model fall back to any JSON value, so the model is never forced into an impossible shape.
    fn value(&mut self, name: &str, schema: &Value) -> String {
        let Some(map) = schema.as_object() else { return "value".into() };
        if let Some(values) = map.get("enum").and_then(Value::as_array)
            && !values.is_empty()
        {
            return group(values.iter().map(json_literal).collect());
        }
        if let Some(constant) = map.get("const") {
            return json_literal(constant);
        }
        for key in ["anyOf", "oneOf"] {
            if let Some(variants) = map.get(key).and_then(Value::as_array)
                && !variants.is_empty()
            {
                let alternatives = variants
                    .iter()
                    .enumerate()
                    .map(|(i, v)| self.value(&format!("{name}-{}", i + 1), v))
                    .collect();
                return group(alternatives);
            }
        }
        match map.get("type") {
            Some(Value::String(t)) => self.typed(name, t, schema),
            Some(Value::Array(types)) if !types.is_empty() => {
                let alternatives = types
                    .iter()
                    .filter_map(Value::as_str)
                    .map(|t| self.typed(name, t, schema))
                    .collect();
                group(alternatives)
            }
            _ if map.contains_key("properties") => self.object(name, schema),
            _ => "value".into(),
        }
    }

    fn typed(&mut self, name: &str, type_name: &str, schema: &Value) -> String {
        match type_name {
            "string" | "integer" | "number" | "boolean" | "null" => type_name.into(),
            "array" => match schema.get("items") {
                Some(items) => {
                    let item = self.value(&format!("{name}-item"), items);
                    let body = format!("\"[\" ws ({item} (ws \",\" ws {item})*)? ws \"]\"");
                    self.define(name, body)
                }
                None => "array".into(),
            },
            "object" => self.object(name, schema),
            _ => "value".into(),
        }
    }

    /// An object with the schema's properties: required keys first in order, then optional keys
    /// in a fixed order, each at most once. Without declared properties, any object.
    fn object(&mut self, name: &str, schema: &Value) -> String {
        let props = ordered_properties(schema);
        if props.is_empty() {
            let body = if schema.get("properties").is_some() { "\"{\" ws \"}\"" } else { "object" };
            return self.define(name, body.into());
        }
        let required = required(schema);
        let mut members = Vec::new();
        let mut optional = Vec::new();
        for (prop, sub) in props {
            let value = self.value(&format!("{name}-{}", rule_word(prop)), sub);
            let member = format!("{} ws \":\" ws {value}", json_literal(&Value::from(prop)));
            if required.contains(&prop) { members.push(member) } else { optional.push(member) }
        }
        let mut body = members.join(" ws \",\" ws ");
        if body.is_empty() {
            // No required key: any ordered subset of the optional ones, the empty one included.
            let starts: Vec<String> = (0..optional.len())
                .map(|i| {
                    let mut alt = optional[i].clone();
                    for later in &optional[i + 1..] {
                        let _ = write!(alt, " (ws \",\" ws {later})?");
                    }
                    alt
                })
                .collect();
            body = format!("({})?", starts.join(" | "));
        } else {
            for member in &optional {
                let _ = write!(body, " (ws \",\" ws {member})?");
            }
        }
        self.define(name, format!("\"{{\" ws {body} ws \"}}\""))
    }
}

/// A property name as part of a rule name (letters, digits and dashes only).
fn rule_word(name: &str) -> String {
    let word: String = name
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c.to_ascii_lowercase() } else { '-' })
        .collect();
    if word.is_empty() { "x".into() } else { word }
}

fn group(alternatives: Vec<String>) -> String {
    if alternatives.len() == 1 {
        return alternatives.into_iter().next().unwrap_or_default();
    }
    format!("({})", alternatives.join(" | "))
}

/// A GBNF literal matching exactly the JSON text of `value`.
fn json_literal(value: &Value) -> String {
    literal(&value.to_string())
}

/// A GBNF string literal matching `text` exactly.
pub(crate) fn literal(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 || c as u32 == 0x7f => {
                let _ = write!(out, "\\x{:02X}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

#[cfg(test)]
#[path = "grammar_tests.rs"]
mod tests;
