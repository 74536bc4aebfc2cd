//! REST requests against a loopback server: query, headers, bodies, error mapping.

mod common;

use std::sync::Arc;

use client_runtime::rest::{encode_path_segment, HttpMethod, OperationInfo};
use client_runtime::{ApiClient, ApiConventions, ApiMessage, Auth, Error};
use common::{serve, Reply};
use serde::{Deserialize, Serialize};

static LIST: OperationInfo = OperationInfo {
    operation_id: "listCards",
    method: HttpMethod::Get,
    path_template: "/boards/{boardId}/cards",
    retry_safe: true,
    uses_api_key: true,
};

static CREATE: OperationInfo = OperationInfo {
    operation_id: "createCard",
    method: HttpMethod::Post,
    path_template: "/boards/{boardId}/cards",
    retry_safe: false,
    uses_api_key: true,
};

static LOGIN: OperationInfo = OperationInfo {
    operation_id: "authenticate",
    method: HttpMethod::Post,
    path_template: "/auth",
    retry_safe: false,
    uses_api_key: false,
};

/// Test conventions: `{"error": "..."}` is an API error in any response.
struct TestConventions;

fn message_of(body: &[u8]) -> Option<ApiMessage> {
    let v: serde_json::Value = serde_json::from_slice(body).ok()?;
    let text = v.get("error")?.as_str()?;
    Some(ApiMessage {
        kind: "error".into(),
        messages: vec![text.to_owned()],
        self_uri: v.get("self").and_then(|s| s.as_str()).map(str::to_owned),
    })
}

impl ApiConventions for TestConventions {
    fn parse_error(&self, _status: u16, body: &[u8]) -> Option<ApiMessage> {
        message_of(body)
    }
    fn error_in_success(&self, body: &[u8]) -> Option<ApiMessage> {
        message_of(body)
    }
}

#[derive(Debug, Serialize, Deserialize, PartialEq)]
struct Card {
    name: String,
    size: u32,
}

#[tokio::test]
async fn sends_repeated_query_api_key_header_and_json_body() {
    let server = serve(|_, _| Reply::new(200, r#"{"name":"made","size":3}"#)).await;
    let client = ApiClient::builder(format!("{}/restapi/", server.base_url))
        .auth(Auth::token("jwt.token.value"))
        .api_key_header("AuthorizationToken")
        .default_param("loginId", "user@example.com")
        .user_agent("test-agent/1")
        .build()
        .expect("client");
    assert_eq!(client.base_url(), format!("{}/restapi", server.base_url));
    assert_eq!(client.default_param("loginId"), Some("user@example.com"));
    assert_eq!(client.default_param("other"), None);

    let path = format!("/boards/{}/cards", encode_path_segment("a b/c"));
    let mut req = client.rest(&CREATE, path);
    req.query("fieldName", "name");
    req.query("fieldName", "size & more");
    req.query(
        "loginId",
        client.default_param("loginId").unwrap_or_default(),
    );
    req.header("X-Trace", 42);
    req.json_body(&Card {
        name: "new".into(),
        size: 3,
    })
    .expect("body");
    let card: Card = req.send().await.expect("send");
    assert_eq!(
        card,
        Card {
            name: "made".into(),
            size: 3
        }
    );

    let seen = server.seen();
    assert_eq!(seen.len(), 1);
    let s = &seen[0];
    assert_eq!(s.method, "POST");
    assert_eq!(s.uri.path(), "/restapi/boards/a%20b%2Fc/cards");
    assert_eq!(
        s.uri.query(),
        Some("fieldName=name&fieldName=size%20%26%20more&loginId=user%40example.com")
    );
    assert_eq!(
        s.header("authorizationtoken").as_deref(),
        Some("jwt.token.value")
    );
    assert_eq!(s.header("authorization"), None);
    assert_eq!(
        s.header("content-type").as_deref(),
        Some("application/json")
    );
    assert_eq!(s.header("x-trace").as_deref(), Some("42"));
    assert_eq!(s.header("user-agent").as_deref(), Some("test-agent/1"));
    assert_eq!(s.body_text(), r#"{"name":"new","size":3}"#);
}

#[tokio::test]
async fn bearer_default_and_no_token_for_ops_without_api_key() {
    let server = serve(|_, _| Reply::new(201, "")).await;
    let client = ApiClient::builder(&server.base_url)
        .auth(Auth::token("tok"))
        .build()
        .expect("client");
    client
        .rest(&LIST, "/x".into())
        .send::<()>()
        .await
        .expect("list");
    let mut login = client.rest(&LOGIN, "/auth".into());
    login.text_body("text/plain", "{\"k\":\"v\"}".into());
    login.send::<()>().await.expect("login op");
    let seen = server.seen();
    assert_eq!(
        seen[0].header("authorization").as_deref(),
        Some("Bearer tok")
    );
    assert_eq!(seen[1].header("authorization"), None);
    assert_eq!(
        seen[1].header("content-type").as_deref(),
        Some("text/plain")
    );
    assert_eq!(seen[1].body_text(), "{\"k\":\"v\"}");
}

#[tokio::test]
async fn non_2xx_goes_through_parse_error() {
    let server = serve(|_, _| {
        Reply::new(
            422,
            r#"{"error":"Invalid board","self":"http://x/boards/1"}"#,
        )
    })
    .await;
    let client = ApiClient::builder(&server.base_url)
        .conventions(Arc::new(TestConventions))
        .build()
        .expect("client");
    let err = client
        .rest(&LIST, "/boards/1/cards".into())
        .send::<serde_json::Value>()
        .await
        .expect_err("must fail");
    match &err {
        Error::Status {
            status,
            message: Some(m),
            body,
        } => {
            assert_eq!(*status, 422);
            assert_eq!(m.messages, ["Invalid board"]);
            assert_eq!(m.self_uri.as_deref(), Some("http://x/boards/1"));
            assert!(body.contains("Invalid board"));
        }
        other => panic!("unexpected {other:?}"),
    }
    assert_eq!(err.status(), Some(422));
    assert!(err.to_string().contains("Invalid board"));
}

#[tokio::test]
async fn non_2xx_without_conventions_keeps_body_snippet() {
    let big = "x".repeat(10_000);
    let server = serve(move |_, _| Reply::new(500, big.clone())).await;
    let client = ApiClient::builder(&server.base_url)
        .build()
        .expect("client");
    let err = client
        .rest(&LIST, "/".into())
        .send_bytes()
        .await
        .expect_err("must fail");
    match err {
        Error::Status {
            status: 500,
            message: None,
            body,
        } => assert!(body.len() <= 2100, "snippet too long: {}", body.len()),
        other => panic!("unexpected {other:?}"),
    }
}

#[tokio::test]
async fn error_inside_2xx_is_api_error() {
    let server = serve(|_, _| Reply::new(200, r#"{"error":"hidden failure"}"#)).await;
    let client = ApiClient::builder(&server.base_url)
        .conventions(Arc::new(TestConventions))
        .build()
        .expect("client");
    let err = client
        .rest(&LIST, "/".into())
        .send::<serde_json::Value>()
        .await
        .expect_err("must fail");
    match err {
        Error::Api {
            status: 200,
            message,
        } => assert_eq!(message.messages, ["hidden failure"]),
        other => panic!("unexpected {other:?}"),
    }
}

#[tokio::test]
async fn decode_error_and_send_bytes() {
    let server = serve(|_, _| Reply::new(200, "not json")).await;
    let client = ApiClient::builder(&server.base_url)
        .build()
        .expect("client");
    let err = client
        .rest(&LIST, "/".into())
        .send::<Card>()
        .await
        .expect_err("must fail");
    match err {
        Error::Decode {
            context,
            body_snippet,
            ..
        } => {
            assert_eq!(context, "listCards");
            assert_eq!(body_snippet, "not json");
        }
        other => panic!("unexpected {other:?}"),
    }
    let (status, bytes) = client
        .rest(&LIST, "/".into())
        .send_bytes()
        .await
        .expect("bytes");
    assert_eq!(status, 200);
    assert_eq!(&bytes[..], b"not json");
}

#[tokio::test]
async fn invalid_header_is_reported_by_send() {
    let client = ApiClient::builder("http://127.0.0.1:9")
        .build()
        .expect("client");
    let mut req = client.rest(&LIST, "/".into());
    req.header("bad header", "v");
    assert!(matches!(
        req.send::<()>().await,
        Err(Error::InvalidRequest { .. })
    ));
}

#[tokio::test]
async fn connection_refused_is_transport_error() {
    // Bind then drop to get a port nobody listens on.
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let addr = listener.local_addr().expect("addr");
    drop(listener);
    let client = ApiClient::builder(format!("http://{addr}"))
        .retry(client_runtime::RetryPolicy::none())
        .build()
        .expect("client");
    let err = client
        .rest(&LIST, "/".into())
        .send::<()>()
        .await
        .expect_err("must fail");
    assert!(matches!(err, Error::Transport { .. }), "{err:?}");
}

#[test]
fn builder_rejects_bad_base_url() {
    assert!(matches!(
        ApiClient::builder("ftp://x").build(),
        Err(Error::InvalidRequest { .. })
    ));
}

#[test]
fn path_segment_encoding() {
    assert_eq!(encode_path_segment("UserStory:12"), "UserStory:12");
    assert_eq!(encode_path_segment("a/b?c#d%e f"), "a%2Fb%3Fc%23d%25e%20f");
    assert_eq!(encode_path_segment("-._~!$&'()*+,;=@"), "-._~!$&'()*+,;=@");
    assert_eq!(encode_path_segment("é"), "%C3%A9");
}
