//! A pre-rendered HTTP response and its conversion into an axum response.

use axum::body::Body;
use axum::http::header::{CACHE_CONTROL, CONTENT_TYPE};
use axum::http::{HeaderName, HeaderValue, StatusCode};
use axum::response::Response;
use bytes::Bytes;
use futures::{StreamExt as _, stream};
use serde_json::Value;
use std::io;

pub(crate) const JSON: &str = "application/json";
pub(crate) const EVENT_STREAM: &str = "text/event-stream; charset=utf-8";

/// Everything a response sends, rendered before the first byte goes out so streaming costs
/// nothing but writes.
#[derive(Debug)]
pub(crate) struct Rendered {
    pub(crate) status: StatusCode,
    pub(crate) content_type: &'static str,
    pub(crate) headers: Vec<(&'static str, String)>,
    /// Body chunks; each SSE event is one chunk.
    pub(crate) chunks: Vec<Bytes>,
    /// End by aborting the connection instead of finishing the body.
    pub(crate) abort: bool,
}

impl Rendered {
    /// A complete JSON response.
    pub(crate) fn json(status: u16, body: &Value) -> Self {
        Self {
            status: StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR),
            content_type: JSON,
            headers: Vec::new(),
            chunks: vec![Bytes::from(body.to_string())],
            abort: false,
        }
    }

    /// A 200 event stream of `chunks`.
    pub(crate) fn event_stream(chunks: Vec<Bytes>, abort: bool) -> Self {
        Self {
            status: StatusCode::OK,
            content_type: EVENT_STREAM,
            headers: Vec::new(),
            chunks,
            abort,
        }
    }

    /// A JSON body that stops halfway (on a char boundary) and drops the connection.
    pub(crate) fn truncated_json(body: &Value) -> Self {
        let text = body.to_string();
        let half = text.len() / 2;
        let cut = (0..=half).rev().find(|i| text.is_char_boundary(*i)).unwrap_or(0);
        Self {
            chunks: vec![Bytes::copy_from_slice(&text.as_bytes()[..cut])],
            abort: true,
            ..Self::json(200, body)
        }
    }

    /// Adds a response header.
    pub(crate) fn with_header(mut self, name: &'static str, value: String) -> Self {
        self.headers.push((name, value));
        self
    }

    pub(crate) fn into_response(self) -> Response {
        let streaming = self.content_type == EVENT_STREAM;
        let body = if self.abort {
            let aborted = stream::once(async {
                // Yield once so the frames already handed over are written before the abort.
                tokio::task::yield_now().await;
                Err(io::Error::new(io::ErrorKind::ConnectionAborted, "stream cut by script"))
            });
            Body::from_stream(stream::iter(self.chunks.into_iter().map(Ok)).chain(aborted))
        } else if streaming {
            Body::from_stream(stream::iter(self.chunks.into_iter().map(Ok::<_, io::Error>)))
        } else {
            Body::from(self.chunks.concat())
        };
        let mut response = Response::new(body);
        *response.status_mut() = self.status;
        let headers = response.headers_mut();
        headers.insert(CONTENT_TYPE, HeaderValue::from_static(self.content_type));
        if streaming {
            headers.insert(CACHE_CONTROL, HeaderValue::from_static("no-cache"));
        }
        for (name, value) in self.headers {
            if let Ok(value) = HeaderValue::from_str(&value) {
                headers.insert(HeaderName::from_static(name), value);
            }
        }
        response
    }
}
