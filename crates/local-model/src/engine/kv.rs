//! Bookkeeping for the KV cache: which tokens it holds, so the next prompt only has to decode
//! what differs from the last one.

use llama_cpp_2::context::LlamaContext;
use llama_cpp_2::token::LlamaToken;

/// The tokens whose keys and values sit in sequence 0 of the context, by position.
#[derive(Debug, Default)]
pub(crate) struct KvCache {
    tokens: Vec<LlamaToken>,
}

impl KvCache {
    /// Number of cached positions.
    pub(crate) fn len(&self) -> usize {
        self.tokens.len()
    }

    /// Records a token just decoded at position `len()`.
    pub(crate) fn push(&mut self, token: LlamaToken) {
        self.tokens.push(token);
    }

    /// Keeps the longest cached prefix of `prompt` and drops the rest from the context. At
    /// least one prompt token is always left to decode, because sampling needs its logits.
    /// Returns how many prompt tokens are reused.
    pub(crate) fn reuse_prefix(
        &mut self,
        ctx: &mut LlamaContext<'_>,
        prompt: &[LlamaToken],
    ) -> usize {
        let keep = reusable(&self.tokens, prompt);
        if keep < self.tokens.len() {
            let removed = u32::try_from(keep)
                .ok()
                .and_then(|p0| ctx.clear_kv_cache_seq(Some(0), Some(p0), None).ok())
                .unwrap_or(false);
            if !removed {
                self.clear(ctx);
                return 0;
            }
            self.tokens.truncate(keep);
        }
        keep
    }

    /// Empties the cache, e.g. after a failed decode left it in an unknown state.
    pub(crate) fn clear(&mut self, ctx: &mut LlamaContext<'_>) {
        ctx.clear_kv_cache();
        self.tokens.clear();
    }
}

/// How many leading tokens of `prompt` can be served from `cached`.
fn reusable(cached: &[LlamaToken], prompt: &[LlamaToken]) -> usize {
    let common = cached.iter().zip(prompt).take_while(|(a, b)| a == b).count();
    common.min(prompt.len().saturating_sub(1))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn toks(ids: &[i32]) -> Vec<LlamaToken> {
        ids.iter().copied().map(LlamaToken::new).collect()
    }

    #[test]
    fn longest_common_prefix() {
        assert_eq!(reusable(&toks(&[1, 2, 3, 4]), &toks(&[1, 2, 9, 4, 5])), 2);
        assert_eq!(reusable(&toks(&[]), &toks(&[1, 2])), 0);
        assert_eq!(reusable(&toks(&[1, 2, 3]), &toks(&[1, 2, 3, 4, 5])), 3);
    }

    #[test]
    fn one_prompt_token_is_always_decoded() {
        assert_eq!(reusable(&toks(&[1, 2, 3]), &toks(&[1, 2, 3])), 2);
        assert_eq!(reusable(&toks(&[1, 2, 3, 4]), &toks(&[1, 2])), 1);
        assert_eq!(reusable(&toks(&[1]), &toks(&[])), 0);
    }
}
