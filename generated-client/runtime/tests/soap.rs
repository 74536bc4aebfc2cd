//! SOAP calls against a loopback server: request headers, envelope, payload, faults.

mod common;

use std::sync::Arc;

use client_runtime::soap::SoapOperationInfo;
use client_runtime::{ApiClient, ApiConventions, Error, SoapVersion, UsernameToken};
use common::{serve, Reply};

static ADD_CARD: SoapOperationInfo = SoapOperationInfo {
    name: "addCard",
    action: "urn:addCard",
    address: "https://login.example.com/axis2/services/CardService.CardServiceSOAP11port",
    retry_safe: false,
    policy: client_runtime::soap::SoapPolicy::NONE,
};

const BODY: &str = r#"<kan:addCardDetails xmlns:kan="urn:cards"><kan:projectId>8</kan:projectId></kan:addCardDetails>"#;

const OK11: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" xmlns:ns="urn:cards">
  <soapenv:Body>
    <ns:addCardResponse ns:id="77"><ns:Status>Success</ns:Status></ns:addCardResponse>
  </soapenv:Body>
</soapenv:Envelope>"#;

const FAULT11: &str = r#"<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/">
  <soapenv:Body><soapenv:Fault>
    <faultcode>soapenv:Server</faultcode>
    <faultstring>No workspace &amp; no luck</faultstring>
    <detail><ns:Err xmlns:ns="urn:e">42</ns:Err></detail>
  </soapenv:Fault></soapenv:Body></soapenv:Envelope>"#;

const FAULT12: &str = r#"<env:Envelope xmlns:env="http://www.w3.org/2003/05/soap-envelope">
  <env:Body><env:Fault>
    <env:Code><env:Value>env:Sender</env:Value><env:Subcode><env:Value>m:Bad</env:Value></env:Subcode></env:Code>
    <env:Reason><env:Text xml:lang="en">Invalid cardType defined</env:Text><env:Text xml:lang="fr">Non</env:Text></env:Reason>
  </env:Fault></env:Body></env:Envelope>"#;

#[tokio::test]
async fn soap11_request_headers_envelope_and_payload() {
    let server = serve(|_, _| Reply::new(200, OK11).header("content-type", "text/xml")).await;
    let client = ApiClient::builder(&server.base_url)
        .username_token(UsernameToken::text("user@example.com", "pw"))
        .build()
        .expect("client");
    let payload = client
        .soap_call(&ADD_CARD, SoapVersion::V11, BODY.into())
        .await
        .expect("call");
    assert_eq!(
        payload,
        r#"<ns:addCardResponse xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" xmlns:ns="urn:cards" ns:id="77"><ns:Status>Success</ns:Status></ns:addCardResponse>"#
    );

    let seen = server.seen();
    let s = &seen[0];
    assert_eq!(s.method, "POST");
    assert_eq!(
        s.uri.path(),
        "/axis2/services/CardService.CardServiceSOAP11port"
    );
    assert_eq!(
        s.header("content-type").as_deref(),
        Some("text/xml; charset=UTF-8")
    );
    assert_eq!(s.header("soapaction").as_deref(), Some("\"urn:addCard\""));
    let body = s.body_text();
    assert!(body.contains(
        "<soapenv:Envelope xmlns:soapenv=\"http://schemas.xmlsoap.org/soap/envelope/\"><soapenv:Header><wsse:Security"
    ));
    assert!(body.contains("soapenv:mustUnderstand=\"1\""));
    assert!(body.contains(&format!(
        "<soapenv:Body>{BODY}</soapenv:Body></soapenv:Envelope>"
    )));
    // The request is well-formed XML.
    let mut r = quick_xml::Reader::from_str(&body);
    while !matches!(
        r.read_event().expect("well-formed"),
        quick_xml::events::Event::Eof
    ) {}
}

#[tokio::test]
async fn soap12_uses_action_parameter_and_no_soapaction() {
    let ok12 = r#"<soap:Envelope xmlns:soap="http://www.w3.org/2003/05/soap-envelope"><soap:Body><r xmlns="urn:x">ok</r></soap:Body></soap:Envelope>"#;
    let server = serve(move |_, _| Reply::new(200, ok12)).await;
    let client = ApiClient::builder(format!("{}/restapi", server.base_url))
        .build()
        .expect("client");
    let payload = client
        .soap_call(&ADD_CARD, SoapVersion::V12, BODY.into())
        .await
        .expect("call");
    assert_eq!(
        payload,
        r#"<r xmlns:soap="http://www.w3.org/2003/05/soap-envelope" xmlns="urn:x">ok</r>"#
    );
    let s = &server.seen()[0];
    assert_eq!(
        s.header("content-type").as_deref(),
        Some("application/soap+xml; charset=UTF-8; action=\"urn:addCard\"")
    );
    assert_eq!(s.header("soapaction"), None);
    assert!(s.body_text().contains(
        "<soap:Envelope xmlns:soap=\"http://www.w3.org/2003/05/soap-envelope\"><soap:Body>"
    ));
    assert!(!s.body_text().contains("Header"));
}

#[tokio::test]
async fn soap_endpoint_override_path() {
    let server = serve(|_, _| Reply::new(200, OK11)).await;
    let client = ApiClient::builder(&server.base_url)
        .soap_endpoint("/custom/Endpoint")
        .build()
        .expect("client");
    client
        .soap_call(&ADD_CARD, SoapVersion::V11, BODY.into())
        .await
        .expect("call");
    assert_eq!(server.seen()[0].uri.path(), "/custom/Endpoint");
}

#[tokio::test]
async fn soap11_fault_with_http_500() {
    let server = serve(|_, _| Reply::new(500, FAULT11)).await;
    let client = ApiClient::builder(&server.base_url)
        .build()
        .expect("client");
    let err = client
        .soap_call(&ADD_CARD, SoapVersion::V11, BODY.into())
        .await
        .expect_err("fault");
    match err {
        Error::SoapFault(f) => {
            assert_eq!(f.version, SoapVersion::V11);
            assert_eq!(f.code, "soapenv:Server");
            assert_eq!(f.reason, "No workspace & no luck");
            assert_eq!(
                f.detail.as_deref(),
                Some(r#"<ns:Err xmlns:ns="urn:e">42</ns:Err>"#)
            );
        }
        other => panic!("unexpected {other:?}"),
    }
}

#[tokio::test]
async fn soap12_fault() {
    let server = serve(|_, _| Reply::new(400, FAULT12)).await;
    let client = ApiClient::builder(&server.base_url)
        .build()
        .expect("client");
    let err = client
        .soap_call(&ADD_CARD, SoapVersion::V12, BODY.into())
        .await
        .expect_err("fault");
    match err {
        Error::SoapFault(f) => {
            assert_eq!(f.version, SoapVersion::V12);
            assert_eq!(f.code, "env:Sender");
            assert_eq!(f.reason, "Invalid cardType defined");
            assert_eq!(f.detail, None);
        }
        other => panic!("unexpected {other:?}"),
    }
}

#[tokio::test]
async fn http_error_without_fault_is_status() {
    let server = serve(|_, _| Reply::new(503, "<html>down</html>")).await;
    let client = ApiClient::builder(&server.base_url)
        .build()
        .expect("client");
    let err = client
        .soap_call(&ADD_CARD, SoapVersion::V11, BODY.into())
        .await
        .expect_err("status");
    assert!(matches!(err, Error::Status { status: 503, .. }), "{err:?}");
}

#[tokio::test]
async fn non_xml_200_is_decode_error() {
    let server = serve(|_, _| Reply::new(200, "hello")).await;
    let client = ApiClient::builder(&server.base_url)
        .build()
        .expect("client");
    let err = client
        .soap_call(&ADD_CARD, SoapVersion::V11, BODY.into())
        .await
        .expect_err("decode");
    assert!(matches!(err, Error::Decode { .. }), "{err:?}");
}

struct StatusConventions;

impl ApiConventions for StatusConventions {
    fn soap_error_in_success(&self, payload: &str) -> Option<(String, String)> {
        payload
            .contains("<ns:Status>Failed</ns:Status>")
            .then(|| ("Failed".to_owned(), "Invalid cardType defined".to_owned()))
    }
}

#[tokio::test]
async fn payload_status_failed_via_conventions() {
    let failed = OK11.replace("Success", "Failed");
    let server = serve(move |_, _| Reply::new(200, failed.clone())).await;
    let client = ApiClient::builder(&server.base_url)
        .conventions(Arc::new(StatusConventions))
        .build()
        .expect("client");
    let err = client
        .soap_call(&ADD_CARD, SoapVersion::V11, BODY.into())
        .await
        .expect_err("status");
    match err {
        Error::SoapStatus { status, message } => {
            assert_eq!(status, "Failed");
            assert_eq!(message, "Invalid cardType defined");
        }
        other => panic!("unexpected {other:?}"),
    }
}
