//! REST operations: operation metadata, the [`RestRequest`] builder, path-segment encoding.

use bytes::Bytes;
use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};
use reqwest::header::{HeaderMap, HeaderName, HeaderValue, ACCEPT, CONTENT_TYPE};
use serde::de::DeserializeOwned;
use serde::Serialize;

use crate::client::ApiClient;
use crate::error::{body_snippet, Error};
use crate::transport::Prepared;

/// HTTP method of an operation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum HttpMethod {
    /// GET
    Get,
    /// POST
    Post,
    /// PUT
    Put,
    /// DELETE
    Delete,
    /// PATCH
    Patch,
    /// HEAD
    Head,
    /// OPTIONS
    Options,
}

impl HttpMethod {
    /// The method as `reqwest` spells it.
    pub fn as_reqwest(self) -> reqwest::Method {
        match self {
            HttpMethod::Get => reqwest::Method::GET,
            HttpMethod::Post => reqwest::Method::POST,
            HttpMethod::Put => reqwest::Method::PUT,
            HttpMethod::Delete => reqwest::Method::DELETE,
            HttpMethod::Patch => reqwest::Method::PATCH,
            HttpMethod::Head => reqwest::Method::HEAD,
            HttpMethod::Options => reqwest::Method::OPTIONS,
        }
    }
}

/// Static description of one REST operation, emitted by the code generator.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OperationInfo {
    /// The spec's `operationId`.
    pub operation_id: &'static str,
    /// HTTP method.
    pub method: HttpMethod,
    /// Path template as written in the spec, e.g. `/boards/{boardId}/cards`.
    pub path_template: &'static str,
    /// The operation may be retried automatically (idempotent).
    pub retry_safe: bool,
    /// The operation needs the API token header.
    pub uses_api_key: bool,
}

/// Characters kept raw in a path segment: RFC 3986 unreserved plus the pchar sub-delims.
const PATH_SEGMENT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~')
    .remove(b':')
    .remove(b'@')
    .remove(b'!')
    .remove(b'$')
    .remove(b'&')
    .remove(b'\'')
    .remove(b'(')
    .remove(b')')
    .remove(b'*')
    .remove(b'+')
    .remove(b',')
    .remove(b';')
    .remove(b'=');

/// Characters kept raw in a query name or value: RFC 3986 unreserved only.
const QUERY_COMPONENT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// Percent-encodes one path segment (keeps unreserved characters and `:@!$&'()*+,;=`).
pub fn encode_path_segment(value: &str) -> String {
    utf8_percent_encode(value, PATH_SEGMENT).to_string()
}

/// Percent-encodes a query name or value (keeps only unreserved characters).
pub fn encode_query_component(value: &str) -> String {
    utf8_percent_encode(value, QUERY_COMPONENT).to_string()
}

/// Appends `name=value` (both already percent-encoded) to a query string.
fn push_query_pair(query: &mut String, name: &str, value: &str) {
    if !query.is_empty() {
        query.push('&');
    }
    query.push_str(name);
    query.push('=');
    query.push_str(value);
}

/// One REST call being built; consumed by [`RestRequest::send`] or [`RestRequest::send_bytes`].
#[derive(Debug)]
pub struct RestRequest {
    client: ApiClient,
    op: OperationInfo,
    path: String,
    query: String,
    /// Query parameters that carry secrets, kept apart so `Debug` and logs never show them.
    secret_query: Vec<(String, crate::Secret)>,
    headers: HeaderMap,
    body: Option<Bytes>,
    /// First problem met while building; reported by `send`.
    error: Option<Error>,
}

impl RestRequest {
    pub(crate) fn new(client: ApiClient, op: OperationInfo, path: String) -> Self {
        RestRequest {
            client,
            op,
            path,
            query: String::new(),
            secret_query: Vec::new(),
            headers: HeaderMap::new(),
            body: None,
            error: None,
        }
    }

    /// The operation this request is for (for [`ApiClient::raw`]: `operation_id` `"raw"`).
    pub fn operation(&self) -> &OperationInfo {
        &self.op
    }

    /// Whether the request may be retried automatically (see [`RetryPolicy`](crate::RetryPolicy)).
    /// Generated operations take it from the model; [`ApiClient::raw`] defaults to true for
    /// GET, HEAD and OPTIONS.
    pub fn set_retry_safe(&mut self, retry_safe: bool) {
        self.op.retry_safe = retry_safe;
    }

    /// Whether the API token is attached (default for [`ApiClient::raw`]: yes).
    pub fn set_uses_token(&mut self, uses_token: bool) {
        self.op.uses_api_key = uses_token;
    }

    /// Sets a raw body with the given content type (e.g. `application/octet-stream`).
    pub fn bytes_body(&mut self, content_type: &str, body: impl Into<Bytes>) {
        match HeaderValue::from_str(content_type) {
            Ok(v) => {
                self.headers.insert(CONTENT_TYPE, v);
            }
            Err(_) => self.fail(Error::invalid_request(format!(
                "invalid content type {content_type:?}"
            ))),
        }
        self.body = Some(body.into());
    }

    /// Sets a `multipart/form-data` body (`Content-Type` with its boundary); an error met
    /// while building the form makes `send` fail with it.
    pub fn multipart_body(&mut self, form: crate::multipart::Form) {
        match form.finish() {
            Ok((content_type, body)) => self.bytes_body(&content_type, body),
            Err(e) => self.fail(e),
        }
    }

    fn fail(&mut self, error: Error) {
        if self.error.is_none() {
            self.error = Some(error);
        }
    }

    /// Adds one query parameter; call once per value for arrays (`id=a&id=b`).
    pub fn query(&mut self, name: &str, value: impl std::fmt::Display) {
        push_query_pair(
            &mut self.query,
            &encode_query_component(name),
            &encode_query_component(&value.to_string()),
        );
    }

    /// Adds a query parameter that carries a secret (an API key): sent like any other, but
    /// redacted in `Debug`, logs and errors.
    pub fn secret_query(&mut self, name: &str, value: &crate::Secret) {
        self.secret_query
            .push((encode_query_component(name), value.clone()));
    }

    /// Adds a header that carries a secret (a key, token or cookie): marked sensitive, so it
    /// prints as `Sensitive` and is not forwarded on a redirect to another origin.
    pub fn secret_header(&mut self, name: &str, value: impl std::fmt::Display) {
        self.add_header(name, value, true);
    }

    /// Adds a header (repeated names are sent repeatedly). Invalid names or values make
    /// `send` fail with [`Error::InvalidRequest`].
    pub fn header(&mut self, name: &str, value: impl std::fmt::Display) {
        self.add_header(name, value, false);
    }

    fn add_header(&mut self, name: &str, value: impl std::fmt::Display, sensitive: bool) {
        let name = match HeaderName::from_bytes(name.as_bytes()) {
            Ok(n) => n,
            Err(_) => {
                return self.fail(Error::invalid_request(format!(
                    "invalid header name {name:?}"
                )))
            }
        };
        match HeaderValue::from_str(&value.to_string()) {
            Ok(mut v) => {
                v.set_sensitive(sensitive);
                self.headers.append(name, v);
            }
            Err(_) => self.fail(Error::invalid_request(format!(
                "invalid value for header {name}"
            ))),
        }
    }

    /// Sets a JSON body (`Content-Type: application/json`).
    pub fn json_body<T: Serialize + ?Sized>(&mut self, body: &T) -> Result<(), Error> {
        let bytes = serde_json::to_vec(body).map_err(|e| {
            Error::invalid_request(format!(
                "cannot serialize body of {}: {e}",
                self.op.operation_id
            ))
        })?;
        self.headers
            .insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
        self.body = Some(Bytes::from(bytes));
        Ok(())
    }

    /// Sets an `application/x-www-form-urlencoded` body from an object (see
    /// [`form_pairs`](crate::openapi::form_pairs)).
    pub fn form_body<T: Serialize + ?Sized>(&mut self, body: &T) -> Result<(), Error> {
        let text = crate::openapi::form_pairs(body)
            .iter()
            .map(|(k, v)| {
                format!(
                    "{}={}",
                    encode_query_component(k),
                    encode_query_component(v)
                )
            })
            .collect::<Vec<_>>()
            .join("&");
        self.headers.insert(
            CONTENT_TYPE,
            HeaderValue::from_static("application/x-www-form-urlencoded"),
        );
        self.body = Some(Bytes::from(text));
        Ok(())
    }

    /// Sets a text body with the given content type (e.g. `text/plain`).
    pub fn text_body(&mut self, content_type: &'static str, text: String) {
        match HeaderValue::from_str(content_type) {
            Ok(v) => {
                self.headers.insert(CONTENT_TYPE, v);
            }
            Err(_) => self.fail(Error::invalid_request(format!(
                "invalid content type {content_type:?}"
            ))),
        }
        self.body = Some(Bytes::from(text));
    }

    fn into_prepared(self) -> Result<(ApiClient, Prepared), Error> {
        if let Some(e) = self.error {
            return Err(e);
        }
        let mut url = self.client.join_url(&self.path);
        let mut query = self.query;
        for (name, value) in &self.secret_query {
            push_query_pair(&mut query, name, &encode_query_component(value.expose()));
        }
        if !query.is_empty() {
            url.push(if url.contains('?') { '&' } else { '?' });
            url.push_str(&query);
        }
        let prepared = Prepared {
            operation: self.op.operation_id,
            method: self.op.method.as_reqwest(),
            url,
            headers: self.headers,
            body: self.body,
            body_fn: None,
            retry_safe: self.op.retry_safe,
            uses_token: self.op.uses_api_key,
            soap: false,
            secret_query: self
                .secret_query
                .into_iter()
                .map(|(name, _)| name)
                .collect(),
        };
        Ok((self.client, prepared))
    }

    /// Sends the request. 2xx: asks the conventions for an error hidden in the body
    /// ([`Error::Api`]), then decodes the JSON body as `T` (an empty body decodes as `null`,
    /// so `T = ()` and `Option<_>` work). Non-2xx: [`Error::Status`].
    pub async fn send<T: DeserializeOwned>(mut self) -> Result<T, Error> {
        if !self.headers.contains_key(ACCEPT) {
            self.headers
                .insert(ACCEPT, HeaderValue::from_static("application/json"));
        }
        let op_id = self.op.operation_id;
        let (client, prepared) = self.into_prepared()?;
        let resp = client.execute(&prepared).await?;
        let conventions = client.conventions();
        if !resp.is_success() {
            return Err(client.status_error(resp.status, &resp.body));
        }
        if let Some(message) = conventions.error_in_success(&resp.body) {
            return Err(Error::Api {
                status: resp.status,
                message,
            });
        }
        let trimmed = resp.body.iter().all(|b| b.is_ascii_whitespace());
        // The empty-body rule: `null` (unit, Option), then `{}` (maps, all-optional objects),
        // else an EmptyBody error carrying the status (never a JSON syntax error).
        if trimmed {
            return serde_json::from_slice::<T>(b"null")
                .or_else(|_| serde_json::from_slice::<T>(b"{}"))
                .map_err(|_| Error::EmptyBody {
                    context: op_id.to_owned(),
                    status: resp.status,
                });
        }
        let decoded = serde_json::from_slice::<T>(&resp.body);
        decoded.map_err(|e| Error::Decode {
            context: op_id.to_owned(),
            source: e.to_string(),
            body_snippet: body_snippet(&resp.body),
        })
    }

    /// Sets the `Accept` header (the media type of the declared response).
    pub fn accept(&mut self, media_type: &str) {
        match HeaderValue::from_str(media_type) {
            Ok(v) => {
                self.headers.insert(ACCEPT, v);
            }
            Err(_) => self.fail(Error::invalid_request(format!(
                "invalid media type {media_type:?}"
            ))),
        }
    }

    /// Sends the request and returns the body of a 2xx response as text (lossy UTF-8).
    /// Non-2xx: [`Error::Status`].
    pub async fn send_text(self) -> Result<String, Error> {
        let (_, body) = self.send_bytes().await?;
        Ok(String::from_utf8_lossy(&body).into_owned())
    }

    /// Sends the request and returns the status and raw body, for generated code that decodes
    /// per status. The API conventions still come first: an error they find in a 2xx body
    /// ([`Error::Api`]) or in an error body ([`Error::BulkFailed`], or [`Error::Status`] with
    /// the API's message) is returned as such; any other status is left to the caller.
    pub async fn send_any(mut self) -> Result<(u16, Bytes), Error> {
        if !self.headers.contains_key(ACCEPT) {
            self.headers
                .insert(ACCEPT, HeaderValue::from_static("application/json"));
        }
        let (client, prepared) = self.into_prepared()?;
        let resp = client.execute(&prepared).await?;
        let conventions = client.conventions();
        if resp.is_success() {
            if let Some(message) = conventions.error_in_success(&resp.body) {
                return Err(Error::Api {
                    status: resp.status,
                    message,
                });
            }
        } else if conventions.failed_items(resp.status, &resp.body).is_some()
            || conventions.parse_error(resp.status, &resp.body).is_some()
        {
            return Err(client.status_error(resp.status, &resp.body));
        }
        Ok((resp.status, resp.body))
    }

    /// Sends the request and returns the raw body of a 2xx response with its status
    /// (no JSON decoding, no `error_in_success` check). Non-2xx: [`Error::Status`].
    pub async fn send_bytes(self) -> Result<(u16, Bytes), Error> {
        let (client, prepared) = self.into_prepared()?;
        let resp = client.execute(&prepared).await?;
        if !resp.is_success() {
            return Err(client.status_error(resp.status, &resp.body));
        }
        Ok((resp.status, resp.body))
    }
}

/// Decodes a JSON response body with the empty-body rule of [`RestRequest::send`].
pub fn decode_json<T: DeserializeOwned>(
    operation: &str,
    status: u16,
    body: &[u8],
) -> Result<T, Error> {
    if body.iter().all(|b| b.is_ascii_whitespace()) {
        return serde_json::from_slice::<T>(b"null")
            .or_else(|_| serde_json::from_slice::<T>(b"{}"))
            .map_err(|_| Error::EmptyBody {
                context: operation.to_owned(),
                status,
            });
    }
    serde_json::from_slice::<T>(body).map_err(|e| Error::Decode {
        context: operation.to_owned(),
        source: e.to_string(),
        body_snippet: body_snippet(body),
    })
}

/// The error for a status the operation declares with a typed body: [`Error::Declared`] when
/// the body decodes as `T`, else [`Error::Status`] with the raw body.
pub fn declared_error<T>(status: u16, body: Bytes) -> Error
where
    T: DeserializeOwned + std::any::Any + Send + Sync + std::fmt::Debug,
{
    match serde_json::from_slice::<T>(&body) {
        Ok(value) => Error::Declared(crate::error::DeclaredError::new(status, body, value)),
        Err(_) => status_error(status, &body),
    }
}

/// [`Error::Status`] for a status the operation does not declare a body for.
pub fn status_error(status: u16, body: &[u8]) -> Error {
    Error::Status {
        status,
        message: None,
        body: body_snippet(body),
    }
}
