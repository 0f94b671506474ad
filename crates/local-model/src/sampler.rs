//! Choosing the next token: greedy or temperature sampling, optionally under a grammar.
//!
//! The grammar check is the expensive part (it walks the whole vocabulary), so the token the
//! model prefers is tried first and the full grammar pass runs only when that token is rejected.

use llama_cpp_2::context::LlamaContext;
use llama_cpp_2::sampling::LlamaSampler;
use llama_cpp_2::token::LlamaToken;
use llama_cpp_2::token::data::LlamaTokenData;
use llama_cpp_2::token::data_array::LlamaTokenDataArray;

/// Candidates kept before temperature sampling.
const TOP_K: i32 = 40;
/// Nucleus kept before temperature sampling.
const TOP_P: f32 = 0.95;

/// Picks tokens for one generation.
pub(crate) struct Picker {
    random: Option<LlamaSampler>,
    grammar: Option<LlamaSampler>,
}

impl std::fmt::Debug for Picker {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Picker")
            .field("random", &self.random.is_some())
            .field("grammar", &self.grammar.is_some())
            .finish()
    }
}

impl Picker {
    /// Greedy when `temperature` is absent or zero, otherwise top-k/top-p sampling.
    pub(crate) fn new(temperature: Option<f32>, seed: u32) -> Self {
        let random = temperature.filter(|t| *t > 0.0).map(|t| {
            LlamaSampler::chain_simple([
                LlamaSampler::top_k(TOP_K),
                LlamaSampler::top_p(TOP_P, 1),
                LlamaSampler::temp(t),
                LlamaSampler::dist(seed),
            ])
        });
        Self { random, grammar: None }
    }

    /// Constrains every following token with `grammar`.
    pub(crate) fn set_grammar(&mut self, grammar: LlamaSampler) {
        self.grammar = Some(grammar);
    }

    /// The next token from the logits of batch position `idx`, or `None` when the grammar
    /// allows no token at all.
    pub(crate) fn pick(&mut self, ctx: &LlamaContext<'_>, idx: i32) -> Option<LlamaToken> {
        let logits = ctx.get_logits_ith(idx);
        let preferred = match &mut self.random {
            None => argmax(logits)?,
            Some(chain) => sample(chain, all_candidates(logits))?,
        };
        let Some(grammar) = &mut self.grammar else {
            return Some(preferred);
        };
        let logit = logits.get(usize::try_from(preferred.0).ok()?).copied()?;
        let mut single =
            LlamaTokenDataArray::new(vec![LlamaTokenData::new(preferred, logit, 0.0)], false);
        single.apply_sampler(grammar);
        let token = if single.data.first().is_some_and(|d| d.logit().is_finite()) {
            preferred
        } else {
            let mut allowed = all_candidates(logits);
            allowed.apply_sampler(grammar);
            match &mut self.random {
                None => best(&allowed)?,
                Some(chain) => sample(chain, allowed)?,
            }
        };
        Some(token)
    }

    /// Advances the grammar past `token` (a token `pick` chose). Should the grammar refuse it,
    /// the rest of the output goes unconstrained rather than failing.
    pub(crate) fn accept(&mut self, token: LlamaToken) {
        if let Some(grammar) = &mut self.grammar
            && grammar.try_accept(token).is_err()
        {
            tracing::debug!(token = token.0, "grammar refused a token; constraint dropped");
            self.grammar = None;
        }
    }
}

fn all_candidates(logits: &[f32]) -> LlamaTokenDataArray {
    LlamaTokenDataArray::from_iter(
        (0..).zip(logits).map(|(id, &logit)| LlamaTokenData::new(LlamaToken::new(id), logit, 0.0)),
        false,
    )
}

fn argmax(logits: &[f32]) -> Option<LlamaToken> {
    let (index, _) = logits
        .iter()
        .enumerate()
        .filter(|(_, l)| l.is_finite())
        .max_by(|a, b| a.1.total_cmp(b.1))?;
    Some(LlamaToken::new(i32::try_from(index).ok()?))
}

fn best(candidates: &LlamaTokenDataArray) -> Option<LlamaToken> {
    candidates
        .data
        .iter()
        .filter(|d| d.logit().is_finite())
        .max_by(|a, b| a.logit().total_cmp(&b.logit()))
        .map(LlamaTokenData::id)
}

fn sample(chain: &mut LlamaSampler, mut candidates: LlamaTokenDataArray) -> Option<LlamaToken> {
    if !candidates.data.iter().any(|d| d.logit().is_finite()) {
        return None;
    }
    candidates.apply_sampler(chain);
    candidates.selected_token()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn argmax_ignores_non_finite_logits() {
        assert_eq!(argmax(&[0.5, f32::NAN, 2.0, 1.0]), Some(LlamaToken::new(2)));
        assert_eq!(argmax(&[f32::NEG_INFINITY, f32::NEG_INFINITY]), None);
        assert_eq!(argmax(&[]), None);
    }

    #[test]
    fn best_skips_rejected_candidates() {
        let mut array = all_candidates(&[3.0, 1.0, 2.0]);
        array.data[0].set_logit(f32::NEG_INFINITY);
        assert_eq!(best(&array), Some(LlamaToken::new(2)));
    }

    #[test]
    fn sampling_with_a_fixed_seed_stays_among_the_top_tokens() {
        let mut picker = Picker::new(Some(0.7), 42);
        let chain = picker.random.as_mut().map(|c| sample(c, all_candidates(&[0.0, 9.0, 8.5])));
        assert!(matches!(chain, Some(Some(t)) if t.0 == 1 || t.0 == 2));
    }
}
