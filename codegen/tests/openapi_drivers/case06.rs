//! Case 06: a request body offered in two media types.
mod common;
use case_06::types::Note;
use common::{Reply, Server};

#[tokio::test]
async fn request_media_types() {
    let server = Server::start().await;
    let client = case_06::Client::from_api_client(server.api_client());
    server.reply(Reply::with_type(200, "text/html", "<h1>hi</h1>"));
    let html: String = client.render_markdown_raw().body("# hi".to_string()).send().await.expect("text");
    assert_eq!(html, "<h1>hi</h1>");
    let seen = server.last();
    assert_eq!(seen.text(), "# hi");
    assert_eq!(seen.header("content-type").as_deref(), Some("text/plain"));
    assert_eq!(seen.header("accept").as_deref(), Some("text/html"));

    server.reply(Reply::empty(201));
    let note = Note { title: "a b&c".into(), pinned: Some(true), ..Default::default() };
    let _ = client.create_note().body(note).send().await;
    let seen = server.last();
    assert_eq!(seen.header("content-type").as_deref(), Some("application/json"));
    assert_eq!(seen.json(), serde_json::json!({"title": "a b&c", "pinned": true}));
}
