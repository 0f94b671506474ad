//! Helpers for the unit tests: running decoders over recorded bytes, and a one-shot loopback
//! HTTP server for checking what providers send.

use crate::ProviderError;
use crate::stream::{StreamDecoder, event_stream};
use bytes::Bytes;
use futures::StreamExt;
use rein_protocol::ProviderEvent;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;
use tokio::task::JoinHandle;

pub(crate) type Item = Result<ProviderEvent, ProviderError>;

/// Runs `decoder` over `chunks` as one response body.
pub(crate) async fn decode<D: StreamDecoder>(decoder: D, chunks: Vec<Vec<u8>>) -> Vec<Item> {
    let body = futures::stream::iter(chunks.into_iter().map(|c| Ok(Bytes::from(c))));
    event_stream(body, decoder).collect().await
}

/// Asserts that `input` decodes to `expected` whole, cut in two at every position, and in
/// small odd-sized chunks.
pub(crate) async fn assert_split_invariant<D: StreamDecoder>(
    make: impl Fn() -> D,
    input: &[u8],
    expected: &[Item],
) {
    assert_eq!(decode(make(), vec![input.to_vec()]).await, expected, "whole body");
    for cut in 0..=input.len() {
        let (a, b) = input.split_at(cut);
        let items = decode(make(), vec![a.to_vec(), b.to_vec()]).await;
        assert_eq!(items, expected, "cut at byte {cut}");
    }
    for size in [1, 3, 7] {
        let chunks = input.chunks(size).map(<[u8]>::to_vec).collect();
        assert_eq!(decode(make(), chunks).await, expected, "chunks of {size}");
    }
}

/// Turns a readable SSE transcript into wire bytes with the given line ending.
pub(crate) fn wire(text: &str, line_ending: &str) -> Vec<u8> {
    text.replace('\n', line_ending).into_bytes()
}

/// Serves one HTTP request on loopback with `response` (a complete raw HTTP response) and
/// returns the base URL and a handle yielding the raw request it received.
pub(crate) async fn one_shot_server(response: String) -> (String, JoinHandle<String>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let handle = tokio::spawn(async move {
        let (mut socket, _) = listener.accept().await.unwrap();
        let request = read_request(&mut socket).await;
        socket.write_all(response.as_bytes()).await.unwrap();
        socket.shutdown().await.unwrap();
        request
    });
    (url, handle)
}

async fn read_request(socket: &mut tokio::net::TcpStream) -> String {
    let mut buf = Vec::new();
    let mut chunk = [0u8; 4096];
    loop {
        let n = socket.read(&mut chunk).await.unwrap();
        assert!(n > 0, "client closed before sending a full request");
        buf.extend_from_slice(&chunk[..n]);
        let text = String::from_utf8_lossy(&buf);
        let Some(head_end) = text.find("\r\n\r\n") else {
            continue;
        };
        let length = text[..head_end]
            .lines()
            .find_map(|l| {
                l.to_ascii_lowercase().strip_prefix("content-length:").map(|v| v.trim().to_string())
            })
            .map_or(0, |v| v.parse::<usize>().unwrap());
        if buf.len() >= head_end + 4 + length {
            return String::from_utf8(buf).unwrap();
        }
    }
}

/// A raw HTTP response with the given status line, extra headers and body.
pub(crate) fn http_response(status: &str, headers: &[&str], body: &str) -> String {
    let mut out =
        format!("HTTP/1.1 {status}\r\ncontent-length: {}\r\nconnection: close\r\n", body.len());
    for header in headers {
        out.push_str(header);
        out.push_str("\r\n");
    }
    out.push_str("\r\n");
    out.push_str(body);
    out
}
