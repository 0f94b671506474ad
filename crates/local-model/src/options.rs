//! Settings of the embedded model.

/// How the local model runs. Every field has a sensible default; see [`LocalOptions::default`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LocalOptions {
    /// Context window in tokens (prompt plus answer). Default 8192.
    pub n_ctx: u32,
    /// Inference threads; `None` uses every available core.
    pub threads: Option<u32>,
    /// Upper bound on generated tokens per call; requests may ask for fewer. Default 1024.
    pub max_new_tokens: u32,
    /// Constrain tool calls with a grammar once the model starts one. Default true.
    pub tool_grammar: bool,
    /// How the model acts: JSON tool calls (default) or code blocks.
    pub reply_format: ReplyFormat,
}

impl Default for LocalOptions {
    fn default() -> Self {
        Self {
            n_ctx: 8192,
            threads: None,
            max_new_tokens: 1024,
            tool_grammar: true,
            reply_format: ReplyFormat::Tools,
        }
    }
}

impl LocalOptions {
    /// The thread count to use: the configured one, or the number of cores.
    pub(crate) fn thread_count(&self) -> i32 {
        let n = match self.threads {
            Some(n) if n > 0 => n,
            _ => std::thread::available_parallelism().map_or(1, |n| n.get() as u32),
        };
        i32::try_from(n).unwrap_or(i32::MAX)
    }
}

/// How the model acts on the workspace.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum ReplyFormat {
    /// Tool calls, listed through the chat template: what OpenAI-style clients expect.
    #[default]
    Tools,
    /// Whole files in fenced code blocks after their path, commands in ```` ```sh ```` blocks,
    /// turned into calls of the request's `write` and `bash` tools. Small models edit files far
    /// more reliably this way. Requests that offer neither tool fall back to [`Self::Tools`].
    Blocks,
}

/// When the model must call a tool.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum ToolChoice {
    /// The model answers in prose or calls a tool; the grammar applies once a call starts.
    #[default]
    Auto,
    /// Every answer is a tool call (when the request offers tools): the grammar applies from the
    /// first token. Very small models often need this to call tools at all.
    Required,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults() {
        let o = LocalOptions::default();
        assert_eq!(
            (o.n_ctx, o.threads, o.max_new_tokens, o.tool_grammar),
            (8192, None, 1024, true)
        );
        assert!(o.thread_count() >= 1);
        assert_eq!(LocalOptions { threads: Some(3), ..o }.thread_count(), 3);
    }
}
