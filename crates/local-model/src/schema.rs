//! Compact views of tool schemas: every prompt token costs prefill time on a CPU, so tool
//! descriptions are cut to their first sentence and schemas keep only what shapes arguments.

use serde_json::Value;

/// A JSON value whose object keys keep the order they were inserted in.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Ordered {
    /// Any scalar or array without objects worth reordering.
    Plain(Value),
    /// Array of ordered values.
    Array(Vec<Ordered>),
    /// Object with keys in order.
    Object(Vec<(String, Ordered)>),
}

/// Schema keys that carry meaning for the model; everything else is dropped.
const KEPT_KEYS: [&str; 8] =
    ["type", "description", "enum", "const", "items", "anyOf", "oneOf", "properties"];

/// The compact form of a tool's argument schema: properties in `required` order first, the
/// rest after, descriptions cut to one sentence, titles, formats, defaults and other noise gone.
pub(crate) fn compact_schema(schema: &Value) -> Ordered {
    compact(schema, true)
}

fn compact(schema: &Value, top: bool) -> Ordered {
    let Some(map) = schema.as_object() else {
        return Ordered::Plain(schema.clone());
    };
    let mut out = Vec::new();
    for key in KEPT_KEYS {
        let Some(value) = map.get(key) else { continue };
        let entry = match key {
            // The tool description already says what the arguments are for.
            "description" if top => continue,
            "description" => match value.as_str() {
                Some(text) => Ordered::Plain(Value::from(first_sentence(text))),
                None => continue,
            },
            "items" => compact(value, false),
            "anyOf" | "oneOf" => match value.as_array() {
                Some(items) => Ordered::Array(items.iter().map(|v| compact(v, false)).collect()),
                None => continue,
            },
            "properties" => match value.as_object() {
                Some(_) => Ordered::Object(
                    ordered_properties(schema)
                        .into_iter()
                        .map(|(name, sub)| (name.to_string(), compact(sub, false)))
                        .collect(),
                ),
                None => continue,
            },
            _ => Ordered::Plain(value.clone()),
        };
        out.push((key.to_string(), entry));
    }
    if let Some(required) = map.get("required").and_then(Value::as_array)
        && !required.is_empty()
    {
        out.push(("required".into(), Ordered::Plain(Value::Array(required.clone()))));
    }
    Ordered::Object(out)
}

/// The property names of an object schema that the model must send, in schema order.
pub(crate) fn required(schema: &Value) -> Vec<&str> {
    let props = schema.get("properties").and_then(Value::as_object);
    schema
        .get("required")
        .and_then(Value::as_array)
        .map(|names| {
            names
                .iter()
                .filter_map(Value::as_str)
                .filter(|n| props.is_none_or(|p| p.contains_key(*n)))
                .collect()
        })
        .unwrap_or_default()
}

/// Properties of an object schema: required ones in `required` order, then the others.
pub(crate) fn ordered_properties(schema: &Value) -> Vec<(&str, &Value)> {
    let Some(props) = schema.get("properties").and_then(Value::as_object) else {
        return Vec::new();
    };
    let required = required(schema);
    let mut out: Vec<(&str, &Value)> =
        required.iter().filter_map(|n| props.get(*n).map(|s| (*n, s))).collect();
    for (name, sub) in props {
        if !required.contains(&name.as_str()) {
            out.push((name.as_str(), sub));
        }
    }
    out
}

/// The first sentence of a description (at most 200 characters), so tool listings stay short.
pub(crate) fn first_sentence(text: &str) -> String {
    let text = text.trim();
    let mut end = text.len();
    let bytes = text.as_bytes();
    for (i, c) in text.char_indices() {
        if c == '\n' && bytes.get(i + 1) == Some(&b'\n') {
            end = i;
            break;
        }
        if c == '.' && bytes.get(i + 1).is_none_or(|b| b.is_ascii_whitespace()) {
            let word_start = text[..i].rfind(char::is_whitespace).map_or(0, |p| p + 1);
            let word = &text[word_start..i];
            // Abbreviations such as "e.g." do not end a sentence.
            if !matches!(word, "e.g" | "i.e" | "etc" | "vs") {
                end = i + 1;
                break;
            }
        }
    }
    let sentence = text[..end].trim().replace('\n', " ");
    if sentence.chars().count() > 200 {
        let cut: String = sentence.chars().take(199).collect();
        format!("{cut}…")
    } else {
        sentence
    }
}

/// A one-line signature for listing a tool in plain text, e.g.
/// `read(path: string, offset?: integer)`.
pub(crate) fn signature(name: &str, schema: &Value) -> String {
    let required = required(schema);
    let params: Vec<String> = ordered_properties(schema)
        .into_iter()
        .map(|(prop, sub)| {
            let mark = if required.contains(&prop) { "" } else { "?" };
            format!("{prop}{mark}: {}", type_name(sub))
        })
        .collect();
    format!("{name}({})", params.join(", "))
}

fn type_name(schema: &Value) -> String {
    if let Some(values) = schema.get("enum").and_then(Value::as_array) {
        return values.iter().map(Value::to_string).collect::<Vec<_>>().join("|");
    }
    match schema.get("type") {
        Some(Value::String(t)) if t == "array" => {
            let item = schema.get("items").map_or_else(|| "any".to_string(), type_name);
            format!("{item}[]")
        }
        Some(Value::String(t)) => t.clone(),
        Some(Value::Array(types)) => {
            types.iter().filter_map(Value::as_str).collect::<Vec<_>>().join("|")
        }
        _ => "any".to_string(),
    }
}

#[cfg(test)]
#[path = "schema_tests.rs"]
mod tests;
