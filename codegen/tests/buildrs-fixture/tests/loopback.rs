//! The build-script clients call real loopback servers.

use std::sync::{Arc, Mutex};

use axum::extract::{Path, RawQuery, State};
use axum::http::{HeaderMap, StatusCode};
use axum::routing::{get, post};
use axum::Router;
use codegen_buildrs_fixture::{petstore, vies};

type Seen = Arc<Mutex<Vec<String>>>;

async fn serve(router: Router) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let addr = listener.local_addr().expect("addr");
    tokio::spawn(async move { axum::serve(listener, router).await.expect("serve") });
    format!("http://{addr}")
}

fn client(base: &str) -> client_runtime::ApiClient {
    client_runtime::ApiClient::builder(base)
        .build()
        .expect("client")
}

#[tokio::test]
async fn petstore_lists_creates_and_shows_pets() {
    let seen: Seen = Arc::default();
    let router = Router::new()
        .route(
            "/v1/pets",
            get(|State(seen): State<Seen>, RawQuery(q): RawQuery| async move {
                seen.lock().expect("lock").push(format!("GET /v1/pets?{}", q.unwrap_or_default()));
                axum::Json(serde_json::json!([{"id": 1, "name": "Rex", "tag": "dog"}, {"id": 2, "name": "Tom"}]))
            })
            .post(|State(seen): State<Seen>, headers: HeaderMap, body: String| async move {
                let ct = headers.get("content-type").and_then(|v| v.to_str().ok()).unwrap_or_default().to_string();
                seen.lock().expect("lock").push(format!("POST /v1/pets {ct} {body}"));
                StatusCode::CREATED
            }),
        )
        .route(
            "/v1/pets/{id}",
            get(|Path(id): Path<String>| async move { axum::Json(serde_json::json!({"id": id.parse::<i64>().unwrap_or(0), "name": "Rex"})) }),
        )
        .with_state(seen.clone());
    let base = serve(router).await;
    let api = petstore::Client::from_api_client(client(&base));

    // The rename from petstore.toml applies; module_per_tag puts the builder in rest::pets.
    let request: petstore::rest::pets::ListPetsRequest<'_> = api.all_pets().limit(2);
    let pets: Vec<petstore::types::Pet> = request.send().await.expect("listPets");
    assert_eq!(pets.len(), 2);
    assert_eq!(pets[0].name, "Rex");
    assert_eq!(pets[0].tag.as_deref(), Some("dog"));
    // The configured derive(Eq) applies.
    fn is_eq<T: Eq>(_: &T) {}
    is_eq(&pets[0]);

    let new_pet = petstore::types::Pet {
        id: 3,
        name: "Kit".into(),
        tag: None,
        extra: Default::default(),
    };
    api.create_pets()
        .body(new_pet)
        .send()
        .await
        .expect("createPets");
    let one = api.show_pet_by_id("7").send().await.expect("showPetById");
    assert_eq!(one.id, 7);

    let seen = seen.lock().expect("lock").clone();
    assert_eq!(seen[0], "GET /v1/pets?limit=2");
    assert_eq!(
        seen[1],
        r#"POST /v1/pets application/json {"id":3,"name":"Kit"}"#
    );
}

#[tokio::test]
async fn vies_check_vat_sends_the_wsdl_envelope() {
    let seen: Seen = Arc::default();
    let router = Router::new()
        .route(
            "/taxation_customs/vies/services/checkVatService",
            post(|State(seen): State<Seen>, headers: HeaderMap, body: String| async move {
                let action = headers.get("soapaction").and_then(|v| v.to_str().ok()).unwrap_or_default().to_string();
                seen.lock().expect("lock").push(format!("{action}|{body}"));
                (
                    [("content-type", "text/xml; charset=utf-8")],
                    r#"<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body><checkVatResponse xmlns="urn:ec.europa.eu:taxud:vies:services:checkVat:types"><countryCode>DE</countryCode><vatNumber>123456789</vatNumber><requestDate>2026-12-03+01:00</requestDate><valid>true</valid><name>ACME</name></checkVatResponse></soap:Body></soap:Envelope>"#,
                )
            }),
        )
        .with_state(seen.clone());
    let base = serve(router).await;
    let api = vies::Client::from_api_client(client(&base));
    let request = vies::types::CheckVat {
        country_code: "DE".into(),
        vat_number: "123456789".into(),
    };
    // The response element decodes into the declared `checkVatResponse` type.
    let reply = api
        .check_vat_service()
        .check_vat(&request)
        .await
        .expect("checkVat");
    assert!(reply.valid, "{reply:?}");
    assert_eq!(reply.country_code, "DE");
    assert_eq!(reply.vat_number, "123456789");

    let seen = seen.lock().expect("lock").clone();
    let (action, body) = seen[0].split_once('|').expect("recorded");
    assert_eq!(action, "\"\"", "VIES declares an empty soapAction");
    assert!(
        body.contains("urn:ec.europa.eu:taxud:vies:services:checkVat:types"),
        "{body}"
    );
    assert!(
        body.find("countryCode").expect("countryCode") < body.find("vatNumber").expect("vatNumber"),
        "{body}"
    );
    assert!(
        body.contains(">DE<") && body.contains(">123456789<"),
        "{body}"
    );
}

#[test]
fn the_excluded_operation_is_not_generated() {
    let generated =
        std::fs::read_to_string(concat!(env!("OUT_DIR"), "/vies.rs")).expect("generated");
    assert!(generated.contains("pub async fn check_vat("));
    assert!(!generated.contains("pub async fn check_vat_approx("));
}
