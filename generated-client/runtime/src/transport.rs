//! Sends a prepared request: token, one renewal on 401, rate limit, retries, error mapping.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use reqwest::header::{
    HeaderMap, HeaderValue, AUTHORIZATION, CONTENT_LENGTH, CONTENT_TYPE, COOKIE, LOCATION,
    PROXY_AUTHORIZATION, USER_AGENT,
};
use tracing::field::Empty;
use tracing::Instrument as _;

use crate::auth::Auth;
use crate::client::ApiClient;
use crate::error::Error;
use crate::retry::{retry_after, RetryReason};
use crate::secret::Secret;

/// Builds a fresh request body for each attempt (SOAP: a new WS-Security nonce and
/// `Created` every time the request is sent).
#[derive(Clone)]
pub(crate) struct BodyFn(pub(crate) Arc<dyn Fn() -> Bytes + Send + Sync>);

impl fmt::Debug for BodyFn {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("BodyFn(..)")
    }
}

/// A fully built request that can be sent more than once.
#[derive(Clone)]
pub(crate) struct Prepared {
    /// Operation name, for logs and errors.
    pub(crate) operation: &'static str,
    pub(crate) method: reqwest::Method,
    pub(crate) url: String,
    pub(crate) headers: HeaderMap,
    pub(crate) body: Option<Bytes>,
    /// If set, called before every attempt instead of using `body`.
    pub(crate) body_fn: Option<BodyFn>,
    /// The operation may be retried automatically.
    pub(crate) retry_safe: bool,
    /// Attach the API token.
    pub(crate) uses_token: bool,
    /// A SOAP call: a non-2xx answer may be a rate-limit fault.
    pub(crate) soap: bool,
    /// Percent-encoded names of query parameters that carry secrets (API keys): their values
    /// are never logged or put into errors.
    pub(crate) secret_query: Vec<String>,
}

/// The body is left out (it may hold a password or a WS-Security digest) and secret query
/// values are redacted; sensitive headers print as `Sensitive`.
impl fmt::Debug for Prepared {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Prepared")
            .field("operation", &self.operation)
            .field("method", &self.method)
            .field("url", &self.shown_url(&self.url))
            .field("headers", &self.headers)
            .field("body_bytes", &self.body.as_ref().map(Bytes::len))
            .field("retry_safe", &self.retry_safe)
            .finish_non_exhaustive()
    }
}

impl Prepared {
    /// `url` as it may be shown in logs and errors: the values of secret query parameters
    /// replaced by `REDACTED`.
    pub(crate) fn shown_url(&self, url: &str) -> String {
        if self.secret_query.is_empty() {
            return url.to_owned();
        }
        let Some((base, query)) = url.split_once('?') else {
            return url.to_owned();
        };
        let pairs: Vec<String> = query
            .split('&')
            .map(|pair| match pair.split_once('=') {
                Some((name, _)) if self.secret_query.iter().any(|s| s == name) => {
                    format!("{name}=REDACTED")
                }
                _ => pair.to_owned(),
            })
            .collect();
        format!("{base}?{}", pairs.join("&"))
    }

    fn body_for_attempt(&self) -> Option<Bytes> {
        match &self.body_fn {
            Some(f) => Some((f.0)()),
            None => self.body.clone(),
        }
    }
}

/// Counters of one logical call, recorded on its tracing span.
#[derive(Debug, Default, Clone, Copy)]
pub(crate) struct CallStats {
    /// HTTP attempts made so far.
    pub(crate) attempts: u32,
    /// Time spent waiting for the rate limiter and back-off (by the injected clock).
    pub(crate) waited: Duration,
}

/// Redirects followed per attempt at most.
const MAX_REDIRECTS: usize = 10;

/// A received response with its body read completely.
#[derive(Debug, Clone)]
pub(crate) struct Response {
    pub(crate) status: u16,
    pub(crate) headers: HeaderMap,
    pub(crate) body: Bytes,
    /// The answer came after following at least one redirect: the request may have been
    /// processed by the first server, so an unsafe operation is not resent.
    pub(crate) redirected: bool,
}

impl Response {
    pub(crate) fn is_success(&self) -> bool {
        (200..300).contains(&self.status)
    }
}

/// Maps a `reqwest` error to [`Error::Timeout`] or [`Error::Transport`] (a connect error,
/// including a connect timeout, stays a transport error: nothing was sent, so it may be
/// retried). `url` is the URL as it may be shown; reqwest's own copy is dropped.
pub(crate) fn map_reqwest(url: &str, e: reqwest::Error) -> Error {
    let e = e.without_url();
    if e.is_timeout() && !e.is_connect() {
        Error::Timeout {
            url: url.to_owned(),
        }
    } else {
        Error::Transport {
            url: url.to_owned(),
            source: e,
        }
    }
}

impl ApiClient {
    /// Sends `req`, attaching the token when the operation uses it. With [`Auth::Login`], a
    /// 401 drops the cached token, logs in again once and resends once; a 401 that follows
    /// (or any 401 with a fixed token) is [`Error::Auth`]. Other statuses are returned as is.
    ///
    /// Each call runs in a `tracing` span `api_call` with the fields `operation`, `method`,
    /// `attempt` (HTTP attempts made), `status` (final HTTP status) and `waited_ms` (time
    /// spent waiting for the rate limiter and back-off).
    pub(crate) async fn execute(&self, req: &Prepared) -> Result<Response, Error> {
        let span = tracing::info_span!(
            "api_call",
            operation = req.operation,
            method = %req.method,
            attempt = Empty,
            status = Empty,
            waited_ms = Empty,
        );
        let mut stats = CallStats::default();
        let result = self
            .execute_inner(req, &mut stats)
            .instrument(span.clone())
            .await;
        span.record("attempt", stats.attempts);
        span.record("waited_ms", stats.waited.as_millis() as u64);
        match &result {
            Ok(resp) => {
                span.record("status", resp.status);
            }
            Err(e) => {
                if let Some(status) = e.status() {
                    span.record("status", status);
                }
                span.in_scope(|| tracing::debug!(error = %e, "call failed"));
            }
        }
        result
    }

    async fn execute_inner(
        &self,
        req: &Prepared,
        stats: &mut CallStats,
    ) -> Result<Response, Error> {
        let inner = &self.inner;
        let mut renewed = false;
        loop {
            let token = if req.uses_token {
                inner.token.get(&inner.auth, self).await?
            } else {
                None
            };
            let resp = self.send_attempts(req, token.as_ref(), stats).await?;
            // After a redirect an unsafe request may have been processed already: no resend.
            if resp.status != 401 || (resp.redirected && !req.retry_safe) {
                return Ok(resp);
            }
            let Some(token) = token else {
                return Ok(resp);
            };
            let detail = match inner.conventions.parse_error(resp.status, &resp.body) {
                Some(m) => format!(": {m}"),
                None => String::new(),
            };
            match &inner.auth {
                Auth::Login { .. } if !renewed => {
                    tracing::debug!(operation = req.operation, "401: renewing the login token");
                    inner.token.invalidate(&token).await;
                    renewed = true;
                }
                Auth::Login { .. } => {
                    return Err(Error::Auth {
                        message: format!(
                            "{} was rejected with HTTP 401 after a fresh login{detail}",
                            req.operation
                        ),
                    })
                }
                _ => {
                    return Err(Error::Auth {
                        message: format!(
                            "{} was rejected with HTTP 401 (configured token){detail}",
                            req.operation
                        ),
                    })
                }
            }
        }
    }

    /// Sends `req` through the rate limiter, retrying as [`RetryPolicy`] allows.
    pub(crate) async fn send_attempts(
        &self,
        req: &Prepared,
        token: Option<&Secret>,
        stats: &mut CallStats,
    ) -> Result<Response, Error> {
        let inner = &self.inner;
        let policy = &inner.retry;
        let mut retries = 0u32;
        loop {
            if let Some(limiter) = &inner.rate_limiter {
                stats.waited += limiter.acquire().await;
            }
            stats.attempts += 1;
            tracing::Span::current().record("attempt", stats.attempts);
            let mut redirected = false;
            let result = self
                .send_once(req, token, stats.attempts, &mut redirected)
                .await;
            // After a redirect an unsafe request may have been processed already: whatever
            // the next hop answered, it is not resent.
            if redirected && !req.retry_safe {
                return result;
            }
            let (reason, retry_after) = match &result {
                Ok(resp) => match RetryReason::from_status(resp.status)
                    .or_else(|| self.rate_limit_fault(req, resp))
                {
                    Some(reason) => (reason, retry_after(&resp.headers, inner.clock.wall_time())),
                    None => return result,
                },
                Err(Error::Transport { source, .. }) if source.is_connect() => {
                    (RetryReason::Connect, None)
                }
                Err(_) => return result,
            };
            let Some(delay) = (match retry_after {
                Some(d) if d > policy.max_retry_after => None,
                Some(d) => Some(d),
                None => Some(policy.backoff(retries)),
            }) else {
                return result;
            };
            // Being over the rate limit holds every clone of the client, not only this call.
            if let (RetryReason::TooManyRequests, Some(limiter)) = (reason, &inner.rate_limiter) {
                limiter.back_off(delay);
            }
            let allowed = if req.retry_safe {
                retries < policy.max_retries
            } else {
                policy.max_retries > 0 && retries == 0 && reason.allows_unsafe_resend()
            };
            if !allowed {
                return result;
            }
            tracing::info!(
                operation = req.operation,
                ?reason,
                delay_ms = delay.as_millis() as u64,
                "retrying"
            );
            inner.clock.sleep(delay).await;
            stats.waited += delay;
            retries += 1;
        }
    }

    /// [`RetryReason::TooManyRequests`] when a SOAP call's non-2xx answer is a fault the
    /// conventions call a rate-limit fault.
    fn rate_limit_fault(&self, req: &Prepared, resp: &Response) -> Option<RetryReason> {
        if !req.soap || resp.is_success() {
            return None;
        }
        #[cfg(feature = "soap")]
        if let Ok(crate::soap_response::SoapResponse::Fault(fault)) =
            crate::soap_response::parse_response(std::str::from_utf8(&resp.body).ok()?)
        {
            if self.inner.conventions.is_rate_limit_fault(&fault) {
                return Some(RetryReason::TooManyRequests);
            }
        }
        None
    }

    /// One HTTP exchange, following redirects (301/302/303/307/308) itself when the runtime
    /// built the HTTP client: the token, `Authorization`, `Proxy-Authorization`, `Cookie` and
    /// every header marked sensitive are only sent to the origin (scheme, host, port) of the
    /// original URL, and a redirect to another origin that would carry the request body on
    /// (307/308, or 301/302 for methods other than POST) is not followed: its 3xx is the
    /// answer. Sets `redirected` once a redirect has been followed (by the runtime or by a
    /// caller-supplied HTTP client).
    pub(crate) async fn send_once(
        &self,
        req: &Prepared,
        token: Option<&Secret>,
        attempt: u32,
        redirected: &mut bool,
    ) -> Result<Response, Error> {
        let inner = &self.inner;
        let mut url = reqwest::Url::parse(&req.url).map_err(|e| {
            Error::invalid_request(format!("invalid URL {:?}: {e}", req.shown_url(&req.url)))
        })?;
        let origin = url.origin();
        let mut method = req.method.clone();
        let mut body = req.body_for_attempt();
        let mut headers = req.headers.clone();
        let mut same_origin = true;
        let mut hops = 0usize;
        loop {
            let mut rb = inner
                .http
                .request(method.clone(), url.clone())
                .headers(headers.clone());
            if let Some(ua) = &inner.user_agent {
                rb = rb.header(USER_AGENT, ua.clone());
            }
            if let Some(t) = inner.timeout {
                rb = rb.timeout(t);
            }
            if let (Some(token), true) = (token, same_origin) {
                let raw = match &inner.api_key_header {
                    Some(_) => token.expose().to_owned(),
                    None => format!("Bearer {}", token.expose()),
                };
                let mut value = HeaderValue::from_str(&raw).map_err(|_| Error::Auth {
                    message: "the token contains characters not allowed in an HTTP header".into(),
                })?;
                value.set_sensitive(true);
                rb = match &inner.api_key_header {
                    Some(name) => rb.header(name.clone(), value),
                    None => rb.header(AUTHORIZATION, value),
                };
            }
            if let Some(body) = &body {
                rb = rb.body(body.clone());
            }
            let shown = req.shown_url(url.as_str());
            tracing::debug!(operation = req.operation, method = %method, url = %shown, attempt, "sending");
            let resp = match rb.send().await {
                Ok(resp) => resp,
                Err(e) => {
                    // A caller-supplied client follows redirects itself.
                    *redirected |= e.url().is_some_and(|u| *u != url);
                    return Err(map_reqwest(&shown, e));
                }
            };
            *redirected |= *resp.url() != url;
            let status = resp.status().as_u16();
            let location = resp
                .headers()
                .get(LOCATION)
                .and_then(|v| v.to_str().ok())
                .and_then(|l| url.join(l).ok());
            if let (true, Some(next), true) = (
                inner.follow_redirects,
                location,
                matches!(status, 301 | 302 | 303 | 307 | 308),
            ) {
                let cross_origin = next.origin() != origin;
                // 303, and 301/302 after a POST, continue as a GET without the body.
                let drops_body = status == 303
                    || (matches!(status, 301 | 302) && method == reqwest::Method::POST);
                if hops < MAX_REDIRECTS && !(cross_origin && !drops_body && body.is_some()) {
                    hops += 1;
                    *redirected = true;
                    if drops_body {
                        if method != reqwest::Method::HEAD {
                            method = reqwest::Method::GET;
                        }
                        body = None;
                        headers.remove(CONTENT_TYPE);
                        headers.remove(CONTENT_LENGTH);
                    }
                    if same_origin && cross_origin {
                        same_origin = false;
                        headers = headers
                            .iter()
                            .filter(|(_, value)| !value.is_sensitive())
                            .map(|(name, value)| (name.clone(), value.clone()))
                            .collect();
                        headers.remove(AUTHORIZATION);
                        headers.remove(PROXY_AUTHORIZATION);
                        headers.remove(COOKIE);
                        if let Some(name) = &inner.api_key_header {
                            headers.remove(name);
                        }
                    }
                    tracing::debug!(
                        operation = req.operation,
                        status,
                        to = %next,
                        credentials = same_origin,
                        "following redirect"
                    );
                    url = next;
                    continue;
                }
            }
            let headers = resp.headers().clone();
            let body = resp
                .bytes()
                .await
                .map_err(|e| map_reqwest(&req.shown_url(url.as_str()), e))?;
            tracing::debug!(
                operation = req.operation,
                status,
                bytes = body.len(),
                "received"
            );
            return Ok(Response {
                status,
                headers,
                body,
                redirected: *redirected,
            });
        }
    }
}
