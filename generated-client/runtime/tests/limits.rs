//! The limiter under load, `Retry-After` through the injected clock, the login counted
//! against the limit, a fresh WS-Security nonce/Created when a SOAP request is resent, and
//! rate-limit SOAP faults handled like HTTP 429.

mod common;

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use client_runtime::auth::{LoginContext, TokenFuture};
use client_runtime::rate_limit::SleepFuture;
use client_runtime::rest::{HttpMethod, OperationInfo};
use client_runtime::soap::SoapOperationInfo;
use client_runtime::{
    ApiClient, ApiConventions, Auth, Clock, Error, RateLimit, RetryPolicy, Secret, SoapVersion,
    TokenService, UsernameToken,
};
use common::{serve, ManualClock, Reply};

static GET: OperationInfo = OperationInfo {
    operation_id: "getThing",
    method: HttpMethod::Get,
    path_template: "/thing",
    retry_safe: true,
    uses_api_key: true,
};

/// A test clock: `sleep` advances the injected time without real waiting, but first lets the
/// requests already granted by the limiter reach the server (time does not jump while a
/// granted request is still on the wire, as it cannot with a real clock). `wall_time`
/// follows the injected time from a fixed epoch.
struct SettlingClock {
    start: Instant,
    offset: Arc<Mutex<Duration>>,
    arrived: Arc<AtomicUsize>,
    sleeps: Arc<Mutex<Vec<Duration>>>,
}

impl SettlingClock {
    fn new(arrived: Arc<AtomicUsize>) -> Arc<Self> {
        Arc::new(SettlingClock {
            start: Instant::now(),
            offset: Arc::new(Mutex::new(Duration::ZERO)),
            arrived,
            sleeps: Arc::new(Mutex::new(Vec::new())),
        })
    }
    fn elapsed(&self) -> Duration {
        *self.offset.lock().expect("lock")
    }
    fn sleeps(&self) -> Vec<Duration> {
        self.sleeps.lock().expect("lock").clone()
    }
}

impl Clock for SettlingClock {
    fn now(&self) -> Instant {
        self.start + self.elapsed()
    }
    fn sleep(&self, d: Duration) -> SleepFuture {
        let offset = self.offset.clone();
        let arrived = self.arrived.clone();
        self.sleeps.lock().expect("lock").push(d);
        Box::pin(async move {
            // Settle: wait (briefly, really) until no more requests arrive.
            loop {
                let before = arrived.load(Ordering::SeqCst);
                tokio::time::sleep(Duration::from_millis(15)).await;
                if arrived.load(Ordering::SeqCst) == before {
                    break;
                }
            }
            *offset.lock().expect("lock") += d;
        })
    }
    fn wall_time(&self) -> SystemTime {
        UNIX_EPOCH + Duration::from_secs(1_700_000_000) + self.elapsed()
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn limiter_120_calls_from_4_clones_never_exceed_50_per_minute() {
    let arrived = Arc::new(AtomicUsize::new(0));
    let clock = SettlingClock::new(arrived.clone());
    let times = Arc::new(Mutex::new(Vec::<Duration>::new()));
    let (c2, t2, a2) = (clock.clone(), times.clone(), arrived.clone());
    let server = serve(move |_, _| {
        t2.lock().expect("lock").push(c2.elapsed());
        a2.fetch_add(1, Ordering::SeqCst);
        Reply::new(200, "{}")
    })
    .await;
    let client = ApiClient::builder(&server.base_url)
        .auth(Auth::token("tok"))
        .rate_limit(RateLimit::per_minute(50))
        .clock(clock.clone())
        .build()
        .expect("client");
    let started = std::time::Instant::now();
    let tasks: Vec<_> = (0..4)
        .map(|_| {
            let c = client.clone();
            tokio::spawn(async move {
                for _ in 0..30 {
                    c.rest(&GET, "/thing".into())
                        .send::<serde_json::Value>()
                        .await
                        .expect("call");
                }
            })
        })
        .collect();
    for t in tasks {
        t.await.expect("join");
    }
    assert!(
        started.elapsed() < Duration::from_secs(20),
        "no real waiting"
    );
    let mut times = times.lock().expect("lock").clone();
    assert_eq!(times.len(), 120, "all calls complete");
    times.sort();
    for (i, t) in times.iter().enumerate() {
        let in_window = times[i..]
            .iter()
            .take_while(|u| **u < *t + Duration::from_secs(60))
            .count();
        assert!(
            in_window <= 50,
            "{in_window} calls in the minute from {t:?}"
        );
    }
    // 50 + 50 + 20: the injected clock moved two minutes, in two waits.
    assert_eq!(clock.elapsed(), Duration::from_secs(120));
    assert_eq!(clock.sleeps().len(), 2, "{:?}", clock.sleeps());
}

#[tokio::test]
async fn retry_after_from_429_is_waited_on_the_injected_clock() {
    // First call: delta-seconds; second call: an HTTP date 45 s after the injected wall time.
    let clock = ManualClock::new();
    let wall = SystemTime::now();
    let date = httpdate_fmt(wall + Duration::from_secs(45));
    let server = serve(move |_, i| match i {
        0 => Reply::new(429, "slow down").header("retry-after", "30"),
        2 => Reply::new(429, "slow down").header("retry-after", date.clone()),
        _ => Reply::new(200, "{}"),
    })
    .await;
    let client = ApiClient::builder(&server.base_url)
        .retry(RetryPolicy {
            jitter: false,
            ..RetryPolicy::default()
        })
        .rate_limit(RateLimit::per_minute(50))
        .clock(clock.clone())
        .build()
        .expect("client");
    client
        .rest(&GET, "/thing".into())
        .send::<serde_json::Value>()
        .await
        .expect("after Retry-After");
    client
        .rest(&GET, "/thing".into())
        .send::<serde_json::Value>()
        .await
        .expect("after Retry-After date");
    assert_eq!(server.seen().len(), 4);
    let sleeps = clock.sleeps();
    assert_eq!(sleeps.len(), 2, "{sleeps:?}");
    assert_eq!(sleeps[0], Duration::from_secs(30));
    // The date has one-second resolution and real time passed since `wall`.
    assert!(
        sleeps[1] > Duration::from_secs(40) && sleeps[1] <= Duration::from_secs(45),
        "{sleeps:?}"
    );
}

fn httpdate_fmt(t: SystemTime) -> String {
    // RFC 7231 IMF-fixdate without a date crate.
    let secs = t.duration_since(UNIX_EPOCH).expect("after epoch").as_secs();
    let days = secs / 86_400;
    let rem = secs % 86_400;
    let weekday = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"][(days % 7) as usize];
    let z = days as i64 + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    let month = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ][(m - 1) as usize];
    format!(
        "{weekday}, {d:02} {month} {y} {:02}:{:02}:{:02} GMT",
        rem / 3600,
        (rem % 3600) / 60,
        rem % 60
    )
}

/// Logs in by POSTing `login:password` to `/login` through the client; the answer body is
/// the token.
struct PostLogin;

impl TokenService for PostLogin {
    fn fetch_token<'a>(
        &'a self,
        ctx: LoginContext<'a>,
        login_id: &'a str,
        password: &'a Secret,
    ) -> TokenFuture<'a> {
        Box::pin(async move {
            let (status, body) = ctx
                .post(
                    "/login",
                    "text/plain",
                    format!("{login_id}:{}", password.expose()),
                )
                .await?;
            if status != 200 {
                return Err(Error::Auth {
                    message: format!("login HTTP {status}"),
                });
            }
            Ok(Secret::new(String::from_utf8_lossy(&body).into_owned()))
        })
    }
}

#[tokio::test]
async fn login_counts_against_the_rate_limit() {
    let server = serve(|s, _| {
        if s.uri.path() == "/login" {
            Reply::new(200, "tok-1")
        } else {
            Reply::new(200, "{}")
        }
    })
    .await;
    let clock = ManualClock::new();
    let client = ApiClient::builder(&server.base_url)
        .auth(Auth::login("user", "pw", Arc::new(PostLogin)))
        .api_key_header("AuthorizationToken")
        .rate_limit(RateLimit::per_minute(2))
        .clock(clock.clone())
        .build()
        .expect("client");
    for _ in 0..2 {
        client
            .rest(&GET, "/thing".into())
            .send::<serde_json::Value>()
            .await
            .expect("call");
    }
    let seen = server.seen();
    let paths: Vec<&str> = seen.iter().map(|s| s.uri.path()).collect();
    assert_eq!(paths, ["/login", "/thing", "/thing"]);
    assert_eq!(seen[0].body_text(), "user:pw");
    assert_eq!(
        seen[0].header("content-type").as_deref(),
        Some("text/plain")
    );
    assert_eq!(seen[0].header("authorizationtoken"), None);
    assert_eq!(
        seen[2].header("authorizationtoken").as_deref(),
        Some("tok-1")
    );
    // Three requests under a limit of two per minute: the third waited a minute.
    assert_eq!(clock.sleeps(), [Duration::from_secs(60)]);
}

static ADD: SoapOperationInfo = SoapOperationInfo {
    name: "addCard",
    action: "urn:addCard",
    address: "http://example.invalid/axis2/services/Cards",
    retry_safe: false,
    policy: client_runtime::soap::SoapPolicy::NONE,
};

fn tag_text(xml: &str, tag: &str) -> String {
    let open = format!("<{tag}");
    let start = xml.find(&open).expect(tag);
    let body = &xml[start..];
    let gt = body.find('>').expect("tag end");
    let end = body.find(&format!("</{tag}>")).expect("close");
    body[gt + 1..end].to_owned()
}

#[tokio::test]
async fn resent_soap_request_gets_a_fresh_nonce_and_created() {
    let ok = r#"<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/"><soapenv:Body><r xmlns="urn:x"/></soapenv:Body></soapenv:Envelope>"#;
    let server = serve(move |_, i| {
        if i == 0 {
            Reply::new(429, "busy").header("retry-after", "2")
        } else {
            Reply::new(200, ok)
        }
    })
    .await;
    let clock = SettlingClock::new(Arc::new(AtomicUsize::new(0)));
    let client = ApiClient::builder(&server.base_url)
        .username_token(
            UsernameToken::digest("user", "secret-pw").with_timestamp(Duration::from_secs(300)),
        )
        .clock(clock.clone())
        .build()
        .expect("client");
    client
        .soap_call(&ADD, SoapVersion::V11, "<a xmlns=\"urn:x\"/>".into())
        .await
        .expect("resent once after 429");
    let seen = server.seen();
    assert_eq!(seen.len(), 2);
    let (first, second) = (seen[0].body_text(), seen[1].body_text());
    assert_ne!(
        tag_text(&first, "wsse:Nonce"),
        tag_text(&second, "wsse:Nonce")
    );
    assert_ne!(
        tag_text(&first, "wsse:Password"),
        tag_text(&second, "wsse:Password")
    );
    // Created (token and timestamp) follow the injected clock: two seconds apart.
    assert_eq!(tag_text(&first, "wsu:Created"), "2023-11-14T22:13:20.000Z");
    assert_eq!(tag_text(&second, "wsu:Created"), "2023-11-14T22:13:22.000Z");
    assert!(!first.contains("secret-pw") && !second.contains("secret-pw"));
}

#[tokio::test]
async fn retry_after_holds_every_clone() {
    // The first call is refused with 429 + Retry-After: 10 and (no retries) fails; the
    // next call, from a clone, waits those 10 seconds on the injected clock first.
    let server = serve(|_, i| {
        if i == 0 {
            Reply::new(429, "slow down").header("retry-after", "10")
        } else {
            Reply::new(200, "{}")
        }
    })
    .await;
    let clock = ManualClock::new();
    let client = ApiClient::builder(&server.base_url)
        .retry(RetryPolicy::none())
        .rate_limit(RateLimit::per_minute(50))
        .clock(clock.clone())
        .build()
        .expect("client");
    let err = client
        .rest(&GET, "/thing".into())
        .send::<serde_json::Value>()
        .await
        .expect_err("429, no retries");
    assert_eq!(err.status(), Some(429));
    assert!(clock.sleeps().is_empty());
    let clone = client.clone();
    clone
        .rest(&GET, "/thing".into())
        .send::<serde_json::Value>()
        .await
        .expect("after the back-off");
    assert_eq!(clock.sleeps(), [Duration::from_secs(10)]);
    assert_eq!(server.seen().len(), 2);
}

/// Conventions of a SOAP server that reports "too many calls" as an ordinary fault.
struct RateLimitFaults;

impl ApiConventions for RateLimitFaults {
    fn is_rate_limit_fault(&self, fault: &client_runtime::SoapFault) -> bool {
        fault.reason.starts_with("Rate limit exceeded")
    }
}

/// An HTTP 500 SOAP 1.1 fault saying the rate limit is reached.
fn rate_limit_fault() -> Reply {
    Reply::new(
        500,
        r#"<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/"><soapenv:Body><soapenv:Fault><faultcode>soapenv:Server</faultcode><faultstring>Rate limit exceeded: at most 50 calls per minute.</faultstring></soapenv:Fault></soapenv:Body></soapenv:Envelope>"#,
    )
}

const SOAP_OK: &str = r#"<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/"><soapenv:Body><r xmlns="urn:x"/></soapenv:Body></soapenv:Envelope>"#;

fn fault_client(base: &str, clock: Arc<ManualClock>, policy: RetryPolicy) -> ApiClient {
    ApiClient::builder(base)
        .conventions(Arc::new(RateLimitFaults))
        .retry(policy)
        .rate_limit(RateLimit::per_minute(50))
        .clock(clock)
        .build()
        .expect("client")
}

#[tokio::test]
async fn rate_limit_fault_resends_a_non_idempotent_call_once_after_retry_after() {
    let server = serve(|_, i| match i {
        0 => rate_limit_fault().header("retry-after", "20"),
        _ => Reply::new(200, SOAP_OK),
    })
    .await;
    let clock = ManualClock::new();
    let policy = RetryPolicy {
        jitter: false,
        ..RetryPolicy::default()
    };
    fault_client(&server.base_url, clock.clone(), policy)
        .soap_call(&ADD, SoapVersion::V11, "<a xmlns=\"urn:x\"/>".into())
        .await
        .expect("resent after the fault");
    assert_eq!(server.seen().len(), 2);
    assert_eq!(clock.sleeps(), [Duration::from_secs(20)]);
}

#[tokio::test]
async fn rate_limit_fault_without_retry_after_uses_the_back_off_and_resends_only_once() {
    let server = serve(|_, _| rate_limit_fault()).await;
    let clock = ManualClock::new();
    let policy = RetryPolicy {
        jitter: false,
        initial_backoff: Duration::from_secs(2),
        ..RetryPolicy::default()
    };
    let err = fault_client(&server.base_url, clock.clone(), policy)
        .soap_call(&ADD, SoapVersion::V11, "<a xmlns=\"urn:x\"/>".into())
        .await
        .expect_err("still over the limit after the one resend");
    match err {
        Error::SoapFault(f) => assert!(f.reason.starts_with("Rate limit"), "{f:?}"),
        other => panic!("expected the fault, got {other:?}"),
    }
    // addCard is not retry-safe: one resend, never a third request (no duplicate cards).
    assert_eq!(server.seen().len(), 2);
    assert_eq!(clock.sleeps(), [Duration::from_secs(2)]);
}

#[tokio::test]
async fn rate_limit_fault_holds_every_clone() {
    let server = serve(|_, i| match i {
        0 => rate_limit_fault().header("retry-after", "15"),
        _ => Reply::new(200, SOAP_OK),
    })
    .await;
    let clock = ManualClock::new();
    let client = fault_client(&server.base_url, clock.clone(), RetryPolicy::none());
    client
        .soap_call(&ADD, SoapVersion::V11, "<a xmlns=\"urn:x\"/>".into())
        .await
        .expect_err("no retries");
    assert!(clock.sleeps().is_empty());
    client
        .clone()
        .soap_call(&ADD, SoapVersion::V11, "<a xmlns=\"urn:x\"/>".into())
        .await
        .expect("after the back-off");
    assert_eq!(clock.sleeps(), [Duration::from_secs(15)]);
    assert_eq!(server.seen().len(), 2);
}

#[tokio::test]
async fn other_faults_are_not_rate_limits() {
    // The control: the same fault without conventions that recognise it is returned at once.
    let server = serve(|_, _| rate_limit_fault().header("retry-after", "20")).await;
    let clock = ManualClock::new();
    let err = ApiClient::builder(&server.base_url)
        .rate_limit(RateLimit::per_minute(50))
        .clock(clock.clone())
        .build()
        .expect("client")
        .soap_call(&ADD, SoapVersion::V11, "<a xmlns=\"urn:x\"/>".into())
        .await
        .expect_err("fault");
    assert!(matches!(err, Error::SoapFault(_)), "{err:?}");
    assert_eq!(server.seen().len(), 1);
    assert!(clock.sleeps().is_empty());
}
