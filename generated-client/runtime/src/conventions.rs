//! Hooks through which a generated client tells the runtime how its API reports errors.

use crate::error::{ApiMessage, SoapFault};

/// API-specific error conventions, supplied by the generated client.
///
/// Every method has a default that recognises nothing, so a plain `struct X; impl
/// ApiConventions for X {}` is valid.
pub trait ApiConventions: Send + Sync + 'static {
    /// Extracts the API's error message from a non-2xx response body, if it has one.
    fn parse_error(&self, status: u16, body: &[u8]) -> Option<ApiMessage> {
        let _ = (status, body);
        None
    }

    /// The per-item results of a bulk operation that failed as a whole (e.g. HTTP 422), if
    /// `body` carries them; `Some` turns the non-2xx response into
    /// [`Error::BulkFailed`](crate::Error::BulkFailed) instead of
    /// [`Error::Status`](crate::Error::Status).
    fn failed_items(&self, status: u16, body: &[u8]) -> Option<serde_json::Value> {
        let _ = (status, body);
        None
    }

    /// Detects an API error reported inside a 2xx response body (returned as
    /// [`Error::Api`](crate::Error::Api)).
    fn error_in_success(&self, body: &[u8]) -> Option<ApiMessage> {
        let _ = body;
        None
    }

    /// Detects an error reported inside a successful SOAP payload (e.g. a
    /// `Status=Failed` / `StatusMsg` pair); `payload` is the first child of the SOAP Body.
    /// `Some((status, message))` becomes [`Error::SoapStatus`](crate::Error::SoapStatus).
    fn soap_error_in_success(&self, payload: &str) -> Option<(String, String)> {
        let _ = payload;
        None
    }

    /// Whether a SOAP fault (in a non-2xx response) says the account is over its rate limit,
    /// so the server did not process the request. `true` handles it like HTTP 429: every
    /// clone of the client backs off (for `Retry-After` if the response has one, else the
    /// retry back-off) and the call is resent once, even when it is not retry-safe.
    fn is_rate_limit_fault(&self, fault: &SoapFault) -> bool {
        let _ = fault;
        false
    }
}

/// Conventions that recognise no API-specific errors (the builder's default).
#[derive(Debug, Clone, Copy, Default)]
pub struct NoConventions;

impl ApiConventions for NoConventions {}
