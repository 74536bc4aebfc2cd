//! What is SwiftKanban-specific: the token service, the `messageView` error envelope, the
//! `AuthorizationToken` header, acting on behalf of a user, and the 50 calls/minute limit.

use std::sync::Arc;

use base64::Engine;
use client_runtime::auth::{LoginContext, TokenFuture};
use client_runtime::rate_limit::RateLimit;
use client_runtime::{
    ApiClient, ApiConventions, ApiMessage, Auth, ClientBuilder, Error, Secret, TokenService,
};
use serde_json::Value;

/// The public SwiftKanban host.
pub const DEFAULT_BASE_URL: &str = "https://login.swiftkanban.com";

/// Calls an account may make per minute, SOAP and REST together (vendor knowledge base).
pub const CALLS_PER_MINUTE: u32 = 50;

/// Header that carries the JWT on every REST call (sent raw, no `Bearer`).
pub const TOKEN_HEADER: &str = "AuthorizationToken";

/// Log in with a login id and password: the client calls the token service
/// (`POST /restapi/secured/auth`) once, caches the JWT for all its clones, and logs in again
/// once if the server answers 401.
pub fn login(login_id: impl Into<String>, password: impl Into<Secret>) -> Auth {
    Auth::login(login_id, password, Arc::new(SwiftKanbanTokenService))
}

/// Exchanges credentials for a JWT at `/restapi/secured/auth`.
#[derive(Debug, Clone, Copy, Default)]
pub struct SwiftKanbanTokenService;

impl TokenService for SwiftKanbanTokenService {
    /// Sends the login through the client (so it counts against the 50 calls/minute and is
    /// resent only after a 429 or a refused connection).
    fn fetch_token<'a>(
        &'a self,
        ctx: LoginContext<'a>,
        login_id: &'a str,
        password: &'a Secret,
    ) -> TokenFuture<'a> {
        Box::pin(async move {
            let url = format!("{}/restapi/secured/auth", ctx.base_url());
            let credentials = base64::engine::general_purpose::STANDARD
                .encode(format!("{login_id}:{}", password.expose()));
            let body =
                serde_json::json!({ "AuthenticationToken": format!("SwiftKanban {credentials}") })
                    .to_string();
            let (status, bytes) =
                ctx.post(&url, "text/plain", body)
                    .await
                    .map_err(|e| match e {
                        Error::Transport { source, .. } => Error::Auth {
                            message: format!(
                                "token service at {url} unreachable: {}",
                                source.without_url()
                            ),
                        },
                        Error::Timeout { .. } => Error::Auth {
                            message: format!("token service at {url} timed out"),
                        },
                        other => other,
                    })?;
            if !(200..300).contains(&status) {
                let reason = SwiftKanbanConventions
                    .parse_error(status, &bytes)
                    .map(|m| m.messages.join("; "))
                    .unwrap_or_default();
                return Err(Error::Auth {
                    message: format!("login refused by the token service (HTTP {status}) {reason}")
                        .trim_end()
                        .to_string(),
                });
            }
            let value: Value = serde_json::from_slice(&bytes)
                .map_err(|e| Error::decode("token service answer", e, &bytes))?;
            value
                .pointer("/Response/details/authDetails/AuthorizationToken")
                .and_then(Value::as_str)
                .map(Secret::new)
                .ok_or_else(|| Error::Auth { message: "the token service answer has no Response.details.authDetails.AuthorizationToken".into() })
        })
    }
}

/// Reads SwiftKanban's `{"Response": {"details", "messageView"}}` envelope for errors.
#[derive(Debug, Clone, Copy, Default)]
pub struct SwiftKanbanConventions;

fn message_view(body: &[u8]) -> Option<ApiMessage> {
    let value: Value = serde_json::from_slice(body).ok()?;
    let envelope = value.get("Response").or_else(|| value.get("response"))?;
    let view = envelope.get("messageView")?;
    let messages = match view.get("message") {
        Some(Value::Array(items)) => items
            .iter()
            .map(|m| {
                m.as_str()
                    .map(str::to_string)
                    .unwrap_or_else(|| m.to_string())
            })
            .collect(),
        Some(Value::String(s)) => vec![s.clone()],
        _ => Vec::new(),
    };
    Some(ApiMessage {
        kind: view
            .get("type")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_string(),
        messages,
        self_uri: view
            .pointer("/uriMap/selfUri")
            .and_then(Value::as_str)
            .map(str::to_string),
    })
}

impl ApiConventions for SwiftKanbanConventions {
    fn parse_error(&self, _status: u16, body: &[u8]) -> Option<ApiMessage> {
        message_view(body)
    }

    fn error_in_success(&self, body: &[u8]) -> Option<ApiMessage> {
        message_view(body).filter(|m| m.kind == "error")
    }

    /// SOAP answers report failure as `Status` = `Failed` with `StatusMsg` in the payload.
    fn soap_error_in_success(&self, payload: &str) -> Option<(String, String)> {
        let status = element_text(payload, "Status")?;
        if !status.eq_ignore_ascii_case("failed") {
            return None;
        }
        Some((
            status,
            element_text(payload, "StatusMsg").unwrap_or_default(),
        ))
    }

    /// A fault whose reason says the account's calls per minute are used up (Axis2 answers
    /// every fault with HTTP 500, so the status alone does not tell).
    fn is_rate_limit_fault(&self, fault: &client_runtime::SoapFault) -> bool {
        fault.reason.to_ascii_lowercase().contains("rate limit")
    }

    /// A 422 whose `Response.details` holds per-item results (`responseStatus`).
    fn failed_items(&self, status: u16, body: &[u8]) -> Option<Value> {
        if status != 422 {
            return None;
        }
        let value: Value = serde_json::from_slice(body).ok()?;
        let details = value
            .get("Response")
            .or_else(|| value.get("response"))?
            .get("details")?;
        (!item_results(details).is_empty()).then(|| details.clone())
    }
}

/// The text of the first element whose local name is `local` (any prefix), unescaped and
/// trimmed; `None` if there is none. Enough for the flat `Status`/`StatusMsg` pairs.
fn element_text(xml: &str, local: &str) -> Option<String> {
    let mut rest = xml;
    while let Some(start) = rest.find('<') {
        rest = &rest[start + 1..];
        let end = rest.find(['>', ' ', '\t', '\r', '\n', '/'])?;
        let name = &rest[..end];
        if name.rsplit(':').next() == Some(local) && !name.starts_with(['/', '?', '!']) {
            let open_end = rest.find('>')?;
            if rest[..open_end].ends_with('/') {
                return Some(String::new());
            }
            let body = &rest[open_end + 1..];
            let text = &body[..body.find('<').unwrap_or(body.len())];
            let text = text
                .replace("&lt;", "<")
                .replace("&gt;", ">")
                .replace("&quot;", "\"")
                .replace("&apos;", "'")
                .replace("&amp;", "&");
            return Some(text.trim().to_string());
        }
    }
    None
}

/// One item's result in a bulk answer (207 Partially Successful, or the 422 of
/// [`Error::BulkFailed`]): SwiftKanban reports `responseStatus` (`Successful` / `Failed`)
/// and `responseMsg` next to, or around, the item.
#[derive(Debug, Clone, PartialEq)]
pub struct ItemResult {
    /// Where the item sits, as a JSON pointer into the value given to [`item_results`].
    pub pointer: String,
    /// `responseStatus`, e.g. `Successful` or `Failed`.
    pub status: String,
    /// `responseMsg` (a string or a list of strings in the examples).
    pub messages: Vec<String>,
    /// The whole item object (with `responseStatus` and `responseMsg`).
    pub item: Value,
}

impl ItemResult {
    /// `responseStatus` says the item succeeded (`Successful` / `Success`, any case).
    pub fn is_success(&self) -> bool {
        let s = self.status.to_ascii_lowercase();
        s == "successful" || s == "success"
    }
}

/// Every per-item result under `value` (any object with a `responseStatus`, in document
/// order). Give it a decoded response (e.g. `serde_json::to_value(&response)`), its
/// `Response.details`, or [`Error::failed_items`].
pub fn item_results(value: &Value) -> Vec<ItemResult> {
    fn walk(v: &Value, pointer: &mut String, out: &mut Vec<ItemResult>) {
        match v {
            Value::Object(map) => {
                if let Some(status) = map.get("responseStatus").and_then(Value::as_str) {
                    let messages = match map.get("responseMsg") {
                        Some(Value::String(s)) => vec![s.clone()],
                        Some(Value::Array(items)) => items
                            .iter()
                            .map(|m| {
                                m.as_str()
                                    .map(str::to_string)
                                    .unwrap_or_else(|| m.to_string())
                            })
                            .collect(),
                        _ => Vec::new(),
                    };
                    out.push(ItemResult {
                        pointer: pointer.clone(),
                        status: status.to_string(),
                        messages,
                        item: v.clone(),
                    });
                    return;
                }
                for (k, child) in map {
                    let len = pointer.len();
                    pointer.push('/');
                    pointer.push_str(&k.replace('~', "~0").replace('/', "~1"));
                    walk(child, pointer, out);
                    pointer.truncate(len);
                }
            }
            Value::Array(items) => {
                for (i, child) in items.iter().enumerate() {
                    let len = pointer.len();
                    pointer.push_str(&format!("/{i}"));
                    walk(child, pointer, out);
                    pointer.truncate(len);
                }
            }
            _ => {}
        }
    }
    let mut out = Vec::new();
    walk(value, &mut String::new(), &mut out);
    out
}

/// The items of [`item_results`] that did not succeed.
pub fn failed_items(value: &Value) -> Vec<ItemResult> {
    item_results(value)
        .into_iter()
        .filter(|r| !r.is_success())
        .collect()
}

impl crate::Client {
    /// A client for SwiftKanban at `base_url` (e.g. [`DEFAULT_BASE_URL`] or a tenant host),
    /// with `auth` ([`Auth::token`] for a token copied from the profile page, or [`login`]).
    pub fn new(base_url: impl Into<String>, auth: Auth) -> Result<Self, Error> {
        Self::builder(base_url)
            .auth(auth)
            .build()
            .map(crate::Client::from_api_client)
    }

    /// A runtime builder preset for SwiftKanban (token header, error envelope, 50 calls per
    /// minute, user agent); adjust it, then wrap with [`Client::from_api_client`](crate::Client::from_api_client).
    pub fn builder(base_url: impl Into<String>) -> ClientBuilder {
        ApiClient::builder(base_url)
            .api_key_header(TOKEN_HEADER)
            .conventions(Arc::new(SwiftKanbanConventions))
            .rate_limit(RateLimit::per_minute(CALLS_PER_MINUTE))
            .user_agent(concat!("generated-client/", env!("CARGO_PKG_VERSION")))
    }
}
