//! Case 12: OpenAPI 3.1 nullability, several types, $ref siblings.
mod common;
use case_12::types::Note;
use client_runtime::Id;
use common::{Reply, Server};

#[tokio::test]
async fn nullable_3_1() {
    let server = Server::start().await;
    let client = case_12::Client::from_api_client(server.api_client());
    server.reply(Reply::json(200, common::case_file("response.json")));
    let n: Note = client.get_note("n1").send().await.expect("decodes");
    assert!(n.text.is_none());
    assert_eq!(n.owner.as_ref().map(|u| u.id.as_str()), Some("u1"));
    assert_eq!(n.kind.as_i64(), Some(3));
    assert!(n.score.is_none() && n.reviewer.is_none());
    for k in [r#""a""#, "3"] {
        let id: Id = serde_json::from_str(k).unwrap();
        assert_eq!(serde_json::to_string(&id).unwrap(), k);
    }
    server.take();
    server.reply(Reply::empty(204));
    let note = Note { text: None, kind: serde_json::from_str(r#""a""#).unwrap(), owner: None, reviewer: None, score: None, extra: Default::default() };
    let _ = client.put_note("n1").body(note).send().await;
    assert_eq!(server.last().json(), serde_json::json!({"text": null, "kind": "a"}));
}
