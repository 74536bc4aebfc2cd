//! How a client authenticates: none, a fixed token, or a lazy login through a [`TokenService`].

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

use bytes::Bytes;
use reqwest::header::{HeaderMap, HeaderValue, CONTENT_TYPE};

use crate::client::ApiClient;
use crate::error::Error;
use crate::secret::Secret;
use crate::transport::{CallStats, Prepared};

#[cfg(feature = "soap")]
pub use crate::wsse::{password_digest, PasswordType, UsernameToken};

/// The future returned by [`TokenService::fetch_token`].
pub type TokenFuture<'a> = Pin<Box<dyn Future<Output = Result<Secret, Error>> + Send + 'a>>;

/// Obtains an API token from a login id and password (supplied by the generated client).
pub trait TokenService: Send + Sync + 'static {
    /// Logs in and returns the token. Send the login request through `ctx`
    /// ([`LoginContext::post`]) so it counts against the client's rate limit and follows its
    /// retry rules (a login is not retry-safe: resent only after 429 or a refused connection).
    fn fetch_token<'a>(
        &'a self,
        ctx: LoginContext<'a>,
        login_id: &'a str,
        password: &'a Secret,
    ) -> TokenFuture<'a>;
}

/// What a [`TokenService`] may use while logging in: the client's base URL and a way to send
/// the login request with the client's transport, rate limiter and retry policy (but
/// without the API token, which is what the login obtains).
#[derive(Clone, Copy)]
pub struct LoginContext<'a> {
    pub(crate) client: &'a ApiClient,
}

impl fmt::Debug for LoginContext<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("LoginContext")
            .field("base_url", &self.client.base_url())
            .finish()
    }
}

impl<'a> LoginContext<'a> {
    /// The client's base URL, without trailing slash.
    pub fn base_url(&self) -> &'a str {
        self.client.base_url()
    }

    /// The client's HTTP client (for services that need something [`post`](Self::post)
    /// cannot express; such requests bypass the rate limiter).
    pub fn http_client(&self) -> &'a reqwest::Client {
        self.client.http_client()
    }

    /// POSTs `body` with `content_type` to `url_or_path` (an absolute URL, or a path joined
    /// to the base URL) and returns the status and body, whatever the status. Transport
    /// failures and timeouts are returned as [`Error::Transport`] / [`Error::Timeout`].
    pub async fn post(
        &self,
        url_or_path: &str,
        content_type: &str,
        body: impl Into<Bytes>,
    ) -> Result<(u16, Bytes), Error> {
        let url = if url_or_path.starts_with("http://") || url_or_path.starts_with("https://") {
            url_or_path.to_owned()
        } else {
            self.client.join_url(url_or_path)
        };
        let mut headers = HeaderMap::new();
        headers.insert(
            CONTENT_TYPE,
            HeaderValue::from_str(content_type).map_err(|_| {
                Error::invalid_request(format!("invalid content type {content_type:?}"))
            })?,
        );
        let prepared = Prepared {
            operation: "login",
            method: reqwest::Method::POST,
            url,
            headers,
            body: Some(body.into()),
            body_fn: None,
            retry_safe: false,
            uses_token: false,
            soap: false,
            secret_query: Vec::new(),
        };
        let mut stats = CallStats::default();
        let resp = self
            .client
            .send_attempts(&prepared, None, &mut stats)
            .await?;
        Ok((resp.status, resp.body))
    }
}

/// Credentials used for REST operations that require the API key.
#[derive(Clone, Default)]
pub enum Auth {
    /// No credentials.
    #[default]
    None,
    /// A fixed token sent with every call.
    Token(Secret),
    /// Log in lazily through `service`; the token is cached and shared by all clones of the
    /// client, and renewed once when the server answers 401.
    Login {
        /// The login id.
        login_id: String,
        /// The password.
        password: Secret,
        /// How to exchange the credentials for a token.
        service: Arc<dyn TokenService>,
    },
}

impl Auth {
    /// A fixed token.
    pub fn token(jwt: impl Into<String>) -> Self {
        Auth::Token(Secret::new(jwt))
    }

    /// Log in through `service` on first use.
    pub fn login(
        login_id: impl Into<String>,
        password: impl Into<Secret>,
        service: Arc<dyn TokenService>,
    ) -> Self {
        Auth::Login {
            login_id: login_id.into(),
            password: password.into(),
            service,
        }
    }
}

impl fmt::Debug for Auth {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Auth::None => f.write_str("None"),
            Auth::Token(_) => f.write_str("Token(<redacted>)"),
            Auth::Login { login_id, .. } => f
                .debug_struct("Login")
                .field("login_id", login_id)
                .field("password", &"<redacted>")
                .finish_non_exhaustive(),
        }
    }
}
