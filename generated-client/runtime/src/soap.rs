//! SOAP calls: versions, operation metadata, and [`ApiClient::soap_call`].

#[cfg(feature = "soap")]
use std::sync::Arc;

#[cfg(feature = "soap")]
use bytes::Bytes;
#[cfg(feature = "soap")]
use reqwest::header::{HeaderMap, HeaderName, HeaderValue, ACCEPT, CONTENT_TYPE};

#[cfg(feature = "soap")]
use crate::client::ApiClient;
#[cfg(feature = "soap")]
use crate::error::{body_snippet, Error};
#[cfg(feature = "soap")]
use crate::soap_envelope::{build_envelope, resolve_endpoint};
#[cfg(feature = "soap")]
use crate::soap_response::{parse_response, SoapResponse};
#[cfg(feature = "soap")]
use crate::transport::{BodyFn, Prepared};

/// Namespace of the SOAP 1.1 envelope.
pub const SOAP11_NS: &str = "http://schemas.xmlsoap.org/soap/envelope/";
/// Namespace of the SOAP 1.2 envelope.
pub const SOAP12_NS: &str = "http://www.w3.org/2003/05/soap-envelope";

/// SOAP protocol version.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum SoapVersion {
    /// SOAP 1.1 (`text/xml` + `SOAPAction` header).
    #[default]
    V11,
    /// SOAP 1.2 (`application/soap+xml; action=...`).
    V12,
}

impl SoapVersion {
    /// The envelope namespace.
    pub fn namespace(self) -> &'static str {
        match self {
            SoapVersion::V11 => SOAP11_NS,
            SoapVersion::V12 => SOAP12_NS,
        }
    }

    /// The envelope prefix the runtime writes (`soapenv` for 1.1, `soap` for 1.2).
    pub fn prefix(self) -> &'static str {
        match self {
            SoapVersion::V11 => "soapenv",
            SoapVersion::V12 => "soap",
        }
    }

    /// The request `Content-Type` for an operation with `action`.
    pub fn content_type(self, action: &str) -> String {
        match self {
            SoapVersion::V11 => "text/xml; charset=UTF-8".to_owned(),
            SoapVersion::V12 if action.is_empty() => {
                "application/soap+xml; charset=UTF-8".to_owned()
            }
            SoapVersion::V12 => {
                format!("application/soap+xml; charset=UTF-8; action=\"{action}\"")
            }
        }
    }
}

/// Static description of one SOAP operation, emitted by the code generator.
#[cfg(feature = "soap")]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SoapOperationInfo {
    /// WSDL operation name.
    pub name: &'static str,
    /// `soapAction` (may be empty).
    pub action: &'static str,
    /// Endpoint URL from the WSDL port (only its path is used by default).
    pub address: &'static str,
    /// The operation may be retried automatically (idempotent).
    pub retry_safe: bool,
}

#[cfg(feature = "soap")]
impl ApiClient {
    /// Sends `body_element` (a complete element with its own namespace declarations) in a
    /// SOAP envelope of `version`, with the configured UsernameToken header if any.
    ///
    /// Returns the first child element of the response Body as self-contained XML (the
    /// namespace declarations in scope from Envelope and Body are copied onto it), or an
    /// empty string for an empty Body. A Fault (any HTTP status) is [`Error::SoapFault`];
    /// an error the conventions find in the payload is [`Error::SoapStatus`]; a non-2xx
    /// without fault is [`Error::Status`]; an unreadable 2xx body is [`Error::Decode`].
    pub async fn soap_call(
        &self,
        op: &'static SoapOperationInfo,
        version: SoapVersion,
        body_element: String,
    ) -> Result<String, Error> {
        let url = resolve_endpoint(
            &self.inner.base_url,
            self.inner.soap_endpoint.as_deref(),
            op.address,
        );
        // With a UsernameToken, every attempt (retry or resend) gets a fresh nonce and
        // Created; without one the envelope is built once.
        let (envelope, body_fn) = match self.inner.username_token.clone() {
            Some(token) => {
                let body_element = Arc::new(body_element);
                let clock = self.inner.clock.clone();
                let rebuild = move || {
                    let header = token.header_xml_at(version, clock.wall_time());
                    Bytes::from(build_envelope(version, Some(&header), &body_element))
                };
                (None, Some(BodyFn(Arc::new(rebuild))))
            }
            None => (
                Some(Bytes::from(build_envelope(version, None, &body_element))),
                None,
            ),
        };

        let mut headers = HeaderMap::new();
        let content_type = HeaderValue::from_str(&version.content_type(op.action))
            .map_err(|_| Error::invalid_request(format!("invalid SOAP action {:?}", op.action)))?;
        headers.insert(CONTENT_TYPE, content_type);
        let accept = match version {
            SoapVersion::V11 => "text/xml",
            SoapVersion::V12 => "application/soap+xml",
        };
        headers.insert(ACCEPT, HeaderValue::from_static(accept));
        if version == SoapVersion::V11 {
            let action = HeaderValue::from_str(&format!("\"{}\"", op.action)).map_err(|_| {
                Error::invalid_request(format!("invalid SOAP action {:?}", op.action))
            })?;
            headers.insert(HeaderName::from_static("soapaction"), action);
        }

        let prepared = Prepared {
            operation: op.name,
            method: reqwest::Method::POST,
            url,
            headers,
            body: envelope,
            body_fn,
            retry_safe: op.retry_safe,
            uses_token: false,
        };
        let resp = self.execute(&prepared).await?;
        let parsed = std::str::from_utf8(&resp.body)
            .map_err(|e| e.to_string())
            .and_then(parse_response);
        match parsed {
            Ok(SoapResponse::Fault(fault)) => Err(Error::SoapFault(fault)),
            Ok(_) | Err(_) if !resp.is_success() => Err(self.status_error(resp.status, &resp.body)),
            Ok(SoapResponse::Payload(payload)) => {
                match self.inner.conventions.soap_error_in_success(&payload) {
                    Some((status, message)) => Err(Error::SoapStatus { status, message }),
                    None => Ok(payload),
                }
            }
            Ok(SoapResponse::Empty) => Ok(String::new()),
            Err(e) => Err(Error::Decode {
                context: format!("SOAP response of {}", op.name),
                source: e,
                body_snippet: body_snippet(&resp.body),
            }),
        }
    }
}
