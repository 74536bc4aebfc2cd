//! A POST that reached the server is never resent, even when the server stalls until the
//! client times out; a GET is retried on 503.

mod common;

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use client_runtime::rest::{HttpMethod, OperationInfo};
use client_runtime::{ApiClient, Error, RetryPolicy};
use common::{serve, ManualClock, Reply};

static ADD: OperationInfo = OperationInfo {
    operation_id: "addCard",
    method: HttpMethod::Post,
    path_template: "/cards",
    retry_safe: false,
    uses_api_key: false,
};

static GET: OperationInfo = OperationInfo {
    operation_id: "getCards",
    method: HttpMethod::Get,
    path_template: "/cards",
    retry_safe: true,
    uses_api_key: false,
};

/// A server that counts requests, signals the first arrival, then never answers in time.
async fn stalling_server(count: Arc<AtomicUsize>, arrived: Arc<tokio::sync::Notify>) -> String {
    let app = Router::new().fallback(move || {
        let count = count.clone();
        let arrived = arrived.clone();
        async move {
            count.fetch_add(1, Ordering::SeqCst);
            arrived.notify_one();
            tokio::time::sleep(Duration::from_secs(30)).await;
            "too late"
        }
    });
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let addr = listener.local_addr().expect("addr");
    tokio::spawn(async move {
        let _ = axum::serve(listener, app).await;
    });
    format!("http://{addr}")
}

#[tokio::test]
async fn stalled_post_is_received_exactly_once() {
    let count = Arc::new(AtomicUsize::new(0));
    let arrived = Arc::new(tokio::sync::Notify::new());
    let base = stalling_server(count.clone(), arrived.clone()).await;
    let clock = ManualClock::new();
    let client = ApiClient::builder(&base)
        .timeout(Duration::from_millis(300))
        .retry(RetryPolicy::default())
        .clock(clock.clone())
        .build()
        .expect("client");
    let mut req = client.rest(&ADD, "/cards".into());
    req.json_body(&serde_json::json!({"card": [{"name": "once"}]}))
        .expect("body");
    let call = tokio::spawn(req.send::<serde_json::Value>());
    tokio::time::timeout(Duration::from_secs(5), arrived.notified())
        .await
        .expect("the server received the POST");
    let err = call.await.expect("join").expect_err("times out");
    assert!(
        matches!(err, Error::Timeout { ref url } if url.ends_with("/cards")),
        "{err:?}"
    );
    // Give a (wrong) resend every chance to arrive.
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert_eq!(count.load(Ordering::SeqCst), 1, "the POST was resent");
    assert!(
        clock.sleeps().is_empty(),
        "no back-off: {:?}",
        clock.sleeps()
    );
}

#[tokio::test]
async fn get_is_retried_on_503() {
    let server = serve(|_, i| {
        if i == 0 {
            Reply::new(503, "busy")
        } else {
            Reply::new(200, "[1]")
        }
    })
    .await;
    let clock = ManualClock::new();
    let client = ApiClient::builder(&server.base_url)
        .clock(clock.clone())
        .build()
        .expect("client");
    let v: serde_json::Value = client
        .rest(&GET, "/cards".into())
        .send()
        .await
        .expect("retried");
    assert_eq!(v, serde_json::json!([1]));
    assert_eq!(server.seen().len(), 2);
    assert_eq!(clock.sleeps().len(), 1);
}
