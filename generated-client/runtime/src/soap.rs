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
use crate::swa::MimePart;
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
    /// What the binding's WS-Policy requires of every request.
    pub policy: SoapPolicy,
}

/// The WS-Security requirements of a binding's WS-Policy, applied to every request.
#[cfg(feature = "soap")]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct SoapPolicy {
    /// A UsernameToken is required: a call on a client without one is
    /// [`Error::InvalidRequest`], before anything is sent.
    pub username_token: bool,
    /// `IncludeTimestamp`: the Security header carries a `wsu:Timestamp` (valid for
    /// [`POLICY_TIMESTAMP_TTL`] unless the token sets its own).
    pub timestamp: bool,
}

#[cfg(feature = "soap")]
impl SoapPolicy {
    /// No requirements.
    pub const NONE: SoapPolicy = SoapPolicy {
        username_token: false,
        timestamp: false,
    };
}

/// How long the `wsu:Timestamp` a policy's `IncludeTimestamp` adds is valid.
#[cfg(feature = "soap")]
pub const POLICY_TIMESTAMP_TTL: std::time::Duration = std::time::Duration::from_secs(300);

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
        op: &SoapOperationInfo,
        version: SoapVersion,
        body_element: String,
    ) -> Result<String, Error> {
        let request = SoapRequest {
            body: body_element,
            ..SoapRequest::default()
        };
        self.soap_exchange(op, version, request)
            .await
            .map(|r| r.body)
    }

    /// The general form of [`soap_call`](Self::soap_call): `request.header` (the operation's
    /// `soap:header` elements, complete) goes into the SOAP Header before WS-Addressing and
    /// WS-Security; with `request.addressing` the Header also carries WS-Addressing 1.0
    /// `wsa:Action` (the operation's action), `wsa:MessageID` (a fresh `urn:uuid:` per call; a
    /// resend of the same call keeps it) and `wsa:To` (the endpoint URL posted to). The reply
    /// keeps the response Header's elements, self-contained, and, for a `multipart/related`
    /// reply (SOAP with Attachments), the envelope is its root part and the other MIME parts
    /// are [`SoapReply::attachments`].
    pub async fn soap_exchange(
        &self,
        op: &SoapOperationInfo,
        version: SoapVersion,
        request: SoapRequest,
    ) -> Result<SoapReply, Error> {
        let (body, envelope, attachments) = self.soap_call_with(op, version, request).await?;
        let children = crate::xml_read::XmlNode::parse(&envelope)
            .map(|env| env.children)
            .unwrap_or_default();
        let elements_of = |local: &str| -> Vec<String> {
            children
                .iter()
                .find(|c| c.local == local)
                .map(|c| c.children.iter().map(|c| c.to_xml()).collect())
                .unwrap_or_default()
        };
        Ok(SoapReply {
            body,
            body_parts: elements_of("Body"),
            headers: elements_of("Header"),
            attachments,
        })
    }

    async fn soap_call_with(
        &self,
        op: &SoapOperationInfo,
        version: SoapVersion,
        request: SoapRequest,
    ) -> Result<(String, String, Vec<MimePart>), Error> {
        let SoapRequest {
            header: own_header,
            body: body_element,
            addressing,
        } = request;
        let url = resolve_endpoint(
            &self.inner.base_url,
            self.inner.soap_endpoint.as_deref(),
            op.address,
        );
        let wsa = match addressing {
            true => own_header + &addressing_headers(op.action, &url),
            false => own_header,
        };
        // With a UsernameToken, every attempt (retry or resend) gets a fresh nonce and
        // Created; without one the envelope is built once.
        let token = match self.inner.username_token.clone() {
            None if op.policy.username_token => {
                return Err(Error::invalid_request(format!(
                    "{}: the binding's WS-Policy requires a WS-Security UsernameToken and the client has none (configure ClientBuilder::username_token); nothing was sent",
                    op.name
                )))
            }
            Some(token) if op.policy.timestamp && token.timestamp_ttl.is_none() => {
                Some(token.with_timestamp(POLICY_TIMESTAMP_TTL))
            }
            token => token,
        };
        let (envelope, body_fn) = match token {
            Some(token) => {
                let body_element = Arc::new(body_element);
                let clock = self.inner.clock.clone();
                let rebuild = move || {
                    let header = wsa.clone() + &token.header_xml_at(version, clock.wall_time());
                    Bytes::from(build_envelope(version, Some(&header), &body_element))
                };
                (None, Some(BodyFn(Arc::new(rebuild))))
            }
            None => {
                let header = Some(wsa.as_str()).filter(|h| !h.is_empty());
                (
                    Some(Bytes::from(build_envelope(version, header, &body_element))),
                    None,
                )
            }
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
            soap: true,
            secret_query: Vec::new(),
        };
        let resp = self.execute(&prepared).await?;
        let decode_error = |e: String, body: &[u8]| Error::Decode {
            context: format!("SOAP response of {}", op.name),
            source: e,
            body_snippet: body_snippet(body),
        };
        let content_type = resp
            .headers
            .get(CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default();
        let (envelope, attachments) = match crate::swa::is_related(content_type) {
            true => {
                let related = crate::swa::split(content_type, &resp.body)
                    .map_err(|e| decode_error(e, &resp.body))?;
                (related.root.content, related.parts)
            }
            false => (resp.body.to_vec(), Vec::new()),
        };
        let envelope = String::from_utf8(envelope).map_err(|e| e.to_string());
        let parsed = envelope
            .as_deref()
            .map_err(Clone::clone)
            .and_then(parse_response);
        let envelope = envelope.unwrap_or_default();
        match parsed {
            Ok(SoapResponse::Fault(fault)) => Err(Error::SoapFault(Box::new(fault))),
            Ok(_) | Err(_) if !resp.is_success() => Err(self.status_error(resp.status, &resp.body)),
            Ok(SoapResponse::Payload(payload)) => {
                match self.inner.conventions.soap_error_in_success(&payload) {
                    Some((status, message)) => Err(Error::SoapStatus { status, message }),
                    None => Ok((payload, envelope, attachments)),
                }
            }
            Ok(SoapResponse::Empty) => Ok((String::new(), envelope, attachments)),
            Err(e) => Err(decode_error(e, &resp.body)),
        }
    }
}

/// What [`ApiClient::soap_exchange`] sends.
#[cfg(feature = "soap")]
#[derive(Debug, Clone, Default)]
pub struct SoapRequest {
    /// The operation's request header elements (complete XML), or empty.
    pub header: String,
    /// The Body's element(s).
    pub body: String,
    /// Add the WS-Addressing 1.0 headers (see [`ApiClient::soap_exchange`]).
    pub addressing: bool,
}

/// What [`ApiClient::soap_exchange`] returns.
#[cfg(feature = "soap")]
#[derive(Debug, Clone, Default)]
pub struct SoapReply {
    /// The first Body element, self-contained (as [`ApiClient::soap_call`] returns it).
    pub body: String,
    /// Every Body element, self-contained, in document order: the parts of a multi-part
    /// document/literal message (see [`decode_parts`]).
    pub body_parts: Vec<String>,
    /// Each element of the response Header, self-contained, in document order.
    pub headers: Vec<String>,
    /// The MIME parts besides the envelope of a `multipart/related` reply (empty for a plain
    /// one); see [`crate::swa::attachment`].
    pub attachments: Vec<MimePart>,
}

/// The response header element `{ns}local` decoded as `T`; `None` when the reply has none.
#[cfg(feature = "soap")]
pub fn decode_header<T: crate::xml_read::FromXml>(
    op: &SoapOperationInfo,
    headers: &[String],
    ns: &str,
    local: &str,
) -> Result<Option<T>, Error> {
    for raw in headers {
        let node = crate::xml_read::XmlNode::parse(raw)
            .map_err(|e| Error::decode(format!("SOAP header of {}", op.name), e, raw.as_bytes()))?;
        if node.ns == ns && node.local == local {
            return T::from_xml(&node).map(Some).map_err(|e| {
                Error::decode(
                    format!("SOAP header {{{ns}}}{local} of {}", op.name),
                    e,
                    raw.as_bytes(),
                )
            });
        }
    }
    Ok(None)
}

/// Namespace of WS-Addressing 1.0.
pub const WSA_NS: &str = "http://www.w3.org/2005/08/addressing";

/// The WS-Addressing 1.0 request headers: Action, a fresh MessageID, To.
#[cfg(feature = "soap")]
fn addressing_headers(action: &str, to: &str) -> String {
    use rand::Rng;
    let b: [u8; 16] = rand::thread_rng().gen();
    let hex: String = b.iter().map(|x| format!("{x:02x}")).collect();
    // A version 4 (random) UUID: version nibble 4, variant bits 10.
    let id = format!(
        "urn:uuid:{}-{}-4{}-{:x}{}-{}",
        &hex[0..8],
        &hex[8..12],
        &hex[13..16],
        8 | (b[8] & 0x3),
        &hex[17..20],
        &hex[20..32]
    );
    let el = |local: &str, text: &str| {
        format!(
            "<wsa:{local} xmlns:wsa=\"{WSA_NS}\">{}</wsa:{local}>",
            crate::xml::escape_text(text)
        )
    };
    el("Action", action) + &el("MessageID", &id) + &el("To", to)
}

#[cfg(feature = "soap")]
impl crate::error::SoapFault {
    /// The detail entry named `{ns}local` decoded as `T`: `None` when the detail holds no such
    /// element (generated clients then keep the fault as it is), `Some(Err)` when it does not
    /// decode.
    pub fn detail_as<T: crate::xml_read::FromXml>(
        &self,
        ns: &str,
        local: &str,
    ) -> Option<Result<T, crate::xml_read::XmlError>> {
        self.detail_elements.iter().find_map(|raw| {
            let node = match crate::xml_read::XmlNode::parse(raw) {
                Ok(node) => node,
                Err(e) => return Some(Err(e)),
            };
            (node.ns == ns && node.local == local).then(|| T::from_xml(&node))
        })
    }
}

/// Decodes the response element [`ApiClient::soap_call`] returned into the operation's
/// declared output type; an empty Body or an element that does not decode is
/// [`Error::Decode`] naming the operation.
#[cfg(feature = "soap")]
pub fn decode_response<T: crate::xml_read::FromXml>(
    op: &SoapOperationInfo,
    payload: &str,
) -> Result<T, Error> {
    let context = || format!("SOAP response of {}", op.name);
    if payload.is_empty() {
        return Err(Error::decode(
            context(),
            "the SOAP Body is empty, the operation declares a response element",
            b"",
        ));
    }
    crate::xml_read::XmlNode::parse(payload)
        .and_then(|node| T::from_xml(&node))
        .map_err(|e| Error::decode(context(), e, payload.as_bytes()))
}

/// Decodes a response whose Body holds several elements (the parts of a multi-part
/// document/literal message) into `T`, whose fields are read from them as if they were one
/// element's children; [`Error::Decode`] naming the operation when they do not decode.
#[cfg(feature = "soap")]
pub fn decode_parts<T: crate::xml_read::FromXml>(
    op: &SoapOperationInfo,
    parts: &[String],
) -> Result<T, Error> {
    let xml = format!("<parts>{}</parts>", parts.concat());
    crate::xml_read::XmlNode::parse(&xml)
        .and_then(|node| T::from_xml(&node))
        .map_err(|e| {
            Error::decode(
                format!("SOAP response parts of {}", op.name),
                e,
                xml.as_bytes(),
            )
        })
}

/// Decodes a declared fault's detail into `T` for a generated error type: `Ok(Some)` when
/// the detail holds `{ns}local`, `Ok(None)` when it does not (the caller keeps the generic
/// fault), [`Error::Decode`] naming the operation when the entry does not decode.
#[cfg(feature = "soap")]
pub fn decode_fault_detail<T: crate::xml_read::FromXml>(
    op: &SoapOperationInfo,
    fault: &crate::error::SoapFault,
    ns: &str,
    local: &str,
) -> Result<Option<T>, Error> {
    match fault.detail_as::<T>(ns, local) {
        None => Ok(None),
        Some(Ok(value)) => Ok(Some(value)),
        Some(Err(e)) => Err(Error::decode(
            format!("detail {{{ns}}}{local} of a SOAP fault of {}", op.name),
            e,
            fault.detail.as_deref().unwrap_or_default().as_bytes(),
        )),
    }
}
