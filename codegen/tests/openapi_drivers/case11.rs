//! Case 11: nullable in OpenAPI 3.0 (format byte, nullable around a $ref).
mod common;
use case_11::types::{Cred, User};
use client_runtime::Base64;
use common::{Reply, Server};

#[tokio::test]
async fn nullable_3_0() {
    let server = Server::start().await;
    let client = case_11::Client::from_api_client(server.api_client());
    server.reply(Reply::json(200, common::case_file("response.json")));
    let creds: Vec<Cred> = client.list_creds().send().await.expect("decodes");
    assert!(creds[0].blob.is_none() && creds[0].owner.is_none() && creds[0].manager.is_none());
    assert_eq!(creds[1].blob, Some(Base64(b"hi".to_vec())));
    assert_eq!(creds[1].owner.as_ref().map(|u: &User| u.id.as_str()), Some("u1"));
    assert_eq!(creds[1].manager.as_ref().map(|u| u.id.as_str()), Some("m1"));
    assert_eq!(creds[1].label.as_deref(), Some("x"));
    assert_eq!(creds[2].blob, Some(Base64(b"hi".to_vec())));
    assert!(creds[2].owner.is_none() && creds[2].manager.is_none());
    server.take();
    server.reply(Reply::empty(204));
    let _ = client.add_cred().body(Cred::default()).send().await;
    assert_eq!(server.last().text(), r#"{"blob":null,"manager":null}"#);
    server.reply(Reply::empty(204));
    let _ = client.add_cred().body(Cred { blob: Some(Base64(b"hi".to_vec())), ..Default::default() }).send().await;
    assert!(server.last().text().contains(r#""blob":"aGk=""#));
    // Absent and null owner are one state (Option<User>, not a tri-state).
    let a: Cred = serde_json::from_str(r#"{"blob":null,"manager":null}"#).unwrap();
    let b: Cred = serde_json::from_str(r#"{"blob":null,"manager":null,"owner":null}"#).unwrap();
    assert_eq!(a.owner, b.owner);
}
