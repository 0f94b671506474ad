//! Starting the inference thread and loading the model on it.

use super::context::Session;
use super::{Engine, ModelMeta, Request};
use crate::error::LocalError;
use crate::options::LocalOptions;
use llama_cpp_2::context::params::LlamaContextParams;
use llama_cpp_2::llama_backend::LlamaBackend;
use llama_cpp_2::model::LlamaModel;
use llama_cpp_2::model::params::LlamaModelParams;
use llama_cpp_2::{LogOptions, send_logs_to_tracing};
use std::num::NonZeroU32;
use std::path::{Path, PathBuf};
use std::sync::{OnceLock, mpsc};

/// Tokens decoded per prefill step: large enough to keep both cores busy with matrix work.
pub(super) const BATCH: u32 = 512;

/// llama.cpp may be initialised once per process; every model shares this backend.
fn backend() -> Result<&'static LlamaBackend, LocalError> {
    static BACKEND: OnceLock<Result<LlamaBackend, String>> = OnceLock::new();
    BACKEND
        .get_or_init(|| {
            // llama.cpp writes its progress to stderr by default; route it to `tracing`
            // instead, where it is silent unless a subscriber asks for it.
            send_logs_to_tracing(LogOptions::default());
            LlamaBackend::init().map_err(|e| e.to_string())
        })
        .as_ref()
        .map_err(|message| LocalError::Load { path: PathBuf::new(), message: message.clone() })
}

/// Starts the inference thread, loads the model on it, and waits until it is ready.
pub(crate) fn spawn(
    path: &Path,
    options: &LocalOptions,
) -> Result<(Engine, ModelMeta), LocalError> {
    let (requests, inbox) = mpsc::channel();
    let (ready_tx, ready_rx) = mpsc::channel();
    let path_buf = path.to_path_buf();
    let options = options.clone();
    std::thread::Builder::new()
        .name("rein-local-model".into())
        .spawn(move || run(&path_buf, &options, &ready_tx, &inbox))
        .map_err(|source| LocalError::Io { path: path.to_path_buf(), source })?;
    let meta = ready_rx.recv().map_err(|_| LocalError::EngineStopped)??;
    Ok((Engine { requests }, meta))
}

fn run(
    path: &Path,
    options: &LocalOptions,
    ready: &mpsc::Sender<Result<ModelMeta, LocalError>>,
    inbox: &mpsc::Receiver<Request>,
) {
    let load_error = |message: String| LocalError::Load { path: path.to_path_buf(), message };
    let loaded = backend().and_then(|backend| {
        let model = LlamaModel::load_from_file(backend, path, &LlamaModelParams::default())
            .map_err(|e| load_error(e.to_string()))?;
        Ok((backend, model))
    });
    let (backend, model) = match loaded {
        Ok(loaded) => loaded,
        Err(error) => {
            let _ = ready.send(Err(error));
            return;
        }
    };
    let threads = options.thread_count();
    let params = LlamaContextParams::default()
        .with_n_ctx(NonZeroU32::new(options.n_ctx.max(64)))
        .with_n_batch(BATCH)
        .with_n_ubatch(BATCH)
        .with_n_seq_max(1)
        .with_n_threads(threads)
        .with_n_threads_batch(threads);
    let ctx = match model.new_context(backend, params) {
        Ok(ctx) => ctx,
        Err(error) => {
            let _ = ready.send(Err(load_error(error.to_string())));
            return;
        }
    };
    let meta = model_meta(&model);
    if ready.send(Ok(meta)).is_err() {
        return;
    }
    let mut session = Session::new(&model, ctx);
    while let Ok(request) = inbox.recv() {
        session.handle(request);
    }
}

fn model_meta(model: &LlamaModel) -> ModelMeta {
    let vocab = model.vocab();
    let piece =
        |token| String::from_utf8_lossy(&vocab.token_to_piece(token, true, None)).into_owned();
    ModelMeta {
        chat_template: model.chat_template(None).ok().and_then(|t| t.to_string().ok()),
        bos: piece(vocab.bos()),
        eos: piece(vocab.eos()),
    }
}
