//! Login auth: lazy shared token, one renewal on 401, and no secrets in Debug output.

mod common;

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use client_runtime::auth::{LoginContext, TokenFuture};
use client_runtime::rest::{HttpMethod, OperationInfo};
use client_runtime::{ApiClient, Auth, Error, Secret, TokenService};
use common::{serve, Reply};

static GET: OperationInfo = OperationInfo {
    operation_id: "getThing",
    method: HttpMethod::Get,
    path_template: "/thing",
    retry_safe: true,
    uses_api_key: true,
};

/// Hands out `tok-1`, `tok-2`, ... and counts logins.
#[derive(Default)]
struct CountingLogin {
    calls: AtomicUsize,
    seen: Mutex<Vec<(String, String, String)>>,
}

impl TokenService for CountingLogin {
    fn fetch_token<'a>(
        &'a self,
        ctx: LoginContext<'a>,
        login_id: &'a str,
        password: &'a Secret,
    ) -> TokenFuture<'a> {
        Box::pin(async move {
            // Yield so concurrent callers really overlap with the login.
            tokio::time::sleep(std::time::Duration::from_millis(20)).await;
            let base_url = ctx.base_url();
            let n = self.calls.fetch_add(1, Ordering::SeqCst) + 1;
            if let Ok(mut seen) = self.seen.lock() {
                seen.push((base_url.into(), login_id.into(), password.expose().into()));
            }
            Ok(Secret::new(format!("tok-{n}")))
        })
    }
}

fn client_for(base_url: &str, service: Arc<CountingLogin>) -> ApiClient {
    ApiClient::builder(base_url)
        .auth(Auth::login("user@example.com", "pw-secret", service))
        .api_key_header("AuthorizationToken")
        .build()
        .expect("client")
}

fn token_of(seen: &common::Seen) -> String {
    seen.header("authorizationtoken").unwrap_or_default()
}

#[tokio::test]
async fn token_fetched_once_and_shared_by_clones() {
    let server = serve(|_, _| Reply::new(200, "{}")).await;
    let service = Arc::new(CountingLogin::default());
    let client = client_for(&server.base_url, service.clone());
    let clones: Vec<ApiClient> = (0..4).map(|_| client.clone()).collect();
    let mut tasks = Vec::new();
    for c in clones {
        tasks.push(tokio::spawn(async move {
            c.rest(&GET, "/thing".into())
                .send::<serde_json::Value>()
                .await
        }));
    }
    for t in tasks {
        t.await.expect("join").expect("call");
    }
    client
        .rest(&GET, "/thing".into())
        .send::<serde_json::Value>()
        .await
        .expect("call");
    assert_eq!(service.calls.load(Ordering::SeqCst), 1);
    let seen = server.seen();
    assert_eq!(seen.len(), 5);
    assert!(seen.iter().all(|s| token_of(s) == "tok-1"));
    let logins = service.seen.lock().expect("lock").clone();
    assert_eq!(
        logins,
        [(
            server.base_url.clone(),
            "user@example.com".into(),
            "pw-secret".into()
        )]
    );
}

#[tokio::test]
async fn a_401_renews_the_token_once_and_resends_once() {
    let server = serve(|s, _| {
        if token_of(s) == "tok-1" {
            Reply::new(401, "expired")
        } else {
            Reply::new(200, r#"{"ok":true}"#)
        }
    })
    .await;
    let service = Arc::new(CountingLogin::default());
    let client = client_for(&server.base_url, service.clone());
    let v: serde_json::Value = client
        .rest(&GET, "/thing".into())
        .send()
        .await
        .expect("renewed call succeeds");
    assert_eq!(v["ok"], true);
    assert_eq!(service.calls.load(Ordering::SeqCst), 2);
    let tokens: Vec<String> = server.seen().iter().map(token_of).collect();
    assert_eq!(tokens, ["tok-1", "tok-2"]);

    // A clone reuses the renewed token without another login.
    client
        .clone()
        .rest(&GET, "/thing".into())
        .send::<serde_json::Value>()
        .await
        .expect("call");
    assert_eq!(service.calls.load(Ordering::SeqCst), 2);
}

#[tokio::test]
async fn a_second_401_is_an_auth_error() {
    let server = serve(|_, _| Reply::new(401, "no")).await;
    let service = Arc::new(CountingLogin::default());
    let client = client_for(&server.base_url, service.clone());
    let err = client
        .rest(&GET, "/thing".into())
        .send::<serde_json::Value>()
        .await
        .expect_err("must fail");
    assert!(matches!(err, Error::Auth { .. }), "{err:?}");
    assert_eq!(service.calls.load(Ordering::SeqCst), 2);
    assert_eq!(server.seen().len(), 2);
    let text = format!("{err} {err:?}");
    assert!(!text.contains("tok-"), "{text}");
    assert!(!text.contains("pw-secret"), "{text}");
}

#[tokio::test]
async fn fixed_token_401_is_an_auth_error_without_resend() {
    let server = serve(|_, _| Reply::new(401, "no")).await;
    let client = ApiClient::builder(&server.base_url)
        .auth(Auth::token("fixed-secret-token"))
        .build()
        .expect("client");
    let err = client
        .rest(&GET, "/thing".into())
        .send::<()>()
        .await
        .expect_err("must fail");
    assert!(matches!(err, Error::Auth { .. }));
    assert_eq!(server.seen().len(), 1);
    assert!(!format!("{err:?}").contains("fixed-secret-token"));
}

#[test]
fn debug_output_has_no_secrets() {
    let secret = Secret::new("s3cr3t-value");
    assert_eq!(format!("{secret:?}"), "<redacted>");
    assert_eq!(format!("{secret}"), "<redacted>");
    assert_eq!(secret.expose(), "s3cr3t-value");

    let token = Auth::token("s3cr3t-value");
    assert!(!format!("{token:?}").contains("s3cr3t-value"));
    let login = Auth::login("me", "s3cr3t-value", Arc::new(CountingLogin::default()));
    let dbg = format!("{login:?}");
    assert!(dbg.contains("me") && !dbg.contains("s3cr3t-value"), "{dbg}");

    let builder = ApiClient::builder("http://127.0.0.1:1")
        .auth(login.clone())
        .username_token(client_runtime::UsernameToken::text("u", "s3cr3t-value"));
    assert!(!format!("{builder:?}").contains("s3cr3t-value"));
    let client = builder.build().expect("client");
    assert!(!format!("{client:?}").contains("s3cr3t-value"));

    let err = Error::Auth {
        message: "rejected".into(),
    };
    assert!(!format!("{err:?}{err}").contains("s3cr3t-value"));
}

#[tokio::test]
async fn a_401_after_a_redirect_does_not_resend_an_unsafe_call() {
    // The POST was answered with 303 (processed); a 401 from where it led must not trigger
    // the re-login and resend that a 401 on the POST itself would.
    static POST: OperationInfo = OperationInfo {
        operation_id: "addThing",
        method: HttpMethod::Post,
        path_template: "/thing",
        retry_safe: false,
        uses_api_key: true,
    };
    let server = serve(|s, _| match s.method.as_str() {
        "POST" => Reply::new(303, "").header("location", "/done"),
        _ => Reply::new(401, ""),
    })
    .await;
    let service = Arc::new(CountingLogin::default());
    let c = client_for(&server.base_url, service.clone());
    let mut req = c.rest(&POST, "/thing".into());
    req.json_body(&serde_json::json!({"a": 1})).unwrap();
    let result = req.send::<serde_json::Value>().await;
    assert!(result.is_err(), "{result:?}");
    let posts = server.seen().iter().filter(|s| s.method == "POST").count();
    assert_eq!(posts, 1, "the POST was resent");
    assert_eq!(service.calls.load(Ordering::SeqCst), 1, "no second login");
}
