//! Turning the model's argument JSON into typed arguments, and typed arguments into a schema.

use schemars::JsonSchema;
use schemars::generate::SchemaSettings;
use serde::de::DeserializeOwned;
use serde_json::{Map, Value};

/// Parses `input` as `A`, or explains what is wrong and what shape was expected.
///
/// `null` counts as `{}` and a string holding a JSON object is unwrapped, since some models
/// send arguments that way.
pub fn parse<A: DeserializeOwned + JsonSchema>(tool: &str, input: Value) -> Result<A, String> {
    let input = match input {
        Value::Null => Value::Object(Map::new()),
        Value::String(text) => match serde_json::from_str::<Value>(&text) {
            Ok(obj @ Value::Object(_)) => obj,
            _ => return Err(not_an_object::<A>(tool, "a string")),
        },
        Value::Object(_) => input,
        Value::Bool(_) => return Err(not_an_object::<A>(tool, "a boolean")),
        Value::Number(_) => return Err(not_an_object::<A>(tool, "a number")),
        Value::Array(_) => return Err(not_an_object::<A>(tool, "an array")),
    };
    serde_json::from_value(input).map_err(|err| {
        format!("invalid arguments for `{tool}`: {err}. Expected {}", shape(&schema_for::<A>()))
    })
}

fn not_an_object<A: JsonSchema>(tool: &str, got: &str) -> String {
    format!(
        "invalid arguments for `{tool}`: expected a JSON object, got {got}. Expected {}",
        shape(&schema_for::<A>())
    )
}

/// A compact, deterministic JSON Schema for `A`: subschemas inlined, no `$schema` or titles,
/// optional fields plain (not `T | null`), no integer format noise.
pub fn schema_for<A: JsonSchema>() -> Value {
    let generator = SchemaSettings::draft2020_12()
        .with(|s| {
            s.inline_subschemas = true;
            s.meta_schema = None;
        })
        .into_generator();
    let mut schema = generator.into_root_schema_for::<A>().to_value();
    clean(&mut schema);
    schema
}

fn clean(value: &mut Value) {
    match value {
        Value::Object(map) => {
            map.remove("title");
            map.remove("$schema");
            // Doc comments of argument structs describe Rust types, not anything the model
            // needs; field descriptions stay.
            if map.get("type").is_some_and(|t| t == "object") {
                map.remove("description");
            }
            if let Some(Value::String(text)) = map.get_mut("description")
                && text.contains('\n')
            {
                *text = text.replace('\n', " ");
            }
            if map.get("format").and_then(Value::as_str).is_some_and(is_number_format) {
                map.remove("format");
            }
            if map.get("default").is_some_and(Value::is_null) {
                map.remove("default");
            }
            if let Some(Value::Array(types)) = map.get_mut("type") {
                types.retain(|t| t != "null");
                if types.len() == 1 {
                    let only = types.remove(0);
                    map.insert("type".into(), only);
                }
            }
            if let Some(Value::Array(values)) = map.get_mut("enum") {
                values.retain(|v| !v.is_null());
            }
            // `Option<Enum>` comes out as `anyOf: [{enum}, {const: null}]`; keep the enum.
            if let Some(Value::Array(variants)) = map.get_mut("anyOf") {
                variants.retain(|v| {
                    v.get("type") != Some(&Value::from("null"))
                        && v.get("const") != Some(&Value::Null)
                });
                if variants.len() == 1 {
                    let only = variants.remove(0);
                    map.remove("anyOf");
                    if let Value::Object(inner) = only {
                        for (k, v) in inner {
                            map.entry(k).or_insert(v);
                        }
                    }
                }
            }
            map.values_mut().for_each(clean);
        }
        Value::Array(items) => items.iter_mut().for_each(clean),
        _ => {}
    }
}

fn is_number_format(format: &str) -> bool {
    matches!(
        format,
        "uint"
            | "uint8"
            | "uint16"
            | "uint32"
            | "uint64"
            | "int"
            | "int8"
            | "int16"
            | "int32"
            | "int64"
            | "float"
            | "double"
    )
}

/// Renders a schema as a one-line shape, e.g. `{path: string, limit?: integer}`.
pub(crate) fn shape(schema: &Value) -> String {
    let mut out = String::new();
    write_shape(schema, &mut out);
    out
}

fn write_shape(schema: &Value, out: &mut String) {
    if let Some(values) = schema.get("enum").and_then(Value::as_array) {
        let names: Vec<String> = values.iter().map(Value::to_string).collect();
        out.push_str(&names.join("|"));
        return;
    }
    match schema.get("type").and_then(Value::as_str) {
        Some("object") => {
            let required: Vec<&str> = schema
                .get("required")
                .and_then(Value::as_array)
                .map(|r| r.iter().filter_map(Value::as_str).collect())
                .unwrap_or_default();
            out.push('{');
            if let Some(props) = schema.get("properties").and_then(Value::as_object) {
                for (i, (name, prop)) in props.iter().enumerate() {
                    if i > 0 {
                        out.push_str(", ");
                    }
                    out.push_str(name);
                    if !required.contains(&name.as_str()) {
                        out.push('?');
                    }
                    out.push_str(": ");
                    write_shape(prop, out);
                }
            }
            out.push('}');
        }
        Some("array") => {
            out.push('[');
            if let Some(items) = schema.get("items") {
                write_shape(items, out);
            }
            out.push(']');
        }
        Some(other) => out.push_str(other),
        None => out.push_str("any"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;
    use serde_json::json;

    #[derive(Debug, Deserialize, JsonSchema, PartialEq)]
    #[serde(deny_unknown_fields)]
    struct Args {
        /// A path.
        path: String,
        limit: Option<u64>,
        mode: Option<Mode>,
        items: Option<Vec<Item>>,
    }

    #[derive(Debug, Deserialize, JsonSchema, PartialEq)]
    #[serde(rename_all = "snake_case")]
    enum Mode {
        Fast,
        Slow,
    }

    #[derive(Debug, Deserialize, JsonSchema, PartialEq)]
    struct Item {
        name: String,
    }

    #[test]
    fn schema_is_compact() {
        let schema = schema_for::<Args>();
        assert_eq!(
            schema,
            json!({
                "type": "object",
                "additionalProperties": false,
                "required": ["path"],
                "properties": {
                    "path": {"type": "string", "description": "A path."},
                    "limit": {"type": "integer", "minimum": 0},
                    "mode": {"type": "string", "enum": ["fast", "slow"]},
                    "items": {
                        "type": "array",
                        "items": {"type": "object", "required": ["name"], "properties": {"name": {"type": "string"}}}
                    }
                }
            })
        );
        assert_eq!(
            shape(&schema),
            r#"{items?: [{name: string}], limit?: integer, mode?: "fast"|"slow", path: string}"#
        );
    }

    #[test]
    fn malformed_arguments_explain_the_expected_shape() {
        let err = parse::<Args>("t", json!({"limit": 3})).unwrap_err();
        assert!(err.starts_with("invalid arguments for `t`: missing field `path`"), "{err}");
        assert!(err.contains("Expected {"), "{err}");
        let err = parse::<Args>("t", json!({"path": 3})).unwrap_err();
        assert!(err.contains("invalid type: integer `3`, expected a string"), "{err}");
        let err = parse::<Args>("t", json!([1])).unwrap_err();
        assert!(err.contains("expected a JSON object, got an array"), "{err}");
        let err = parse::<Args>("t", json!({"path": "a", "bogus": 1})).unwrap_err();
        assert!(err.contains("unknown field `bogus`"), "{err}");
        let err = parse::<Args>("t", json!("not json")).unwrap_err();
        assert!(err.contains("got a string"), "{err}");
    }

    #[test]
    fn lenient_about_null_and_stringified_objects() {
        let args: Args = parse("t", json!(r#"{"path": "x"}"#)).unwrap();
        assert_eq!(args.path, "x");
        assert!(parse::<Args>("t", Value::Null).unwrap_err().contains("missing field `path`"));
    }
}
