//! Case 19: SOAP 1.2 puts the action in Content-Type, SOAP 1.1 in the SOAPAction header; the
//! caller picks the port (the 1.1 or the 1.2 binding) with `with_version`.
mod common;
use client_runtime::xml_read::XmlNode;
use client_runtime::SoapVersion;
use common::{Reply, Server};
use wsdl_case_19::types::{Echo, Ping};

const SOAP11: &str = "http://schemas.xmlsoap.org/soap/envelope/";
const SOAP12: &str = "http://www.w3.org/2003/05/soap-envelope";

fn reply(version: SoapVersion, body: &str) -> Reply {
    let (ns, ct) = match version {
        SoapVersion::V11 => (SOAP11, "text/xml; charset=utf-8"),
        SoapVersion::V12 => (SOAP12, "application/soap+xml; charset=utf-8"),
    };
    Reply::with_type(200, ct, format!(r#"<s:Envelope xmlns:s="{ns}"><s:Body>{body}</s:Body></s:Envelope>"#))
}

/// (envelope namespace, the Body's child as (ns, local, [(child ns, local, text)])).
fn sent(text: &str) -> (String, (String, String, Vec<(String, String, String)>)) {
    let env = XmlNode::parse(text).expect("envelope parses");
    let body = env.children.iter().find(|c| c.local == "Body").expect("Body");
    assert_eq!(body.children.len(), 1, "{text}");
    let el = &body.children[0];
    let kids = el.children.iter().map(|c| (c.ns.clone(), c.local.clone(), c.text.clone())).collect();
    (env.ns.clone(), (el.ns.clone(), el.local.clone(), kids))
}

/// Content-Type split into (media type, lowercased parameters), so `charset=UTF-8` and
/// `charset=utf-8` compare equal (charset values are case-insensitive).
fn content_type(value: &str) -> (String, Vec<(String, String)>) {
    let mut parts = value.split(';').map(str::trim);
    let media = parts.next().unwrap_or_default().to_ascii_lowercase();
    let params = parts
        .map(|p| {
            let (k, v) = p.split_once('=').expect("parameter");
            let v = if k.eq_ignore_ascii_case("charset") { v.to_ascii_lowercase() } else { v.to_owned() };
            (k.to_ascii_lowercase(), v)
        })
        .collect();
    (media, params)
}

#[tokio::test]
async fn actions_per_version_and_port() {
    let server = Server::start().await;
    let client = wsdl_case_19::Client::from_api_client(server.api_client());
    let echo = Echo { text: "hi".into() };
    let echo_body = (
        "urn:example:echo".to_owned(),
        "Echo".to_owned(),
        vec![("urn:example:echo".to_owned(), "text".to_owned(), "hi".to_owned())],
    );

    // SOAP 1.2 port: action (quoted) in Content-Type, no SOAPAction, 1.2 envelope.
    server.reply(reply(SoapVersion::V12, r#"<e:EchoResponse xmlns:e="urn:example:echo"><e:text>hi</e:text></e:EchoResponse>"#));
    let v12 = client.echo_service().with_version(SoapVersion::V12);
    let resp = v12.echo(&echo).await.expect("echo 1.2");
    assert_eq!(resp.text, "hi");
    let s = server.last();
    assert_eq!(s.path, "/services/EchoService");
    assert_eq!(
        content_type(&s.header("content-type").expect("content type")),
        content_type(r#"application/soap+xml; charset=utf-8; action="urn:example:echo:Echo""#)
    );
    assert_eq!(s.header("soapaction"), None);
    assert_eq!(sent(&s.text()), (SOAP12.to_owned(), echo_body.clone()));

    // SOAP 1.1 port: SOAPAction (quoted), text/xml, 1.1 envelope; the same Body.
    server.reply(reply(SoapVersion::V11, r#"<e:EchoResponse xmlns:e="urn:example:echo"><e:text>hi</e:text></e:EchoResponse>"#));
    let v11 = client.echo_service();
    assert_eq!(v11.version(), SoapVersion::V11);
    v11.echo(&echo).await.expect("echo 1.1");
    let s = server.last();
    assert_eq!(
        content_type(&s.header("content-type").expect("content type")),
        content_type("text/xml; charset=utf-8")
    );
    assert_eq!(s.header("soapaction").as_deref(), Some("\"urn:example:echo:Echo\""));
    assert_eq!(sent(&s.text()), (SOAP11.to_owned(), echo_body));

    // The ports by name: both are listed and each one can be chosen.
    use wsdl_case_19::soap::EchoService;
    let names: Vec<_> = EchoService::PORTS.iter().map(|(n, v, _)| (*n, *v)).collect();
    assert_eq!(
        names,
        vec![("EchoServiceSoap11Port", SoapVersion::V11), ("EchoServiceSoap12Port", SoapVersion::V12)]
    );
    let by_name = client.echo_service().with_port("EchoServiceSoap12Port").expect("a port");
    assert_eq!(by_name.version(), SoapVersion::V12);
    server.reply(reply(SoapVersion::V12, r#"<e:EchoResponse xmlns:e="urn:example:echo"><e:text>hi</e:text></e:EchoResponse>"#));
    by_name.echo(&echo).await.expect("echo on the chosen port");
    let s = server.last();
    assert_eq!(s.path, "/services/EchoService");
    assert_eq!(sent(&s.text()).0, SOAP12);
    assert!(client.echo_service().with_port("NoSuchPort").is_none());

    // Ping, soapAction="": SOAPAction "" over 1.1, no action parameter over 1.2.
    server.reply(reply(SoapVersion::V11, r#"<e:PingResponse xmlns:e="urn:example:echo"/>"#));
    v11.ping(&Ping::default()).await.expect("ping 1.1");
    let s = server.last();
    assert_eq!(s.header("soapaction").as_deref(), Some("\"\""));
    assert_eq!(sent(&s.text()).0, SOAP11);
    server.reply(reply(SoapVersion::V12, r#"<e:PingResponse xmlns:e="urn:example:echo"/>"#));
    v12.ping(&Ping::default()).await.expect("ping 1.2");
    let s = server.last();
    assert_eq!(s.header("soapaction"), None);
    assert_eq!(
        content_type(&s.header("content-type").expect("content type")),
        content_type("application/soap+xml; charset=utf-8")
    );
    assert_eq!(sent(&s.text()).0, SOAP12);
}
