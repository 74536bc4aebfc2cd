//! Case 19: query parameters in every style.
mod common;
use case_19::types::ListItemsFilter;
use common::{Reply, Server};

#[tokio::test]
async fn query_styles() {
    let server = Server::start().await;
    let client = case_19::Client::from_api_client(server.api_client());
    server.always(Reply::json(200, "[]"));
    let filter = ListItemsFilter { color: Some("red".into()), size: Some("L".into()), ..Default::default() };
    let _ = client
        .list_items()
        .ids([1, 2])
        .tags(["a", "b"])
        .filter(filter)
        .p(["a", "b"])
        .s(["x", "y"])
        .q("a b&c=1+1/é")
        .send()
        .await;
    let seen = server.last();
    assert_eq!(seen.path, "/items");
    let pairs: Vec<(String, String)> = seen.query_pairs();
    let expect: Vec<(String, String)> = [
        ("ids", "1"), ("ids", "2"), ("tags", "a,b"), ("filter[color]", "red"), ("filter[size]", "L"),
        ("p", "a|b"), ("s", "x y"), ("q", "a b&c=1+1/é"),
    ]
    .iter()
    .map(|(a, b)| (a.to_string(), b.to_string()))
    .collect();
    assert_eq!(pairs, expect);
    let raw = seen.query.unwrap_or_default();
    assert!(!raw.contains("limit"), "{raw}");
    let _ = client
        .list_items()
        .filter(ListItemsFilter { color: Some("red".into()), ..Default::default() })
        .send()
        .await;
    assert_eq!(server.last().query_pairs(), vec![("filter[color]".to_string(), "red".to_string())]);
}
