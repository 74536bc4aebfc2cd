//! The emulator over plain HTTP (no generated client): the documented quirks on the wire.

use base64::Engine as _;
use serde_json::{json, Value};
use swiftkanban_emulator::{Emulator, Model, State};

const ADMIN: &str = "admin@example.com";

async fn token_call(url: &str, login: &str, pw: &str) -> (u16, Value) {
    let creds = base64::engine::general_purpose::STANDARD.encode(format!("{login}:{pw}"));
    let r = reqwest::Client::new()
        .post(format!("{url}/restapi/secured/auth"))
        .header("content-type", "text/plain")
        .body(json!({"AuthenticationToken": format!("SwiftKanban {creds}")}).to_string())
        .send()
        .await
        .expect("token call");
    (r.status().as_u16(), r.json().await.expect("json"))
}

#[tokio::test]
async fn token_service_and_rest_auth() {
    let state = State::demo();
    let emu = Emulator::start(state.clone()).await.unwrap();
    let url = emu.base_url();
    let (status, v) = token_call(&url, ADMIN, "admin-pw").await;
    assert_eq!(status, 201);
    assert_eq!(
        v["Response"]["details"]["authDetails"]["AuthorizationToken"],
        state.token_for(ADMIN).unwrap().as_str()
    );
    assert_eq!(
        v["Response"]["details"]["userData"]["dateTime"],
        "dd-MMM-yyyy"
    );
    let (status, v) = token_call(&url, "nobody@example.com", "x").await;
    assert_eq!(status, 500);
    assert_eq!(
        v["Response"]["messageView"]["message"][0],
        "User does not exist in LDAP."
    );
    assert!(v["Response"]["messageView"]["uriMap"].is_null());
    let (status, v) = token_call(&url, "viewer@example.com", "viewer-pw").await;
    assert_eq!(status, 401);
    assert_eq!(
        v["Response"]["messageView"]["message"][0],
        "Rest API access is allowed only for Integration User."
    );
    let r = reqwest::get(format!("{url}/restapi/account-operations/accounts"))
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 401);
    let v: Value = r.json().await.unwrap();
    assert_eq!(v["Response"]["messageView"]["type"], "error");
    assert_eq!(v["Response"]["details"], json!({}));
}

#[tokio::test]
async fn backlog_move_codes_and_card_references() {
    let state = State::demo().with_rate_limit(None);
    let emu = Emulator::start(state.clone()).await.unwrap();
    let url = emu.base_url();
    let http = reqwest::Client::new();
    let token = state.token_for(ADMIN).unwrap();
    let b = state.read(|m| m.boards[0].id);
    let (lane, ready) =
        state.read(|m| (m.boards[0].lanes[0].id, m.boards[0].lanes[0].queues[0].id));
    let cards = format!("{url}/restapi/card-operations/boards/{b}/cards");

    let r = http.post(&cards).header("AuthorizationToken", &token)
        .json(&json!({"card": [{"workType": "UserStory", "name": "Wire test", "numeric4": "5"}, {"workType": "UserStory"}]}))
        .send().await.unwrap();
    assert_eq!(r.status().as_u16(), 207);
    let v: Value = r.json().await.unwrap();
    assert_eq!(v["Response"]["messageView"]["type"], "partial_success");
    assert_eq!(v["Response"]["details"]["successCount"], 1);
    let card = &v["Response"]["details"]["cardDetails"][0]["card"];
    assert_eq!(card["currentQueue"], "Backlog");
    assert_eq!(card["currentSwimId"], "N/A");
    let number = card["cardNumber"].as_str().unwrap().to_string();
    let id = card["id"].as_str().unwrap().to_string();

    // A Backlog card cannot move on the board: every item failed → 422.
    let r = http.put(format!("{cards}/move/board")).header("AuthorizationToken", &token)
        .json(&json!({"cardDetails": [{"cardType": "UserStory", "cardUniqueId": id, "toSwimId": lane.to_string(), "toQkeyId": ready.to_string()}]}))
        .send().await.unwrap();
    assert_eq!(r.status().as_u16(), 422);
    // move/ready with a numeric id in the body and the type code.
    let r = http.put(format!("{cards}/move/ready")).header("AuthorizationToken", &token)
        .json(&json!({"cardDetails": [{"cardType": "UST", "cardUniqueId": id.parse::<u64>().unwrap(), "swimId": lane.to_string(), "queueId": ready.to_string()}]}))
        .send().await.unwrap();
    assert_eq!(r.status().as_u16(), 200);
    assert_eq!(
        state.read(|m| m.card(id.parse().unwrap()).unwrap().position),
        Some((lane, ready))
    );

    // `Type:number` raw and percent-encoded; cardDetails is an object.
    for reference in [
        format!("UserStory:{number}"),
        format!("UserStory%3A{number}"),
    ] {
        let v: Value = http
            .get(format!("{cards}/{reference}"))
            .header("AuthorizationToken", &token)
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        assert_eq!(
            v["Response"]["details"]["cardDetails"]["numeric4"], "5",
            "{reference}"
        );
    }
    // Mixed numeric and string ids in one archive array.
    let other = state.read(|m| m.card_by_title("Dark theme").unwrap().number.clone());
    let r = http.put(format!("{cards}/archive")).header("AuthorizationToken", &token)
        .json(&json!({"cardDetails": [{"cardType": "UserStory", "cardUniqueId": id.parse::<u64>().unwrap()}, {"cardType": "UserStory", "cardUniqueId": other}]}))
        .send().await.unwrap();
    assert_eq!(r.status().as_u16(), 200);
    let v: Value = http
        .get(&cards)
        .header("AuthorizationToken", &token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert!(!v["Response"]["details"]["cardDetails"]
        .as_array()
        .unwrap()
        .iter()
        .any(|c| c["name"] == "Wire test"));
}

#[tokio::test]
async fn soap_paths_faults_and_rate_limit() {
    let state = State::new(Model::demo()).with_rate_limit(Some(2));
    let emu = Emulator::start(state.clone()).await.unwrap();
    let url = emu.base_url();
    let b = state.read(|m| m.boards[0].id);
    let envelope = |security: &str| {
        format!(
            r#"<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" xmlns:ifor="http://iform.webservices.kanban.app.digite.com/"><soapenv:Header>{security}</soapenv:Header><soapenv:Body><ifor:getCardListForProjectInput><ifor:projectId>{b}</ifor:projectId><ifor:userLoginId>{ADMIN}</ifor:userLoginId></ifor:getCardListForProjectInput></soapenv:Body></soapenv:Envelope>"#
        )
    };
    let token = r#"<wsse:Security xmlns:wsse="http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd" soapenv:mustUnderstand="1"><wsse:UsernameToken><wsse:Username>admin@example.com</wsse:Username><wsse:Password Type="http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-username-token-profile-1.0#PasswordText">admin-pw</wsse:Password></wsse:UsernameToken></wsse:Security>"#;
    let http = reqwest::Client::new();
    let post = |path: &str, body: String| {
        http.post(format!("{url}{path}"))
            .header("content-type", "text/xml; charset=UTF-8")
            .header("SOAPAction", "\"urn:getCardListForProject\"")
            .body(body)
            .send()
    };

    let r = post("/axis2/services/MetadataService", envelope(""))
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 500);
    assert!(r.text().await.unwrap().contains("wsse:InvalidSecurity"));
    for path in [
        "/axis2/services/MetadataService",
        "/axis2/services/MetadataService.MetadataServiceSOAP11port",
    ] {
        let r = post(path, envelope(token)).await.unwrap();
        assert_eq!(r.status().as_u16(), 200, "{path}");
        assert!(r
            .text()
            .await
            .unwrap()
            .contains(r#"ns:CardType="UserStory""#));
    }
    let r = post("/axis2/services/MetadataService", envelope(token))
        .await
        .unwrap();
    // Axis2 sends every fault with HTTP 500; the limit is in the fault's reason.
    assert_eq!(r.status().as_u16(), 500);
    assert!(r.headers().contains_key("retry-after"));
    assert!(r.text().await.unwrap().contains("Rate limit exceeded"));
    // REST shares the budget.
    let r = http
        .get(format!("{url}/restapi/board-operations/boards"))
        .header("AuthorizationToken", state.token_for(ADMIN).unwrap())
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 429);
}
