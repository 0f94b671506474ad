//! How a running session reaches the interface: its events, its approval requests and the
//! model's questions all travel over one channel to the loop that owns the screen.

use rein_core::{Approval, ApprovalRequest, Approver, EventSink};
use rein_protocol::Event;
use rein_tools::UserPrompter;
use tokio::sync::{mpsc, oneshot};

/// What the session side sends to the interface.
pub(crate) enum ToUi {
    Event(Event),
    Approval(ApprovalRequest, oneshot::Sender<Approval>),
    Question { question: String, options: Vec<String>, answer: oneshot::Sender<Option<String>> },
}

pub(crate) type UiSender = mpsc::UnboundedSender<ToUi>;

/// Forwards session events to the interface.
pub(crate) struct ChannelSink(pub(crate) UiSender);

impl EventSink for ChannelSink {
    fn emit(&self, event: Event) {
        // The interface is gone only when rein is leaving; the event has nowhere to go.
        let _ = self.0.send(ToUi::Event(event));
    }
}

/// Asks the interface about tool calls.
pub(crate) struct ChannelApprover(pub(crate) UiSender);

#[async_trait::async_trait]
impl Approver for ChannelApprover {
    async fn approve(&self, request: &ApprovalRequest) -> Approval {
        let (answer, wait) = oneshot::channel();
        if self.0.send(ToUi::Approval(request.clone(), answer)).is_err() {
            return Approval::Deny;
        }
        // A dropped answer means the interface closed: nobody said yes.
        wait.await.unwrap_or(Approval::Deny)
    }
}

/// Puts the model's questions to the user.
pub(crate) struct ChannelPrompter(pub(crate) UiSender);

#[async_trait::async_trait]
impl UserPrompter for ChannelPrompter {
    async fn ask(&self, question: &str, options: &[String]) -> Option<String> {
        let (answer, wait) = oneshot::channel();
        let message =
            ToUi::Question { question: question.to_string(), options: options.to_vec(), answer };
        self.0.send(message).ok()?;
        wait.await.ok().flatten()
    }
}
