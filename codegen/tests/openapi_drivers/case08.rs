//! Case 08: an anyOf whose branches only list required properties.
mod common;
use case_08::types::License;
use common::{Reply, Server};

#[tokio::test]
async fn anyof_required_only() {
    let server = Server::start().await;
    let client = case_08::Client::from_api_client(server.api_client());
    server.reply(Reply::json(200, common::case_file("response.json")));
    let l: License = client.get_license().send().await.expect("decodes");
    assert_eq!((l.name.as_deref(), l.path.as_deref()), (Some("MIT"), None));
    for body in [r#"{"path":"LICENSE"}"#, r#"{"name":"MIT","path":"LICENSE"}"#] {
        serde_json::from_str::<License>(body).expect("decodes");
    }
    server.take();
    server.reply(Reply::empty(204));
    let _ = client.put_license().body(License { name: Some("MIT".into()), ..Default::default() }).send().await;
    assert_eq!(server.last().text(), r#"{"name":"MIT"}"#);
    // Documented: the constraint is not checked before sending; an empty value is sent as {}.
    server.reply(Reply::empty(204));
    let _ = client.put_license().body(License::default()).send().await;
    assert_eq!(server.last().text(), "{}");
}
