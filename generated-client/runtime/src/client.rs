//! [`ApiClient`] (cheaply clonable handle shared by all calls) and its [`ClientBuilder`].

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use reqwest::header::{HeaderName, HeaderValue};

use crate::auth::Auth;
#[cfg(feature = "soap")]
use crate::auth::UsernameToken;
use crate::conventions::{ApiConventions, NoConventions};
use crate::error::{body_snippet, Error};
use crate::rate_limit::{Clock, RateLimit, RateLimiter, SystemClock};
#[cfg(feature = "rest")]
use crate::rest::{HttpMethod, OperationInfo, RestRequest};
use crate::retry::RetryPolicy;
use crate::token_cache::TokenCache;

/// Default `User-Agent` when the runtime builds the HTTP client itself.
pub const DEFAULT_USER_AGENT: &str = concat!("client-runtime/", env!("CARGO_PKG_VERSION"));

/// Shared state behind every clone of an [`ApiClient`].
pub(crate) struct Inner {
    pub(crate) base_url: String,
    pub(crate) http: reqwest::Client,
    pub(crate) auth: Auth,
    pub(crate) token: TokenCache,
    pub(crate) default_params: Vec<(String, String)>,
    pub(crate) conventions: Arc<dyn ApiConventions>,
    pub(crate) api_key_header: Option<HeaderName>,
    #[cfg(feature = "soap")]
    pub(crate) soap_endpoint: Option<String>,
    #[cfg(feature = "soap")]
    pub(crate) username_token: Option<UsernameToken>,
    pub(crate) timeout: Option<Duration>,
    /// The runtime follows redirects itself (it built the HTTP client without redirects).
    pub(crate) follow_redirects: bool,
    pub(crate) user_agent: Option<HeaderValue>,
    pub(crate) rate_limiter: Option<RateLimiter>,
    pub(crate) retry: RetryPolicy,
    pub(crate) clock: Arc<dyn Clock>,
}

/// A configured API client. Cloning is cheap; clones share the HTTP connection pool and the
/// cached login token. `Debug` never shows credentials.
#[derive(Clone)]
pub struct ApiClient {
    pub(crate) inner: Arc<Inner>,
}

impl ApiClient {
    /// Starts configuring a client for `base_url` (e.g. `https://host/restapi`).
    pub fn builder(base_url: impl Into<String>) -> ClientBuilder {
        ClientBuilder::new(base_url)
    }

    /// The base URL, without trailing slash.
    pub fn base_url(&self) -> &str {
        &self.inner.base_url
    }

    /// A parameter configured once per client (e.g. `loginId`), for generated code to send.
    pub fn default_param(&self, name: &str) -> Option<&str> {
        self.inner
            .default_params
            .iter()
            .rev()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    /// The underlying HTTP client.
    pub fn http_client(&self) -> &reqwest::Client {
        &self.inner.http
    }

    /// The configured API conventions.
    pub fn conventions(&self) -> &dyn ApiConventions {
        self.inner.conventions.as_ref()
    }

    /// Starts a REST request; `path` is already expanded and encoded, relative to the base URL.
    #[cfg(feature = "rest")]
    pub fn rest(&self, op: &'static OperationInfo, path: String) -> RestRequest {
        RestRequest::new(self.clone(), *op, path)
    }

    /// Starts a raw call to an endpoint the API document lacks: `path` (already encoded,
    /// relative to the base URL, may carry a query). The same auth, rate limit and retry
    /// rules apply as for generated operations: the token is sent (turn off with
    /// [`RestRequest::set_uses_token`]), and the call is retry-safe by default for GET, HEAD
    /// and OPTIONS only (override with [`RestRequest::set_retry_safe`]). Add a body with
    /// [`RestRequest::json_body`] or [`RestRequest::bytes_body`]; read the answer with
    /// [`RestRequest::send`] (JSON) or [`RestRequest::send_bytes`].
    #[cfg(feature = "rest")]
    pub fn raw(&self, method: HttpMethod, path: impl Into<String>) -> RestRequest {
        let op = OperationInfo {
            operation_id: "raw",
            method,
            path_template: "",
            retry_safe: matches!(
                method,
                HttpMethod::Get | HttpMethod::Head | HttpMethod::Options
            ),
            uses_api_key: true,
        };
        RestRequest::new(self.clone(), op, path.into())
    }

    /// `base_url` + `path` (a `/` is inserted if `path` lacks one).
    pub(crate) fn join_url(&self, path: &str) -> String {
        let mut url = self.inner.base_url.clone();
        if !path.starts_with('/') && !path.is_empty() {
            url.push('/');
        }
        url.push_str(path);
        url
    }

    /// Builds [`Error::BulkFailed`] or [`Error::Status`] for a non-2xx response, using the conventions' parser.
    pub(crate) fn status_error(&self, status: u16, body: &[u8]) -> Error {
        if let Some(items) = self.inner.conventions.failed_items(status, body) {
            return Error::BulkFailed {
                status,
                message: self.inner.conventions.parse_error(status, body),
                items,
            };
        }
        Error::Status {
            status,
            message: self.inner.conventions.parse_error(status, body),
            body: body_snippet(body),
        }
    }
}

impl fmt::Debug for ApiClient {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut d = f.debug_struct("ApiClient");
        d.field("base_url", &self.inner.base_url)
            .field("auth", &self.inner.auth)
            .field("default_params", &self.inner.default_params)
            .field("api_key_header", &self.inner.api_key_header)
            .field("rate_limiter", &self.inner.rate_limiter)
            .field("retry", &self.inner.retry);
        #[cfg(feature = "soap")]
        d.field("soap_endpoint", &self.inner.soap_endpoint)
            .field("username_token", &self.inner.username_token);
        d.finish_non_exhaustive()
    }
}

/// Configures an [`ApiClient`]. `Debug` never shows credentials.
#[derive(Clone)]
pub struct ClientBuilder {
    base_url: String,
    auth: Auth,
    default_params: Vec<(String, String)>,
    http: Option<reqwest::Client>,
    user_agent: Option<String>,
    timeout: Option<Duration>,
    connect_timeout: Option<Duration>,
    conventions: Option<Arc<dyn ApiConventions>>,
    api_key_header: Option<String>,
    #[cfg(feature = "soap")]
    soap_endpoint: Option<String>,
    #[cfg(feature = "soap")]
    username_token: Option<UsernameToken>,
    rate_limit: Option<RateLimit>,
    retry: RetryPolicy,
    clock: Option<Arc<dyn Clock>>,
}

impl ClientBuilder {
    /// Same as [`ApiClient::builder`].
    pub fn new(base_url: impl Into<String>) -> Self {
        ClientBuilder {
            base_url: base_url.into(),
            auth: Auth::None,
            default_params: Vec::new(),
            http: None,
            user_agent: None,
            timeout: None,
            connect_timeout: None,
            conventions: None,
            api_key_header: None,
            #[cfg(feature = "soap")]
            soap_endpoint: None,
            #[cfg(feature = "soap")]
            username_token: None,
            rate_limit: None,
            retry: RetryPolicy::default(),
            clock: None,
        }
    }

    /// Credentials for operations that use the API key.
    pub fn auth(mut self, auth: Auth) -> Self {
        self.auth = auth;
        self
    }

    /// A value generated code can read back with [`ApiClient::default_param`].
    pub fn default_param(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.default_params.push((name.into(), value.into()));
        self
    }

    /// Uses this HTTP client (then `connect_timeout` is ignored; `timeout` and `user_agent`
    /// still apply per request). Its redirect policy applies: build it with
    /// `reqwest::redirect::Policy::none()` to have the runtime follow redirects itself and
    /// keep the token from other origins (reqwest strips only `Authorization`, not a custom
    /// API key header, when it follows a redirect to another host).
    pub fn http_client(mut self, client: reqwest::Client) -> Self {
        self.http = Some(client);
        self
    }

    /// `User-Agent` header value.
    pub fn user_agent(mut self, user_agent: impl Into<String>) -> Self {
        self.user_agent = Some(user_agent.into());
        self
    }

    /// Total timeout per HTTP request.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    /// Timeout for establishing a connection.
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = Some(timeout);
        self
    }

    /// API-specific error conventions (default: [`NoConventions`]).
    pub fn conventions(mut self, conventions: Arc<dyn ApiConventions>) -> Self {
        self.conventions = Some(conventions);
        self
    }

    /// Header that carries the token, sent raw (e.g. `AuthorizationToken`). Without it the
    /// token is sent as `Authorization: Bearer <token>`.
    pub fn api_key_header(mut self, name: impl Into<String>) -> Self {
        self.api_key_header = Some(name.into());
        self
    }

    #[cfg(feature = "soap")]
    /// SOAP endpoint override: an absolute URL, or a path joined to the base URL's origin.
    /// Default: the path of the operation's WSDL address joined to the base URL's origin.
    pub fn soap_endpoint(mut self, url_or_path: impl Into<String>) -> Self {
        self.soap_endpoint = Some(url_or_path.into());
        self
    }

    #[cfg(feature = "soap")]
    /// WS-Security UsernameToken added to every SOAP call.
    pub fn username_token(mut self, token: UsernameToken) -> Self {
        self.username_token = Some(token);
        self
    }

    /// Limits requests sent by this client and all its clones (default: no limit). Calls
    /// over the limit wait for a free slot rather than fail. With a limiter, a 429 or a
    /// rate-limit SOAP fault ([`ApiConventions::is_rate_limit_fault`]) holds every clone's
    /// next request for its `Retry-After` (up to [`RetryPolicy::max_retry_after`]) or else
    /// the retry back-off, not only the call that received it.
    pub fn rate_limit(mut self, limit: RateLimit) -> Self {
        self.rate_limit = Some(limit);
        self
    }

    /// Retry policy (default: [`RetryPolicy::default`]; see [`RetryPolicy`] for what is retried).
    pub fn retry(mut self, policy: RetryPolicy) -> Self {
        self.retry = policy;
        self
    }

    /// Time source for rate limiting and back-off (default: [`SystemClock`]); for tests.
    pub fn clock(mut self, clock: Arc<dyn Clock>) -> Self {
        self.clock = Some(clock);
        self
    }

    /// Validates the configuration and builds the client.
    pub fn build(self) -> Result<ApiClient, Error> {
        let base_url = self.base_url.trim().trim_end_matches('/').to_owned();
        if !(base_url.starts_with("http://") || base_url.starts_with("https://")) {
            return Err(Error::invalid_request(format!(
                "base URL must start with http:// or https://: {base_url:?}"
            )));
        }
        let api_key_header = match self.api_key_header {
            Some(name) => Some(HeaderName::from_bytes(name.as_bytes()).map_err(|_| {
                Error::invalid_request(format!("invalid API key header name {name:?}"))
            })?),
            None => None,
        };
        let user_agent = match self.user_agent {
            Some(ua) => Some(
                HeaderValue::from_str(&ua)
                    .map_err(|_| Error::invalid_request("invalid User-Agent value"))?,
            ),
            None => None,
        };
        let follow_redirects = self.http.is_none();
        let http = match self.http {
            Some(http) => http,
            None => {
                // Redirects are followed by the runtime (transport.rs), which drops the
                // token and API key header when the target is another origin.
                let mut b = reqwest::Client::builder()
                    .user_agent(DEFAULT_USER_AGENT)
                    .redirect(reqwest::redirect::Policy::none());
                if let Some(t) = self.connect_timeout {
                    b = b.connect_timeout(t);
                }
                b.build()
                    .map_err(|e| Error::invalid_request(format!("cannot build HTTP client: {e}")))?
            }
        };
        let clock = self.clock.unwrap_or_else(|| Arc::new(SystemClock));
        let rate_limiter = self
            .rate_limit
            .map(|limit| RateLimiter::new(limit, clock.clone()));
        Ok(ApiClient {
            inner: Arc::new(Inner {
                base_url,
                http,
                auth: self.auth,
                token: TokenCache::default(),
                default_params: self.default_params,
                conventions: self.conventions.unwrap_or_else(|| Arc::new(NoConventions)),
                api_key_header,
                #[cfg(feature = "soap")]
                soap_endpoint: self.soap_endpoint,
                #[cfg(feature = "soap")]
                username_token: self.username_token,
                timeout: self.timeout,
                follow_redirects,
                user_agent,
                rate_limiter,
                retry: self.retry,
                clock,
            }),
        })
    }
}

impl fmt::Debug for ClientBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut d = f.debug_struct("ClientBuilder");
        d.field("base_url", &self.base_url)
            .field("auth", &self.auth)
            .field("default_params", &self.default_params)
            .field("timeout", &self.timeout)
            .field("connect_timeout", &self.connect_timeout)
            .field("api_key_header", &self.api_key_header)
            .field("rate_limit", &self.rate_limit)
            .field("retry", &self.retry);
        #[cfg(feature = "soap")]
        d.field("soap_endpoint", &self.soap_endpoint)
            .field("username_token", &self.username_token);
        d.finish_non_exhaustive()
    }
}
