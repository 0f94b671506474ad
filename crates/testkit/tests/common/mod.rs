//! Helpers shared by the integration tests: posting requests and parsing SSE.

#![allow(dead_code, unreachable_pub, reason = "each test binary uses a subset")]
#![allow(clippy::unwrap_used, clippy::panic, reason = "test helpers fail loudly by design")]

use futures::StreamExt as _;
use serde_json::Value;

/// One server-sent event.
#[derive(Debug, Clone, PartialEq)]
pub struct SseEvent {
    pub event: Option<String>,
    pub data: String,
}

impl SseEvent {
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.data).unwrap()
    }
}

/// Parses a complete SSE body.
pub fn parse_sse(body: &str) -> Vec<SseEvent> {
    let mut events = Vec::new();
    for block in body.split("\n\n").filter(|b| !b.trim().is_empty()) {
        let mut event = None;
        let mut data = Vec::new();
        for line in block.lines() {
            if let Some(name) = line.strip_prefix("event: ") {
                event = Some(name.to_owned());
            } else if let Some(value) = line.strip_prefix("data: ") {
                data.push(value);
            } else {
                panic!("unexpected SSE line {line:?}");
            }
        }
        events.push(SseEvent { event, data: data.join("\n") });
    }
    events
}

/// What a response delivered before it ended, cleanly or not.
#[derive(Debug)]
pub struct Received {
    pub status: u16,
    pub headers: reqwest::header::HeaderMap,
    pub body: String,
    /// Whether reading the body failed (the connection was cut).
    pub body_error: bool,
}

impl Received {
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.body).unwrap()
    }

    pub fn events(&self) -> Vec<SseEvent> {
        parse_sse(&self.body)
    }

    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).map(|v| v.to_str().unwrap())
    }
}

pub async fn post(url: &str, body: &Value) -> Received {
    post_with(&reqwest::Client::new(), url, body, &[]).await
}

pub async fn post_with(
    client: &reqwest::Client,
    url: &str,
    body: &Value,
    headers: &[(&str, &str)],
) -> Received {
    let mut request = client.post(url).json(body);
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    let response = request.send().await.unwrap();
    let status = response.status().as_u16();
    let headers = response.headers().clone();
    let mut stream = response.bytes_stream();
    let mut bytes = Vec::new();
    let mut body_error = false;
    while let Some(chunk) = stream.next().await {
        match chunk {
            Ok(chunk) => bytes.extend_from_slice(&chunk),
            Err(_) => {
                body_error = true;
                break;
            }
        }
    }
    Received { status, headers, body: String::from_utf8(bytes).unwrap(), body_error }
}

/// Event names of an Anthropic stream, in order.
pub fn names(events: &[SseEvent]) -> Vec<&str> {
    events.iter().map(|e| e.event.as_deref().unwrap_or("")).collect()
}

/// The concatenated Anthropic deltas of block `index` for field `field` (`text`,
/// `thinking`, `partial_json`), and how many deltas carried it.
pub fn block_deltas(events: &[SseEvent], index: u64, field: &str) -> (String, usize) {
    let mut out = String::new();
    let mut count = 0;
    for event in events.iter().filter(|e| e.event.as_deref() == Some("content_block_delta")) {
        let json = event.json();
        if json["index"] == index
            && let Some(piece) = json["delta"][field].as_str()
        {
            out.push_str(piece);
            count += 1;
        }
    }
    (out, count)
}

/// OpenAI chunks (everything but `[DONE]`) as JSON.
pub fn chunks(events: &[SseEvent]) -> Vec<Value> {
    events.iter().filter(|e| e.data != "[DONE]").map(SseEvent::json).collect()
}

/// The concatenated OpenAI delta field `field` of choice 0, and how many chunks carried it.
pub fn delta_text(chunks: &[Value], field: &str) -> (String, usize) {
    let mut out = String::new();
    let mut count = 0;
    for chunk in chunks {
        if let Some(piece) = chunk["choices"][0]["delta"][field].as_str() {
            out.push_str(piece);
            count += 1;
        }
    }
    (out, count)
}
