//! Case 28 (this project's own): a document/literal operation whose input and output
//! messages have two parts each. Both input parts are sent as Body elements in order; both
//! output parts are decoded into one value; a Body missing a part is `Error::Decode`.
mod common;
use client_runtime::xml_read::XmlNode;
use client_runtime::xsd::Decimal;
use client_runtime::Error;
use common::{Reply, Server};
use wsdl_case_28::types::{ClientType, GetQuoteRequest, QuoteRequest};

const NS: &str = "urn:example:quotes";

fn reply(body: &str) -> Reply {
    Reply::with_type(
        200,
        "text/xml; charset=utf-8",
        format!(r#"<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body>{body}</s:Body></s:Envelope>"#),
    )
}

fn request() -> GetQuoteRequest {
    GetQuoteRequest {
        quote_request: QuoteRequest { symbol: "ACME".into() },
        client: ClientType { id: "c-1".into() },
    }
}

#[tokio::test]
async fn both_parts_each_way() {
    let server = Server::start().await;
    server.reply(reply(
        r#"<q:Quote xmlns:q="urn:example:quotes"><q:symbol>ACME</q:symbol><q:price>9.99</q:price></q:Quote><a:Audit xmlns:a="urn:example:quotes"><a:server>edge-7</a:server></a:Audit>"#,
    ));
    let client = wsdl_case_28::Client::from_api_client(server.api_client());
    let got = client.quote_service().get_quote(&request()).await.expect("call");
    assert_eq!(got.quote.symbol, "ACME");
    assert_eq!(got.quote.price, Decimal::parse("9.99").unwrap());
    assert_eq!(got.audit.server, "edge-7");

    let sent = server.last();
    let env = XmlNode::parse(&sent.text()).expect("envelope");
    let body = env.children.iter().find(|c| c.local == "Body").expect("Body");
    let parts: Vec<_> = body
        .children
        .iter()
        .map(|c| (c.ns.as_str(), c.local.as_str(), c.children[0].text.as_str()))
        .collect();
    assert_eq!(parts, vec![(NS, "QuoteRequest", "ACME"), (NS, "Client", "c-1")]);
}

#[tokio::test]
async fn a_missing_part_is_a_decode_error() {
    let server = Server::start().await;
    server.reply(reply(
        r#"<q:Quote xmlns:q="urn:example:quotes"><q:symbol>ACME</q:symbol><q:price>9.99</q:price></q:Quote>"#,
    ));
    let client = wsdl_case_28::Client::from_api_client(server.api_client());
    let err = client.quote_service().get_quote(&request()).await.expect_err("Audit is missing");
    assert!(matches!(err, Error::Decode { .. }), "{err:?}");
    let text = err.to_string();
    assert!(text.contains("GetQuote") && text.contains("Audit"), "{text}");
}
