//! Small JSON conversions shared by both wire formats.

use serde_json::{Map, Number, Value};

/// Parses streamed tool arguments. Empty text means no arguments (`{}`); text that is not a
/// JSON object is kept verbatim as a JSON string so the loop can show the model what it sent.
pub(crate) fn parse_tool_input(raw: &str) -> Value {
    if raw.trim().is_empty() {
        return Value::Object(Map::new());
    }
    match serde_json::from_str::<Value>(raw) {
        Ok(value @ Value::Object(_)) => value,
        _ => Value::String(raw.to_string()),
    }
}

/// The arguments to send back to a provider: providers require an object, so anything else
/// (a kept malformed string) becomes `{}`.
pub(crate) fn tool_input_object(input: &Value) -> Value {
    match input {
        Value::Object(_) => input.clone(),
        _ => Value::Object(Map::new()),
    }
}

/// A temperature as JSON. Going through the shortest decimal form keeps `0.7f32` as `0.7`
/// instead of `0.699999988079071`. `None` for NaN and infinities, which JSON cannot carry.
pub(crate) fn temperature(value: f32) -> Option<Value> {
    let decimal = value.to_string().parse::<f64>().unwrap_or(f64::from(value));
    Number::from_f64(decimal).map(Value::Number)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn parses_objects_and_keeps_everything_else_raw() {
        assert_eq!(parse_tool_input(""), json!({}));
        assert_eq!(parse_tool_input("  \n"), json!({}));
        assert_eq!(parse_tool_input(r#"{"path":"a.rs"}"#), json!({"path": "a.rs"}));
        assert_eq!(parse_tool_input(r#"{"path":"a.rs""#), json!(r#"{"path":"a.rs""#));
        assert_eq!(parse_tool_input("[1,2]"), json!("[1,2]"));
        assert_eq!(parse_tool_input("null"), json!("null"));
    }

    #[test]
    fn non_objects_are_sent_back_as_empty_objects() {
        assert_eq!(tool_input_object(&json!({"a": 1})), json!({"a": 1}));
        assert_eq!(tool_input_object(&json!("{broken")), json!({}));
        assert_eq!(tool_input_object(&Value::Null), json!({}));
    }

    #[test]
    fn temperatures_keep_their_decimal_form() {
        assert_eq!(temperature(0.7).unwrap().to_string(), "0.7");
        assert_eq!(temperature(0.0).unwrap().to_string(), "0.0");
        assert_eq!(temperature(1.0).unwrap().to_string(), "1.0");
        assert_eq!(temperature(f32::NAN), None);
    }
}
