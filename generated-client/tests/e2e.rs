//! End-to-end tests of the generated SwiftKanban client against a real axum server on
//! 127.0.0.1:0 that records every request and answers with payloads shaped like the public
//! facts (`/work/shared/swiftkanban/rest-facts.md` §1–§4, `soap-facts.md` §1.3, §4).

use std::sync::{Arc, Mutex};

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, Method, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use axum::Router;
use base64::Engine as _;
use generated_client::runtime::{ApiMessage, Id, SoapFault};
use generated_client::types::{
    AddCardDetails2, AddCardRequest, Card, CardDetail, CardDetail2, CardDetail2ResponseMsg,
    CardField, CardFields, GetCardDetailsInput, MoveCardOnBoardRequest, UpdateCardRequest,
};
use generated_client::{Auth, CardRef, Client, Error, SoapVersion, UsernameToken};
use serde_json::{json, Value};

// ---------------------------------------------------------------------------------------------
// Recording server
// ---------------------------------------------------------------------------------------------

/// One request exactly as the server received it.
#[derive(Debug, Clone)]
struct Seen {
    method: Method,
    /// Raw path as sent (no percent-decoding).
    path: String,
    /// Raw query string as sent, if any.
    query: Option<String>,
    headers: HeaderMap,
    body: Bytes,
}

impl Seen {
    fn header(&self, name: &str) -> Option<String> {
        self.headers
            .get(name)
            .map(|v| v.to_str().expect("ascii header").to_owned())
    }
    fn header_count(&self, name: &str) -> usize {
        self.headers.get_all(name).iter().count()
    }
    fn text(&self) -> String {
        String::from_utf8(self.body.to_vec()).expect("utf-8 body")
    }
    fn json(&self) -> Value {
        serde_json::from_slice(&self.body).expect("JSON body")
    }
    /// Query pairs, percent-decoded, in order.
    fn query_pairs(&self) -> Vec<(String, String)> {
        self.query.as_deref().map(decode_query).unwrap_or_default()
    }
}

struct Reply {
    status: u16,
    content_type: &'static str,
    body: String,
}

fn json_reply(status: u16, body: Value) -> Reply {
    Reply {
        status,
        content_type: "application/json",
        body: body.to_string(),
    }
}

fn xml_reply(status: u16, content_type: &'static str, body: impl Into<String>) -> Reply {
    Reply {
        status,
        content_type,
        body: body.into(),
    }
}

type Responder = dyn Fn(&Seen) -> Reply + Send + Sync;

struct Shared {
    seen: Mutex<Vec<Seen>>,
    respond: Box<Responder>,
}

struct Server {
    base_url: String,
    shared: Arc<Shared>,
}

impl Server {
    fn seen(&self) -> Vec<Seen> {
        self.shared.seen.lock().expect("lock").clone()
    }
}

async fn record(
    State(shared): State<Arc<Shared>>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let seen = Seen {
        method,
        path: uri.path().to_owned(),
        query: uri.query().map(str::to_owned),
        headers,
        body,
    };
    shared.seen.lock().expect("lock").push(seen.clone());
    let reply = (shared.respond)(&seen);
    let mut resp = (
        StatusCode::from_u16(reply.status).expect("status"),
        reply.body,
    )
        .into_response();
    resp.headers_mut().insert(
        "content-type",
        reply.content_type.parse().expect("content type"),
    );
    resp
}

async fn serve(respond: impl Fn(&Seen) -> Reply + Send + Sync + 'static) -> Server {
    let shared = Arc::new(Shared {
        seen: Mutex::new(Vec::new()),
        respond: Box::new(respond),
    });
    let app = Router::new().fallback(record).with_state(shared.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let addr = listener.local_addr().expect("addr");
    tokio::spawn(async move {
        let _ = axum::serve(listener, app).await;
    });
    Server {
        base_url: format!("http://{addr}"),
        shared,
    }
}

fn decode_query(q: &str) -> Vec<(String, String)> {
    q.split('&')
        .filter(|p| !p.is_empty())
        .map(|pair| {
            let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
            (percent_decode(k), percent_decode(v))
        })
        .collect()
}

fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'%' if i + 2 < bytes.len() => {
                let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).expect("hex");
                out.push(u8::from_str_radix(hex, 16).expect("percent escape"));
                i += 3;
            }
            b'+' => {
                out.push(b' ');
                i += 1;
            }
            b => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8(out).expect("utf-8 query")
}

fn pairs(items: &[(&str, &str)]) -> Vec<(String, String)> {
    items
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

// ---------------------------------------------------------------------------------------------
// SwiftKanban payloads (rest-facts.md §1.4, §3, §4)
// ---------------------------------------------------------------------------------------------

const BOARD: &str = "1546882";
const JWT: &str = "eyJ0eXAiOiJKV1QiLCJhbGciOiJIUzI1NiJ9.eyJwZXJzb25JZCI6OTk5MzU4LCJhcHBBY2NvdW50SWQiOjF9.c2lnbmF0dXJl";

fn envelope(kind: &str, messages: &[&str], self_uri: &str, details: Value) -> Value {
    json!({"Response": {
        "details": details,
        "messageView": {"type": kind, "message": messages, "uriMap": {"selfUri": self_uri}}
    }})
}

fn token_response() -> Value {
    envelope(
        "success",
        &["Authentication Successful!"],
        "https://login.swiftkanban.com/restapi/secured/auth",
        json!({
            "userData": {"dateTime": "dd-MMM-yyyy", "firstName": "First", "lastName": "Last",
                          "loginId": "user@example.com", "emailId": "user@example.com", "personId": 999358},
            "authDetails": {"AuthorizationToken": JWT}
        }),
    )
}

fn board_list() -> Value {
    envelope(
        "success",
        &["getProjects successful"],
        "http://localhost:8080/restapi/board-operations/boards",
        json!({"board": [{
            "createdDate": "2015-08-03 10:43:25.0", "createdBy": "1032599", "projectNumber": "1",
            "modifiedDate": "2015-08-03 10:43:25.0", "boardId": BOARD, "personRole": "2",
            "modifiedBy": "1032599", "projectName": "Project1", "currentState": "Active"
        }]}),
    )
}

/// A full card as getCard returns it, including the custom field `numeric4` that no spec
/// example declares (S5 capture: present on 16 of 35 real cards).
fn full_card() -> Value {
    json!({
        "id": "2863953", "cardNumber": "US1", "ExternalCardId": "US1", "name": "Old name",
        "workType": "UserStory", "description": "<p>Login page</p>",
        "currentQueue": "Develop#In-Progress", "currentQueueId": "1606151",
        "currentSwimId": "1547749", "currentSwimName": "Kanban board", "smartLane": "Kanban board",
        "currentOwner": "Unassigned", "currentOwner_userId": "Unassigned", "currentState": "Active",
        "priority": "Medium", "cardSize": "M", "classOfService": "Standard Class",
        "summaryType": "leaf", "workspaceId": BOARD, "workspaceType": "KanbanProject",
        "createdDate": "2021-02-05T15:03:36Z", "createdBy": "user@example.com",
        "modifiedDate": "2021-02-05T15:03:36Z", "modifiedBy": "user@example.com",
        "dateIdentified": "2021-01-14T10:40:48Z", "isRelated": "false", "backlogPos": "0.0",
        "cardPercentProgress": "0.0", "childPercentProgress": "0.0",
        "numeric1": "0", "numeric2": "0", "numeric3": "12", "numeric4": "1"
    })
}

fn card_uri(path: &str) -> String {
    format!("http://localhost:8080{path}")
}

/// The card operations of test 2/3, routed by method and path.
fn card_routes(seen: &Seen) -> Reply {
    let cards = format!("/restapi/card-operations/boards/{BOARD}/cards");
    match (seen.method.as_str(), seen.path.as_str()) {
        ("POST", p) if p == cards => json_reply(
            201,
            envelope(
                "success",
                &["Card added successfully"],
                &card_uri(p),
                json!({"cardDetails": [{
                    "responseStatus": "Successful",
                    "responseMsg": ["Card added successfully"],
                    "card": {"id": "540245", "cardNumber": "US3", "currentQueue": "Backlog",
                             "currentQueueId": "N/A", "currentSwimId": "N/A", "currentSwimName": "N/A",
                             "workType": "UserStory", "currentState": "Active", "name": "New story"}
                }]}),
            ),
        ),
        ("GET", p) if p == cards => json_reply(
            200,
            envelope(
                "success",
                &["getCardList successful"],
                &card_uri(p),
                json!({"cardDetails": [
                    {"id": "540090", "priority": "Critical", "name": "karate Defect1"},
                    {"id": "540091", "priority": "Low", "name": "Story two"}
                ]}),
            ),
        ),
        ("PUT", p) if p == cards => {
            // Echo one result per card sent; responseMsg is a plain string here (§1.4).
            let body = seen.json();
            let items: Vec<Value> = body["card"]
                .as_array()
                .map(|cards| {
                    cards
                        .iter()
                        .map(|c| {
                            json!({
                                "responseStatus": "Successful",
                                "card": {"workType": c["workType"], "id": c["id"]},
                                "responseMsg": "Card updated successfully"
                            })
                        })
                        .collect()
                })
                .unwrap_or_default();
            json_reply(
                200,
                envelope(
                    "success",
                    &["updateCards successful"],
                    &card_uri(p),
                    json!({"cardDetails": items}),
                ),
            )
        }
        ("GET", p) if p == format!("{cards}/UserStory:US1") => json_reply(
            200,
            envelope(
                "success",
                &["getCard successful"],
                &card_uri(p),
                json!({"cardDetails": full_card()}),
            ),
        ),
        ("PUT", p) if p == format!("{cards}/move/board") => json_reply(
            200,
            envelope(
                "success",
                &["Card moved successfully"],
                &card_uri(p),
                json!({"cardDetails": [{
                    "fromQkeyId": "1611804", "toSwimId": "1552746", "cardType": "UserStory",
                    "cardUniqueId": "1111", "fromSwimId": "1552746", "toQkeyId": "1611808",
                    "responseStatus": "Successful", "responseMsg": ["Card moved successfully"]
                }]}),
            ),
        ),
        ("GET", "/restapi/attachment-operations/attachments/size-limit") => json_reply(
            200,
            envelope(
                "success",
                &[],
                &card_uri("/restapi/attachment-operations/attachments/size-limit"),
                json!({"sizeLimit": 5}),
            ),
        ),
        _ => json_reply(
            404,
            envelope(
                "error",
                &["no route in test server"],
                &card_uri(&seen.path),
                json!({}),
            ),
        ),
    }
}

/// The one item of a bulk result about a single card.
fn sole<T: std::fmt::Debug>(items: &Option<Vec<T>>) -> &T {
    match items.as_deref() {
        Some([item]) => item,
        other => panic!("expected exactly one item, got {other:?}"),
    }
}

fn token_client(server: &Server) -> Client {
    Client::new(server.base_url.clone(), Auth::token(JWT)).expect("client")
}

/// Every REST call carries `AuthorizationToken: <jwt>` exactly once, raw, and no `Authorization`.
fn assert_token_header(seen: &Seen) {
    assert_eq!(
        seen.header("authorizationtoken").as_deref(),
        Some(JWT),
        "{} {}",
        seen.method,
        seen.path
    );
    assert_eq!(seen.header_count("authorizationtoken"), 1);
    assert_eq!(
        seen.header("authorization"),
        None,
        "no Authorization/Bearer header expected"
    );
}

// ---------------------------------------------------------------------------------------------
// 1. Token flow
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn login_fetches_token_once_and_sends_it_raw_on_every_call() {
    let server = serve(|seen| match (seen.method.as_str(), seen.path.as_str()) {
        ("POST", "/restapi/secured/auth") => json_reply(201, token_response()),
        ("GET", "/restapi/board-operations/boards") => json_reply(200, board_list()),
        _ => json_reply(404, json!({})),
    })
    .await;

    let client = Client::new(
        server.base_url.clone(),
        generated_client::login("user@example.com", "pa:ss wörd"),
    )
    .expect("client");
    let clone = client.clone();

    // Two clones call concurrently, then one more call: one login in total.
    let (a, b) = tokio::join!(client.get_projects().send(), clone.get_projects().send());
    let a = a.expect("first clone");
    let b = b.expect("second clone");
    let c = clone.get_projects().send().await.expect("third call");
    for r in [&a, &b, &c] {
        assert_eq!(r.response.message_view.type_, "success");
        let boards = r.response.details.board.as_deref().unwrap_or_default();
        assert_eq!(boards.len(), 1);
        assert_eq!(
            boards[0].board_id,
            Some(generated_client::runtime::Id::from(BOARD))
        );
        assert_eq!(boards[0].project_name.as_deref(), Some("Project1"));
        assert_eq!(boards[0].current_state.as_deref(), Some("Active"));
    }

    let seen = server.seen();
    assert_eq!(seen.len(), 4, "{seen:#?}");
    let logins: Vec<&Seen> = seen
        .iter()
        .filter(|s| s.path == "/restapi/secured/auth")
        .collect();
    assert_eq!(logins.len(), 1, "token must be fetched once across clones");

    let login = &seen[0];
    assert_eq!(login.method, Method::POST);
    assert_eq!(login.path, "/restapi/secured/auth");
    assert_eq!(login.query, None);
    assert_eq!(login.header("content-type").as_deref(), Some("text/plain"));
    assert_eq!(
        login.header("authorizationtoken"),
        None,
        "token request carries no token"
    );
    let expected_b64 =
        base64::engine::general_purpose::STANDARD.encode("user@example.com:pa:ss wörd");
    assert_eq!(
        login.json(),
        json!({"AuthenticationToken": format!("SwiftKanban {expected_b64}")})
    );
    // The body is exactly that JSON text (one key, no extra whitespace).
    assert_eq!(
        login.text(),
        format!("{{\"AuthenticationToken\":\"SwiftKanban {expected_b64}\"}}")
    );

    for call in &seen[1..] {
        assert_eq!(call.method, Method::GET);
        assert_eq!(call.path, "/restapi/board-operations/boards");
        assert_eq!(call.query, None);
        assert_token_header(call);
        assert!(call.body.is_empty());
    }
}

// ---------------------------------------------------------------------------------------------
// 2. Card operations
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn add_card_posts_json_and_decodes_201() {
    let server = serve(card_routes).await;
    let client = token_client(&server);

    let request = AddCardRequest {
        card: Some(vec![Card {
            work_type: Some("UserStory".into()),
            name: Some("New story".into()),
            card_size: Some("M".into()),
            class_of_service: Some("Expedite".into()),
            current_owner: Some("user@example.com".into()),
            ..Default::default()
        }]),
        ..Default::default()
    };
    let resp = client
        .add_card(BOARD)
        .body(request)
        .send()
        .await
        .expect("addCard");

    let seen = server.seen();
    assert_eq!(seen.len(), 1);
    let s = &seen[0];
    assert_eq!(s.method, Method::POST);
    assert_eq!(s.path, "/restapi/card-operations/boards/1546882/cards");
    assert_eq!(s.query, None);
    assert_eq!(
        s.header("content-type").as_deref(),
        Some("application/json")
    );
    assert_eq!(s.header("accept").as_deref(), Some("application/json"));
    assert_token_header(s);
    assert_eq!(
        s.json(),
        json!({"card": [{"workType": "UserStory", "name": "New story", "cardSize": "M",
                         "classOfService": "Expedite", "currentOwner": "user@example.com"}]})
    );

    assert_eq!(resp.response.message_view.type_, "success");
    assert_eq!(
        resp.response.message_view.message,
        vec!["Card added successfully".to_string()]
    );
    let item = sole(&resp.response.details.card_details);
    assert_eq!(resp.response.details.success_count, None);
    assert_eq!(item.response_status.as_deref(), Some("Successful"));
    assert_eq!(
        item.response_msg,
        Some(CardDetail2ResponseMsg::List(vec![
            "Card added successfully".into()
        ]))
    );
    let card = item.card.as_ref().expect("card in result item");
    assert_eq!(card.id, Some(generated_client::runtime::Id::from("540245")));
    assert_eq!(card.card_number.as_deref(), Some("US3"));
    assert_eq!(card.current_queue.as_deref(), Some("Backlog"));
    assert_eq!(
        card.current_queue_id,
        Some(generated_client::runtime::Id::from("N/A"))
    );
    assert_eq!(card.work_type.as_deref(), Some("UserStory"));
}

#[tokio::test]
async fn get_card_sends_raw_colon_card_reference() {
    let server = serve(card_routes).await;
    let client = token_client(&server);

    let resp = client
        .get_card(BOARD, CardRef::new("UserStory", "US1"))
        .send()
        .await
        .expect("getCard");

    let seen = server.seen();
    assert_eq!(seen.len(), 1);
    let s = &seen[0];
    assert_eq!(s.method, Method::GET);
    assert_eq!(
        s.path,
        "/restapi/card-operations/boards/1546882/cards/UserStory:US1"
    );
    assert_eq!(s.query, None);
    assert!(s.body.is_empty());
    assert_eq!(s.header("content-type"), None);
    assert_token_header(s);

    let card = resp.response.details.card_details.as_ref().expect("card");
    assert_eq!(card.id, Some(Id::from("2863953")));
    assert_eq!(card.card_number.as_deref(), Some("US1"));
    assert_eq!(card.name.as_deref(), Some("Old name"));
    assert_eq!(card.current_queue.as_deref(), Some("Develop#In-Progress"));
    assert_eq!(card.smart_lane.as_deref(), Some("Kanban board"));
    assert_eq!(card.workspace_id, Some(Id::from(BOARD)));
}

#[tokio::test]
async fn card_list_sends_arrays_as_repeated_keys() {
    let server = serve(card_routes).await;
    let client = token_client(&server);

    let resp = client
        .get_card_list_1(BOARD)
        .advance_filter("currentQueue:{$eq:Ready}, $OR:{priority:{$eq:Low}}")
        .card_type(["UserStory", "KanbanDefect"])
        .field_name(["id", "name", "priority"])
        .send()
        .await
        .expect("getCardList_1");

    let seen = server.seen();
    assert_eq!(seen.len(), 1);
    let s = &seen[0];
    assert_eq!(s.method, Method::GET);
    assert_eq!(s.path, "/restapi/card-operations/boards/1546882/cards");
    assert_token_header(s);
    assert_eq!(
        s.query_pairs(),
        pairs(&[
            (
                "advanceFilter",
                "currentQueue:{$eq:Ready}, $OR:{priority:{$eq:Low}}"
            ),
            ("cardType", "UserStory"),
            ("cardType", "KanbanDefect"),
            ("fieldName", "id"),
            ("fieldName", "name"),
            ("fieldName", "priority"),
        ])
    );
    // Repeated keys, never `fieldName[]=` nor comma-joined values.
    let raw = s.query.as_deref().expect("query");
    assert!(
        raw.contains("fieldName=id&fieldName=name&fieldName=priority"),
        "{raw}"
    );
    assert!(
        raw.contains("cardType=UserStory&cardType=KanbanDefect"),
        "{raw}"
    );
    assert!(!raw.contains("%5B%5D") && !raw.contains("[]"), "{raw}");

    let cards = resp
        .response
        .details
        .card_details
        .as_deref()
        .unwrap_or_default();
    assert_eq!(cards.len(), 2);
    assert_eq!(cards[0].id, Some(Id::from("540090")));
    assert_eq!(cards[0].priority.as_deref(), Some("Critical"));
    assert_eq!(cards[0].name.as_deref(), Some("karate Defect1"));
    assert_eq!(cards[1].name.as_deref(), Some("Story two"));
    assert_eq!(
        resp.response.message_view.message,
        vec!["getCardList successful".to_string()]
    );
}

#[tokio::test]
async fn update_cards_puts_json_and_decodes_string_response_msg() {
    let server = serve(card_routes).await;
    let client = token_client(&server);

    let request = UpdateCardRequest {
        card: Some(vec![Card {
            id: Some("540245".into()),
            work_type: Some("UserStory".into()),
            name: Some("Renamed".into()),
            priority: Some("High".into()),
            ..Default::default()
        }]),
        ..Default::default()
    };
    let resp = client
        .update_cards(BOARD)
        .body(request)
        .send()
        .await
        .expect("updateCards");

    let seen = server.seen();
    assert_eq!(seen.len(), 1);
    let s = &seen[0];
    assert_eq!(s.method, Method::PUT);
    assert_eq!(s.path, "/restapi/card-operations/boards/1546882/cards");
    assert_eq!(s.query, None);
    assert_eq!(
        s.header("content-type").as_deref(),
        Some("application/json")
    );
    assert_token_header(s);
    assert_eq!(
        s.json(),
        json!({"card": [{"id": "540245", "workType": "UserStory", "name": "Renamed", "priority": "High"}]})
    );

    let item = sole(&resp.response.details.card_details);
    assert_eq!(item.response_status.as_deref(), Some("Successful"));
    assert_eq!(
        item.response_msg,
        Some(CardDetail2ResponseMsg::Text(
            "Card updated successfully".into()
        ))
    );
    let card = item.card.as_ref().expect("card");
    assert_eq!(card.id, Some(generated_client::runtime::Id::from("540245")));
    assert_eq!(card.work_type.as_deref(), Some("UserStory"));
}

#[tokio::test]
async fn move_card_on_board_sends_application_json() {
    let server = serve(card_routes).await;
    let client = token_client(&server);

    let request = MoveCardOnBoardRequest {
        card_details: Some(vec![CardDetail2 {
            card_type: Some("UserStory".into()),
            card_unique_id: Some(Id::from("1111")),
            to_swim_id: Some("1552746".into()),
            to_qkey_id: Some("1611808".into()),
            ..Default::default()
        }]),
        ..Default::default()
    };
    let resp = client
        .move_card_on_board(BOARD)
        .body(request)
        .send()
        .await
        .expect("moveCardOnBoard");

    let seen = server.seen();
    assert_eq!(seen.len(), 1);
    let s = &seen[0];
    assert_eq!(s.method, Method::PUT);
    assert_eq!(
        s.path,
        "/restapi/card-operations/boards/1546882/cards/move/board"
    );
    assert_eq!(s.query, None);
    // The spec declares `*/*`; the client must still label the JSON it sends.
    assert_eq!(
        s.header("content-type").as_deref(),
        Some("application/json")
    );
    assert_token_header(s);
    assert_eq!(
        s.json(),
        json!({"cardDetails": [{"cardType": "UserStory", "cardUniqueId": "1111", "toSwimId": "1552746", "toQkeyId": "1611808"}]})
    );

    let item = sole(&resp.response.details.card_details);
    assert_eq!(item.response_status.as_deref(), Some("Successful"));
    assert_eq!(
        item.from_qkey_id,
        Some(generated_client::runtime::Id::from("1611804"))
    );
    assert_eq!(
        item.from_swim_id,
        Some(generated_client::runtime::Id::from("1552746"))
    );
    assert_eq!(
        item.to_qkey_id,
        Some(generated_client::runtime::Id::from("1611808"))
    );
    assert_eq!(item.card_unique_id, Some(Id::from("1111")));
    assert_eq!(
        item.response_msg,
        Some(CardDetail2ResponseMsg::List(vec![
            "Card moved successfully".into()
        ]))
    );
}

// ---------------------------------------------------------------------------------------------
// 3. Undeclared custom field survives a read-modify-write
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn custom_field_numeric4_round_trips_through_get_and_update() {
    // Precondition: the generated types do not declare `numeric4`, so it can only survive
    // through the catch-all `extra` map.
    let types_rs = include_str!("../src/generated/types.rs");
    assert!(
        !types_rs.contains("\"numeric4\""),
        "types.rs declares numeric4; pick another custom field name"
    );

    let server = serve(card_routes).await;
    let client = token_client(&server);

    let got = client
        .get_card(BOARD, CardRef::new("UserStory", "US1"))
        .send()
        .await
        .expect("getCard");
    let detail: CardDetail = got.response.details.card_details.expect("card details");
    assert_eq!(
        detail.extra.get("numeric4"),
        Some(&json!("1")),
        "custom field kept in `extra`"
    );

    // getCard yields a `CardDetail`, updateCards takes `Card`: convert through serde
    // (the generated types offer no conversion; see report).
    let mut card: Card =
        serde_json::from_value(serde_json::to_value(&detail).expect("serialize CardDetail"))
            .expect("CardDetail as Card");
    assert_eq!(card.extra.get("numeric4"), Some(&json!("1")));
    card.name = Some("New name".into());

    let resp = client
        .update_cards(BOARD)
        .body(UpdateCardRequest {
            card: Some(vec![card]),
            ..Default::default()
        })
        .send()
        .await
        .expect("updateCards");
    assert_eq!(
        resp.response
            .details
            .card_details
            .as_deref()
            .unwrap_or_default()[0]
            .response_status
            .as_deref(),
        Some("Successful")
    );

    let seen = server.seen();
    assert_eq!(seen.len(), 2);
    let put = &seen[1];
    assert_eq!(put.method, Method::PUT);
    assert_eq!(put.path, "/restapi/card-operations/boards/1546882/cards");
    let mut expected = full_card();
    expected["name"] = json!("New name");
    assert_eq!(
        put.json(),
        json!({"card": [expected]}),
        "every field unchanged except name"
    );
    assert_eq!(put.json()["card"][0]["numeric4"], json!("1"));
}

// ---------------------------------------------------------------------------------------------
// 4. Errors
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn http_400_with_message_view_becomes_status_error() {
    let self_uri =
        "http://localhost:8080/restapi/card-operations/boards/1546882/cards/UserStory:US404";
    let server = serve(move |_| {
        json_reply(
            400,
            envelope(
                "error",
                &["Card does not exist.", "Check the card id."],
                self_uri,
                json!({}),
            ),
        )
    })
    .await;
    let client = token_client(&server);

    let err = client
        .get_card(BOARD, CardRef::new("UserStory", "US404"))
        .send()
        .await
        .expect_err("400 must fail");
    match err {
        Error::Status {
            status,
            message,
            body,
        } => {
            assert_eq!(status, 400);
            assert_eq!(
                message,
                Some(ApiMessage {
                    kind: "error".into(),
                    messages: vec!["Card does not exist.".into(), "Check the card id.".into()],
                    self_uri: Some(self_uri.into()),
                })
            );
            assert!(body.contains("Card does not exist."), "{body}");
        }
        other => panic!("expected Error::Status, got {other:?}"),
    }
    // getCard is retry-safe, but a 400 is not retried.
    assert_eq!(server.seen().len(), 1);
}

#[tokio::test]
async fn http_200_with_error_message_view_becomes_api_error() {
    let self_uri = "http://localhost:8080/restapi/card-operations/boards/1546882/cards";
    let server = serve(move |_| {
        json_reply(
            200,
            envelope(
                "error",
                &["Invalid advanceFilter."],
                self_uri,
                json!({"cardDetails": []}),
            ),
        )
    })
    .await;
    let client = token_client(&server);

    let err = client
        .get_card_list_1(BOARD)
        .advance_filter("bogus")
        .send()
        .await
        .expect_err("type=error must fail");
    match err {
        Error::Api { status, message } => {
            assert_eq!(status, 200);
            assert_eq!(
                message,
                ApiMessage {
                    kind: "error".into(),
                    messages: vec!["Invalid advanceFilter.".into()],
                    self_uri: Some(self_uri.into())
                }
            );
        }
        other => panic!("expected Error::Api, got {other:?}"),
    }
    assert_eq!(server.seen().len(), 1);
}

#[tokio::test]
async fn token_service_refusal_becomes_auth_error_and_no_call_is_sent() {
    let server = serve(|_| {
        json_reply(
            500,
            json!({"Response": {"details": {}, "messageView": {"type": "error", "message": ["User does not exist in LDAP."], "uriMap": null}}}),
        )
    })
    .await;
    let client = Client::new(
        server.base_url.clone(),
        generated_client::login("nobody@example.com", "pw"),
    )
    .expect("client");

    let err = client
        .get_projects()
        .send()
        .await
        .expect_err("login refused");
    match err {
        Error::Auth { message } => {
            assert!(message.contains("500"), "{message}");
            assert!(
                message.contains("User does not exist in LDAP."),
                "{message}"
            );
            assert!(!message.contains("pw"), "password must not leak: {message}");
        }
        other => panic!("expected Error::Auth, got {other:?}"),
    }
    let seen = server.seen();
    assert_eq!(seen.len(), 1, "only the token request: {seen:#?}");
    assert_eq!(seen[0].path, "/restapi/secured/auth");
}

// ---------------------------------------------------------------------------------------------
// 5. SOAP
// ---------------------------------------------------------------------------------------------

const KAN_NS: &str = "http://kanbancard.webservices.kanban.app.digite.com/";
const SOAP11_NS: &str = "http://schemas.xmlsoap.org/soap/envelope/";
const SOAP12_NS: &str = "http://www.w3.org/2003/05/soap-envelope";
const WSSE_NS: &str =
    "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd";
const WSU_NS: &str =
    "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-utility-1.0.xsd";
const PASSWORD_TEXT: &str = "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-username-token-profile-1.0#PasswordText";
const SOAP11_PATH: &str = "/axis2/services/KanbanCardService.KanbancardServiceSOAP11port";
const SOAP12_PATH: &str = "/axis2/services/KanbanCardService.KanbancardServiceSOAP12port";
const SOAP_PASSWORD: &str = "p<a&s>s\"w'd";

/// A namespace-resolved XML element.
#[derive(Debug, Clone, Default)]
struct Node {
    ns: String,
    local: String,
    /// (namespace, local name, value); namespace declarations excluded.
    attrs: Vec<(String, String, String)>,
    text: String,
    children: Vec<Node>,
}

impl Node {
    fn is(&self, ns: &str, local: &str) -> bool {
        self.ns == ns && self.local == local
    }
    fn child(&self, ns: &str, local: &str) -> &Node {
        let found: Vec<&Node> = self.children.iter().filter(|c| c.is(ns, local)).collect();
        assert_eq!(
            found.len(),
            1,
            "exactly one {{{ns}}}{local} under {}: {self:#?}",
            self.local
        );
        found[0]
    }
    fn attr(&self, ns: &str, local: &str) -> Option<&str> {
        self.attrs
            .iter()
            .find(|(n, l, _)| n == ns && l == local)
            .map(|(_, _, v)| v.as_str())
    }
    fn child_names(&self) -> Vec<(&str, &str)> {
        self.children
            .iter()
            .map(|c| (c.ns.as_str(), c.local.as_str()))
            .collect()
    }
}

fn parse_xml(xml: &str) -> Node {
    use quick_xml::events::Event;
    use quick_xml::name::ResolveResult;

    fn ns_of(r: ResolveResult<'_>) -> String {
        match r {
            ResolveResult::Bound(ns) => String::from_utf8(ns.0.to_vec()).expect("utf-8 ns"),
            ResolveResult::Unbound => String::new(),
            ResolveResult::Unknown(p) => {
                panic!("undeclared prefix {:?}", String::from_utf8_lossy(&p))
            }
        }
    }

    let mut reader = quick_xml::NsReader::from_str(xml);
    let mut stack: Vec<Node> = Vec::new();
    let mut root: Option<Node> = None;
    loop {
        let (resolved, event) = reader.read_resolved_event().expect("well-formed XML");
        let ns = ns_of(resolved);
        let open = |e: &quick_xml::events::BytesStart<'_>, reader: &quick_xml::NsReader<&[u8]>| {
            let mut node = Node {
                ns: ns.clone(),
                local: String::from_utf8(e.local_name().as_ref().to_vec()).expect("utf-8 name"),
                ..Node::default()
            };
            for a in e.attributes() {
                let a = a.expect("attribute");
                if a.key.as_namespace_binding().is_some() {
                    continue;
                }
                let (r, local) = reader.resolve_attribute(a.key);
                let value = a.unescape_value().expect("attribute value").into_owned();
                node.attrs.push((
                    ns_of(r),
                    String::from_utf8(local.as_ref().to_vec()).expect("utf-8"),
                    value,
                ));
            }
            node
        };
        match event {
            Event::Start(e) => {
                let node = open(&e, &reader);
                stack.push(node);
            }
            Event::Empty(e) => {
                let node = open(&e, &reader);
                match stack.last_mut() {
                    Some(parent) => parent.children.push(node),
                    None => root = Some(node),
                }
            }
            Event::End(_) => {
                let node = stack.pop().expect("balanced");
                match stack.last_mut() {
                    Some(parent) => parent.children.push(node),
                    None => root = Some(node),
                }
            }
            Event::Text(t) => {
                if let Some(top) = stack.last_mut() {
                    top.text.push_str(&t.unescape().expect("text"));
                }
            }
            Event::CData(c) => {
                if let Some(top) = stack.last_mut() {
                    top.text
                        .push_str(std::str::from_utf8(&c).expect("utf-8 cdata"));
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    assert!(stack.is_empty(), "unclosed elements");
    root.expect("a root element")
}

fn soap_client(server: &Server) -> Client {
    let api = Client::builder(server.base_url.clone())
        .username_token(UsernameToken::text("user@example.com", SOAP_PASSWORD))
        .build()
        .expect("SOAP client");
    Client::from_api_client(api)
}

/// Checks Envelope/Header/Security/UsernameToken and returns the single Body child.
fn check_envelope(xml: &str, env_ns: &str, must_understand: &str) -> Node {
    let env = parse_xml(xml);
    assert!(env.is(env_ns, "Envelope"), "{env:#?}");
    assert_eq!(
        env.child_names(),
        vec![(env_ns, "Header"), (env_ns, "Body")]
    );
    let security = env.child(env_ns, "Header").child(WSSE_NS, "Security");
    assert_eq!(
        security.attr(env_ns, "mustUnderstand"),
        Some(must_understand)
    );
    let token = security.child(WSSE_NS, "UsernameToken");
    assert!(
        token
            .attr(WSU_NS, "Id")
            .is_some_and(|id| id.starts_with("UsernameToken-")),
        "{token:#?}"
    );
    assert_eq!(token.child(WSSE_NS, "Username").text, "user@example.com");
    let password = token.child(WSSE_NS, "Password");
    assert_eq!(password.attr("", "Type"), Some(PASSWORD_TEXT));
    assert_eq!(
        password.text, SOAP_PASSWORD,
        "password escaped on the wire and intact after parsing"
    );
    let body = env.child(env_ns, "Body");
    assert_eq!(body.children.len(), 1, "{body:#?}");
    body.children[0].clone()
}

const ADD_CARD_RESPONSE_11: &str = concat!(
    r#"<?xml version="1.0" encoding="UTF-8"?>"#,
    r#"<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/"><soapenv:Body>"#,
    r#"<ns:addCardResponse xmlns:ns="http://kanbancard.webservices.kanban.app.digite.com/">"#,
    r#"<ns:Card ns:cardId="540245" ns:cardSequenceNumber="DEF3"><ns:Status>Success</ns:Status></ns:Card>"#,
    r#"</ns:addCardResponse></soapenv:Body></soapenv:Envelope>"#
);

const GET_CARD_DETAILS_RESPONSE_12: &str = concat!(
    r#"<?xml version="1.0" encoding="UTF-8"?>"#,
    r#"<soap:Envelope xmlns:soap="http://www.w3.org/2003/05/soap-envelope"><soap:Body>"#,
    r#"<ns:getCardDetailsResponse xmlns:ns="http://kanbancard.webservices.kanban.app.digite.com/">"#,
    r#"<ns:Card ns:cardId="540090"><ns:name>karate Defect1</ns:name><ns:priority>Critical</ns:priority></ns:Card>"#,
    r#"</ns:getCardDetailsResponse></soap:Body></soap:Envelope>"#
);

fn soap_routes(seen: &Seen) -> Reply {
    match seen.path.as_str() {
        SOAP11_PATH => xml_reply(200, "text/xml; charset=UTF-8", ADD_CARD_RESPONSE_11),
        SOAP12_PATH => xml_reply(
            200,
            "application/soap+xml; charset=UTF-8",
            GET_CARD_DETAILS_RESPONSE_12,
        ),
        _ => xml_reply(404, "text/plain", "no route"),
    }
}

#[tokio::test]
async fn soap11_add_card_sends_wsse_and_ordered_children() {
    let server = serve(soap_routes).await;
    let client = soap_client(&server);

    let request = AddCardDetails2 {
        project_id: "40186".into(),
        card_type: "KanbanDefect".into(),
        user_login_id: "user@example.com".into(),
        mode: String::new(),
        fields: CardFields {
            field: vec![
                CardField {
                    name: Some("name".into()),
                    value: Some("Login <fails> & more".into()),
                },
                CardField {
                    name: Some("cardSize".into()),
                    value: Some("M".into()),
                },
            ],
        },
    };
    let raw = client
        .kanban_card_service()
        .add_card(&request)
        .await
        .expect("SOAP addCard");

    let seen = server.seen();
    assert_eq!(seen.len(), 1);
    let s = &seen[0];
    assert_eq!(s.method, Method::POST);
    assert_eq!(s.path, SOAP11_PATH);
    assert_eq!(s.query, None);
    assert_eq!(s.header("soapaction").as_deref(), Some("\"urn:addCard\""));
    let content_type = s.header("content-type").expect("content type");
    assert!(content_type.starts_with("text/xml"), "{content_type}");
    assert_eq!(content_type, "text/xml; charset=UTF-8");

    let wrapper = check_envelope(&s.text(), SOAP11_NS, "1");
    assert!(wrapper.is(KAN_NS, "addCardDetails"), "{wrapper:#?}");
    assert_eq!(
        wrapper.child_names(),
        vec![
            (KAN_NS, "projectId"),
            (KAN_NS, "cardType"),
            (KAN_NS, "userLoginId"),
            (KAN_NS, "mode"),
            (KAN_NS, "fields")
        ]
    );
    assert_eq!(wrapper.child(KAN_NS, "projectId").text, "40186");
    assert_eq!(wrapper.child(KAN_NS, "cardType").text, "KanbanDefect");
    assert_eq!(
        wrapper.child(KAN_NS, "userLoginId").text,
        "user@example.com"
    );
    assert_eq!(wrapper.child(KAN_NS, "mode").text, "");
    let fields = wrapper.child(KAN_NS, "fields");
    assert_eq!(
        fields.child_names(),
        vec![(KAN_NS, "field"), (KAN_NS, "field")]
    );
    let f0 = &fields.children[0];
    assert_eq!(f0.child_names(), vec![(KAN_NS, "name"), (KAN_NS, "value")]);
    assert_eq!(f0.child(KAN_NS, "name").text, "name");
    assert_eq!(f0.child(KAN_NS, "value").text, "Login <fails> & more");
    assert_eq!(fields.children[1].child(KAN_NS, "name").text, "cardSize");
    assert_eq!(fields.children[1].child(KAN_NS, "value").text, "M");

    // The response element decodes into `AddCardResponse2`; its content is declared
    // `xs:any`, so each child element comes back as self-contained raw XML.
    assert_eq!(raw.any.len(), 1, "{raw:?}");
    let card = parse_xml(&raw.any[0].0);
    assert!(card.is(KAN_NS, "Card"), "{raw:?}");
    assert_eq!(card.attr(KAN_NS, "cardId"), Some("540245"));
    assert_eq!(card.attr(KAN_NS, "cardSequenceNumber"), Some("DEF3"));
    assert_eq!(card.child(KAN_NS, "Status").text, "Success");
}

#[tokio::test]
async fn soap12_get_card_details_uses_action_in_content_type() {
    let server = serve(soap_routes).await;
    let client = soap_client(&server);

    let request = GetCardDetailsInput {
        project_id: Some("1546882".into()),
        user_login_id: Some("user@example.com".into()),
        card_type: Some("KanbanDefect".into()),
        card_unique_id: Some("540090".into()),
        field_name: vec!["name".into(), "priority".into()],
    };
    let raw = client
        .kanban_card_service()
        .with_version(SoapVersion::V12)
        .get_card_details(&request)
        .await
        .expect("SOAP 1.2 getCardDetails");

    let seen = server.seen();
    assert_eq!(seen.len(), 1);
    let s = &seen[0];
    assert_eq!(s.method, Method::POST);
    // SOAP 1.2 goes to the WSDL's SOAP 1.2 port.
    assert_eq!(s.path, SOAP12_PATH);
    assert_eq!(
        s.header("soapaction"),
        None,
        "SOAP 1.2 sends no SOAPAction header"
    );
    assert_eq!(
        s.header("content-type").as_deref(),
        Some("application/soap+xml; charset=UTF-8; action=\"urn:getCardDetails\"")
    );

    let wrapper = check_envelope(&s.text(), SOAP12_NS, "true");
    assert!(wrapper.is(KAN_NS, "getCardDetailsInput"), "{wrapper:#?}");
    assert_eq!(
        wrapper.child_names(),
        vec![
            (KAN_NS, "projectId"),
            (KAN_NS, "userLoginId"),
            (KAN_NS, "cardType"),
            (KAN_NS, "cardUniqueId"),
            (KAN_NS, "fieldName"),
            (KAN_NS, "fieldName")
        ]
    );
    assert_eq!(wrapper.children[0].text, "1546882");
    assert_eq!(wrapper.children[3].text, "540090");
    assert_eq!(wrapper.children[4].text, "name");
    assert_eq!(wrapper.children[5].text, "priority");

    assert_eq!(raw.any.len(), 1, "{raw:?}");
    let card = parse_xml(&raw.any[0].0);
    assert!(card.is(KAN_NS, "Card"), "{raw:?}");
    assert_eq!(card.attr(KAN_NS, "cardId"), Some("540090"));
    assert_eq!(card.child(KAN_NS, "name").text, "karate Defect1");
    assert_eq!(card.child(KAN_NS, "priority").text, "Critical");
}

#[tokio::test]
async fn soap11_fault_becomes_soap_fault_error() {
    let fault = concat!(
        r#"<?xml version="1.0" encoding="UTF-8"?>"#,
        r#"<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/"><soapenv:Body>"#,
        r#"<soapenv:Fault><faultcode>soapenv:Server</faultcode>"#,
        r#"<faultstring>No workspace found for the project id : 12345</faultstring><detail/></soapenv:Fault>"#,
        r#"</soapenv:Body></soapenv:Envelope>"#
    );
    let server = serve(move |_| xml_reply(500, "text/xml; charset=UTF-8", fault)).await;
    let client = soap_client(&server);

    let request = AddCardDetails2 {
        project_id: "12345".into(),
        card_type: "KanbanDefect".into(),
        user_login_id: "user@example.com".into(),
        ..Default::default()
    };
    let err = client
        .kanban_card_service()
        .add_card(&request)
        .await
        .expect_err("fault");
    match err {
        Error::SoapFault(f) => assert_eq!(
            *f,
            SoapFault {
                version: SoapVersion::V11,
                code: "soapenv:Server".into(),
                code_namespace: Some(SOAP11_NS.into()),
                reason: "No workspace found for the project id : 12345".into(),
                detail: None,
                detail_elements: Vec::new(),
            }
        ),
        other => panic!("expected Error::SoapFault, got {other:?}"),
    }
    let seen = server.seen();
    assert_eq!(seen.len(), 1, "a fault is not retried");
    assert_eq!(
        seen[0].header("soapaction").as_deref(),
        Some("\"urn:addCard\"")
    );
}

// ---------------------------------------------------------------------------------------------
// 6. loginId on behalf of another user
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn default_login_id_is_sent_and_per_call_login_id_overrides_it() {
    let server = serve(card_routes).await;
    let api = Client::builder(server.base_url.clone())
        .auth(Auth::token(JWT))
        .default_param("loginId", "other@example.com")
        .build()
        .expect("client");
    let client = Client::from_api_client(api);

    client
        .get_card(BOARD, CardRef::new("UserStory", "US1"))
        .send()
        .await
        .expect("default loginId");
    client
        .get_card(BOARD, CardRef::new("UserStory", "US1"))
        .login_id("me@example.com")
        .send()
        .await
        .expect("per-call loginId");
    client
        .get_card_list_1(BOARD)
        .field_name(["id"])
        .send()
        .await
        .expect("list with default loginId");
    // getSizeLimit declares no loginId: the default must not leak onto it.
    let size = client.get_size_limit().send().await.expect("getSizeLimit");
    assert_eq!(size.response.details.size_limit, Some(5));

    let seen = server.seen();
    assert_eq!(seen.len(), 4);
    for s in &seen {
        assert_token_header(s);
    }
    assert_eq!(
        seen[0].path,
        "/restapi/card-operations/boards/1546882/cards/UserStory:US1"
    );
    assert_eq!(
        seen[0].query_pairs(),
        pairs(&[("loginId", "other@example.com")])
    );
    assert_eq!(
        seen[1].query_pairs(),
        pairs(&[("loginId", "me@example.com")]),
        "override replaces, not adds"
    );
    assert_eq!(
        seen[2].query_pairs(),
        pairs(&[("fieldName", "id"), ("loginId", "other@example.com")])
    );
    assert_eq!(
        seen[3].path,
        "/restapi/attachment-operations/attachments/size-limit"
    );
    assert_eq!(seen[3].query, None);
}
