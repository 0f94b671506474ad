//! [`LocalProvider`]: the [`Provider`] that runs a GGUF model in-process.

use crate::engine::{self, Engine, EngineEvent, GrammarPlan, Job, Request};
use crate::error::LocalError;
use crate::grammar::{CallForm, tool_call_grammar};
use crate::options::{LocalOptions, ReplyFormat, ToolChoice};
use crate::prompt::{self, TemplateCaps};
use crate::stream::{ReplyParse, event_stream};
use crate::template::ChatTemplate;
use rein_protocol::{ModelRequest, ToolSpec};
use rein_provider::{EventStream, Provider, ProviderError};
use std::io::Read;
use std::path::Path;
use std::sync::mpsc;

/// A GGUF model run in-process through llama.cpp.
///
/// Loading reads the model's metadata and chat template; the model and its context then live
/// on a dedicated inference thread, which keeps the KV cache between calls so a follow-up turn
/// only decodes the tokens that changed. Requests run one at a time, in order.
#[derive(Debug)]
pub struct LocalProvider {
    model_name: String,
    options: LocalOptions,
    tool_choice: ToolChoice,
    template: ChatTemplate,
    engine: Engine,
}

impl LocalProvider {
    /// Loads the GGUF at `model_path` (reads its metadata and chat template) and starts the
    /// inference thread that owns the llama context, so the provider is `Send + Sync`.
    /// `model_name` is what responses report as their model.
    pub fn load(
        model_path: &Path,
        model_name: &str,
        options: LocalOptions,
    ) -> Result<Self, LocalError> {
        check_gguf(model_path)?;
        let (engine, meta) = engine::spawn(model_path, &options)?;
        let template = ChatTemplate::new(meta.chat_template.as_deref(), &meta.bos, &meta.eos)?;
        Ok(Self {
            model_name: model_name.to_string(),
            options,
            tool_choice: ToolChoice::default(),
            template,
            engine,
        })
    }

    /// Sets when the model must call a tool (default [`ToolChoice::Auto`]).
    #[must_use]
    pub fn with_tool_choice(mut self, tool_choice: ToolChoice) -> Self {
        self.tool_choice = tool_choice;
        self
    }

    /// The model name given to [`LocalProvider::load`].
    pub fn model_name(&self) -> &str {
        &self.model_name
    }

    /// The options the model was loaded with.
    pub fn options(&self) -> &LocalOptions {
        &self.options
    }

    /// The prompt text the model is fed for `request`, as the chat template renders it.
    pub fn render_prompt(&self, request: &ModelRequest) -> Result<String, LocalError> {
        let caps = TemplateCaps {
            tools: self.template.takes_tools(),
            tool_calls: self.template.takes_tool_calls(),
        };
        let format = match self.reply_parse(request) {
            ReplyParse::Blocks { .. } => ReplyFormat::Blocks,
            _ => ReplyFormat::Tools,
        };
        self.template.render(&prompt::build(request, caps, format))
    }

    /// How replies to `request` are read: blocks only when it offers `write` or `bash`.
    fn reply_parse(&self, request: &ModelRequest) -> ReplyParse {
        let offers = |name: &str| request.tools.iter().any(|t| t.name == name);
        let (files, commands) = (offers("write"), offers("bash"));
        if self.options.reply_format == ReplyFormat::Blocks && (files || commands) {
            ReplyParse::Blocks { files, commands }
        } else if request.tools.is_empty() {
            ReplyParse::Text
        } else {
            ReplyParse::ToolCalls
        }
    }

    /// Checks that llama.cpp accepts the tool-call grammar for `tools`, in every call form.
    pub fn check_tool_grammar(&self, tools: &[ToolSpec]) -> Result<(), LocalError> {
        let gbnf = tool_call_grammar(tools);
        for form in [CallForm::Tagged, CallForm::Fenced, CallForm::Bare] {
            let (reply, verdict) = mpsc::channel();
            self.engine.submit(Request::CheckGrammar {
                gbnf: gbnf.clone(),
                root: form.root(),
                reply,
            })?;
            verdict.recv().map_err(|_| LocalError::EngineStopped)??;
        }
        Ok(())
    }
}

/// Fails early, with a clear message, for a missing file or one that is not a GGUF model.
fn check_gguf(path: &Path) -> Result<(), LocalError> {
    let io = |source: std::io::Error| match source.kind() {
        std::io::ErrorKind::NotFound => LocalError::NotFound { path: path.to_path_buf() },
        _ => LocalError::Io { path: path.to_path_buf(), source },
    };
    let mut magic = [0u8; 4];
    let mut file = std::fs::File::open(path).map_err(io)?;
    match file.read_exact(&mut magic) {
        Ok(()) if &magic == b"GGUF" => Ok(()),
        Ok(()) => Err(LocalError::NotGguf { path: path.to_path_buf() }),
        Err(e) if e.kind() == std::io::ErrorKind::UnexpectedEof => {
            Err(LocalError::NotGguf { path: path.to_path_buf() })
        }
        Err(e) => Err(io(e)),
    }
}

#[async_trait::async_trait]
impl Provider for LocalProvider {
    fn name(&self) -> &str {
        "local"
    }

    fn context_window(&self, _model: &str) -> Option<u64> {
        Some(u64::from(self.options.n_ctx))
    }

    async fn stream(&self, request: &ModelRequest) -> Result<EventStream, ProviderError> {
        let prompt = self.render_prompt(request)?;
        let parse = self.reply_parse(request);
        let grammar =
            (self.options.tool_grammar && parse == ReplyParse::ToolCalls).then(|| GrammarPlan {
                gbnf: tool_call_grammar(&request.tools),
                forced: self.tool_choice == ToolChoice::Required,
            });
        let max_tokens = match request.max_tokens {
            0 => self.options.max_new_tokens,
            n => n.min(self.options.max_new_tokens),
        };
        let (events, mut progress) = tokio::sync::mpsc::unbounded_channel();
        let job = Job {
            prompt,
            max_tokens,
            temperature: request.temperature,
            grammar,
            stop_after_shell_block: matches!(parse, ReplyParse::Blocks { commands: true, .. }),
            events,
        };
        self.engine.submit(Request::Generate(job))?;
        // Wait until the prompt is known to fit, so that failure is reported before the stream.
        match progress.recv().await {
            Some(EngineEvent::Started) => {}
            Some(EngineEvent::Failed(error)) => return Err(error),
            _ => return Err(LocalError::EngineStopped.into()),
        }
        Ok(event_stream(progress, self.model_name.clone(), parse))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn missing_and_foreign_files_are_reported() {
        let dir = tempfile::tempdir().unwrap();
        let missing = dir.path().join("nope.gguf");
        assert!(matches!(check_gguf(&missing), Err(LocalError::NotFound { .. })));
        let text = dir.path().join("model.gguf");
        std::fs::write(&text, "not a model").unwrap();
        assert!(matches!(check_gguf(&text), Err(LocalError::NotGguf { .. })));
        std::fs::write(&text, "GG").unwrap();
        assert!(matches!(check_gguf(&text), Err(LocalError::NotGguf { .. })));
        std::fs::write(&text, b"GGUF\x03\x00").unwrap();
        assert!(check_gguf(&text).is_ok());
        let err = LocalProvider::load(&missing, "m", LocalOptions::default()).unwrap_err();
        assert!(err.to_string().contains("model file not found"), "{err}");
    }
}
