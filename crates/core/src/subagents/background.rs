//! Subagents running in the background: the main session goes on working, and each result
//! arrives later as a notification in the conversation.

use std::sync::{Mutex, MutexGuard, PoisonError};
use tokio::sync::Notify;

/// A finished background subagent, as the main session's model is told.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Notification {
    pub(crate) agent_id: String,
    pub(crate) agent_type: String,
    pub(crate) description: String,
    /// `completed`, `failed` or `interrupted`.
    pub(crate) status: &'static str,
    /// The subagent's answer with its footer.
    pub(crate) result: String,
}

impl Notification {
    /// The block the model reads. Tagged so it is not taken for the user's words.
    pub(crate) fn render(&self) -> String {
        format!(
            "<agent-notification>\nA background subagent finished (this is a notice from rein, \
             not a message from the user).\nagent: {} ({})\ntask: {}\nstatus: {}\nresult:\n{}\n\
             </agent-notification>",
            self.agent_id, self.agent_type, self.description, self.status, self.result
        )
    }
}

/// The background subagents of one session.
#[derive(Debug, Default)]
pub(crate) struct Background {
    state: Mutex<State>,
    changed: Notify,
}

#[derive(Debug, Default)]
struct State {
    running: Vec<String>,
    finished: Vec<Notification>,
}

impl Background {
    fn state(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    pub(crate) fn started(&self, agent_id: &str) {
        self.state().running.push(agent_id.to_owned());
    }

    pub(crate) fn finished(&self, notification: Notification) {
        let mut state = self.state();
        state.running.retain(|id| *id != notification.agent_id);
        state.finished.push(notification);
        drop(state);
        self.changed.notify_waiters();
    }

    /// Notifications not yet delivered, oldest first.
    pub(crate) fn take(&self) -> Vec<Notification> {
        std::mem::take(&mut self.state().finished)
    }

    /// Whether results wait to be delivered.
    pub(crate) fn has_finished(&self) -> bool {
        !self.state().finished.is_empty()
    }

    /// Subagents still running.
    pub(crate) fn running(&self) -> usize {
        self.state().running.len()
    }

    /// Waits until a running subagent finishes (or returns at once when one already has, or
    /// none is running).
    pub(crate) async fn next(&self) {
        loop {
            let notified = self.changed.notified();
            {
                let state = self.state();
                if !state.finished.is_empty() || state.running.is_empty() {
                    return;
                }
            }
            notified.await;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;

    fn done(id: &str) -> Notification {
        Notification {
            agent_id: id.into(),
            agent_type: "general".into(),
            description: "d".into(),
            status: "completed",
            result: "r".into(),
        }
    }

    #[tokio::test]
    async fn waiting_ends_when_a_subagent_finishes() {
        let background = Arc::new(Background::default());
        background.next().await; // nothing running: returns at once
        background.started("a1");
        assert_eq!(background.running(), 1);
        let waiter = tokio::spawn({
            let background = background.clone();
            async move { background.next().await }
        });
        tokio::task::yield_now().await;
        background.finished(done("a1"));
        waiter.await.unwrap();
        assert_eq!(background.running(), 0);
        assert_eq!(background.take(), vec![done("a1")]);
        assert!(background.take().is_empty());
        assert!(done("a1").render().contains("not a message from the user"));
    }
}
