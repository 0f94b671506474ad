use super::*;
use pretty_assertions::assert_eq;

fn ev(event: &str, data: &str) -> SseEvent {
    SseEvent { event: event.to_string(), data: data.to_string() }
}

/// Decodes `chunks` in order, including the end of stream.
fn decode(chunks: &[&[u8]]) -> Result<Vec<SseEvent>, ProviderError> {
    let mut decoder = SseDecoder::new();
    let mut out = Vec::new();
    for chunk in chunks {
        decoder.push(chunk, &mut out)?;
    }
    decoder.finish(&mut out)?;
    Ok(out)
}

/// Every way of cutting `input` into two chunks, and byte-by-byte, gives the same events.
fn assert_split_invariant(input: &[u8], expected: &[SseEvent]) {
    assert_eq!(decode(&[input]).unwrap(), expected, "whole");
    for cut in 0..=input.len() {
        let (a, b) = input.split_at(cut);
        assert_eq!(decode(&[a, b]).unwrap(), expected, "cut at {cut}");
    }
    let bytes: Vec<&[u8]> = input.chunks(1).collect();
    assert_eq!(decode(&bytes).unwrap(), expected, "byte by byte");
}

#[test]
fn decodes_named_events_and_default_names() {
    let input = b"event: ping\ndata: {\"type\":\"ping\"}\n\ndata: plain\n\n";
    assert_split_invariant(input, &[ev("ping", "{\"type\":\"ping\"}"), ev("message", "plain")]);
}

#[test]
fn joins_multi_line_data_with_newlines() {
    let input = b"data: first\ndata:second\ndata:  third\ndata\n\n";
    assert_split_invariant(input, &[ev("message", "first\nsecond\n third\n")]);
}

#[test]
fn accepts_crlf_and_cr_line_endings() {
    let crlf = b"event: a\r\ndata: 1\r\n\r\nevent: b\r\ndata: 2\r\n\r\n";
    assert_split_invariant(crlf, &[ev("a", "1"), ev("b", "2")]);
    let cr = b"event: a\rdata: 1\r\rdata: 2\r\r";
    assert_split_invariant(cr, &[ev("a", "1"), ev("message", "2")]);
}

#[test]
fn crlf_split_across_chunks_is_one_line_end() {
    // Were the CR taken as a line end on its own, the LF would be a blank line and dispatch
    // "a" as a separate event.
    let events = decode(&[b"data: a\r", b"\ndata: b\r\n\r\n"]).unwrap();
    assert_eq!(events, vec![ev("message", "a\nb")]);
}

#[test]
fn ignores_comments_ids_retries_and_unknown_fields() {
    let input = b": keep-alive\n\nid: 7\nretry: 1000\nfoo: bar\ndata: x\n:comment inside\n\n";
    assert_split_invariant(input, &[ev("message", "x")]);
}

#[test]
fn events_without_data_are_dropped() {
    let input = b"event: ping\n\nevent: empty\ndata:\n\n";
    assert_split_invariant(input, &[ev("empty", "")]);
}

#[test]
fn final_event_without_blank_line_is_delivered() {
    assert_split_invariant(b"data: [DONE]", &[ev("message", "[DONE]")]);
    assert_split_invariant(b"data: a\n\ndata: b\n", &[ev("message", "a"), ev("message", "b")]);
    assert_split_invariant(b"data: a\r", &[ev("message", "a")]);
}

#[test]
fn byte_order_mark_is_skipped_only_at_the_start() {
    assert_split_invariant(b"\xEF\xBB\xBFdata: a\n\n", &[ev("message", "a")]);
    let events = decode(&[b"data: a\n\n\xEF\xBB\xBFdata: b\n\n"]).unwrap();
    // A BOM later on makes the line's field name "\u{feff}data", which is ignored.
    assert_eq!(events, vec![ev("message", "a")]);
}

#[test]
fn multibyte_characters_split_across_chunks_survive() {
    let input = "data: héllo wörld ✓\n\n".as_bytes();
    assert_split_invariant(input, &[ev("message", "héllo wörld ✓")]);
}

#[test]
fn invalid_utf8_is_malformed() {
    let error = decode(&[b"data: \xFF\xFE\n\n"]).unwrap_err();
    assert_eq!(error.kind(), "malformed");
    let error = decode(&[b"data: \xC3"]).unwrap_err();
    assert_eq!(error.kind(), "malformed");
}

#[test]
fn events_before_a_bad_line_are_kept() {
    let mut decoder = SseDecoder::new();
    let mut out = Vec::new();
    assert!(decoder.push(b"data: a\n\ndata: \xFF\n\n", &mut out).is_err());
    assert_eq!(out, vec![ev("message", "a")]);
}

#[test]
fn empty_input_gives_nothing() {
    assert_eq!(decode(&[]).unwrap(), vec![]);
    assert_eq!(decode(&[b"", b"\n\n\r\n"]).unwrap(), vec![]);
}

#[test]
fn arbitrary_bytes_never_panic() {
    let mut rng = fastrand::Rng::with_seed(7);
    let alphabet = b"data: event:\r\n\n\r:x\xFF\xC3\xA9";
    for _ in 0..2_000 {
        let len = rng.usize(0..64);
        let input: Vec<u8> = (0..len).map(|_| alphabet[rng.usize(0..alphabet.len())]).collect();
        let mut decoder = SseDecoder::new();
        let mut out = Vec::new();
        for chunk in input.chunks(rng.usize(1..8)) {
            if decoder.push(chunk, &mut out).is_err() {
                break;
            }
        }
        let _ = decoder.finish(&mut out);
    }
}
