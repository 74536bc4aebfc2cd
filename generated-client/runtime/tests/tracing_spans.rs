//! Every call runs in an `api_call` span with `operation`, `status`, `attempt` and
//! `waited_ms`; the rate-limit wait is an event inside it. Captured with a small
//! hand-written `Subscriber`.

mod common;

use std::collections::{BTreeMap, HashMap};
use std::fmt;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use client_runtime::rest::{HttpMethod, OperationInfo};
use client_runtime::{ApiClient, RateLimit, RetryPolicy};
use common::{serve, ManualClock, Reply};
use tracing::field::{Field, Visit};
use tracing::span::{Attributes, Id, Record};
use tracing::{Event, Metadata, Subscriber};

type Fields = BTreeMap<String, String>;

#[derive(Default)]
struct Captured {
    next: AtomicU64,
    /// Span id → (name, fields).
    spans: Mutex<HashMap<u64, (String, Fields)>>,
    /// (enclosing span id, event fields including `message`).
    events: Mutex<Vec<(Option<u64>, Fields)>>,
    stack: Mutex<Vec<u64>>,
}

#[derive(Clone, Default)]
struct Capture(Arc<Captured>);

struct Collect<'a>(&'a mut Fields);

impl Visit for Collect<'_> {
    fn record_debug(&mut self, field: &Field, value: &dyn fmt::Debug) {
        self.0.insert(field.name().to_owned(), format!("{value:?}"));
    }
    fn record_str(&mut self, field: &Field, value: &str) {
        self.0.insert(field.name().to_owned(), value.to_owned());
    }
    fn record_u64(&mut self, field: &Field, value: u64) {
        self.0.insert(field.name().to_owned(), value.to_string());
    }
    fn record_i64(&mut self, field: &Field, value: i64) {
        self.0.insert(field.name().to_owned(), value.to_string());
    }
}

impl Subscriber for Capture {
    fn enabled(&self, _: &Metadata<'_>) -> bool {
        true
    }
    fn new_span(&self, attrs: &Attributes<'_>) -> Id {
        let id = self.0.next.fetch_add(1, Ordering::SeqCst) + 1;
        let mut fields = Fields::new();
        attrs.record(&mut Collect(&mut fields));
        self.0
            .spans
            .lock()
            .expect("lock")
            .insert(id, (attrs.metadata().name().to_owned(), fields));
        Id::from_u64(id)
    }
    fn record(&self, span: &Id, values: &Record<'_>) {
        if let Some((_, fields)) = self.0.spans.lock().expect("lock").get_mut(&span.into_u64()) {
            values.record(&mut Collect(fields));
        }
    }
    fn record_follows_from(&self, _: &Id, _: &Id) {}
    fn event(&self, event: &Event<'_>) {
        let mut fields = Fields::new();
        event.record(&mut Collect(&mut fields));
        let parent = event
            .parent()
            .map(Id::into_u64)
            .or_else(|| self.0.stack.lock().expect("lock").last().copied());
        self.0.events.lock().expect("lock").push((parent, fields));
    }
    fn enter(&self, span: &Id) {
        self.0.stack.lock().expect("lock").push(span.into_u64());
    }
    fn exit(&self, span: &Id) {
        let mut stack = self.0.stack.lock().expect("lock");
        if let Some(pos) = stack.iter().rposition(|s| *s == span.into_u64()) {
            stack.remove(pos);
        }
    }
}

static GET: OperationInfo = OperationInfo {
    operation_id: "getCards",
    method: HttpMethod::Get,
    path_template: "/cards",
    retry_safe: true,
    uses_api_key: false,
};

#[tokio::test]
async fn call_spans_carry_operation_status_attempt_and_wait() {
    let capture = Capture::default();
    let _guard = tracing::subscriber::set_default(capture.clone());

    let server = serve(|_, i| {
        if i == 0 {
            Reply::new(503, "busy")
        } else {
            Reply::new(200, "{}")
        }
    })
    .await;
    let clock = ManualClock::new();
    let client = ApiClient::builder(&server.base_url)
        .rate_limit(RateLimit::new(2, Duration::from_secs(60)))
        .retry(RetryPolicy {
            jitter: false,
            initial_backoff: Duration::from_millis(250),
            ..RetryPolicy::default()
        })
        .clock(clock.clone())
        .build()
        .expect("client");
    // Call 1: 503 then 200 (two attempts, 250 ms back-off). Call 2: the limit of two per
    // minute is used up, so it waits for the window (60 s minus the 250 ms already past).
    for _ in 0..2 {
        client
            .rest(&GET, "/cards".into())
            .send::<serde_json::Value>()
            .await
            .expect("call");
    }

    let spans = capture.0.spans.lock().expect("lock").clone();
    let mut calls: Vec<(u64, Fields)> = spans
        .into_iter()
        .filter(|(_, (name, _))| name == "api_call")
        .map(|(id, (_, f))| (id, f))
        .collect();
    calls.sort_by_key(|(id, _)| *id);
    assert_eq!(calls.len(), 2, "{calls:?}");
    let field = |f: &Fields, k: &str| f.get(k).cloned().unwrap_or_default();
    let (first_id, first) = &calls[0];
    assert_eq!(field(first, "operation"), "getCards");
    assert_eq!(field(first, "method"), "GET");
    assert_eq!(field(first, "status"), "200");
    assert_eq!(field(first, "attempt"), "2");
    assert_eq!(field(first, "waited_ms"), "250");
    let (second_id, second) = &calls[1];
    assert_eq!(field(second, "status"), "200");
    assert_eq!(field(second, "attempt"), "1");
    assert_eq!(field(second, "waited_ms"), "59750");

    let events = capture.0.events.lock().expect("lock").clone();
    let limiter_waits: Vec<&(Option<u64>, Fields)> = events
        .iter()
        .filter(|(_, f)| field(f, "message").starts_with("rate limit reached"))
        .collect();
    assert_eq!(limiter_waits.len(), 1, "{events:?}");
    assert_eq!(
        limiter_waits[0].0,
        Some(*second_id),
        "the wait is inside the call's span"
    );
    assert_eq!(field(&limiter_waits[0].1, "wait_ms"), "59750");
    let retries: Vec<_> = events
        .iter()
        .filter(|(_, f)| field(f, "message") == "retrying")
        .collect();
    assert_eq!(retries.len(), 1);
    assert_eq!(retries[0].0, Some(*first_id));
    assert_eq!(field(&retries[0].1, "delay_ms"), "250");
}
