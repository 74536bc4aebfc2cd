//! Case 04: several success and error responses of different shapes.
mod common;
use case_04::rest::GetUserSuccess;
use case_04::types::{ErrorType as ApiError, RateLimit};
use client_runtime::Error;
use common::{Reply, Server};

#[tokio::test]
async fn several_responses() {
    let server = Server::start().await;
    let client = case_04::Client::from_api_client(server.api_client());
    server.reply(Reply::json(200, common::case_file("response.json")));
    match client.get_user("u1").send().await.expect("200") {
        GetUserSuccess::Status200(u) => assert_eq!((u.id.as_str(), u.name.as_str()), ("u1", "Ann")),
        other => panic!("{other:?}"),
    }
    let seen = server.last();
    assert_eq!((seen.method.as_str(), seen.path.as_str()), ("GET", "/users/u1"));

    server.reply(Reply::empty(204));
    // (The runtime's retry policy may resend a GET after 429/503: every reply below stands.)
    assert_eq!(client.get_user("u1").send().await.expect("204"), GetUserSuccess::Status204);

    server.always(Reply::json(429, r#"{"retryAfter":30}"#));
    let err = client.get_user("u1").send().await.expect_err("429");
    assert_eq!(err.status(), Some(429));
    assert_eq!(err.declared::<RateLimit>().map(|r| r.retry_after), Some(30));

    server.always(Reply::json(500, r#"{"message":"boom"}"#));
    let err = client.get_user("u1").send().await.expect_err("500");
    assert_eq!(err.status(), Some(500));
    assert_eq!(err.declared::<ApiError>().map(|e| e.message.as_str()), Some("boom"));

    server.always(Reply::with_type(503, "text/plain", "oops"));
    let err = client.get_user("u1").send().await.expect_err("503");
    match err {
        Error::Status { status, body, .. } => assert_eq!((status, body.as_str()), (503, "oops")),
        other => panic!("{other:?}"),
    }
}
