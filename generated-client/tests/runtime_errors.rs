//! Every error variant from a real loopback response through the generated SwiftKanban
//! client, and bulk results: a 207 is `Ok` with per-item results, a 422 is
//! `Error::BulkFailed` carrying the same per-item results.

use std::sync::Arc;
use std::time::Duration;

use axum::http::StatusCode;
use axum::response::IntoResponse;
use axum::Router;
use generated_client::runtime::{ApiMessage, SoapFault};
use generated_client::swiftkanban::{failed_items, item_results};
use generated_client::types::GetCardDetailsInput;
use generated_client::{Auth, CardRef, Client, Error, SoapVersion, UsernameToken};
use serde_json::{json, Value};

const BOARD: &str = "1551624";

type Answer = (u16, &'static str, String);

/// Serves `answer` for every request; `stall` delays every answer.
async fn serve(answer: impl Fn() -> Answer + Send + Sync + 'static, stall: Duration) -> String {
    let answer = Arc::new(answer);
    let app = Router::new().fallback(move || {
        let answer = answer.clone();
        async move {
            tokio::time::sleep(stall).await;
            let (status, content_type, body) = answer();
            (
                StatusCode::from_u16(status).expect("status"),
                [("content-type", content_type)],
                body,
            )
                .into_response()
        }
    });
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let addr = listener.local_addr().expect("addr");
    tokio::spawn(async move {
        let _ = axum::serve(listener, app).await;
    });
    format!("http://{addr}")
}

fn json_answer(status: u16, body: Value) -> impl Fn() -> Answer + Send + Sync + 'static {
    move || (status, "application/json", body.to_string())
}

fn message_view(kind: &str, messages: &[&str], details: Value) -> Value {
    json!({"Response": {
        "details": details,
        "messageView": {"type": kind, "message": messages, "uriMap": {"selfUri": "http://x/self"}}
    }})
}

fn client(base: &str) -> Client {
    Client::from_api_client(
        Client::builder(base)
            .auth(Auth::token("jwt"))
            .username_token(UsernameToken::text("user@example.com", "pw"))
            .timeout(Duration::from_millis(300))
            .retry(generated_client::runtime::RetryPolicy::none())
            .build()
            .expect("client"),
    )
}

fn card() -> CardRef {
    CardRef::new("UserStory", "US12")
}

#[tokio::test]
async fn transport_error_names_the_url() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let base = format!("http://{}", listener.local_addr().expect("addr"));
    drop(listener);
    let err = client(&base)
        .get_card(BOARD, card())
        .send()
        .await
        .expect_err("nothing listens");
    match &err {
        Error::Transport { url, .. } => {
            assert!(url.starts_with(&base), "{url}");
            assert!(
                url.contains("/restapi/card-operations/boards/1551624/cards/"),
                "{url}"
            );
        }
        other => panic!("expected Transport, got {other:?}"),
    }
    assert!(err.to_string().contains(&base));
}

#[tokio::test]
async fn timeout() {
    let base = serve(json_answer(200, json!({})), Duration::from_secs(5)).await;
    let err = client(&base)
        .get_card(BOARD, card())
        .send()
        .await
        .expect_err("stalls");
    assert!(
        matches!(&err, Error::Timeout { url } if url.starts_with(&base)),
        "{err:?}"
    );
}

#[tokio::test]
async fn status_with_message_view() {
    let base = serve(
        json_answer(
            404,
            message_view("error", &["Card does not exist."], json!({})),
        ),
        Duration::ZERO,
    )
    .await;
    let err = client(&base)
        .get_card(BOARD, card())
        .send()
        .await
        .expect_err("404");
    match err {
        Error::Status {
            status,
            message,
            body,
        } => {
            assert_eq!(status, 404);
            assert_eq!(
                message,
                Some(ApiMessage {
                    kind: "error".into(),
                    messages: vec!["Card does not exist.".into()],
                    self_uri: Some("http://x/self".into()),
                })
            );
            assert!(body.contains("Card does not exist."));
        }
        other => panic!("expected Status, got {other:?}"),
    }
}

#[tokio::test]
async fn api_error_inside_200() {
    let base = serve(
        json_answer(200, message_view("error", &["Invalid field."], json!({}))),
        Duration::ZERO,
    )
    .await;
    let err = client(&base)
        .get_card(BOARD, card())
        .send()
        .await
        .expect_err("type=error");
    match err {
        Error::Api {
            status: 200,
            message,
        } => assert_eq!(message.messages, ["Invalid field."]),
        other => panic!("expected Api, got {other:?}"),
    }
}

#[tokio::test]
async fn decode_error_keeps_a_snippet() {
    let base = serve(
        || {
            (
                200,
                "application/json",
                "{\"Response\": [not json".to_owned(),
            )
        },
        Duration::ZERO,
    )
    .await;
    let err = client(&base)
        .get_card(BOARD, card())
        .send()
        .await
        .expect_err("bad JSON");
    match err {
        Error::Decode {
            context,
            body_snippet,
            ..
        } => {
            assert_eq!(context, "getCard");
            assert_eq!(body_snippet, "{\"Response\": [not json");
        }
        other => panic!("expected Decode, got {other:?}"),
    }
}

#[tokio::test]
async fn auth_error_on_401_with_a_fixed_token() {
    let base = serve(
        json_answer(
            401,
            message_view("error", &["Access denied due to invalid token."], json!({})),
        ),
        Duration::ZERO,
    )
    .await;
    let err = client(&base)
        .get_card(BOARD, card())
        .send()
        .await
        .expect_err("401");
    match &err {
        Error::Auth { message } => {
            assert!(
                message.contains("Access denied due to invalid token."),
                "{message}"
            )
        }
        other => panic!("expected Auth, got {other:?}"),
    }
    assert!(!err.to_string().contains("jwt"));
}

const FAULT_11: &str = concat!(
    r#"<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/"><soapenv:Body>"#,
    r#"<soapenv:Fault><faultcode>soapenv:Server</faultcode><faultstring>No workspace</faultstring>"#,
    r#"<detail><e:code xmlns:e="urn:e">42</e:code></detail></soapenv:Fault></soapenv:Body></soapenv:Envelope>"#
);

const FAULT_12: &str = concat!(
    r#"<soap:Envelope xmlns:soap="http://www.w3.org/2003/05/soap-envelope"><soap:Body><soap:Fault>"#,
    r#"<soap:Code><soap:Value>soap:Sender</soap:Value></soap:Code>"#,
    r#"<soap:Reason><soap:Text xml:lang="en">Bad card</soap:Text></soap:Reason>"#,
    r#"<soap:Detail><e:code xmlns:e="urn:e">7</e:code></soap:Detail></soap:Fault></soap:Body></soap:Envelope>"#
);

const STATUS_FAILED: &str = concat!(
    r#"<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/"><soapenv:Body>"#,
    r#"<ns:getCardDetailsResponse xmlns:ns="http://service.kanban.swiftkanban.com">"#,
    r#"<ns:Status>Failed</ns:Status><ns:StatusMsg>Card &amp; board do not match</ns:StatusMsg>"#,
    r#"</ns:getCardDetailsResponse></soapenv:Body></soapenv:Envelope>"#
);

async fn soap_error(version: SoapVersion, status: u16, body: &'static str) -> Error {
    let content_type = match version {
        SoapVersion::V11 => "text/xml; charset=UTF-8",
        SoapVersion::V12 => "application/soap+xml; charset=UTF-8",
    };
    let base = serve(
        move || (status, content_type, body.to_owned()),
        Duration::ZERO,
    )
    .await;
    client(&base)
        .kanban_card_service()
        .with_version(version)
        .get_card_details(&GetCardDetailsInput::default())
        .await
        .expect_err("SOAP error")
}

#[tokio::test]
async fn soap_faults_1_1_and_1_2() {
    match soap_error(SoapVersion::V11, 500, FAULT_11).await {
        Error::SoapFault(f) => assert_eq!(
            *f,
            SoapFault {
                version: SoapVersion::V11,
                code: "soapenv:Server".into(),
                code_namespace: Some("http://schemas.xmlsoap.org/soap/envelope/".into()),
                reason: "No workspace".into(),
                detail: Some(r#"<e:code xmlns:e="urn:e">42</e:code>"#.into()),
                detail_elements: vec![format!(
                    r#"<e:code xmlns:soapenv="{}" xmlns:e="urn:e">42</e:code>"#,
                    "http://schemas.xmlsoap.org/soap/envelope/"
                )],
            }
        ),
        other => panic!("expected SoapFault, got {other:?}"),
    }
    match soap_error(SoapVersion::V12, 400, FAULT_12).await {
        Error::SoapFault(f) => {
            assert_eq!(f.version, SoapVersion::V12);
            assert_eq!(f.code, "soap:Sender");
            assert_eq!(
                f.code_expanded(),
                "{http://www.w3.org/2003/05/soap-envelope}Sender"
            );
            assert_eq!(f.reason, "Bad card");
            assert_eq!(
                f.detail.as_deref(),
                Some(r#"<e:code xmlns:e="urn:e">7</e:code>"#)
            );
        }
        other => panic!("expected SoapFault, got {other:?}"),
    }
}

#[tokio::test]
async fn soap_payload_status_failed() {
    match soap_error(SoapVersion::V11, 200, STATUS_FAILED).await {
        Error::SoapStatus { status, message } => {
            assert_eq!(status, "Failed");
            assert_eq!(message, "Card & board do not match");
        }
        other => panic!("expected SoapStatus, got {other:?}"),
    }
}

fn bulk_details(second_ok: bool) -> Value {
    json!({"cardDetails": [
        {"responseStatus": "Failed", "responseMsg": ["Name is mandatory."],
         "card": {"workType": "UserStory"}},
        {"responseStatus": if second_ok { "Successful" } else { "Failed" },
         "responseMsg": [if second_ok { "Card added successfully" } else { "Size is invalid." }],
         "card": {"workType": "UserStory", "id": "1001"}}
    ], "successCount": u8::from(second_ok)})
}

#[tokio::test]
async fn a_207_is_ok_with_per_item_results() {
    let base = serve(
        json_answer(
            207,
            message_view(
                "partial_success",
                &["Some cards were added."],
                bulk_details(true),
            ),
        ),
        Duration::ZERO,
    )
    .await;
    let resp = client(&base)
        .add_card(BOARD)
        .body(Default::default())
        .send()
        .await
        .expect("207 is a success");
    let value = serde_json::to_value(&resp).expect("re-encode");
    let all = item_results(&value);
    assert_eq!(all.len(), 2, "{value}");
    assert!(all[1].is_success());
    let failed = failed_items(&value);
    assert_eq!(failed.len(), 1);
    assert_eq!(failed[0].status, "Failed");
    assert_eq!(failed[0].messages, ["Name is mandatory."]);
    assert_eq!(failed[0].pointer, "/Response/details/cardDetails/0");
    assert_eq!(failed[0].item["card"]["workType"], "UserStory");
}

#[tokio::test]
async fn a_422_is_bulk_failed_with_the_same_per_item_results() {
    let base = serve(
        json_answer(
            422,
            message_view("error", &["No card was added."], bulk_details(false)),
        ),
        Duration::ZERO,
    )
    .await;
    let err = client(&base)
        .add_card(BOARD)
        .body(Default::default())
        .send()
        .await
        .expect_err("422");
    assert_eq!(err.status(), Some(422));
    assert_eq!(
        err.api_message().map(|m| m.messages.clone()),
        Some(vec!["No card was added.".to_owned()])
    );
    let items = err.failed_items().expect("per-item results");
    let failed = failed_items(items);
    assert_eq!(failed.len(), 2);
    assert_eq!(failed[1].messages, ["Size is invalid."]);
    assert_eq!(failed[1].item["card"]["id"], "1001");
    assert!(matches!(err, Error::BulkFailed { status: 422, .. }));
}

#[tokio::test]
async fn a_422_without_item_results_stays_a_status_error() {
    let base = serve(
        json_answer(422, message_view("error", &["Unprocessable."], json!({}))),
        Duration::ZERO,
    )
    .await;
    let err = client(&base)
        .add_card(BOARD)
        .body(Default::default())
        .send()
        .await
        .expect_err("422");
    assert!(matches!(err, Error::Status { status: 422, .. }), "{err:?}");
}
