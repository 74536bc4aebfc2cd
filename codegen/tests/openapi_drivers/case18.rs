//! Case 18: names the generator makes up meet names the document already uses.
mod common;
use case_18::types::{UpdateClientRequest2, UpdateClientResponse};
use common::{Reply, Server};

#[tokio::test]
async fn generated_name_clash() {
    let server = Server::start().await;
    let client = case_18::Client::from_api_client(server.api_client());
    server.reply(Reply::json(200, common::case_file("response.json")));
    let r: UpdateClientResponse = client
        .update_client("c1")
        .request("r")
        .response("s")
        .url("http://x/?a=b")
        .result("t")
        .body(UpdateClientRequest2 { name: "n".into(), ..Default::default() })
        .send()
        .await
        .expect("decodes");
    assert_eq!((r.id.as_str(), r.name.as_str()), ("c1", "n"));
    let seen = server.last();
    assert_eq!((seen.method.as_str(), seen.path.as_str()), ("PUT", "/c/c1"));
    let pairs = seen.query_pairs();
    let expect: Vec<(String, String)> = [("request", "r"), ("response", "s"), ("url", "http://x/?a=b"), ("result", "t")]
        .iter()
        .map(|(a, b)| (a.to_string(), b.to_string()))
        .collect();
    assert_eq!(pairs, expect);
    assert_eq!(seen.json(), serde_json::json!({"name": "n"}));
}
