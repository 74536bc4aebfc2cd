//! Redirects: credentials (API key header, `Authorization`, cookies) go only to the origin
//! of the original URL; same-origin redirects keep them.

mod common;

use client_runtime::rest::{HttpMethod, OperationInfo};
use client_runtime::{ApiClient, Auth};
use common::{serve, Reply, TestServer};

static GET: OperationInfo = OperationInfo {
    operation_id: "getThing",
    method: HttpMethod::Get,
    path_template: "/thing",
    retry_safe: true,
    uses_api_key: true,
};

static POST: OperationInfo = OperationInfo {
    operation_id: "addThing",
    method: HttpMethod::Post,
    path_template: "/thing",
    retry_safe: false,
    uses_api_key: true,
};

/// `origin` redirects `/thing` with `status` to `target`, and answers `/moved` itself.
async fn redirecting(status: u16, target: String) -> TestServer {
    serve(move |s, _| {
        if s.uri.path() == "/thing" {
            Reply::new(status, "").header("location", target.clone())
        } else {
            Reply::new(200, "{\"here\":true}")
        }
    })
    .await
}

fn client(base: &str, api_key_header: bool) -> ApiClient {
    let b = ApiClient::builder(base).auth(Auth::token("jwt-secret"));
    let b = if api_key_header {
        b.api_key_header("AuthorizationToken")
    } else {
        b
    };
    b.build().expect("client")
}

#[tokio::test]
async fn api_key_header_is_not_forwarded_to_another_origin() {
    let other = serve(|_, _| Reply::new(200, "{\"other\":true}")).await;
    let origin = redirecting(307, format!("{}/landing", other.base_url)).await;
    let c = client(&origin.base_url, true);
    let mut req = c.rest(&GET, "/thing".into());
    req.header("Cookie", "session=abc");
    let v: serde_json::Value = req.send().await.expect("followed");
    assert_eq!(v, serde_json::json!({"other": true}));
    let first = &origin.seen()[0];
    assert_eq!(
        first.header("authorizationtoken").as_deref(),
        Some("jwt-secret")
    );
    let seen = other.seen();
    assert_eq!(seen.len(), 1);
    assert_eq!(seen[0].uri.path(), "/landing");
    assert_eq!(seen[0].header("authorizationtoken"), None);
    assert_eq!(seen[0].header("authorization"), None);
    assert_eq!(seen[0].header("cookie"), None);
}

#[tokio::test]
async fn bearer_authorization_is_not_forwarded_to_another_origin() {
    let other = serve(|_, _| Reply::new(200, "{}")).await;
    // localhost vs 127.0.0.1: another host name as well as another port.
    let target = other.base_url.replace("127.0.0.1", "localhost");
    let origin = redirecting(302, format!("{target}/landing")).await;
    let c = client(&origin.base_url, false);
    c.rest(&GET, "/thing".into())
        .send::<serde_json::Value>()
        .await
        .expect("followed");
    assert_eq!(
        origin.seen()[0].header("authorization").as_deref(),
        Some("Bearer jwt-secret")
    );
    let seen = other.seen();
    assert_eq!(seen.len(), 1);
    assert_eq!(seen[0].header("authorization"), None);
}

#[tokio::test]
async fn same_origin_redirect_keeps_the_token() {
    let origin = serve(|s, _| {
        if s.uri.path() == "/thing" {
            Reply::new(308, "").header("location", "/moved")
        } else {
            Reply::new(200, "{}")
        }
    })
    .await;
    let c = client(&origin.base_url, true);
    let mut req = c.rest(&POST, "/thing".into());
    req.json_body(&serde_json::json!({"a": 1})).expect("body");
    req.send::<serde_json::Value>().await.expect("followed");
    let seen = origin.seen();
    assert_eq!(seen.len(), 2);
    assert_eq!(seen[1].uri.path(), "/moved");
    assert_eq!(seen[1].method, "POST", "308 keeps the method");
    assert_eq!(seen[1].body_text(), "{\"a\":1}", "308 keeps the body");
    assert_eq!(
        seen[1].header("authorizationtoken").as_deref(),
        Some("jwt-secret")
    );
}

#[tokio::test]
async fn see_other_turns_a_post_into_a_get_without_body() {
    let origin = serve(|s, _| {
        if s.uri.path() == "/thing" {
            Reply::new(303, "").header("location", "/moved")
        } else {
            Reply::new(200, "{}")
        }
    })
    .await;
    let c = client(&origin.base_url, true);
    let mut req = c.rest(&POST, "/thing".into());
    req.json_body(&serde_json::json!({"a": 1})).expect("body");
    req.send::<serde_json::Value>().await.expect("followed");
    let seen = origin.seen();
    assert_eq!(seen[1].method, "GET");
    assert!(seen[1].body.is_empty());
    assert_eq!(seen[1].header("content-type"), None);
}
