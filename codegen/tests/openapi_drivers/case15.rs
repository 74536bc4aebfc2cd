//! Case 15: enum values that sanitise to the same identifier or to none.
mod common;
use case_15::types::Agg;
use common::{Reply, Server};

#[tokio::test]
async fn enum_variant_names() {
    let all = [
        ("count", Agg::Count),
        ("__count__", Agg::Count2),
        ("Count", Agg::Count3),
        ("", Agg::Empty),
        ("+1", Agg::Plus1),
        ("-1", Agg::Minus1),
        ("1st", Agg::N1st),
    ];
    for (wire, v) in &all {
        let json = serde_json::to_string(wire).unwrap();
        assert_eq!(serde_json::to_string(v).unwrap(), json);
        assert_eq!(&serde_json::from_str::<Agg>(&json).unwrap(), v);
    }
    let server = Server::start().await;
    let client = case_15::Client::from_api_client(server.api_client());
    server.reply(Reply::json(200, common::case_file("response.json")));
    let stat = client.get_stats(Agg::Plus1).send().await.expect("decodes");
    assert_eq!(server.last().query.as_deref(), Some("agg=%2B1"));
    let text = serde_json::to_string(&stat).unwrap();
    assert!(text.contains(r#""agg":"-1""#), "{text}");
    server.reply(Reply::json(200, common::case_file("response.json")));
    client.get_stats(Agg::Empty).send().await.expect("decodes");
    assert_eq!(server.last().query.as_deref(), Some("agg="));
}
