//! Case 21: request bodies given as `$ref`s (direct, chained, inside a `$ref`ed path item).
mod common;
use case_21::types::Pet;
use common::{Reply, Server};

#[tokio::test]
async fn request_body_refs() {
    let server = Server::start().await;
    let client = case_21::Client::from_api_client(server.api_client());
    let pet = Pet { name: "Rex".into(), age: Some(3), ..Default::default() };

    server.reply(Reply::empty(204));
    client.add_pet().body(pet.clone()).send().await.expect("add_pet");
    let seen = server.last();
    assert_eq!((seen.method.as_str(), seen.path.as_str()), ("POST", "/pets"));
    assert_eq!(seen.header("content-type").as_deref(), Some("application/json"));
    assert_eq!(seen.json(), serde_json::json!({"name": "Rex", "age": 3}));

    server.reply(Reply::empty(204));
    client.add_pet_alias().body(pet.clone()).send().await.expect("add_pet_alias");
    let seen = server.last();
    assert_eq!(seen.path, "/pets/alias");
    assert_eq!(seen.json(), serde_json::json!({"name": "Rex", "age": 3}));

    server.reply(Reply::empty(204));
    client.put_pet_shared().tag("good").body(pet).send().await.expect("put_pet_shared");
    let seen = server.last();
    assert_eq!((seen.method.as_str(), seen.path.as_str()), ("PUT", "/pets/shared"));
    assert_eq!(seen.query.as_deref(), Some("tag=good"));
    assert_eq!(seen.json(), serde_json::json!({"name": "Rex", "age": 3}));
}
