//! The status line: what is running, and the session's model, mode, context use and cost.

use crate::theme::Theme;
use ratatui::text::{Line, Span};
use std::time::Duration;

/// The facts the status line shows; the owner keeps them current.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Status {
    /// Session id.
    pub session_id: String,
    /// Model id.
    pub model: String,
    /// Permission mode (`ask`, `accept-edits`, …).
    pub permission_mode: String,
    /// The model's context window in tokens (0 when unknown).
    pub context_window: u64,
    /// Tokens the conversation took at the last model call.
    pub context_tokens: u64,
    /// Tokens of the whole session.
    pub session_tokens: u64,
    /// Cost of the session in dollars (0 when unknown or local).
    pub cost_usd: f64,
}

impl Status {
    /// The context used, in percent of the window.
    pub fn context_percent(&self) -> Option<u64> {
        (self.context_window > 0)
            .then(|| (self.context_tokens * 100 / self.context_window).min(100))
    }

    /// The right-hand side: model · mode · context · tokens · cost.
    pub(crate) fn facts(&self) -> String {
        let mut parts = vec![self.model.clone(), self.permission_mode.clone()];
        if let Some(percent) = self.context_percent() {
            parts.push(format!("ctx {percent}%"));
        }
        if self.session_tokens > 0 {
            parts.push(format!("{} tok", tokens(self.session_tokens)));
        }
        if self.cost_usd > 0.0 {
            parts.push(format!("${:.3}", self.cost_usd));
        }
        parts.retain(|part| !part.is_empty());
        parts.join(" · ")
    }
}

/// The left-hand side: the running turn, or a hint.
pub(crate) fn activity(
    running: Option<Duration>,
    ctrl_c_pending: bool,
    theme: Theme,
) -> Line<'static> {
    if ctrl_c_pending {
        return Line::styled("press Ctrl-C again to exit", theme.warning());
    }
    match running {
        Some(elapsed) => {
            const FRAMES: [&str; 4] = ["◐", "◓", "◑", "◒"];
            let frame = FRAMES[(elapsed.as_millis() / 250) as usize % FRAMES.len()];
            Line::from(vec![
                Span::styled(format!("{frame} working {}s", elapsed.as_secs()), theme.accent()),
                Span::styled(" · esc to interrupt", theme.dim()),
            ])
        }
        None => {
            Line::styled("/ for commands · ctrl-o tool details · ctrl-c ctrl-c exit", theme.dim())
        }
    }
}

/// Token counts as people read them: 950, 12.3k, 1.2M.
pub fn tokens(count: u64) -> String {
    match count {
        0..1_000 => count.to_string(),
        1_000..1_000_000 => format!("{:.1}k", count as f64 / 1_000.0),
        _ => format!("{:.1}M", count as f64 / 1_000_000.0),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn facts_name_model_mode_context_tokens_and_cost() {
        let status = Status {
            model: "claude-sonnet-4-5".into(),
            permission_mode: "accept-edits".into(),
            context_window: 200_000,
            context_tokens: 50_000,
            session_tokens: 123_456,
            cost_usd: 0.0421,
            ..Status::default()
        };
        assert_eq!(
            status.facts(),
            "claude-sonnet-4-5 · accept-edits · ctx 25% · 123.5k tok · $0.042"
        );
        let local = Status { model: "qwen".into(), ..Status::default() };
        assert_eq!(local.facts(), "qwen");
    }
}
