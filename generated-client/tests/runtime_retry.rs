//! Retry safety reaches the runtime from the model: `convertCards` (a PUT that creates
//! cards; `retry_safe: false` from the overlay) is never resent after a 503, while the
//! retry-safe `getCard` is; the emulator's rate-limit SOAP fault (HTTP 500) is recognised by
//! the SwiftKanban conventions, holds every clone and resends `addCard` once, never twice.

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::http::{Method, StatusCode};
use axum::response::IntoResponse;
use axum::Router;
use generated_client::runtime::rate_limit::{RateLimit, SleepFuture};
use generated_client::runtime::{Clock, Error, RetryPolicy};
use generated_client::types as t;
use generated_client::{Auth, CardRef, Client, UsernameToken};
use swiftkanban_emulator::{Emulator, Model, State};

/// A clock whose sleeps return at once (and advance its time).
#[derive(Default)]
struct NoWait {
    slept: Mutex<Vec<Duration>>,
}

impl Clock for NoWait {
    fn now(&self) -> Instant {
        let total: Duration = self.slept.lock().expect("lock").iter().sum();
        START.with(|s| *s) + total
    }
    fn sleep(&self, d: Duration) -> SleepFuture {
        self.slept.lock().expect("lock").push(d);
        Box::pin(async {})
    }
}

thread_local! {
    static START: Instant = Instant::now();
}

/// Answers every request with 503 and records `METHOD path`.
async fn unavailable() -> (String, Arc<Mutex<Vec<String>>>) {
    let seen = Arc::new(Mutex::new(Vec::new()));
    let s = seen.clone();
    let app = Router::new().fallback(move |method: Method, uri: axum::http::Uri| {
        let s = s.clone();
        async move {
            s.lock()
                .expect("lock")
                .push(format!("{method} {}", uri.path()));
            (StatusCode::SERVICE_UNAVAILABLE, "busy").into_response()
        }
    });
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let addr = listener.local_addr().expect("addr");
    tokio::spawn(async move {
        let _ = axum::serve(listener, app).await;
    });
    (format!("http://{addr}"), seen)
}

fn client(base: &str, clock: Arc<NoWait>) -> Client {
    Client::from_api_client(
        Client::builder(base)
            .auth(Auth::token("jwt"))
            .clock(clock)
            .build()
            .expect("client"),
    )
}

#[tokio::test]
async fn convert_cards_is_not_retried_on_503() {
    let (base, seen) = unavailable().await;
    let clock = Arc::new(NoWait::default());
    let err = client(&base, clock.clone())
        .convert_cards("1551624")
        .body(Default::default())
        .send()
        .await
        .expect_err("503");
    assert!(matches!(err, Error::Status { status: 503, .. }), "{err:?}");
    assert_eq!(
        *seen.lock().expect("lock"),
        ["PUT /restapi/card-operations/boards/1551624/cards/convert"]
    );
    assert!(clock.slept.lock().expect("lock").is_empty());
}

#[tokio::test]
async fn get_card_is_retried_on_503() {
    // The control: the same server and client retry a retry-safe operation.
    let (base, seen) = unavailable().await;
    let clock = Arc::new(NoWait::default());
    let err = client(&base, clock.clone())
        .get_card("1551624", CardRef::new("UserStory", "US12"))
        .send()
        .await
        .expect_err("503 every time");
    assert!(matches!(err, Error::Status { status: 503, .. }), "{err:?}");
    assert_eq!(seen.lock().expect("lock").len(), 4, "1 + 3 retries");
    assert_eq!(clock.slept.lock().expect("lock").len(), 3);
}

#[tokio::test]
async fn soap_rate_limit_fault_holds_every_clone_and_resends_once() {
    const ADMIN: &str = "admin@example.com";
    // The emulator allows one call a minute: the second is a rate-limit fault (HTTP 500).
    let state = State::new(Model::demo()).with_rate_limit(Some(1));
    let emu = Emulator::start(state.clone()).await.expect("emulator");
    let clock = Arc::new(NoWait::default());
    let client = Client::from_api_client(
        Client::builder(emu.base_url())
            .username_token(UsernameToken::text(ADMIN, "admin-pw"))
            .rate_limit(RateLimit::per_minute(50))
            .retry(RetryPolicy {
                jitter: false,
                ..RetryPolicy::default()
            })
            .clock(clock.clone())
            .build()
            .expect("client"),
    );
    let input = t::GetAllActiveUsersInOrgInput {
        user_login_id: Some(ADMIN.into()),
    };
    let users = client.team_member_service();
    users
        .get_all_active_users_in_org(&input)
        .await
        .expect("1st");
    let cards = client.kanban_card_service();
    let err = cards
        .add_card(&Default::default())
        .await
        .expect_err("over the limit");
    match &err {
        Error::SoapFault(f) => assert!(f.reason.starts_with("Rate limit exceeded"), "{f:?}"),
        other => panic!("expected the rate-limit fault, got {other:?}"),
    }
    let add_cards = state
        .exchanges()
        .iter()
        .filter(|e| e.kind == "soap" && e.request_body.contains("addCard"))
        .count();
    assert_eq!(
        add_cards, 2,
        "sent, then resent once after the fault; never a third time"
    );
    let in_retry_after =
        |d: &Duration| (Duration::from_secs(1)..=Duration::from_secs(60)).contains(d);
    let waited = clock.slept.lock().expect("lock").clone();
    assert!(
        waited.len() == 1 && in_retry_after(&waited[0]),
        "the emulator's Retry-After: {waited:?}"
    );
    // The second fault's Retry-After holds the next call of a clone before it is sent.
    let _ = client
        .clone()
        .team_member_service()
        .get_all_active_users_in_org(&input)
        .await;
    let waited = clock.slept.lock().expect("lock").clone();
    assert!(
        waited.len() >= 2 && in_retry_after(&waited[1]),
        "{waited:?}"
    );
}
