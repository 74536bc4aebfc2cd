//! Loopback HTTP server that records requests and answers through a closure.
#![allow(dead_code)]

use std::sync::{Arc, Mutex};

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, Method, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use axum::Router;

/// One request as the server saw it.
#[derive(Debug, Clone)]
pub struct Seen {
    pub method: Method,
    pub uri: Uri,
    pub headers: HeaderMap,
    pub body: Bytes,
}

impl Seen {
    pub fn header(&self, name: &str) -> Option<String> {
        self.headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned)
    }
    pub fn body_text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
}

/// A canned answer.
pub struct Reply {
    pub status: u16,
    pub headers: Vec<(&'static str, String)>,
    pub body: String,
}

impl Reply {
    pub fn new(status: u16, body: impl Into<String>) -> Self {
        Reply {
            status,
            headers: Vec::new(),
            body: body.into(),
        }
    }
    pub fn header(mut self, name: &'static str, value: impl Into<String>) -> Self {
        self.headers.push((name, value.into()));
        self
    }
}

type Responder = dyn Fn(&Seen, usize) -> Reply + Send + Sync;

struct Shared {
    seen: Mutex<Vec<Seen>>,
    respond: Box<Responder>,
}

/// Handle to a running server.
#[derive(Clone)]
pub struct TestServer {
    pub base_url: String,
    shared: Arc<Shared>,
}

impl TestServer {
    /// Requests received so far.
    pub fn seen(&self) -> Vec<Seen> {
        self.shared.seen.lock().expect("lock").clone()
    }
}

async fn handle(
    State(shared): State<Arc<Shared>>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let seen = Seen {
        method,
        uri,
        headers,
        body,
    };
    let index = {
        let mut all = shared.seen.lock().expect("lock");
        all.push(seen.clone());
        all.len() - 1
    };
    let reply = (shared.respond)(&seen, index);
    let mut resp = (
        StatusCode::from_u16(reply.status).expect("status"),
        reply.body,
    )
        .into_response();
    for (name, value) in reply.headers {
        resp.headers_mut()
            .insert(name, value.parse().expect("header value"));
    }
    resp
}

/// Starts a server on 127.0.0.1:0; `respond` gets each request and its 0-based index.
pub async fn serve(respond: impl Fn(&Seen, usize) -> Reply + Send + Sync + 'static) -> TestServer {
    let shared = Arc::new(Shared {
        seen: Mutex::new(Vec::new()),
        respond: Box::new(respond),
    });
    let app = Router::new().fallback(handle).with_state(shared.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let addr = listener.local_addr().expect("addr");
    tokio::spawn(async move {
        let _ = axum::serve(listener, app).await;
    });
    TestServer {
        base_url: format!("http://{addr}"),
        shared,
    }
}

/// A clock whose `sleep` returns at once and advances `now`; records every sleep.
pub struct ManualClock {
    start: std::time::Instant,
    state: Mutex<(std::time::Duration, Vec<std::time::Duration>)>,
}

impl ManualClock {
    pub fn new() -> Arc<Self> {
        Arc::new(ManualClock {
            start: std::time::Instant::now(),
            state: Mutex::new((std::time::Duration::ZERO, Vec::new())),
        })
    }
    pub fn sleeps(&self) -> Vec<std::time::Duration> {
        self.state.lock().expect("lock").1.clone()
    }
    pub fn elapsed(&self) -> std::time::Duration {
        self.state.lock().expect("lock").0
    }
}

impl client_runtime::Clock for ManualClock {
    fn now(&self) -> std::time::Instant {
        self.start + self.state.lock().expect("lock").0
    }
    fn sleep(&self, d: std::time::Duration) -> client_runtime::rate_limit::SleepFuture {
        {
            let mut s = self.state.lock().expect("lock");
            s.0 += d;
            s.1.push(d);
        }
        Box::pin(async { tokio::task::yield_now().await })
    }
}
