//! The single error type returned by every runtime and generated-client call.

use std::fmt;

use crate::soap::SoapVersion;

/// Maximum number of bytes of a response body kept in an error.
pub const BODY_SNIPPET_LIMIT: usize = 2048;

/// An error message reported by the API itself (parsed by [`ApiConventions`](crate::ApiConventions)).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ApiMessage {
    /// The API's message kind, e.g. `"error"`.
    pub kind: String,
    /// Human-readable messages, in the order the API gave them.
    pub messages: Vec<String>,
    /// The URI the API says the request addressed, if it reports one.
    pub self_uri: Option<String>,
}

impl fmt::Display for ApiMessage {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.kind.is_empty() {
            f.write_str("api message")?;
        } else {
            f.write_str(&self.kind)?;
        }
        if !self.messages.is_empty() {
            write!(f, ": {}", self.messages.join("; "))?;
        }
        Ok(())
    }
}

/// A SOAP fault returned by the server.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SoapFault {
    /// The envelope version the fault arrived in.
    pub version: SoapVersion,
    /// SOAP 1.1 `faultcode` or SOAP 1.2 `Code/Value` (a QName as written, e.g. `soapenv:Server`).
    pub code: String,
    /// The namespace the code's prefix is bound to in the response (`None` when the code has
    /// no prefix or the prefix is not declared). See [`SoapFault::code_expanded`].
    pub code_namespace: Option<String>,
    /// SOAP 1.1 `faultstring` or the first SOAP 1.2 `Reason/Text`.
    pub reason: String,
    /// Raw XML content of `detail` / `Detail`, if present and non-empty.
    pub detail: Option<String>,
    /// Each element child of `detail` / `Detail`, self-contained (the namespace declarations
    /// in scope are copied onto it), in document order; what typed fault details decode from.
    pub detail_elements: Vec<String>,
}

impl SoapFault {
    /// A fault with a code and reason only (no namespace, no detail).
    pub fn new(version: SoapVersion, code: impl Into<String>, reason: impl Into<String>) -> Self {
        SoapFault {
            version,
            code: code.into(),
            code_namespace: None,
            reason: reason.into(),
            detail: None,
            detail_elements: Vec::new(),
        }
    }

    /// The code's local name: `Client` for `soapenv:Client`.
    pub fn code_local(&self) -> &str {
        self.code
            .rsplit_once(':')
            .map_or(self.code.as_str(), |(_, l)| l)
    }

    /// The code with its prefix resolved, `{namespace}local` (e.g.
    /// `{http://schemas.xmlsoap.org/soap/envelope/}Client`); the code as written when its
    /// prefix is not bound.
    pub fn code_expanded(&self) -> String {
        match &self.code_namespace {
            Some(ns) => format!("{{{ns}}}{}", self.code_local()),
            None => self.code.clone(),
        }
    }
}

impl fmt::Display for SoapFault {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "SOAP fault {}: {}", self.code, self.reason)
    }
}

/// Everything that can go wrong in a call. Neither `Display` nor `Debug` ever contains a
/// token or password.
#[derive(Debug)]
pub enum Error {
    /// The HTTP request could not be completed (connection refused, TLS, reset, ...).
    Transport {
        /// The URL that was called.
        url: String,
        /// The underlying HTTP client error.
        source: reqwest::Error,
    },
    /// The request timed out.
    Timeout {
        /// The URL that was called.
        url: String,
    },
    /// The server answered with a non-2xx status.
    Status {
        /// HTTP status code.
        status: u16,
        /// The API's own error message, if [`ApiConventions::parse_error`](crate::ApiConventions::parse_error) found one.
        message: Option<ApiMessage>,
        /// The start of the response body (at most about 2 KB).
        body: String,
    },
    /// A bulk operation failed as a whole (e.g. HTTP 422 when every item failed) and the
    /// body carries one result per item, as found by
    /// [`ApiConventions::failed_items`](crate::ApiConventions::failed_items).
    BulkFailed {
        /// HTTP status code.
        status: u16,
        /// The API's own error message, if any.
        message: Option<ApiMessage>,
        /// The per-item results (their shape is API-specific).
        items: serde_json::Value,
    },
    /// The API reported an error inside a 2xx response.
    Api {
        /// HTTP status code (2xx).
        status: u16,
        /// The API's error message.
        message: ApiMessage,
    },
    /// The SOAP server returned a fault (boxed: it is the largest variant).
    SoapFault(Box<SoapFault>),
    /// A SOAP payload reported failure in its own status fields (e.g. `Status=Failed` and `StatusMsg`).
    SoapStatus {
        /// The status value, e.g. `Failed`.
        status: String,
        /// The accompanying message.
        message: String,
    },
    /// A response body could not be decoded into the expected type.
    Decode {
        /// What was being decoded (operation or type name).
        context: String,
        /// The decoder's error message.
        source: String,
        /// The start of the offending body (at most about 2 KB).
        body_snippet: String,
    },
    /// A status the operation declares with a typed body (e.g. 429 with a `RateLimit`, or its
    /// `default` error): the decoded value, the status and the raw body.
    Declared(DeclaredError),
    /// A 2xx response had an empty body where the operation declares a value that cannot be
    /// empty (empty bodies decode as `null`, then as `{}`, before this error).
    EmptyBody {
        /// The operation.
        context: String,
        /// HTTP status code.
        status: u16,
    },
    /// Authentication failed (token rejected after re-login, login failed, ...).
    Auth {
        /// What went wrong.
        message: String,
    },
    /// The request could not be built (invalid header, unserializable body, bad URL, ...).
    InvalidRequest {
        /// What was wrong.
        message: String,
    },
}

/// A typed error body the operation declares for a status (see [`Error::Declared`]).
pub struct DeclaredError {
    /// HTTP status code.
    pub status: u16,
    /// The raw response body.
    pub body: bytes::Bytes,
    value: Box<dyn std::any::Any + Send + Sync>,
    debug: String,
}

impl DeclaredError {
    /// Wraps a decoded error body.
    pub fn new<T: std::any::Any + Send + Sync + fmt::Debug>(
        status: u16,
        body: bytes::Bytes,
        value: T,
    ) -> Self {
        let debug = format!("{value:?}");
        DeclaredError {
            status,
            body,
            value: Box::new(value),
            debug,
        }
    }

    /// The decoded body, when it is a `T` (the type the operation declares for the status).
    pub fn value<T: std::any::Any>(&self) -> Option<&T> {
        self.value.downcast_ref()
    }
}

impl fmt::Debug for DeclaredError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("DeclaredError")
            .field("status", &self.status)
            .field("value", &format_args!("{}", self.debug))
            .field("body", &body_snippet(&self.body))
            .finish()
    }
}

impl Error {
    /// The typed error body, when this is an [`Error::Declared`] holding a `T`.
    pub fn declared<T: std::any::Any>(&self) -> Option<&T> {
        match self {
            Error::Declared(d) => d.value(),
            _ => None,
        }
    }

    /// The HTTP status attached to this error, if any.
    pub fn status(&self) -> Option<u16> {
        match self {
            Error::Status { status, .. }
            | Error::EmptyBody { status, .. }
            | Error::Declared(DeclaredError { status, .. })
            | Error::Api { status, .. }
            | Error::BulkFailed { status, .. } => Some(*status),
            _ => None,
        }
    }

    /// The API message attached to this error, if any.
    pub fn api_message(&self) -> Option<&ApiMessage> {
        match self {
            Error::Status { message, .. } | Error::BulkFailed { message, .. } => message.as_ref(),
            Error::Api { message, .. } => Some(message),
            _ => None,
        }
    }

    /// The per-item results of a failed bulk operation ([`Error::BulkFailed`]).
    pub fn failed_items(&self) -> Option<&serde_json::Value> {
        match self {
            Error::BulkFailed { items, .. } => Some(items),
            _ => None,
        }
    }

    /// Builds a [`Error::Decode`] from a decoder error and the body that failed.
    pub fn decode(context: impl Into<String>, source: impl fmt::Display, body: &[u8]) -> Self {
        Error::Decode {
            context: context.into(),
            source: source.to_string(),
            body_snippet: body_snippet(body),
        }
    }

    /// Builds an [`Error::InvalidRequest`].
    pub fn invalid_request(message: impl Into<String>) -> Self {
        Error::InvalidRequest {
            message: message.into(),
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Transport { url, source } => {
                write!(f, "transport error calling {url}: {source}")
            }
            Error::Timeout { url } => write!(f, "request to {url} timed out"),
            Error::Status {
                status,
                message,
                body,
            } => match message {
                Some(m) => write!(f, "HTTP {status}: {m}"),
                None if body.is_empty() => write!(f, "HTTP {status}"),
                None => write!(f, "HTTP {status}: {body}"),
            },
            Error::BulkFailed {
                status, message, ..
            } => match message {
                Some(m) => write!(f, "HTTP {status}: every item failed: {m}"),
                None => write!(f, "HTTP {status}: every item failed"),
            },
            Error::Api { status, message } => {
                write!(f, "API error in HTTP {status} response: {message}")
            }
            Error::SoapFault(fault) => fault.fmt(f),
            Error::SoapStatus { status, message } => {
                write!(f, "SOAP payload status {status}: {message}")
            }
            Error::Decode {
                context, source, ..
            } => write!(f, "could not decode {context}: {source}"),
            Error::Auth { message } => write!(f, "authentication failed: {message}"),
            Error::Declared(d) => write!(f, "HTTP {}: {}", d.status, d.debug),
            Error::EmptyBody { context, status } => write!(
                f,
                "{context}: HTTP {status} with an empty body where a value was expected"
            ),
            Error::InvalidRequest { message } => write!(f, "invalid request: {message}"),
        }
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::Transport { source, .. } => Some(source),
            _ => None,
        }
    }
}

/// Returns the start of `body` as (lossy) UTF-8, cut to about [`BODY_SNIPPET_LIMIT`] bytes
/// on a character boundary.
pub fn body_snippet(body: &[u8]) -> String {
    let text = String::from_utf8_lossy(body);
    if text.len() <= BODY_SNIPPET_LIMIT {
        return text.into_owned();
    }
    let mut end = BODY_SNIPPET_LIMIT;
    while end > 0 && !text.is_char_boundary(end) {
        end -= 1;
    }
    let mut out = text[..end].to_owned();
    out.push_str("...");
    out
}
