//! Raw calls for endpoints the document lacks: same token, rate limit and retry rules as
//! generated operations; retry safety from the method unless the caller says otherwise.

mod common;

use std::time::Duration;

use client_runtime::rest::HttpMethod;
use client_runtime::{ApiClient, Auth, Error, RateLimit, RetryPolicy};
use common::{serve, ManualClock, Reply};

fn client(base: &str, clock: std::sync::Arc<ManualClock>) -> ApiClient {
    ApiClient::builder(base)
        .auth(Auth::token("jwt-raw"))
        .api_key_header("AuthorizationToken")
        .rate_limit(RateLimit::per_minute(3))
        .retry(RetryPolicy {
            jitter: false,
            ..RetryPolicy::default()
        })
        .clock(clock)
        .build()
        .expect("client")
}

#[tokio::test]
async fn raw_get_sends_the_token_decodes_json_and_is_retried() {
    let server = serve(|_, i| {
        if i == 0 {
            Reply::new(503, "busy")
        } else {
            Reply::new(200, "{\"hidden\":42}")
        }
    })
    .await;
    let clock = ManualClock::new();
    let c = client(&server.base_url, clock.clone());
    let mut req = c.raw(HttpMethod::Get, "/restapi/undocumented?x=1");
    req.query("y", "a b");
    let v: serde_json::Value = req.send().await.expect("json");
    assert_eq!(v, serde_json::json!({"hidden": 42}));
    let seen = server.seen();
    assert_eq!(seen.len(), 2, "GET is retry-safe by default");
    assert_eq!(seen[1].uri.to_string(), "/restapi/undocumented?x=1&y=a%20b");
    assert_eq!(
        seen[1].header("authorizationtoken").as_deref(),
        Some("jwt-raw")
    );
}

#[tokio::test]
async fn raw_post_with_bytes_is_not_retried_unless_declared_safe() {
    let server = serve(|_, i| {
        if i == 0 || i == 1 {
            Reply::new(503, "busy")
        } else {
            Reply::new(200, "raw bytes \u{1}")
        }
    })
    .await;
    let clock = ManualClock::new();
    let c = client(&server.base_url, clock.clone());
    let mut req = c.raw(HttpMethod::Post, "/upload");
    req.bytes_body("application/octet-stream", vec![0u8, 1, 2]);
    let err = req.send_bytes().await.expect_err("503, not retried");
    assert!(matches!(err, Error::Status { status: 503, .. }), "{err:?}");
    assert_eq!(server.seen().len(), 1);
    assert_eq!(&server.seen()[0].body[..], [0u8, 1, 2]);
    assert_eq!(
        server.seen()[0].header("content-type").as_deref(),
        Some("application/octet-stream")
    );

    // The caller knows this POST is idempotent.
    let mut req = c.raw(HttpMethod::Post, "/upload");
    req.bytes_body("application/octet-stream", vec![3u8]);
    req.set_retry_safe(true);
    let (status, body) = req.send_bytes().await.expect("retried");
    assert_eq!(status, 200);
    assert_eq!(&body[..], "raw bytes \u{1}".as_bytes());
    assert_eq!(server.seen().len(), 3);
}

#[tokio::test]
async fn raw_calls_count_against_the_rate_limit_and_can_skip_the_token() {
    let server = serve(|_, _| Reply::new(200, "{}")).await;
    let clock = ManualClock::new();
    let c = client(&server.base_url, clock.clone());
    for _ in 0..4 {
        let mut req = c.raw(HttpMethod::Put, "/thing");
        req.json_body(&serde_json::json!({"a": 1})).expect("body");
        req.set_uses_token(false);
        req.send::<serde_json::Value>().await.expect("call");
    }
    assert_eq!(clock.sleeps(), [Duration::from_secs(60)]);
    let seen = server.seen();
    assert!(seen
        .iter()
        .all(|s| s.header("authorizationtoken").is_none()));
    assert_eq!(
        seen[0].header("content-type").as_deref(),
        Some("application/json")
    );
}
