//! The login token shared by all clones of a client: fetched once, dropped on rejection.

use tokio::sync::Mutex;

use crate::auth::{Auth, LoginContext};
use crate::client::ApiClient;
use crate::error::Error;
use crate::secret::Secret;

/// Holds the token obtained through [`Auth::Login`].
#[derive(Debug, Default)]
pub(crate) struct TokenCache {
    slot: Mutex<Option<Secret>>,
}

impl TokenCache {
    /// The token to send, logging in first if needed. Concurrent callers wait for a single
    /// login. Errors from the token service are returned unchanged.
    pub(crate) async fn get(
        &self,
        auth: &Auth,
        client: &ApiClient,
    ) -> Result<Option<Secret>, Error> {
        match auth {
            Auth::None => Ok(None),
            Auth::Token(token) => Ok(Some(token.clone())),
            Auth::Login {
                login_id,
                password,
                service,
            } => {
                let mut slot = self.slot.lock().await;
                if let Some(token) = slot.as_ref() {
                    return Ok(Some(token.clone()));
                }
                tracing::debug!("logging in to obtain an API token");
                let token = service
                    .fetch_token(LoginContext { client }, login_id, password)
                    .await?;
                *slot = Some(token.clone());
                Ok(Some(token))
            }
        }
    }

    /// Forgets `stale` if it is still the cached token (so concurrent 401s log in once).
    pub(crate) async fn invalidate(&self, stale: &Secret) {
        let mut slot = self.slot.lock().await;
        if slot.as_ref() == Some(stale) {
            *slot = None;
        }
    }
}
