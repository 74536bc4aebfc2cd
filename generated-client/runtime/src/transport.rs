//! Sends a prepared request: token, one renewal on 401, rate limit, retries, error mapping.

use std::time::SystemTime;

use bytes::Bytes;
use reqwest::header::{HeaderMap, HeaderValue, AUTHORIZATION, USER_AGENT};

use crate::auth::Auth;
use crate::client::ApiClient;
use crate::error::Error;
use crate::retry::{retry_after, RetryReason};
use crate::secret::Secret;

/// A fully built request that can be sent more than once.
#[derive(Debug, Clone)]
pub(crate) struct Prepared {
    /// Operation name, for logs and errors.
    pub(crate) operation: &'static str,
    pub(crate) method: reqwest::Method,
    pub(crate) url: String,
    pub(crate) headers: HeaderMap,
    pub(crate) body: Option<Bytes>,
    /// The operation may be retried automatically.
    pub(crate) retry_safe: bool,
    /// Attach the API token.
    pub(crate) uses_token: bool,
}

/// A received response with its body read completely.
#[derive(Debug, Clone)]
pub(crate) struct Response {
    pub(crate) status: u16,
    pub(crate) headers: HeaderMap,
    pub(crate) body: Bytes,
}

impl Response {
    pub(crate) fn is_success(&self) -> bool {
        (200..300).contains(&self.status)
    }
}

/// Maps a `reqwest` error to [`Error::Timeout`] or [`Error::Transport`].
pub(crate) fn map_reqwest(url: &str, e: reqwest::Error) -> Error {
    if e.is_timeout() {
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
    pub(crate) async fn execute(&self, req: &Prepared) -> Result<Response, Error> {
        let inner = &self.inner;
        let mut renewed = false;
        loop {
            let token = if req.uses_token {
                inner
                    .token
                    .get(&inner.auth, &inner.http, &inner.base_url)
                    .await?
            } else {
                None
            };
            let resp = self.send_attempts(req, token.as_ref()).await?;
            if resp.status != 401 {
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
    async fn send_attempts(
        &self,
        req: &Prepared,
        token: Option<&Secret>,
    ) -> Result<Response, Error> {
        let inner = &self.inner;
        let policy = &inner.retry;
        let mut retries = 0u32;
        loop {
            if let Some(limiter) = &inner.rate_limiter {
                limiter.acquire().await;
            }
            let result = self.send_once(req, token).await;
            let (reason, retry_after) = match &result {
                Ok(resp) => match RetryReason::from_status(resp.status) {
                    Some(reason) => (reason, retry_after(&resp.headers, SystemTime::now())),
                    None => return result,
                },
                Err(Error::Transport { source, .. }) if source.is_connect() => {
                    (RetryReason::Connect, None)
                }
                Err(_) => return result,
            };
            let allowed = if req.retry_safe {
                retries < policy.max_retries
            } else {
                policy.max_retries > 0 && retries == 0 && reason.allows_unsafe_resend()
            };
            if !allowed {
                return result;
            }
            let delay = match retry_after {
                Some(d) if d > policy.max_retry_after => return result,
                Some(d) => d,
                None => policy.backoff(retries),
            };
            tracing::debug!(operation = req.operation, ?reason, ?delay, "retrying");
            inner.clock.sleep(delay).await;
            retries += 1;
        }
    }

    /// One HTTP exchange.
    pub(crate) async fn send_once(
        &self,
        req: &Prepared,
        token: Option<&Secret>,
    ) -> Result<Response, Error> {
        let inner = &self.inner;
        let mut rb = inner
            .http
            .request(req.method.clone(), req.url.as_str())
            .headers(req.headers.clone());
        if let Some(ua) = &inner.user_agent {
            rb = rb.header(USER_AGENT, ua.clone());
        }
        if let Some(t) = inner.timeout {
            rb = rb.timeout(t);
        }
        if let Some(token) = token {
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
        if let Some(body) = &req.body {
            rb = rb.body(body.clone());
        }
        tracing::debug!(operation = req.operation, method = %req.method, url = %req.url, "sending");
        let resp = rb.send().await.map_err(|e| map_reqwest(&req.url, e))?;
        let status = resp.status().as_u16();
        let headers = resp.headers().clone();
        let body = resp.bytes().await.map_err(|e| map_reqwest(&req.url, e))?;
        tracing::debug!(
            operation = req.operation,
            status,
            bytes = body.len(),
            "received"
        );
        Ok(Response {
            status,
            headers,
            body,
        })
    }
}
