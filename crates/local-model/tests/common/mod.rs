//! Shared helpers for the tests that load real models.
#![allow(dead_code, unreachable_pub)]
#![allow(clippy::unwrap_used, clippy::panic, reason = "test helpers fail loudly")]

use futures::StreamExt;
use rein_local::{LocalOptions, LocalProvider};
use rein_protocol::{Message, ModelRequest, ModelResponse, ProviderEvent, SystemBlock, ToolSpec};
use rein_provider::Provider;
use serde_json::json;
use std::path::PathBuf;
use std::time::{Duration, Instant};

pub const SMOLLM: &str = "smollm2-135m-instruct-q4_1.gguf";
pub const QWEN_05B: &str = "qwen2.5-coder-0.5b-instruct-q4_k_m.gguf";
pub const QWEN_15B: &str = "qwen2.5-coder-1.5b-instruct-q4_k_m.gguf";

/// Where the models live: `$REIN_MODELS_DIR`, else `~/.local/share/rein/models`.
pub fn models_dir() -> PathBuf {
    match std::env::var_os("REIN_MODELS_DIR") {
        Some(dir) if !dir.is_empty() => PathBuf::from(dir),
        _ => PathBuf::from(std::env::var_os("HOME").unwrap_or_default())
            .join(".local/share/rein/models"),
    }
}

/// The path of a model file; a missing model fails the test with instructions.
pub fn model_path(file: &str) -> PathBuf {
    let path = models_dir().join(file);
    assert!(
        path.is_file(),
        "model {file} is missing from {}. Install the test models with \
         `bash crates/local-model/scripts/fetch-test-models.sh` (or `rein model install`), \
         or point REIN_MODELS_DIR at a folder that holds them.",
        models_dir().display()
    );
    path
}

/// Holds a lock file so tests that run models do not compete for the two cores, even when a
/// test runner puts them in separate processes.
pub fn exclusive() -> std::fs::File {
    let path = std::env::temp_dir().join("rein-local-model-tests.lock");
    let file =
        std::fs::OpenOptions::new().create(true).truncate(false).write(true).open(path).unwrap();
    file.lock().unwrap();
    file
}

pub fn load(file: &str, options: LocalOptions) -> LocalProvider {
    let name = file.trim_end_matches(".gguf");
    LocalProvider::load(&model_path(file), name, options).unwrap()
}

pub fn tools() -> Vec<ToolSpec> {
    vec![
        ToolSpec {
            name: "read".into(),
            description: "Read a text file. Output lines are prefixed with their line number.".into(),
            input_schema: json!({
                "type": "object",
                "properties": {
                    "path": {"type": "string", "description": "File path, absolute or relative to the working directory."},
                    "offset": {"type": "integer", "description": "First line to show (1-based)."},
                    "limit": {"type": "integer", "description": "Number of lines to show."}
                },
                "required": ["path"]
            }),
        },
        ToolSpec {
            name: "write".into(),
            description: "Create or overwrite a file with the given content. Read a file before overwriting it.".into(),
            input_schema: json!({
                "type": "object",
                "properties": {
                    "path": {"type": "string", "description": "File path."},
                    "content": {"type": "string", "description": "The full new content of the file."}
                },
                "required": ["path", "content"]
            }),
        },
    ]
}

pub fn request(
    system: &str,
    messages: Vec<Message>,
    tools: Vec<ToolSpec>,
    max_tokens: u32,
) -> ModelRequest {
    ModelRequest {
        model: "local".into(),
        system: if system.is_empty() {
            vec![]
        } else {
            vec![SystemBlock { text: system.into(), cache: true }]
        },
        messages,
        tools,
        max_tokens,
        temperature: None,
        thinking_budget: None,
        cache_last_message: true,
    }
}

/// What one call produced.
#[derive(Debug)]
pub struct Outcome {
    pub deltas: Vec<String>,
    pub response: ModelResponse,
    pub first_token: Option<Duration>,
    pub total: Duration,
}

impl Outcome {
    pub fn streamed(&self) -> String {
        self.deltas.concat()
    }
}

pub async fn run(provider: &LocalProvider, request: &ModelRequest) -> Outcome {
    let started = Instant::now();
    let mut stream = provider.stream(request).await.unwrap();
    let mut deltas = Vec::new();
    let mut first_token = None;
    while let Some(event) = stream.next().await {
        match event.unwrap() {
            ProviderEvent::TextDelta { text } => {
                first_token.get_or_insert_with(|| started.elapsed());
                deltas.push(text);
            }
            ProviderEvent::Completed { response } => {
                return Outcome { deltas, response, first_token, total: started.elapsed() };
            }
            _ => {}
        }
    }
    panic!("stream ended without a response");
}
