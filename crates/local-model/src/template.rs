//! Rendering the model's own chat template (the GGUF's `tokenizer.chat_template`, a Jinja
//! template) with minijinja, the way the Python tooling the templates were written for does.

use crate::error::LocalError;
use crate::prompt::{ChatMessage, ChatPrompt, ToolDef};
use crate::schema::Ordered;
use minijinja::value::{Kwargs, Value, ValueKind};
use minijinja::{Environment, Error, ErrorKind, context};

/// ChatML, used when the model ships no template.
const CHATML: &str = "{%- for message in messages %}\
{{- '<|im_start|>' + message.role + '\\n' + message.content + '<|im_end|>\\n' }}\
{%- endfor %}\
{%- if add_generation_prompt %}{{- '<|im_start|>assistant\\n' }}{%- endif %}";

const NAME: &str = "chat";

/// A compiled chat template.
#[derive(Debug)]
pub(crate) struct ChatTemplate {
    env: Environment<'static>,
    bos: String,
    eos: String,
    takes_tools: bool,
    takes_tool_calls: bool,
}

impl ChatTemplate {
    /// Compiles `source`, or ChatML when the model has no template. `bos`/`eos` are the texts of
    /// the model's special tokens, which many templates print.
    pub(crate) fn new(source: Option<&str>, bos: &str, eos: &str) -> Result<Self, LocalError> {
        let source = source.filter(|s| !s.trim().is_empty()).unwrap_or(CHATML).to_string();
        let takes_tools = source.contains("tools");
        let takes_tool_calls = source.contains("tool_calls");
        let mut env = Environment::new();
        // The templates are written for Jinja2 with these two settings.
        env.set_trim_blocks(true);
        env.set_lstrip_blocks(true);
        env.set_unknown_method_callback(minijinja_contrib::pycompat::unknown_method_callback);
        env.add_filter("tojson", tojson);
        env.add_function("raise_exception", raise_exception);
        env.add_function("strftime_now", strftime_now);
        env.add_template_owned(NAME, source).map_err(template_error)?;
        Ok(Self { env, bos: bos.to_string(), eos: eos.to_string(), takes_tools, takes_tool_calls })
    }

    /// Whether the template lists `tools` itself; otherwise the prompt must describe them.
    pub(crate) fn takes_tools(&self) -> bool {
        self.takes_tools
    }

    /// Whether the template renders assistant `tool_calls`; otherwise they go into the text.
    pub(crate) fn takes_tool_calls(&self) -> bool {
        self.takes_tool_calls
    }

    /// The prompt text, ending where the assistant's answer begins.
    pub(crate) fn render(&self, prompt: &ChatPrompt) -> Result<String, LocalError> {
        let template = self.env.get_template(NAME).map_err(template_error)?;
        let messages: Vec<Value> = prompt.messages.iter().map(message_value).collect();
        let tools: Option<Vec<Value>> =
            (!prompt.tools.is_empty()).then(|| prompt.tools.iter().map(tool_value).collect());
        template
            .render(context! {
                messages => messages,
                tools => tools,
                add_generation_prompt => true,
                bos_token => self.bos.as_str(),
                eos_token => self.eos.as_str(),
            })
            .map_err(template_error)
    }
}

fn template_error(error: Error) -> LocalError {
    LocalError::Template { message: format!("{error:#}") }
}

fn message_value(message: &ChatMessage) -> Value {
    let mut entries = vec![
        ("role", Value::from(message.role)),
        ("content", Value::from(message.content.as_str())),
    ];
    if !message.tool_calls.is_empty() {
        let calls: Vec<Value> = message
            .tool_calls
            .iter()
            .map(|call| {
                let function = Value::from_iter([
                    ("name", Value::from(call.name.as_str())),
                    ("arguments", Value::from_serialize(&call.arguments)),
                ]);
                Value::from_iter([("type", Value::from("function")), ("function", function)])
            })
            .collect();
        entries.push(("tool_calls", Value::from(calls)));
    }
    Value::from_iter(entries)
}

fn tool_value(tool: &ToolDef) -> Value {
    let function = Value::from_iter([
        ("name", Value::from(tool.name.as_str())),
        ("description", Value::from(tool.description.as_str())),
        ("parameters", ordered_value(&tool.parameters)),
    ]);
    Value::from_iter([("type", Value::from("function")), ("function", function)])
}

fn ordered_value(value: &Ordered) -> Value {
    match value {
        Ordered::Plain(json) => Value::from_serialize(json),
        Ordered::Array(items) => Value::from(items.iter().map(ordered_value).collect::<Vec<_>>()),
        Ordered::Object(entries) => {
            Value::from_iter(entries.iter().map(|(k, v)| (k.as_str(), ordered_value(v))))
        }
    }
}

/// `tojson` as Python's `json.dumps` writes it (`", "` and `": "` separators, no HTML escaping,
/// keys in order), because that is the text the models saw in training.
fn tojson(value: &Value, kwargs: Kwargs) -> Result<Value, Error> {
    let indent: Option<usize> = kwargs.get("indent")?;
    for ignored in ["ensure_ascii", "sort_keys", "separators"] {
        let _: Option<Value> = kwargs.get(ignored)?;
    }
    kwargs.assert_all_used()?;
    let mut out = String::new();
    write_json(value, indent, 0, &mut out)?;
    Ok(Value::from_safe_string(out))
}

fn write_json(
    value: &Value,
    indent: Option<usize>,
    level: usize,
    out: &mut String,
) -> Result<(), Error> {
    let newline = |out: &mut String, level: usize| {
        if let Some(width) = indent {
            out.push('\n');
            out.push_str(&" ".repeat(width * level));
        }
    };
    let item_sep = if indent.is_some() { "," } else { ", " };
    match value.kind() {
        ValueKind::Undefined | ValueKind::None => out.push_str("null"),
        ValueKind::Bool => out.push_str(if value.is_true() { "true" } else { "false" }),
        ValueKind::Number => out.push_str(&value.to_string()),
        ValueKind::Map => {
            let keys: Vec<Value> = value.try_iter()?.collect();
            if keys.is_empty() {
                out.push_str("{}");
                return Ok(());
            }
            out.push('{');
            for (i, key) in keys.iter().enumerate() {
                if i > 0 {
                    out.push_str(item_sep);
                }
                newline(out, level + 1);
                out.push_str(&json_string(&key.to_string()));
                out.push_str(": ");
                write_json(&value.get_item(key)?, indent, level + 1, out)?;
            }
            newline(out, level);
            out.push('}');
        }
        ValueKind::Seq | ValueKind::Iterable => {
            let items: Vec<Value> = value.try_iter()?.collect();
            if items.is_empty() {
                out.push_str("[]");
                return Ok(());
            }
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push_str(item_sep);
                }
                newline(out, level + 1);
                write_json(item, indent, level + 1, out)?;
            }
            newline(out, level);
            out.push(']');
        }
        _ => out.push_str(&json_string(value.as_str().unwrap_or(&value.to_string()))),
    }
    Ok(())
}

fn json_string(text: &str) -> String {
    serde_json::to_string(text).unwrap_or_else(|_| "\"\"".into())
}

fn raise_exception(message: String) -> Result<Value, Error> {
    Err(Error::new(ErrorKind::InvalidOperation, message))
}

/// `strftime_now(format)` for templates that print today's date; supports the usual fields.
fn strftime_now(format: String) -> String {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    let (year, month, day) = civil_date(secs / 86_400);
    const MONTHS: [&str; 12] = [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ];
    let name = MONTHS[(month as usize).saturating_sub(1) % 12];
    format
        .replace("%Y", &year.to_string())
        .replace("%m", &format!("{month:02}"))
        .replace("%d", &format!("{day:02}"))
        .replace("%B", name)
        .replace("%b", &name[..3])
}

/// Year, month, day of a day count since 1970-01-01 (proleptic Gregorian calendar).
fn civil_date(days: u64) -> (i64, u32, u32) {
    let z = days as i64 + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

#[cfg(test)]
#[path = "template_tests.rs"]
mod tests;
