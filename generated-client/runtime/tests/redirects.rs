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

/// A port on 127.0.0.1 that nothing listens on.
fn refused_url() -> String {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let url = format!("http://{}", listener.local_addr().expect("addr"));
    drop(listener);
    url
}

/// Sends the unsafe POST to a server that answers it with a redirect to `location`, and
/// answers anything else with `then`: how many times the POST arrived.
async fn posts_sent(status: u16, location: String, then: u16) -> usize {
    let origin = serve(move |s, _| match s.method.as_str() {
        "POST" => Reply::new(status, "").header("location", location.clone()),
        _ => Reply::new(then, "").header("retry-after", "0"),
    })
    .await;
    let c = client(&origin.base_url, true);
    let mut req = c.rest(&POST, "/thing".into());
    req.json_body(&serde_json::json!({"a": 1})).unwrap();
    let result = req.send::<serde_json::Value>().await;
    assert!(result.is_err(), "{result:?}");
    origin.seen().iter().filter(|s| s.method == "POST").count()
}

#[tokio::test]
async fn a_post_answered_with_a_redirect_is_never_resent() {
    // 303: the POST was processed. Whatever the next hop says is final: a 429 there, a
    // refused connection, or a 401 must not send the POST again (each would resend a POST
    // that was never processed).
    assert_eq!(
        posts_sent(303, "/done".into(), 429).await,
        1,
        "429 after 303"
    );
    assert_eq!(
        posts_sent(303, "/done".into(), 401).await,
        1,
        "401 after 303"
    );
    let refused = format!("{}/done", refused_url());
    assert_eq!(posts_sent(303, refused, 200).await, 1, "refused after 303");
}

#[tokio::test]
async fn a_body_is_not_carried_to_another_origin() {
    // A 307 to another host would resend the body (which may hold credentials) there: the
    // 307 is the answer instead, and the other host sees nothing.
    let other = serve(|_, _| Reply::new(200, "{}")).await;
    let landing = format!("{}/landing", other.base_url);
    assert_eq!(posts_sent(307, landing, 200).await, 1);
    assert!(other.seen().is_empty(), "{:?}", other.seen());
}

#[tokio::test]
async fn secret_headers_and_query_values_stay_private() {
    let other = serve(|_, _| Reply::new(200, "{\"other\":true}")).await;
    let origin = redirecting(307, format!("{}/landing", other.base_url)).await;
    let c = client(&origin.base_url, false);
    let mut req = c.rest(&GET, "/thing".into());
    req.secret_header("X-Api-Key", "header-secret");
    req.secret_query("api_key", &client_runtime::Secret::new("query-secret"));
    req.query("page", 2);
    let debug = format!("{req:?}");
    assert!(
        !debug.contains("header-secret") && !debug.contains("query-secret"),
        "{debug}"
    );
    let _: serde_json::Value = req.send().await.expect("followed");
    let first = &origin.seen()[0];
    assert_eq!(first.header("x-api-key").as_deref(), Some("header-secret"));
    assert_eq!(first.uri.query(), Some("page=2&api_key=query-secret"));
    assert_eq!(
        other.seen()[0].header("x-api-key"),
        None,
        "sensitive: not forwarded"
    );

    // In errors the key's value is redacted, the rest of the URL is kept.
    let c = client(&refused_url(), false);
    let mut req = c.rest(&GET, "/thing".into());
    req.secret_query("api_key", &client_runtime::Secret::new("query-secret"));
    let e = req.send::<serde_json::Value>().await.expect_err("refused");
    let text = format!("{e} {e:?}");
    assert!(!text.contains("query-secret"), "{text}");
    assert!(text.contains("api_key=REDACTED"), "{text}");
}
