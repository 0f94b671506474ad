//! A remote tool as one of rein's tools.

use crate::convert;
use crate::error::McpError;
use crate::server::RemoteServer;
use rein_tools::{Tool, ToolContext, ToolOutput};
use rmcp::model::CallToolRequestParams;
use serde_json::{Map, Value, json};
use std::sync::Arc;

/// Longest description passed to the model; some servers ship manuals.
const MAX_DESCRIPTION_CHARS: usize = 2_000;

/// `mcp__<server>__<tool>`, run by calling the server.
pub(crate) struct McpTool {
    server: Arc<RemoteServer>,
    /// The name the server knows it by.
    remote: String,
    /// The name the model calls it by.
    name: String,
    description: String,
    schema: Value,
    read_only: bool,
}

impl McpTool {
    pub(crate) fn new(server: Arc<RemoteServer>, tool: &rmcp::model::Tool, name: String) -> Self {
        let description = tool
            .description
            .as_deref()
            .map(str::trim)
            .filter(|d| !d.is_empty())
            .map(|d| cap(d, MAX_DESCRIPTION_CHARS))
            .or_else(|| tool.title.clone())
            .unwrap_or_else(|| format!("Tool `{}` of MCP server `{}`.", tool.name, server.name()));
        Self {
            remote: tool.name.to_string(),
            name,
            description,
            schema: object_schema(Value::Object(tool.input_schema.as_ref().clone())),
            read_only: tool.annotations.as_ref().and_then(|a| a.read_only_hint) == Some(true),
            server,
        }
    }
}

#[async_trait::async_trait]
impl Tool for McpTool {
    fn name(&self) -> &str {
        &self.name
    }

    fn description(&self) -> &str {
        &self.description
    }

    fn input_schema(&self) -> Value {
        self.schema.clone()
    }

    fn is_read_only(&self, _input: &Value) -> bool {
        self.read_only
    }

    async fn run(&self, input: Value, ctx: &ToolContext) -> ToolOutput {
        let arguments = match input {
            Value::Object(map) => map,
            Value::Null => Map::new(),
            other => {
                return ToolOutput::error(format!("arguments must be a JSON object, got {other}"));
            }
        };
        let params = CallToolRequestParams::new(self.remote.clone()).with_arguments(arguments);
        let doing = format!("running tool `{}`", self.remote);
        let result = self
            .server
            .request(doing, Some(ctx.cancel_token()), |connection| async move {
                connection.service().call_tool(params).await
            })
            .await;
        match result {
            Ok(result) => {
                let (text, is_error) = convert::tool_result(&result);
                ToolOutput { content: text, is_error }
            }
            Err(McpError::Cancelled) => {
                ToolOutput::error("interrupted before the MCP server answered")
            }
            Err(error) => ToolOutput::error(error.to_string()),
        }
    }
}

/// `schema` as an object schema, which every provider requires of tool arguments.
pub(crate) fn object_schema(schema: Value) -> Value {
    match schema {
        Value::Object(mut map) => {
            match map.get("type") {
                None => {
                    map.insert("type".into(), json!("object"));
                }
                Some(Value::String(kind)) if kind == "object" => {}
                Some(_) => return json!({"type": "object", "properties": {}}),
            }
            map.entry("properties").or_insert_with(|| json!({}));
            Value::Object(map)
        }
        _ => json!({"type": "object", "properties": {}}),
    }
}

fn cap(text: &str, max: usize) -> String {
    match text.char_indices().nth(max) {
        Some((at, _)) => format!("{}…", &text[..at]),
        None => text.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use pretty_assertions::assert_eq;

    #[test]
    fn schemas_become_object_schemas() {
        let given =
            json!({"type": "object", "properties": {"a": {"type": "string"}}, "required": ["a"]});
        assert_eq!(object_schema(given.clone()), given);
        assert_eq!(object_schema(json!({})), json!({"type": "object", "properties": {}}));
        assert_eq!(
            object_schema(json!({"type": "string"})),
            json!({"type": "object", "properties": {}})
        );
        assert_eq!(object_schema(json!(null)), json!({"type": "object", "properties": {}}));
    }
}
