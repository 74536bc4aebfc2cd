//! An in-memory SwiftKanban emulator: the 85 REST operations under `/restapi/...` and the
//! SOAP services KanbanCardService, MetadataService and TeamMemberService under
//! `/axis2/services/<Service>` (also `/axis2/services/<Service>.<Port>`), on 127.0.0.1.
//!
//! It is an independent implementation written from the public facts
//! (`rest-facts.md`, `soap-facts.md`); it shares no code with the generated client.
//!
//! ```no_run
//! # async fn demo() -> std::io::Result<()> {
//! use swiftkanban_emulator::{Emulator, Model, State};
//! let state = State::new(Model::demo());
//! let emulator = Emulator::start(state.clone()).await?;
//! println!("REST at {}/restapi", emulator.base_url());
//! let token = state.token_for("admin@example.com").unwrap();
//! # let _ = token; Ok(()) }
//! ```
//!
//! Behaviour where the public facts are silent is documented in `emulator/README.md`.

pub mod model;
mod ops;
mod rest;
mod soap;
mod util;

use std::collections::{BTreeSet, HashMap, VecDeque};
use std::net::SocketAddr;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use axum::body::Bytes;
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use base64::Engine as _;
use serde::Serialize;
use sha2::Digest as _;

pub use model::*;

/// One request/response pair the emulator served (for cross-checks and debugging).
#[derive(Debug, Clone, Serialize)]
pub struct Exchange {
    /// `rest` or `soap`.
    pub kind: String,
    /// REST operationId or SOAP operation name (empty when no operation matched).
    pub operation: String,
    /// SOAP service name (empty for REST).
    pub service: String,
    /// HTTP method.
    pub method: String,
    /// Raw path.
    pub path: String,
    /// Raw query string.
    pub query: String,
    /// Request content type.
    pub request_content_type: String,
    /// Request headers the API defines (`AuthorizationToken`, `accessedBy`, `SOAPAction`).
    pub request_headers: std::collections::BTreeMap<String, String>,
    /// Request body (UTF-8, lossy).
    pub request_body: String,
    /// Response status.
    pub status: u16,
    /// Response content type.
    pub response_content_type: String,
    /// Response body.
    pub response_body: String,
}

/// Settings.
#[derive(Debug, Clone)]
pub struct Config {
    /// Calls per minute per authenticated user across REST and SOAP; `None` = unlimited.
    pub rate_limit_per_minute: Option<u32>,
    /// Secret the JWT signatures are derived from.
    pub token_secret: String,
    /// Keep every exchange (bodies included) for [`State::exchanges`].
    pub record_exchanges: bool,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            rate_limit_per_minute: Some(50),
            token_secret: "swiftkanban-emulator".into(),
            record_exchanges: true,
        }
    }
}

pub(crate) struct Inner {
    pub(crate) model: Model,
    pub(crate) config: Config,
    served_rest: BTreeSet<String>,
    served_soap: BTreeSet<String>,
    exchanges: Vec<Exchange>,
    calls: HashMap<String, VecDeque<Instant>>,
}

impl Inner {
    /// Counts a call for `key`; `Err(seconds)` when the limit is reached.
    pub(crate) fn rate_check(&mut self, key: &str) -> Result<(), u64> {
        let Some(limit) = self.config.rate_limit_per_minute else {
            return Ok(());
        };
        let now = Instant::now();
        let window = Duration::from_secs(60);
        let q = self.calls.entry(key.to_ascii_lowercase()).or_default();
        while q.front().is_some_and(|t| now.duration_since(*t) >= window) {
            q.pop_front();
        }
        if q.len() as u32 >= limit {
            let oldest = q.front().copied().unwrap_or(now);
            let wait = window.saturating_sub(now.duration_since(oldest));
            return Err(wait.as_secs().max(1));
        }
        q.push_back(now);
        Ok(())
    }

    pub(crate) fn token_for_user(&self, user: &User) -> String {
        let b64 = base64::engine::general_purpose::URL_SAFE_NO_PAD;
        let header = b64.encode(r#"{"typ":"JWT","alg":"HS256"}"#);
        let payload = b64.encode(format!(
            r#"{{"personId":{},"appAccountId":{}}}"#,
            user.id, self.model.account_id
        ));
        let signing = format!("{header}.{payload}");
        let sig = b64.encode(sha2::Sha256::digest(
            format!("{}{signing}", self.config.token_secret).as_bytes(),
        ));
        format!("{signing}.{sig}")
    }

    /// The active integration user a token belongs to.
    pub(crate) fn user_for_token(&self, token: &str) -> Option<&User> {
        let token = token.trim();
        let payload = token.split('.').nth(1)?;
        let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
            .decode(payload)
            .ok()?;
        let v: serde_json::Value = serde_json::from_slice(&bytes).ok()?;
        let id = v.get("personId")?.as_u64()?;
        let user = self.model.users.iter().find(|u| u.id == id)?;
        (user.active && user.integration_user && self.token_for_user(user) == token).then_some(user)
    }
}

/// The shared, thread-safe emulator state: the account [`Model`], settings, and what was
/// served. Clones share the same state.
#[derive(Clone)]
pub struct State {
    inner: Arc<Mutex<Inner>>,
}

impl std::fmt::Debug for State {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("State").finish_non_exhaustive()
    }
}

impl State {
    /// State over `model` with the default [`Config`] (50 calls per minute).
    pub fn new(model: Model) -> Self {
        State {
            inner: Arc::new(Mutex::new(Inner {
                model,
                config: Config::default(),
                served_rest: BTreeSet::new(),
                served_soap: BTreeSet::new(),
                exchanges: Vec::new(),
                calls: HashMap::new(),
            })),
        }
    }

    /// The demo account ([`Model::demo`]).
    pub fn demo() -> Self {
        State::new(Model::demo())
    }

    /// Sets the per-user calls-per-minute limit (`None` = unlimited).
    pub fn with_rate_limit(self, per_minute: Option<u32>) -> Self {
        self.lock().config.rate_limit_per_minute = per_minute;
        self
    }

    /// Replaces the settings.
    pub fn with_config(self, config: Config) -> Self {
        self.lock().config = config;
        self
    }

    pub(crate) fn lock(&self) -> MutexGuard<'_, Inner> {
        self.inner.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Reads the model.
    pub fn read<R>(&self, f: impl FnOnce(&Model) -> R) -> R {
        f(&self.lock().model)
    }

    /// Changes the model.
    pub fn write<R>(&self, f: impl FnOnce(&mut Model) -> R) -> R {
        f(&mut self.lock().model)
    }

    /// The `AuthorizationToken` the token service would issue to `login` (tokens never
    /// expire), if the user exists.
    pub fn token_for(&self, login: &str) -> Option<String> {
        let inner = self.lock();
        let user = inner.model.user(login)?.clone();
        Some(inner.token_for_user(&user))
    }

    /// REST operationIds served so far (authenticated requests that reached an operation).
    pub fn served_rest_operations(&self) -> BTreeSet<String> {
        self.lock().served_rest.clone()
    }

    /// SOAP operation names served so far.
    pub fn served_soap_operations(&self) -> BTreeSet<String> {
        self.lock().served_soap.clone()
    }

    /// Every exchange served so far.
    pub fn exchanges(&self) -> Vec<Exchange> {
        self.lock().exchanges.clone()
    }

    /// [`exchanges`](Self::exchanges) as a JSON array.
    pub fn exchanges_json(&self) -> String {
        serde_json::to_string_pretty(&self.lock().exchanges).unwrap_or_else(|_| "[]".into())
    }
}

/// What a protocol handler answers.
pub(crate) struct Reply {
    pub(crate) status: u16,
    pub(crate) content_type: String,
    pub(crate) body: String,
    pub(crate) headers: Vec<(&'static str, String)>,
    /// (service, operation) that was served, if any.
    pub(crate) served: Option<(String, String)>,
}

/// Starts emulators.
#[derive(Debug)]
pub struct Emulator;

impl Emulator {
    /// Serves `state` on 127.0.0.1 on a free port.
    pub async fn start(state: State) -> std::io::Result<EmulatorHandle> {
        Self::start_on(state, 0).await
    }

    /// Serves `state` on 127.0.0.1:`port` (0 = any free port).
    pub async fn start_on(state: State, port: u16) -> std::io::Result<EmulatorHandle> {
        let listener = tokio::net::TcpListener::bind(("127.0.0.1", port)).await?;
        let addr = listener.local_addr()?;
        let app = axum::Router::new()
            .fallback(handle)
            .with_state(state.clone());
        let task = tokio::spawn(async move {
            let _ = axum::serve(listener, app).await;
        });
        Ok(EmulatorHandle {
            addr,
            state,
            task: Some(task),
        })
    }
}

/// A running emulator; stops when dropped.
#[derive(Debug)]
pub struct EmulatorHandle {
    addr: SocketAddr,
    state: State,
    task: Option<tokio::task::JoinHandle<()>>,
}

impl EmulatorHandle {
    /// `http://127.0.0.1:<port>` (REST under `/restapi`, SOAP under `/axis2/services`).
    pub fn base_url(&self) -> String {
        format!("http://{}", self.addr)
    }
    /// The bound address.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }
    /// The served state.
    pub fn state(&self) -> &State {
        &self.state
    }
    /// Serves until the process ends.
    pub async fn wait(mut self) {
        if let Some(task) = self.task.take() {
            let _ = task.await;
        }
    }
}

impl Drop for EmulatorHandle {
    fn drop(&mut self) {
        if let Some(task) = &self.task {
            task.abort();
        }
    }
}

async fn handle(
    axum::extract::State(state): axum::extract::State<State>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let host = headers
        .get("host")
        .and_then(|h| h.to_str().ok())
        .unwrap_or("127.0.0.1")
        .to_string();
    let base = format!("http://{host}");
    let path = uri.path().to_string();
    let query = uri.query().unwrap_or("").to_string();
    let mut inner = state.lock();
    let (kind, reply) = if path.starts_with("/restapi/") {
        (
            "rest",
            rest::handle(&mut inner, &method, &path, &query, &headers, &body, &base),
        )
    } else if path.starts_with("/axis2/services/") {
        (
            "soap",
            soap::handle(&mut inner, &method, &path, &query, &headers, &body),
        )
    } else {
        (
            "other",
            Reply {
                status: 404,
                content_type: "text/plain".into(),
                body: "Not Found".into(),
                headers: Vec::new(),
                served: None,
            },
        )
    };
    let (service, operation) = reply.served.clone().unwrap_or_default();
    if !operation.is_empty() {
        if kind == "rest" {
            inner.served_rest.insert(operation.clone());
        } else {
            inner.served_soap.insert(operation.clone());
        }
    }
    if inner.config.record_exchanges {
        let ct = |h: &HeaderMap| {
            h.get("content-type")
                .and_then(|v| v.to_str().ok())
                .unwrap_or("")
                .to_string()
        };
        inner.exchanges.push(Exchange {
            kind: kind.into(),
            operation,
            service,
            method: method.to_string(),
            path,
            query,
            request_content_type: ct(&headers),
            request_headers: ["AuthorizationToken", "accessedBy", "SOAPAction"]
                .iter()
                .filter_map(|k| {
                    let v = headers.get(*k)?.to_str().ok()?;
                    Some((k.to_string(), v.to_string()))
                })
                .collect(),
            request_body: String::from_utf8_lossy(&body).into_owned(),
            status: reply.status,
            response_content_type: reply.content_type.clone(),
            response_body: reply.body.clone(),
        });
    }
    drop(inner);
    let mut resp = (
        StatusCode::from_u16(reply.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR),
        reply.body,
    )
        .into_response();
    if let Ok(v) = HeaderValue::from_str(&reply.content_type) {
        resp.headers_mut().insert("content-type", v);
    }
    for (k, v) in reply.headers {
        if let Ok(v) = HeaderValue::from_str(&v) {
            resp.headers_mut().insert(k, v);
        }
    }
    resp
}
