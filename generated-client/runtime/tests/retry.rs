//! Retries: only retry-safe operations are retried for 502/503/504; any operation may be
//! resent once after 429 or a connection error; Retry-After is honoured.

mod common;

use std::sync::Arc;
use std::time::Duration;

use client_runtime::rest::{HttpMethod, OperationInfo};
use client_runtime::soap::SoapOperationInfo;
use client_runtime::{ApiClient, Error, RetryPolicy, SoapVersion};
use common::{serve, ManualClock, Reply};

static SAFE: OperationInfo = OperationInfo {
    operation_id: "getCards",
    method: HttpMethod::Get,
    path_template: "/cards",
    retry_safe: true,
    uses_api_key: false,
};

static UNSAFE: OperationInfo = OperationInfo {
    operation_id: "addCard",
    method: HttpMethod::Post,
    path_template: "/cards",
    retry_safe: false,
    uses_api_key: false,
};

fn policy() -> RetryPolicy {
    RetryPolicy {
        max_retries: 3,
        initial_backoff: Duration::from_millis(100),
        max_backoff: Duration::from_millis(300),
        max_retry_after: Duration::from_secs(60),
        jitter: false,
    }
}

fn client(base: &str, clock: Arc<ManualClock>) -> ApiClient {
    ApiClient::builder(base)
        .retry(policy())
        .clock(clock)
        .build()
        .expect("client")
}

#[tokio::test]
async fn safe_op_retries_503_with_backoff() {
    let server = serve(|_, i| {
        if i < 2 {
            Reply::new(503, "busy")
        } else {
            Reply::new(200, "{}")
        }
    })
    .await;
    let clock = ManualClock::new();
    let c = client(&server.base_url, clock.clone());
    c.rest(&SAFE, "/cards".into())
        .send::<serde_json::Value>()
        .await
        .expect("ok");
    assert_eq!(server.seen().len(), 3);
    assert_eq!(
        clock.sleeps(),
        [Duration::from_millis(100), Duration::from_millis(200)]
    );
}

#[tokio::test]
async fn safe_op_gives_up_after_max_retries() {
    let server = serve(|_, _| Reply::new(504, "gw")).await;
    let clock = ManualClock::new();
    let c = client(&server.base_url, clock.clone());
    let err = c
        .rest(&SAFE, "/cards".into())
        .send::<()>()
        .await
        .expect_err("fails");
    assert!(matches!(err, Error::Status { status: 504, .. }));
    assert_eq!(server.seen().len(), 4);
    assert_eq!(clock.sleeps(), [100, 200, 300].map(Duration::from_millis));
}

#[tokio::test]
async fn retry_after_seconds_is_honoured() {
    let server = serve(|_, i| {
        if i == 0 {
            Reply::new(429, "slow down").header("retry-after", "7")
        } else {
            Reply::new(200, "{}")
        }
    })
    .await;
    let clock = ManualClock::new();
    let c = client(&server.base_url, clock.clone());
    c.rest(&SAFE, "/cards".into())
        .send::<serde_json::Value>()
        .await
        .expect("ok");
    assert_eq!(clock.sleeps(), [Duration::from_secs(7)]);
}

#[tokio::test]
async fn retry_after_beyond_cap_is_not_waited_for() {
    let server = serve(|_, _| Reply::new(429, "later").header("retry-after", "3600")).await;
    let clock = ManualClock::new();
    let c = client(&server.base_url, clock.clone());
    let err = c
        .rest(&SAFE, "/cards".into())
        .send::<()>()
        .await
        .expect_err("fails");
    assert!(matches!(err, Error::Status { status: 429, .. }));
    assert_eq!(server.seen().len(), 1);
    assert!(clock.sleeps().is_empty());
}

#[tokio::test]
async fn unsafe_op_is_not_retried_on_503() {
    let server = serve(|_, _| Reply::new(503, "busy")).await;
    let clock = ManualClock::new();
    let c = client(&server.base_url, clock.clone());
    let err = c
        .rest(&UNSAFE, "/cards".into())
        .send::<()>()
        .await
        .expect_err("fails");
    assert!(matches!(err, Error::Status { status: 503, .. }));
    assert_eq!(server.seen().len(), 1);
}

#[tokio::test]
async fn unsafe_op_is_resent_once_after_429() {
    let server = serve(|_, _| Reply::new(429, "slow")).await;
    let clock = ManualClock::new();
    let c = client(&server.base_url, clock.clone());
    let err = c
        .rest(&UNSAFE, "/cards".into())
        .send::<()>()
        .await
        .expect_err("fails");
    assert!(matches!(err, Error::Status { status: 429, .. }));
    assert_eq!(server.seen().len(), 2);

    let server = serve(|_, i| {
        if i == 0 {
            Reply::new(429, "slow")
        } else {
            Reply::new(201, "")
        }
    })
    .await;
    let c = client(&server.base_url, ManualClock::new());
    c.rest(&UNSAFE, "/cards".into())
        .send::<()>()
        .await
        .expect("second try ok");
    assert_eq!(server.seen().len(), 2);
}

#[tokio::test]
async fn connect_errors_retry_safe_fully_and_unsafe_once() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let addr = listener.local_addr().expect("addr");
    drop(listener);
    let base = format!("http://{addr}");

    let clock = ManualClock::new();
    let c = client(&base, clock.clone());
    let err = c
        .rest(&SAFE, "/".into())
        .send::<()>()
        .await
        .expect_err("fails");
    assert!(matches!(err, Error::Transport { .. }));
    assert_eq!(clock.sleeps().len(), 3);

    let clock = ManualClock::new();
    let c = client(&base, clock.clone());
    let err = c
        .rest(&UNSAFE, "/".into())
        .send::<()>()
        .await
        .expect_err("fails");
    assert!(matches!(err, Error::Transport { .. }));
    assert_eq!(clock.sleeps().len(), 1);
}

#[tokio::test]
async fn disabled_policy_never_retries() {
    let server = serve(|_, _| Reply::new(429, "slow")).await;
    let c = ApiClient::builder(&server.base_url)
        .retry(RetryPolicy::none())
        .build()
        .expect("client");
    let _ = c.rest(&SAFE, "/".into()).send::<()>().await;
    assert_eq!(server.seen().len(), 1);
}

static SOAP_SAFE: SoapOperationInfo = SoapOperationInfo {
    name: "getCard",
    action: "urn:getCard",
    address: "http://example.invalid/axis2/services/Cards",
    retry_safe: true,
    policy: client_runtime::soap::SoapPolicy::NONE,
};

#[tokio::test]
async fn soap_retry_safe_op_is_retried() {
    let ok = r#"<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body><r/></s:Body></s:Envelope>"#;
    let server = serve(move |_, i| {
        if i == 0 {
            Reply::new(502, "bad gw")
        } else {
            Reply::new(200, ok)
        }
    })
    .await;
    let c = client(&server.base_url, ManualClock::new());
    let payload = c
        .soap_call(&SOAP_SAFE, SoapVersion::V11, "<q/>".into())
        .await
        .expect("ok");
    assert!(payload.starts_with("<r"));
    assert_eq!(server.seen().len(), 2);
}
