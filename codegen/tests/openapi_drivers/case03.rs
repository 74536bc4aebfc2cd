//! Case 03: a oneOf of three arrays.
mod common;
use case_03::types::{Filter, Query, Range};
use common::{Reply, Server};

fn decode(s: &str) -> Result<Query, serde_json::Error> {
    serde_json::from_str(s)
}

#[tokio::test]
async fn oneof_of_arrays() {
    assert_eq!(decode(r#"{"filter":["a","b"]}"#).unwrap().filter, Filter::StringList(vec!["a".into(), "b".into()]));
    assert_eq!(decode(r#"{"filter":[1,2]}"#).unwrap().filter, Filter::IntegerList(vec![1, 2]));
    let server = Server::start().await;
    let client = case_03::Client::from_api_client(server.api_client());
    server.reply(Reply::json(200, common::case_file("response.json")));
    let q = client.search().body(decode(r#"{"filter":[1]}"#).unwrap()).send().await.expect("decodes");
    match &q.filter {
        Filter::RangeList(r) => {
            assert_eq!((r[0].from, r[0].to, r[1].from, r[1].to), (1, 5, 9, 12));
            let _: &Range = &r[0];
        }
        other => panic!("{other:?}"),
    }
    server.take();
    for body in [r#"{"filter":["a","b"]}"#, r#"{"filter":[1,2]}"#, r#"{"filter":[{"from":1,"to":5},{"from":9,"to":12}]}"#] {
        server.reply(Reply::json(200, body));
        client.search().body(decode(body).unwrap()).send().await.expect("ok");
        assert_eq!(server.last().json(), serde_json::from_str::<serde_json::Value>(body).unwrap());
    }
    // The empty list fits every branch: the first in the documented order (declared order
    // among branches of equal specificity) takes it.
    assert_eq!(decode(r#"{"filter":[]}"#).unwrap().filter, Filter::StringList(vec![]));
    server.reply(Reply::json(200, r#"{"filter":[true]}"#));
    let err = client.search().body(decode(r#"{"filter":[1]}"#).unwrap()).send().await.expect_err("no branch");
    let text = format!("{err:?}");
    assert!(text.contains("Filter"), "{text}");
    assert!(text.contains("[true]"), "raw body kept: {text}");
}
