//! One llama.cpp context and the generation loop that runs on it.

use super::kv::KvCache;
use super::thread::BATCH;
use super::{EngineEvent, Finish, GrammarPlan, Job, Request, Stop};
use crate::blocks::ends_with_shell_block;
use crate::detect::{CallStart, find_call_start};
use crate::error::LocalError;
use crate::grammar::CallForm;
use crate::repetition::RepetitionGuard;
use crate::sampler::Picker;
use llama_cpp_2::context::LlamaContext;
use llama_cpp_2::llama_batch::LlamaBatch;
use llama_cpp_2::model::LlamaModel;
use llama_cpp_2::sampling::LlamaSampler;
use llama_cpp_2::token::LlamaToken;
use rein_provider::ProviderError;
use std::panic::AssertUnwindSafe;
use std::time::Instant;
use tokio::sync::mpsc::UnboundedSender;

/// A loaded model with its context and what the context's KV cache holds.
pub(super) struct Session<'m> {
    model: &'m LlamaModel,
    ctx: LlamaContext<'m>,
    kv: KvCache,
    batch: LlamaBatch<'static>,
    seed: u32,
}

impl<'m> Session<'m> {
    pub(super) fn new(model: &'m LlamaModel, ctx: LlamaContext<'m>) -> Self {
        let seed = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.subsec_nanos());
        Self { model, ctx, kv: KvCache::default(), batch: LlamaBatch::new(BATCH as usize, 1), seed }
    }

    pub(super) fn handle(&mut self, request: Request) {
        match request {
            Request::Generate(job) => {
                let outcome = std::panic::catch_unwind(AssertUnwindSafe(|| self.generate(&job)));
                let event = match outcome {
                    Ok(Ok(Some(finish))) => {
                        tracing::debug!(
                            prefilled = finish.prefilled,
                            reused = finish.reused,
                            generated = finish.generated,
                            prefill_ms = finish.prefill_time.as_millis() as u64,
                            decode_ms = finish.decode_time.as_millis() as u64,
                            stop = ?finish.stop,
                            "local generation finished"
                        );
                        EngineEvent::Done(finish)
                    }
                    Ok(Ok(None)) => return,
                    Ok(Err(error)) => EngineEvent::Failed(error),
                    Err(_) => {
                        self.kv.clear(&mut self.ctx);
                        EngineEvent::Failed(ProviderError::Server {
                            status: 500,
                            message: "the local model failed while generating".into(),
                            retry_after: None,
                        })
                    }
                };
                let _ = job.events.send(event);
            }
            Request::CheckGrammar { gbnf, root, reply } => {
                let verdict = LlamaSampler::grammar(self.model, &gbnf, root)
                    .map(drop)
                    .map_err(|e| LocalError::Grammar { message: e.to_string() });
                let _ = reply.send(verdict);
            }
        }
    }

    /// Runs one job. `Ok(None)` means the caller went away and nothing more is to be sent.
    fn generate(&mut self, job: &Job) -> Result<Option<Finish>, ProviderError> {
        let prompt = self.tokenize(&job.prompt);
        let n_ctx = self.ctx.n_ctx() as usize;
        if prompt.len() >= n_ctx {
            return Err(ProviderError::ContextOverflow {
                message: format!(
                    "the prompt has {} tokens; the local context window holds {n_ctx}",
                    prompt.len()
                ),
            });
        }
        let reused = self.kv.reuse_prefix(&mut self.ctx, &prompt);
        if job.events.send(EngineEvent::Started).is_err() {
            return Ok(None);
        }
        let started = Instant::now();
        let Some(logits_at) = self.prefill(&prompt[reused..], &job.events)? else {
            return Ok(None);
        };
        let prefill_time = started.elapsed();
        let decode_started = Instant::now();

        let Some((stop, generated)) = self.sample(job, logits_at)? else {
            return Ok(None);
        };
        Ok(Some(Finish {
            stop,
            prefilled: (prompt.len() - reused) as u64,
            reused: reused as u64,
            generated: u64::from(generated),
            prefill_time,
            decode_time: decode_started.elapsed(),
        }))
    }

    /// Samples, streams and decodes tokens until a stop condition, starting from the logits at
    /// batch index `logits_at`. Returns why it stopped and how many tokens it generated, or
    /// `None` when the caller went away.
    fn sample(
        &mut self,
        job: &Job,
        mut logits_at: i32,
    ) -> Result<Option<(Stop, u32)>, ProviderError> {
        let n_ctx = self.ctx.n_ctx() as usize;
        self.seed = self.seed.wrapping_add(1);
        let mut picker = Picker::new(job.temperature, self.seed);
        // A forced call is constrained from the first token; otherwise the grammar waits for
        // the model to start a call.
        let mut grammar_pending = job.grammar.as_ref();
        if let Some(plan) = grammar_pending.filter(|p| p.forced) {
            grammar_pending = None;
            let start = CallStart { offset: 0, form: CallForm::Tagged };
            if let Some(grammar) = self.start_grammar(plan, start, "") {
                picker.set_grammar(grammar);
            }
        }
        let vocab = self.model.vocab();
        let mut output = Utf8Output::default();
        let mut guard = RepetitionGuard::default();
        let mut generated: u32 = 0;
        let stop = loop {
            let Some(token) = picker.pick(&self.ctx, logits_at) else {
                break Stop::GrammarDeadEnd;
            };
            if vocab.is_eog(token) {
                break Stop::EndOfTurn;
            }
            let piece = vocab.token_to_piece(token, true, None);
            // A chat-turn marker (`<|im_start|>` and kin) that is not an end-of-generation
            // token still means the model considers its turn over.
            if vocab.is_control(token) && piece.starts_with(b"<|") {
                break Stop::EndOfTurn;
            }
            picker.accept(token);
            generated += 1;
            if let Some(text) = output.push(&piece)
                && job.events.send(EngineEvent::Text(text)).is_err()
            {
                return Ok(None);
            }
            if let Some(plan) = grammar_pending
                && let Some(start) = find_call_start(&output.text)
            {
                grammar_pending = None;
                if let Some(grammar) = self.start_grammar(plan, start, &output.text) {
                    picker.set_grammar(grammar);
                }
            }
            if job.stop_after_shell_block
                && piece.contains(&b'`')
                && ends_with_shell_block(&output.text)
            {
                break Stop::EndOfTurn;
            }
            if guard.push(token.0, &output.text) {
                tracing::debug!(generated, "local model output is looping; stopping");
                break Stop::Repetition;
            }
            if generated >= job.max_tokens {
                break Stop::MaxTokens;
            }
            if self.kv.len() + 1 >= n_ctx {
                break Stop::ContextFull;
            }
            if job.events.is_closed() {
                return Ok(None);
            }
            self.decode_one(token)?;
            logits_at = 0;
        };
        Ok(Some((stop, generated)))
    }

    /// The prompt's tokens, special tokens parsed, with BOS added when the model wants one and
    /// the template did not already print it.
    fn tokenize(&self, prompt: &str) -> Vec<LlamaToken> {
        let vocab = self.model.vocab();
        let mut tokens = vocab.tokenize(prompt.as_bytes(), false, true);
        if vocab.should_add_bos() && tokens.first() != Some(&vocab.bos()) {
            tokens.insert(0, vocab.bos());
        }
        tokens
    }

    /// Decodes `tokens` after what the cache holds, in batches. Returns the batch index of the
    /// last token's logits, or `None` when the caller went away.
    fn prefill(
        &mut self,
        tokens: &[LlamaToken],
        events: &UnboundedSender<EngineEvent>,
    ) -> Result<Option<i32>, ProviderError> {
        let mut last = 0;
        let chunks = tokens.chunks(BATCH as usize);
        let n_chunks = chunks.len();
        for (c, chunk) in chunks.enumerate() {
            if events.is_closed() {
                return Ok(None);
            }
            self.batch.clear();
            let start = self.kv.len();
            for (i, &token) in chunk.iter().enumerate() {
                let wants_logits = c + 1 == n_chunks && i + 1 == chunk.len();
                let pos = i32::try_from(start + i).unwrap_or(i32::MAX);
                self.batch.add(token, pos, &[0], wants_logits).map_err(|e| self.fail(&e))?;
            }
            if let Err(error) = self.ctx.decode(&mut self.batch) {
                return Err(self.fail(&error));
            }
            chunk.iter().for_each(|&t| self.kv.push(t));
            last = i32::try_from(chunk.len() - 1).unwrap_or(0);
        }
        Ok(Some(last))
    }

    fn decode_one(&mut self, token: LlamaToken) -> Result<(), ProviderError> {
        self.batch.clear();
        let pos = i32::try_from(self.kv.len()).unwrap_or(i32::MAX);
        self.batch.add(token, pos, &[0], true).map_err(|e| self.fail(&e))?;
        if let Err(error) = self.ctx.decode(&mut self.batch) {
            return Err(self.fail(&error));
        }
        self.kv.push(token);
        Ok(())
    }

    /// A decode failure leaves the cache in an unknown state: start from scratch next time.
    fn fail(&mut self, error: &dyn std::fmt::Display) -> ProviderError {
        self.kv.clear(&mut self.ctx);
        ProviderError::Server {
            status: 500,
            message: format!("local model decode failed: {error}"),
            retry_after: None,
        }
    }

    /// A grammar sampler for the call that starts at `start` in `text`, already fed the part of
    /// the call written so far.
    fn start_grammar(
        &self,
        plan: &GrammarPlan,
        start: CallStart,
        text: &str,
    ) -> Option<LlamaSampler> {
        let mut grammar = match LlamaSampler::grammar(self.model, &plan.gbnf, start.form.root()) {
            Ok(grammar) => grammar,
            Err(error) => {
                tracing::warn!(%error, "llama.cpp rejected the tool-call grammar");
                return None;
            }
        };
        let written = &text[start.offset..];
        for token in self.model.vocab().tokenize(written.as_bytes(), false, true) {
            if grammar.try_accept(token).is_err() {
                tracing::debug!(written, "tool call does not fit the grammar; leaving it free");
                return None;
            }
        }
        Some(grammar)
    }
}

/// Generated bytes turned into text as soon as they form complete UTF-8 characters (a token
/// can end in the middle of one).
#[derive(Debug, Default)]
struct Utf8Output {
    pending: Vec<u8>,
    text: String,
}

impl Utf8Output {
    fn push(&mut self, bytes: &[u8]) -> Option<String> {
        self.pending.extend_from_slice(bytes);
        let mut new = String::new();
        loop {
            match std::str::from_utf8(&self.pending) {
                Ok(all) => {
                    new.push_str(all);
                    self.pending.clear();
                    break;
                }
                Err(e) => {
                    let valid = e.valid_up_to();
                    new.push_str(&String::from_utf8_lossy(&self.pending[..valid]));
                    match e.error_len() {
                        // Incomplete character at the end: wait for the next token.
                        None => {
                            self.pending.drain(..valid);
                            break;
                        }
                        Some(bad) => {
                            new.push(char::REPLACEMENT_CHARACTER);
                            self.pending.drain(..valid + bad);
                        }
                    }
                }
            }
        }
        self.text.push_str(&new);
        (!new.is_empty()).then_some(new)
    }
}

#[cfg(test)]
mod tests {
    use super::Utf8Output;

    #[test]
    fn characters_split_across_tokens() {
        let mut out = Utf8Output::default();
        let euro = "€".as_bytes();
        assert_eq!(out.push(b"a"), Some("a".into()));
        assert_eq!(out.push(&euro[..1]), None);
        assert_eq!(out.push(&euro[1..]), Some("€".into()));
        assert_eq!(out.push(&[0xff, b'b']), Some("\u{fffd}b".into()));
        assert_eq!(out.text, "a€\u{fffd}b");
    }
}
