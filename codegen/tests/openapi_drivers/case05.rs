//! Case 05: a 200 with an empty body where JSON was declared.
mod common;
use client_runtime::Error;
use common::{Reply, Server};

#[tokio::test]
async fn empty_json_body() {
    let server = Server::start().await;
    let client = case_05::Client::from_api_client(server.api_client());
    for chunked in [false, true] {
        let empty = common::Reply { status: 200, content_type: Some("application/json"), body: Vec::new(), chunked };
        server.reply(empty.clone());
        let settings = client.get_settings().send().await.expect("an empty map");
        assert!(settings.is_empty());
        server.reply(empty);
        match client.get_me().send().await {
            Err(Error::EmptyBody { status, .. }) => assert_eq!(status, 200),
            other => panic!("expected the empty-body error, got {other:?}"),
        }
    }
    server.reply(Reply::json(200, r#"{"id":"u1"}"#));
    assert_eq!(client.get_me().send().await.expect("decodes").id, "u1");
    server.reply(Reply::json(200, "{}"));
    match client.get_me().send().await {
        Err(Error::Decode { source, body_snippet, .. }) => {
            assert!(source.contains("missing field `id`"), "{source}");
            assert_eq!(body_snippet, "{}");
        }
        other => panic!("expected a decode error, got {other:?}"),
    }
}
