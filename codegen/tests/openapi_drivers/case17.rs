//! Case 17: keywords, digits, punctuation and case collisions in names.
mod common;
use case_17::types::{BitbucketAppsRepo, BitbucketAppsRepoLinks, ResultType, SelfValue};
use common::{Reply, Server};

#[tokio::test]
async fn odd_names() {
    let server = Server::start().await;
    let client = case_17::Client::from_api_client(server.api_client());
    let raw = common::case_file("response.json");
    server.reply(Reply::json(200, raw.clone()));
    let s: SelfValue = client.get_self().send().await.expect("decodes");
    assert_eq!(s.type_.as_deref(), Some("t"));
    assert_eq!(s.ref_.as_deref(), Some("r"));
    assert_eq!(s.n1st.as_deref(), Some("one"));
    // Fields are named in the order of their wire names (byte order): foo-bar, fooBar, foo_bar.
    assert_eq!((s.foo_bar.as_deref(), s.foo_bar_2.as_deref(), s.foo_bar_3.as_deref()), (Some("c"), Some("a"), Some("b")));
    assert_eq!(s.caf.as_deref(), Some("d"));
    assert!(s.extra.is_empty(), "every key is declared");
    assert_eq!(serde_json::to_value(&s).unwrap(), serde_json::from_slice::<serde_json::Value>(&raw).unwrap());
    server.reply(Reply::json(200, r#"{"ok":true}"#));
    let r: ResultType = client.get_result().send().await.expect("decodes");
    assert_eq!(r.ok, Some(true));
    let repo: BitbucketAppsRepo = serde_json::from_str(r#"{"links":[{"type":"x"}]}"#).unwrap();
    assert!(matches!(repo.links, Some(BitbucketAppsRepoLinks::List(_))));
}
