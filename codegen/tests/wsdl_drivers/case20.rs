//! Case 20: with wsaw:UsingAddressing every request carries WS-Addressing 1.0 Action (the
//! input's wsaw:Action, else the soapAction), To and a fresh MessageID.
mod common;
use client_runtime::xml_read::XmlNode;
use common::{case_file, Reply, Server};
use wsdl_case_20::types::{GetPrice, ListPrices};

const WSA: &str = "http://www.w3.org/2005/08/addressing";

/// The wsa:* headers sent, as (local name, text).
fn wsa_headers(envelope: &str) -> Vec<(String, String)> {
    let env = XmlNode::parse(envelope).expect("envelope parses");
    let header = env.children.iter().find(|c| c.local == "Header").expect("a Header");
    header
        .children
        .iter()
        .filter(|c| c.ns == WSA)
        .map(|c| (c.local.clone(), c.text.trim().to_owned()))
        .collect()
}

fn get<'a>(h: &'a [(String, String)], local: &str) -> &'a str {
    &h.iter().find(|(l, _)| l == local).unwrap_or_else(|| panic!("wsa:{local} in {h:?}")).1
}

#[tokio::test]
async fn addressing_headers_per_operation() {
    let server = Server::start().await;
    let client = wsdl_case_20::Client::from_api_client(server.api_client());
    let svc = client.price_service();

    server.reply(Reply::with_type(200, "text/xml", case_file("response.xml")));
    let resp = svc.get_price(&GetPrice { sku: "A1".into() }).await.expect("GetPrice");
    assert_eq!(resp.price.to_string(), "9.99");
    let s = server.last();
    let h = wsa_headers(&s.text());
    assert_eq!(get(&h, "Action"), "urn:GetPrice");
    assert_eq!(s.header("soapaction").as_deref(), Some("\"urn:GetPrice\""));
    assert_eq!(get(&h, "To"), format!("{}/services/PriceService", server.url()));
    let first_id = get(&h, "MessageID").to_owned();
    assert!(first_id.starts_with("urn:uuid:") && first_id.len() == 45, "{first_id}");

    server.reply(Reply::with_type(
        200,
        "text/xml",
        r#"<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body><p:ListPricesResponse xmlns:p="urn:example:pricing"><p:price>1.5</p:price><p:price>2</p:price></p:ListPricesResponse></s:Body></s:Envelope>"#,
    ));
    let list = svc.list_prices(&ListPrices::default()).await.expect("ListPrices");
    assert_eq!(list.price.len(), 2);
    let s = server.last();
    let h = wsa_headers(&s.text());
    // No wsaw:Action: the soapAction; SOAPAction equals wsa:Action.
    assert_eq!(get(&h, "Action"), "urn:ListPrices");
    assert_eq!(s.header("soapaction").as_deref(), Some("\"urn:ListPrices\""));
    assert_ne!(get(&h, "MessageID"), first_id, "a fresh MessageID per call");

    server.reply(Reply::with_type(200, "text/xml", case_file("response.xml")));
    svc.get_price(&GetPrice { sku: "A1".into() }).await.expect("GetPrice again");
    let again = wsa_headers(&server.last().text());
    assert_ne!(get(&again, "MessageID"), first_id);
}
