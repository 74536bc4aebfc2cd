//! Case 21: a declared wsdl:fault decodes to its own error variant; undeclared or absent
//! details give the generic SOAP fault; the typed response is returned on success.
mod common;
use common::{case_file, Reply, Server};
use wsdl_case_21::soap::PutError;
use wsdl_case_21::types::{Put, PutResponse};

const SOAP11: &str = "http://schemas.xmlsoap.org/soap/envelope/";

fn client(server: &Server) -> wsdl_case_21::Client {
    wsdl_case_21::Client::from_api_client(server.api_client())
}

fn put() -> Put {
    Put { sku: "A-1".into(), qty: -3 }
}

fn fault_envelope(detail: &str) -> String {
    format!(
        r#"<?xml version="1.0"?><soapenv:Envelope xmlns:soapenv="{SOAP11}"><soapenv:Body><soapenv:Fault><faultcode>soapenv:Server</faultcode><faultstring>Something else</faultstring>{detail}</soapenv:Fault></soapenv:Body></soapenv:Envelope>"#
    )
}

#[tokio::test]
async fn declared_fault_is_a_typed_variant() {
    let server = Server::start().await;
    server.reply(Reply::with_type(500, "text/xml; charset=utf-8", case_file("response.xml")));
    let err = client(&server).stock_service().put(&put()).await.expect_err("a fault");
    let seen = server.last();
    assert_eq!(seen.path, "/services/StockService");
    assert_eq!(seen.header("soapaction").as_deref(), Some("\"urn:example:stock#Put\""));
    match &err {
        PutError::Bad(detail, fault) => {
            // The detail is decoded into the declared type, not only kept as raw XML.
            assert_eq!(detail.field, "qty");
            assert_eq!(detail.reason, "must be positive");
            assert_eq!(fault.code_expanded(), format!("{{{SOAP11}}}Client"));
            assert_eq!(fault.code_namespace.as_deref(), Some(SOAP11));
            assert_eq!(fault.code_local(), "Client");
            assert_eq!(fault.reason, "Invalid input");
        }
        other => panic!("expected PutError::Bad, got {other:?}"),
    }
    assert_eq!(err.soap_fault().map(|f| f.reason.as_str()), Some("Invalid input"));
    assert!(err.to_string().contains("Invalid input"), "{err}");
    assert!(err.to_string().contains("`bad`"), "{err}");
    // `?` into the runtime error keeps the fault.
    let runtime: client_runtime::Error = err.into();
    assert!(matches!(runtime, client_runtime::Error::SoapFault(ref f) if f.reason == "Invalid input"));
}

#[tokio::test]
async fn undeclared_detail_is_the_generic_fault_with_raw_xml() {
    let server = Server::start().await;
    server.reply(Reply::with_type(
        500,
        "text/xml",
        fault_envelope(r#"<detail><x:Other xmlns:x="urn:other"/></detail>"#),
    ));
    let err = client(&server).stock_service().put(&put()).await.expect_err("a fault");
    match &err {
        PutError::Other(client_runtime::Error::SoapFault(f)) => {
            assert_eq!(f.code, "soapenv:Server");
            assert_eq!(f.code_expanded(), format!("{{{SOAP11}}}Server"));
            assert_eq!(f.reason, "Something else");
            let raw = f.detail.as_deref().expect("raw detail kept");
            assert!(raw.contains("x:Other") && raw.contains("urn:other"), "{raw}");
        }
        other => panic!("expected the generic SOAP fault, got {other:?}"),
    }
}

#[tokio::test]
async fn fault_without_detail_is_the_generic_fault() {
    let server = Server::start().await;
    server.reply(Reply::with_type(500, "text/xml", fault_envelope("")));
    let err = client(&server).stock_service().put(&put()).await.expect_err("a fault");
    match &err {
        PutError::Other(client_runtime::Error::SoapFault(f)) => {
            assert_eq!((f.code.as_str(), f.reason.as_str()), ("soapenv:Server", "Something else"));
            assert_eq!(f.detail, None);
        }
        other => panic!("expected the generic SOAP fault, got {other:?}"),
    }
    assert!(err.soap_fault().is_some());
}

#[tokio::test]
async fn other_failures_keep_the_runtime_error_and_success_is_typed() {
    let server = Server::start().await;
    server.reply(Reply::with_type(503, "text/plain", "down"));
    let err = client(&server).stock_service().put(&put()).await.expect_err("503");
    assert!(
        matches!(err, PutError::Other(client_runtime::Error::Status { status: 503, .. })),
        "{err:?}"
    );
    assert!(err.soap_fault().is_none());
    server.take();
    server.reply(Reply::with_type(
        200,
        "text/xml",
        format!(
            r#"<e:Envelope xmlns:e="{SOAP11}"><e:Body><s:PutResponse xmlns:s="urn:example:stock"><s:ok>true</s:ok></s:PutResponse></e:Body></e:Envelope>"#
        ),
    ));
    let ok: PutResponse = client(&server).stock_service().put(&put()).await.expect("typed response");
    assert!(ok.ok);
    let sent = server.last().text();
    assert!(sent.contains("<tns:sku>A-1</tns:sku>") || sent.contains("A-1"), "{sent}");
}
