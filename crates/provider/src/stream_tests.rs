use super::*;
use futures::stream;

/// Emits each event's data as text; `[DONE]` ends, `fail` errors, and a body that ends early
/// is a cut unless `complete_on_end`.
struct Echo {
    complete_on_end: bool,
}

impl StreamDecoder for Echo {
    fn on_event(
        &mut self,
        event: SseEvent,
        out: &mut Vec<ProviderEvent>,
    ) -> Result<Flow, ProviderError> {
        match event.data.as_str() {
            "[DONE]" => Ok(Flow::Done),
            "fail" => {
                out.push(ProviderEvent::TextDelta { text: "before failing".into() });
                Err(ProviderError::malformed("asked to fail"))
            }
            text => {
                out.push(ProviderEvent::TextDelta { text: text.to_string() });
                Ok(Flow::Continue)
            }
        }
    }

    fn on_end(&mut self, out: &mut Vec<ProviderEvent>) -> Result<(), ProviderError> {
        if self.complete_on_end {
            out.push(ProviderEvent::TextDelta { text: "end".into() });
            Ok(())
        } else {
            Err(ProviderError::stream_cut("no [DONE]"))
        }
    }
}

fn text(t: &str) -> Item {
    Ok(ProviderEvent::TextDelta { text: t.to_string() })
}

async fn run(
    chunks: Vec<Result<&'static [u8], ProviderError>>,
    complete_on_end: bool,
) -> Vec<Item> {
    let body = stream::iter(chunks.into_iter().map(|c| c.map(Bytes::from_static)));
    event_stream(body, Echo { complete_on_end }).collect().await
}

#[tokio::test]
async fn delivers_events_and_stops_at_done_without_reading_further() {
    let items = run(
        vec![
            Ok(b"data: a\n\ndata: b\n"),
            Ok(b"\ndata: [DONE]\n\ndata: \xFF\n\n"),
            Ok(b"data: c\n\n"),
        ],
        false,
    )
    .await;
    assert_eq!(items, vec![text("a"), text("b")]);
}

#[tokio::test]
async fn body_end_without_done_asks_the_decoder() {
    let items = run(vec![Ok(b"data: a\n\ndata: b")], false).await;
    assert_eq!(items, vec![text("a"), text("b"), Err(ProviderError::stream_cut("no [DONE]"))]);
    let items = run(vec![Ok(b"data: a\n\n")], true).await;
    assert_eq!(items, vec![text("a"), text("end")]);
}

#[tokio::test]
async fn a_decoder_error_ends_the_stream_after_earlier_events() {
    let items =
        run(vec![Ok(b"data: a\n\ndata: fail\n\ndata: b\n\n"), Ok(b"data: c\n\n")], false).await;
    assert_eq!(
        items,
        vec![text("a"), text("before failing"), Err(ProviderError::malformed("asked to fail"))]
    );
}

#[tokio::test]
async fn a_read_error_ends_the_stream() {
    let transport = ProviderError::Transport { message: "reset".into() };
    let items =
        run(vec![Ok(b"data: a\n\n"), Err(transport.clone()), Ok(b"data: b\n\n")], false).await;
    assert_eq!(items, vec![text("a"), Err(transport)]);
}

#[tokio::test]
async fn invalid_utf8_is_a_malformed_item() {
    let items = run(vec![Ok(b"data: a\n\ndata: \xFF\n\n")], false).await;
    assert_eq!(items.len(), 2);
    assert_eq!(items[0], text("a"));
    assert_eq!(items[1].as_ref().unwrap_err().kind(), "malformed");
}
