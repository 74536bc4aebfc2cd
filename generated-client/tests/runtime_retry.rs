//! Retry safety reaches the runtime from the model: `convertCards` (a PUT that creates
//! cards; `retry_safe: false` from the overlay) is never resent after a 503, while the
//! retry-safe `getCard` is.

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::http::{Method, StatusCode};
use axum::response::IntoResponse;
use axum::Router;
use generated_client::runtime::rate_limit::SleepFuture;
use generated_client::runtime::{Clock, Error};
use generated_client::{Auth, CardRef, Client};

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
            s.lock().expect("lock").push(format!("{method} {}", uri.path()));
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
