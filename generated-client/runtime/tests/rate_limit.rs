//! Rate limiting: N calls per rolling window, shared by clones, waiting instead of failing.

mod common;

use std::time::Duration;

use client_runtime::rest::{HttpMethod, OperationInfo};
use client_runtime::{ApiClient, RateLimit};
use common::{serve, ManualClock, Reply};

static GET: OperationInfo = OperationInfo {
    operation_id: "get",
    method: HttpMethod::Get,
    path_template: "/",
    retry_safe: true,
    uses_api_key: false,
};

#[tokio::test]
async fn waits_for_the_window_and_is_shared_by_clones() {
    let server = serve(|_, _| Reply::new(200, "{}")).await;
    let clock = ManualClock::new();
    let client = ApiClient::builder(&server.base_url)
        .rate_limit(RateLimit::new(2, Duration::from_secs(60)))
        .clock(clock.clone())
        .build()
        .expect("client");
    for i in 0..5 {
        let c = if i % 2 == 0 {
            client.clone()
        } else {
            client.clone().clone()
        };
        c.rest(&GET, "/".into())
            .send::<serde_json::Value>()
            .await
            .expect("call");
    }
    assert_eq!(server.seen().len(), 5);
    assert_eq!(
        clock.sleeps(),
        [Duration::from_secs(60), Duration::from_secs(60)]
    );
    assert_eq!(clock.elapsed(), Duration::from_secs(120));
}

#[tokio::test]
async fn concurrent_callers_queue_up() {
    let server = serve(|_, _| Reply::new(200, "{}")).await;
    let clock = ManualClock::new();
    let client = ApiClient::builder(&server.base_url)
        .rate_limit(RateLimit::per_minute(1))
        .clock(clock.clone())
        .build()
        .expect("client");
    let tasks: Vec<_> = (0..3)
        .map(|_| {
            let c = client.clone();
            tokio::spawn(async move { c.rest(&GET, "/".into()).send::<serde_json::Value>().await })
        })
        .collect();
    for t in tasks {
        t.await.expect("join").expect("call");
    }
    assert_eq!(server.seen().len(), 3);
    assert_eq!(clock.elapsed(), Duration::from_secs(120));
}

#[tokio::test]
async fn no_limit_by_default() {
    let server = serve(|_, _| Reply::new(200, "{}")).await;
    let clock = ManualClock::new();
    let client = ApiClient::builder(&server.base_url)
        .clock(clock.clone())
        .build()
        .expect("client");
    for _ in 0..10 {
        client
            .rest(&GET, "/".into())
            .send::<serde_json::Value>()
            .await
            .expect("call");
    }
    assert!(clock.sleeps().is_empty());
}
