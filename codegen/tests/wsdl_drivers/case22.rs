//! Case 22: soap:header parts from messages the portType never names: the request header is
//! a typed argument sent as a complete element in the Header; the response header is decoded
//! next to the body (absent when the reply has none).
mod common;
use client_runtime::xml_read::XmlNode;
use common::{case_file, Reply, Server};
use wsdl_case_22::types::{Put, SessionHeader};

const STORE: &str = "urn:example:store";

/// (ns, local, [(child ns, child local, text)]) of an element.
fn shape(n: &XmlNode) -> (String, String, Vec<(String, String, String)>) {
    let kids = n.children.iter().map(|c| (c.ns.clone(), c.local.clone(), c.text.trim().to_owned())).collect();
    (n.ns.clone(), n.local.clone(), kids)
}

#[tokio::test]
async fn header_parts_are_sent_and_decoded() {
    let server = Server::start().await;
    let client = wsdl_case_22::Client::from_api_client(server.api_client());
    let put = Put { key: "k".into(), value: "v".into() };
    let session = SessionHeader { token: "abc".into() };

    server.reply(Reply::with_type(200, "text/xml", case_file("response.xml")));
    let reply = client.store_service().put(&put, &session).await.expect("Put");
    assert!(reply.body.stored);
    assert_eq!(reply.quota_header.as_ref().map(|q| q.remaining), Some(41));

    let env = XmlNode::parse(&server.last().text()).expect("envelope");
    let header = env.children.iter().find(|c| c.local == "Header").expect("soapenv:Header");
    assert_eq!(header.children.len(), 1, "{header:?}");
    assert_eq!(
        shape(&header.children[0]),
        (STORE.into(), "SessionHeader".into(), vec![(STORE.into(), "token".into(), "abc".into())])
    );
    let body = env.children.iter().find(|c| c.local == "Body").expect("Body");
    assert_eq!(body.children.len(), 1, "the header part is not repeated in the Body");
    assert_eq!(
        shape(&body.children[0]),
        (
            STORE.into(),
            "Put".into(),
            vec![(STORE.into(), "key".into(), "k".into()), (STORE.into(), "value".into(), "v".into())]
        )
    );

    // A reply without the Quota header still decodes, the header absent.
    server.reply(Reply::with_type(
        200,
        "text/xml",
        r#"<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body><t:PutResponse xmlns:t="urn:example:store"><t:stored>false</t:stored></t:PutResponse></s:Body></s:Envelope>"#,
    ));
    let reply = client.store_service().put(&put, &session).await.expect("Put without header");
    assert!(!reply.body.stored);
    assert!(reply.quota_header.is_none());
}
