//! Case 26: SOAP with Attachments. The multipart/related reply's root part is the envelope
//! (by `start`), `href="cid:..."` resolves to the MIME part with that Content-ID, and a plain
//! text/xml reply without the attachment is a clear error naming the part `file`.
mod common;
use common::{case_file, Reply, Server};
use wsdl_case_26::types::GetReport;

const CT: &str = r#"multipart/related; type="text/xml"; start="<rootpart@example.org>"; boundary="MIMEBoundary_case""#;

async fn call(reply: Reply) -> (Result<wsdl_case_26::soap::GetReportReply, client_runtime::Error>, Server) {
    let server = Server::start().await;
    server.reply(reply);
    let client = wsdl_case_26::Client::from_api_client(server.api_client());
    let result = client.report_service().get_report(&GetReport { id: "r1".into() }).await;
    (result, server)
}

#[tokio::test]
async fn multipart_reply_resolves_the_cid_reference() {
    let (result, server) = call(Reply::with_type(200, CT, case_file("response.multipart"))).await;
    let reply = result.expect("the multipart/related reply decodes");
    assert_eq!(reply.body.name, "report.pdf");
    assert_eq!(reply.file, b"%PDF-1.4\n%case\n", "the CRLF before the boundary is not content");
    assert_eq!(reply.file.len(), 15);
    let href = reply.body.file.as_ref().and_then(|f| f.href.clone());
    assert_eq!(href.as_deref(), Some("cid:abc@example.org"));
    let seen = server.last();
    assert_eq!(seen.header("soapaction").as_deref(), Some("\"urn:example:reports#GetReport\""));
}

#[tokio::test]
async fn reference_is_by_content_id_not_position() {
    // The attachment moved after a decoy part and the root last: `start` and the cid decide.
    let original = String::from_utf8(case_file("response.multipart")).expect("utf-8");
    let parts: Vec<&str> = original.split("--MIMEBoundary_case\r\n").collect();
    let (root, attachment) = (parts[1], parts[2].trim_end_matches("--MIMEBoundary_case--\r\n"));
    let decoy = "Content-Type: application/octet-stream\r\nContent-ID: <decoy@example.org>\r\n\r\nWRONG\r\n";
    let body = format!(
        "--MIMEBoundary_case\r\n{decoy}--MIMEBoundary_case\r\n{attachment}--MIMEBoundary_case\r\n{}\r\n--MIMEBoundary_case--\r\n",
        root.trim_end_matches("\r\n")
    );
    let (result, _server) = call(Reply::with_type(200, CT, body)).await;
    let reply = result.expect("decodes");
    assert_eq!(reply.file, b"%PDF-1.4\n%case\n");
    assert_eq!(reply.body.name, "report.pdf");
}

#[tokio::test]
async fn plain_reply_without_the_attachment_names_the_part() {
    let envelope = r#"<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body><r:GetReportResponse xmlns:r="urn:example:reports"><r:name>report.pdf</r:name><r:file href="cid:abc@example.org"/></r:GetReportResponse></s:Body></s:Envelope>"#;
    let (result, _server) = call(Reply::with_type(200, "text/xml", envelope)).await;
    let err = result.expect_err("the attachment is missing");
    let text = err.to_string();
    assert!(text.contains("`file`") && text.contains("GetReport"), "{text}");
    assert!(matches!(err, client_runtime::Error::Decode { .. }), "{err:?}");
}
