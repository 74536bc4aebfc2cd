//! How a client authenticates: none, a fixed token, or a lazy login through a [`TokenService`].

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

use crate::error::Error;
use crate::secret::Secret;

pub use crate::wsse::{password_digest, PasswordType, UsernameToken};

/// The future returned by [`TokenService::fetch_token`].
pub type TokenFuture<'a> = Pin<Box<dyn Future<Output = Result<Secret, Error>> + Send + 'a>>;

/// Obtains an API token from a login id and password (supplied by the generated client).
pub trait TokenService: Send + Sync + 'static {
    /// Logs in and returns the token. `http` is the client's HTTP client and `base_url`
    /// its base URL (without trailing slash).
    fn fetch_token<'a>(
        &'a self,
        http: &'a reqwest::Client,
        base_url: &'a str,
        login_id: &'a str,
        password: &'a Secret,
    ) -> TokenFuture<'a>;
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
