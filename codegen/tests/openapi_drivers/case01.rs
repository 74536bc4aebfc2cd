//! Case 01: a Swagger 2.0 document, read as 2.0.
mod common;
use case_01::types::Thing;
use common::{Reply, Server};

#[tokio::test]
async fn swagger2_calls() {
    let server = Server::start().await;
    let client = case_01::Client::from_api_client(server.api_client());
    server.reply(Reply::json(200, common::case_file("response.json")));
    let thing = client.get_thing(7).send().await.expect("200 decodes");
    assert_eq!(thing.id, 7);
    assert_eq!(thing.label.as_deref(), Some("seven"));
    let seen = server.last();
    assert_eq!(seen.method, "GET");
    assert_eq!(seen.path, "/v1/things/7");
    assert_eq!(seen.header("accept").as_deref(), Some("application/json"));

    server.reply(Reply::empty(404));
    let err = client.get_thing(7).send().await.expect_err("404");
    match err {
        client_runtime::Error::Status { status, .. } => assert_eq!(status, 404),
        other => panic!("expected a status error, got {other:?}"),
    }
    server.take();

    server.reply(Reply::json(201, r#"{"id":1}"#));
    let body = Thing { id: 1, label: None, ..Default::default() };
    client.create_thing().body(body).send().await.expect("201");
    let seen = server.last();
    assert_eq!(seen.method, "POST");
    assert_eq!(seen.path, "/v1/things");
    assert_eq!(seen.header("content-type").as_deref(), Some("application/json"));
    assert_eq!(seen.text(), r#"{"id":1}"#);
}
