//! The tool traits and the result type.

use crate::args;
use crate::context::ToolContext;
use schemars::JsonSchema;
use serde::de::DeserializeOwned;
use serde_json::Value;

/// What a tool call returns to the model.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ToolOutput {
    /// Result text shown to the model.
    pub content: String,
    /// Whether the call failed.
    pub is_error: bool,
}

impl ToolOutput {
    /// A successful result.
    pub fn ok(content: impl Into<String>) -> Self {
        Self { content: content.into(), is_error: false }
    }

    /// A failed result; the text should tell the model what went wrong and what to do instead.
    pub fn error(content: impl Into<String>) -> Self {
        Self { content: content.into(), is_error: true }
    }
}

/// A tool the model can call.
#[async_trait::async_trait]
pub trait Tool: Send + Sync {
    /// Unique name the model calls it by.
    fn name(&self) -> &str;
    /// Short description written for the model.
    fn description(&self) -> &str;
    /// JSON Schema of the arguments object.
    fn input_schema(&self) -> Value;
    /// Whether this call only reads (may run concurrently with other read-only calls). Must
    /// answer `false` when unsure.
    fn is_read_only(&self, input: &Value) -> bool;
    /// Runs the call. Bad arguments and failures come back as error outputs, never panics.
    async fn run(&self, input: Value, ctx: &ToolContext) -> ToolOutput;
}

/// A tool whose arguments are a Rust type: parsing, error messages for malformed arguments and
/// the JSON schema all derive from [`TypedTool::Args`]. Every `TypedTool` is a [`Tool`].
#[async_trait::async_trait]
pub trait TypedTool: Send + Sync {
    /// The arguments object.
    type Args: DeserializeOwned + JsonSchema + Send;
    /// Tool name.
    const NAME: &'static str;
    /// Short description written for the model.
    const DESCRIPTION: &'static str;
    /// Whether every call only reads.
    const READ_ONLY: bool;
    /// Runs the call with well-formed arguments.
    async fn call(&self, args: Self::Args, ctx: &ToolContext) -> ToolOutput;
}

#[async_trait::async_trait]
impl<T: TypedTool> Tool for T {
    fn name(&self) -> &str {
        T::NAME
    }

    fn description(&self) -> &str {
        T::DESCRIPTION
    }

    fn input_schema(&self) -> Value {
        args::schema_for::<T::Args>()
    }

    fn is_read_only(&self, _input: &Value) -> bool {
        T::READ_ONLY
    }

    async fn run(&self, input: Value, ctx: &ToolContext) -> ToolOutput {
        match args::parse::<T::Args>(T::NAME, input) {
            Ok(args) => self.call(args, ctx).await,
            Err(message) => ToolOutput::error(message),
        }
    }
}
