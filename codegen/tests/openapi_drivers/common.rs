//! Loopback axum server for the case drivers: records every request and answers with the
//! reply queued for it (status, content type, body; chunked when asked).
#![allow(dead_code)]

use std::collections::VecDeque;
use std::sync::{Arc, Mutex};

use axum::body::{Body, Bytes};
use axum::extract::State;
use axum::http::{HeaderMap, Method, Uri};
use axum::response::Response;
use axum::Router;

/// One request exactly as the server received it.
#[derive(Debug, Clone)]
pub struct Seen {
    pub method: Method,
    pub path: String,
    pub query: Option<String>,
    pub headers: HeaderMap,
    pub body: Bytes,
}

impl Seen {
    pub fn header(&self, name: &str) -> Option<String> {
        self.headers.get(name).map(|v| v.to_str().expect("ascii").to_owned())
    }
    pub fn text(&self) -> String {
        String::from_utf8(self.body.to_vec()).expect("utf-8 body")
    }
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_slice(&self.body).expect("JSON body")
    }
    /// Query pairs split on `&` and `=`, percent-decoded with `+` read as a space.
    pub fn query_pairs(&self) -> Vec<(String, String)> {
        decode_form(self.query.as_deref().unwrap_or(""))
    }
}

/// `application/x-www-form-urlencoded` decoding.
pub fn decode_form(s: &str) -> Vec<(String, String)> {
    s.split('&')
        .filter(|p| !p.is_empty())
        .map(|p| {
            let (k, v) = p.split_once('=').unwrap_or((p, ""));
            (pct_decode(k), pct_decode(v))
        })
        .collect()
}

fn pct_decode(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'+' => out.push(b' '),
            b'%' if i + 2 < b.len() => {
                let h = std::str::from_utf8(&b[i + 1..i + 3]).expect("hex");
                out.push(u8::from_str_radix(h, 16).expect("hex"));
                i += 2;
            }
            c => out.push(c),
        }
        i += 1;
    }
    String::from_utf8(out).expect("utf-8")
}

/// A reply the server gives.
#[derive(Debug, Clone)]
pub struct Reply {
    pub status: u16,
    pub content_type: Option<&'static str>,
    pub body: Vec<u8>,
    /// Send the body as a chunked stream (no Content-Length).
    pub chunked: bool,
}

impl Reply {
    pub fn json(status: u16, body: impl Into<Vec<u8>>) -> Self {
        Reply { status, content_type: Some("application/json"), body: body.into(), chunked: false }
    }
    pub fn with_type(status: u16, content_type: &'static str, body: impl Into<Vec<u8>>) -> Self {
        Reply { status, content_type: Some(content_type), body: body.into(), chunked: false }
    }
    pub fn empty(status: u16) -> Self {
        Reply { status, content_type: None, body: Vec::new(), chunked: false }
    }
}

#[derive(Default)]
struct Shared {
    seen: Vec<Seen>,
    replies: VecDeque<Reply>,
    fallback: Option<Reply>,
}

/// The recording server; `url()` is its base URL.
#[derive(Clone)]
pub struct Server {
    shared: Arc<Mutex<Shared>>,
    url: String,
}

impl Server {
    pub async fn start() -> Server {
        let shared = Arc::new(Mutex::new(Shared::default()));
        let app = Router::new().fallback(handle).with_state(shared.clone());
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let addr = listener.local_addr().expect("addr");
        tokio::spawn(async move {
            axum::serve(listener, app).await.expect("serve");
        });
        Server { shared, url: format!("http://{addr}") }
    }

    pub fn url(&self) -> &str {
        &self.url
    }

    /// The next reply (queued replies first, then the standing one).
    pub fn reply(&self, reply: Reply) {
        self.shared.lock().expect("lock").replies.push_back(reply);
    }

    /// The reply given whenever nothing is queued.
    pub fn always(&self, reply: Reply) {
        self.shared.lock().expect("lock").fallback = Some(reply);
    }

    /// Takes the requests seen so far.
    pub fn take(&self) -> Vec<Seen> {
        std::mem::take(&mut self.shared.lock().expect("lock").seen)
    }

    /// The one request seen since the last call.
    pub fn last(&self) -> Seen {
        let mut seen = self.take();
        assert_eq!(seen.len(), 1, "exactly one request expected: {seen:?}");
        seen.remove(0)
    }

    /// A runtime client for this server.
    pub fn api_client(&self) -> client_runtime::ApiClient {
        client_runtime::ApiClient::builder(self.url.clone()).build().expect("client")
    }
}

async fn handle(
    State(shared): State<Arc<Mutex<Shared>>>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let reply = {
        let mut s = shared.lock().expect("lock");
        s.seen.push(Seen {
            method,
            path: uri.path().to_string(),
            query: uri.query().map(str::to_string),
            headers,
            body,
        });
        s.replies.pop_front().or_else(|| s.fallback.clone()).unwrap_or_else(|| Reply::empty(200))
    };
    let mut b = Response::builder().status(reply.status);
    if let Some(ct) = reply.content_type {
        b = b.header("content-type", ct);
    }
    let body = if reply.chunked {
        let chunks: Vec<Result<Bytes, std::io::Error>> = if reply.body.is_empty() {
            Vec::new()
        } else {
            vec![Ok(Bytes::from(reply.body))]
        };
        Body::new(ChunkBody { chunks: chunks.into() })
    } else {
        Body::from(reply.body)
    };
    b.body(body).expect("response")
}

struct ChunkBody {
    chunks: VecDeque<Result<Bytes, std::io::Error>>,
}

impl axum::body::HttpBody for ChunkBody {
    type Data = Bytes;
    type Error = std::io::Error;
    fn poll_frame(
        mut self: std::pin::Pin<&mut Self>,
        _cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Option<Result<http_body::Frame<Bytes>, Self::Error>>> {
        std::task::Poll::Ready(self.chunks.pop_front().map(|c| c.map(http_body::Frame::data)))
    }
    fn is_end_stream(&self) -> bool {
        self.chunks.is_empty()
    }
    fn size_hint(&self) -> http_body::SizeHint {
        http_body::SizeHint::default()
    }
}

/// A client of the generated crate for `server`.
#[macro_export]
macro_rules! client_for {
    ($krate:ident, $server:expr) => {
        $krate::Client::from_api_client($server.api_client())
    };
}

/// A file of the case folder (the harness sets `CASE_DIR`).
pub fn case_file(name: &str) -> Vec<u8> {
    let dir = std::env::var("CASE_DIR").expect("CASE_DIR is set by the harness");
    std::fs::read(std::path::Path::new(&dir).join(name)).expect("case file")
}
