//! Case 26: SOAP with Attachments is not supported; generation says so (see the codegen test)
//! and a multipart/related reply is a clear decode error, never a garbled value.
mod common;
use common::{case_file, Reply, Server};
use wsdl_case_26::types::GetReport;

#[tokio::test]
async fn multipart_reply_is_a_clear_error() {
    let server = Server::start().await;
    server.reply(Reply::with_type(
        200,
        r#"multipart/related; type="text/xml"; start="<rootpart@example.org>"; boundary="MIMEBoundary_case""#,
        case_file("response.multipart"),
    ));
    let client = wsdl_case_26::Client::from_api_client(server.api_client());
    let err = client
        .report_service()
        .get_report(&GetReport { id: "r1".into() })
        .await
        .expect_err("attachments are not read");
    let text = err.to_string();
    assert!(text.contains("GetReport") && text.contains("multipart/related"), "{text}");
    assert!(matches!(err, client_runtime::Error::Decode { .. }), "{err:?}");
    let seen = server.last();
    assert_eq!(seen.header("soapaction").as_deref(), Some("\"urn:example:reports#GetReport\""));
}

#[tokio::test]
async fn plain_reply_decodes_the_body_part() {
    let server = Server::start().await;
    server.reply(Reply::with_type(
        200,
        "text/xml",
        r#"<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body><r:GetReportResponse xmlns:r="urn:example:reports"><r:name>report.pdf</r:name></r:GetReportResponse></s:Body></s:Envelope>"#,
    ));
    let client = wsdl_case_26::Client::from_api_client(server.api_client());
    let resp = client
        .report_service()
        .get_report(&GetReport { id: "r1".into() })
        .await
        .expect("the SOAP Body part decodes");
    assert_eq!(resp.name, "report.pdf");
    assert!(resp.file.is_none(), "no attachment reference");
}
