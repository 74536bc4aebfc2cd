//! Case 25: the binding's WS-Policy asks for a UsernameToken and a Timestamp. The client
//! applies it: with credentials the request carries a `wsse:Security` holding a
//! `wsu:Timestamp` and a `wsse:UsernameToken`; without them the call fails before sending.
mod common;
use client_runtime::wsse::UsernameToken;
use client_runtime::xml_read::XmlNode;
use client_runtime::{ApiClient, Error};
use common::{Reply, Server};
use wsdl_case_25::types::GetCard;

const WSSE: &str = "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd";
const WSU: &str = "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-utility-1.0.xsd";

fn ok() -> Reply {
    Reply::with_type(
        200,
        "text/xml; charset=utf-8",
        r#"<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body><c:GetCardResponse xmlns:c="urn:example:cards"><c:title>Fix it</c:title></c:GetCardResponse></s:Body></s:Envelope>"#,
    )
}

#[tokio::test]
async fn credentials_bring_token_and_timestamp() {
    let server = Server::start().await;
    server.reply(ok());
    let api = ApiClient::builder(server.url())
        .username_token(UsernameToken::text("alice", "s3cret"))
        .build()
        .expect("client");
    let client = wsdl_case_25::Client::from_api_client(api);
    let card = client.card_service().get_card(&GetCard { card_id: "C-1".into() }).await.expect("call");
    assert_eq!(card.title, "Fix it");
    let sent = server.last();
    let env = XmlNode::parse(&sent.text()).expect("envelope parses");
    let header = env.children.iter().find(|c| c.local == "Header").expect("a Header");
    let security = header
        .children
        .iter()
        .find(|c| c.local == "Security" && c.ns == WSSE)
        .expect("a wsse:Security");
    let ts = security
        .children
        .iter()
        .find(|c| c.local == "Timestamp" && c.ns == WSU)
        .expect("the policy's IncludeTimestamp adds a wsu:Timestamp");
    let created = ts.children.iter().find(|c| c.local == "Created").expect("Created");
    let expires = ts.children.iter().find(|c| c.local == "Expires").expect("Expires");
    assert!(created.text < expires.text, "{} < {}", created.text, expires.text);
    let token = security
        .children
        .iter()
        .find(|c| c.local == "UsernameToken" && c.ns == WSSE)
        .expect("a wsse:UsernameToken");
    let user = token.children.iter().find(|c| c.local == "Username").expect("Username");
    assert_eq!(user.text, "alice");
}

#[tokio::test]
async fn no_credentials_fails_before_sending() {
    let server = Server::start().await;
    server.always(ok());
    let client = wsdl_case_25::Client::from_api_client(server.api_client());
    let err = client
        .card_service()
        .get_card(&GetCard { card_id: "C-1".into() })
        .await
        .expect_err("a policy-required UsernameToken is missing");
    match &err {
        Error::InvalidRequest { .. } => {}
        other => panic!("expected InvalidRequest, got {other:?}"),
    }
    let text = err.to_string();
    assert!(text.contains("UsernameToken") && text.contains("GetCard"), "{text}");
    assert!(server.take().is_empty(), "nothing was sent");
}
