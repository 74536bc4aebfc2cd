//! Case 20: security schemes (header, query and cookie keys; bearer; basic; overrides).
mod common;
use case_20::Credentials;
use common::{Reply, Server};

fn all() -> Credentials {
    Credentials::default().key("k1").qk("k2").ck("s3").tok("t0k").bas("u", "p")
}

#[tokio::test]
async fn security_schemes() {
    let server = Server::start().await;
    server.always(Reply::empty(200));
    let client = case_20::Client::from_api_client(server.api_client()).with_credentials(all());

    client.health().send().await.expect("health");
    let seen = server.last();
    for h in ["x-api-key", "authorization", "cookie"] {
        assert!(seen.header(h).is_none(), "{h} sent to health");
    }
    assert!(seen.query.is_none());

    client.list_items().send().await.expect("items");
    let seen = server.last();
    assert_eq!(seen.header("x-api-key").as_deref(), Some("k1"));
    assert!(seen.header("authorization").is_none());

    let bearer_only = case_20::Client::from_api_client(server.api_client())
        .with_credentials(Credentials::default().tok("t0k"));
    bearer_only.list_items().send().await.expect("items");
    assert_eq!(server.last().header("authorization").as_deref(), Some("Bearer t0k"));

    client.admin().send().await.expect("admin");
    let seen = server.last();
    assert_eq!(seen.header("x-api-key").as_deref(), Some("k1"));
    assert_eq!(seen.header("authorization").as_deref(), Some("Bearer t0k"));
    let err = bearer_only.admin().send().await.expect_err("key missing");
    assert!(err.to_string().contains("`key`"), "{err}");
    assert!(server.take().is_empty(), "nothing sent");

    client.search().send().await.expect("search");
    assert_eq!(server.last().query.as_deref(), Some("api_key=k2"));
    client.prefs().send().await.expect("prefs");
    assert_eq!(server.last().header("cookie").as_deref(), Some("session=s3"));
    client.me().send().await.expect("me");
    assert_eq!(server.last().header("authorization").as_deref(), Some("Basic dTpw"));

    let debug = format!("{client:?} {:?}", all());
    for secret in ["k1", "k2", "s3", "t0k", "dTpw"] {
        assert!(!debug.contains(secret), "{secret} in {debug}");
    }
    assert!(!err.to_string().contains("t0k"));
}
