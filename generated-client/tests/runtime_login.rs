//! The SwiftKanban login goes through the runtime: it counts against the calls-per-minute
//! limit, and raw calls carry the token it obtained.

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::http::{HeaderMap, Uri};
use axum::Router;
use generated_client::runtime::rate_limit::{RateLimit, SleepFuture};
use generated_client::runtime::rest::HttpMethod;
use generated_client::runtime::Clock;
use generated_client::{login, Client};
use serde_json::{json, Value};

struct NoWait {
    start: Instant,
    slept: Mutex<Vec<Duration>>,
}

impl Clock for NoWait {
    fn now(&self) -> Instant {
        self.start + self.slept.lock().expect("lock").iter().sum::<Duration>()
    }
    fn sleep(&self, d: Duration) -> SleepFuture {
        self.slept.lock().expect("lock").push(d);
        Box::pin(async {})
    }
}

#[tokio::test]
async fn login_counts_against_the_limit_and_raw_calls_carry_the_token() {
    let seen = Arc::new(Mutex::new(Vec::<(String, Option<String>)>::new()));
    let s = seen.clone();
    let app = Router::new().fallback(move |uri: Uri, headers: HeaderMap| {
        let s = s.clone();
        async move {
            let token = headers
                .get("authorizationtoken")
                .and_then(|v| v.to_str().ok())
                .map(str::to_owned);
            s.lock().expect("lock").push((uri.path().to_owned(), token));
            if uri.path() == "/restapi/secured/auth" {
                json!({"Response": {"details": {"authDetails": {"AuthorizationToken": "jwt-1"}},
                        "messageView": {"type": "success", "message": ["ok"]}}})
                .to_string()
            } else {
                json!({"anything": true}).to_string()
            }
        }
    });
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let base = format!("http://{}", listener.local_addr().expect("addr"));
    tokio::spawn(async move {
        let _ = axum::serve(listener, app).await;
    });

    let clock = Arc::new(NoWait {
        start: Instant::now(),
        slept: Mutex::new(Vec::new()),
    });
    let client = Client::from_api_client(
        Client::builder(base)
            .auth(login("user@example.com", "pw"))
            .rate_limit(RateLimit::per_minute(2))
            .clock(clock.clone())
            .build()
            .expect("client"),
    );
    for _ in 0..2 {
        let v: Value = client
            .api_client()
            .raw(HttpMethod::Get, "/restapi/not-in-the-document")
            .send()
            .await
            .expect("raw call");
        assert_eq!(v, json!({"anything": true}));
    }
    let seen = seen.lock().expect("lock").clone();
    assert_eq!(
        seen,
        [
            ("/restapi/secured/auth".to_owned(), None),
            (
                "/restapi/not-in-the-document".to_owned(),
                Some("jwt-1".to_owned())
            ),
            (
                "/restapi/not-in-the-document".to_owned(),
                Some("jwt-1".to_owned())
            ),
        ]
    );
    // Login + two calls under a limit of two per minute: one wait of a minute.
    assert_eq!(
        *clock.slept.lock().expect("lock"),
        [Duration::from_secs(60)]
    );
}
