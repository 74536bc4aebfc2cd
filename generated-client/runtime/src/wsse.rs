//! WS-Security UsernameToken header (`wsse:Security`) for SOAP requests.

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, SystemTime};

use base64::Engine as _;
use sha1::{Digest as _, Sha1};

use crate::secret::Secret;
use crate::soap::SoapVersion;
use crate::timefmt::rfc3339_millis;
use crate::xml::{escape_attr, escape_text};

/// Namespace of the `wsse` prefix.
pub const WSSE_NS: &str =
    "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd";
/// Namespace of the `wsu` prefix.
pub const WSU_NS: &str =
    "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-utility-1.0.xsd";
/// `Type` of a plain-text password.
pub const PASSWORD_TEXT: &str =
    "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-username-token-profile-1.0#PasswordText";
/// `Type` of a digest password.
pub const PASSWORD_DIGEST: &str =
    "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-username-token-profile-1.0#PasswordDigest";
/// `EncodingType` of the nonce.
pub const BASE64_BINARY: &str =
    "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-soap-message-security-1.0#Base64Binary";

static NEXT_ID: AtomicU64 = AtomicU64::new(1);

/// How the password is sent in the UsernameToken.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum PasswordType {
    /// `#PasswordText`: the password as is.
    #[default]
    Text,
    /// `#PasswordDigest`: Base64(SHA-1(nonce + created + password)).
    Digest,
}

/// WS-Security UsernameToken settings. `Debug` never shows the password.
#[derive(Debug, Clone)]
pub struct UsernameToken {
    /// `wsse:Username`.
    pub username: String,
    /// The password (or token) for `wsse:Password`.
    pub password: Secret,
    /// Text or digest.
    pub password_type: PasswordType,
    /// Send `wsse:Nonce` and `wsu:Created` even with a text password (always sent for digest).
    pub include_nonce_created: bool,
    /// If set, a `wsu:Timestamp` valid for this long is added first in the header.
    pub timestamp_ttl: Option<Duration>,
    /// Whether `wsse:Security` carries `mustUnderstand`.
    pub must_understand: bool,
    /// Test hook: use this nonce instead of 16 random bytes.
    pub fixed_nonce: Option<Vec<u8>>,
    /// Test hook: use this `wsu:Created` value instead of the current time.
    pub fixed_created: Option<String>,
}

impl UsernameToken {
    /// A `#PasswordText` token with `mustUnderstand`, no nonce and no timestamp (the shape
    /// most Axis2 services document).
    pub fn text(username: impl Into<String>, password: impl Into<Secret>) -> Self {
        UsernameToken {
            username: username.into(),
            password: password.into(),
            password_type: PasswordType::Text,
            include_nonce_created: false,
            timestamp_ttl: None,
            must_understand: true,
            fixed_nonce: None,
            fixed_created: None,
        }
    }

    /// A `#PasswordDigest` token (always with nonce and created).
    pub fn digest(username: impl Into<String>, password: impl Into<Secret>) -> Self {
        UsernameToken {
            password_type: PasswordType::Digest,
            include_nonce_created: true,
            ..UsernameToken::text(username, password)
        }
    }

    /// Sets whether a nonce and created time are sent with a text password.
    pub fn with_nonce_created(mut self, include: bool) -> Self {
        self.include_nonce_created = include;
        self
    }

    /// Adds a `wsu:Timestamp` that expires after `ttl`.
    pub fn with_timestamp(mut self, ttl: Duration) -> Self {
        self.timestamp_ttl = Some(ttl);
        self
    }

    /// Sets whether `mustUnderstand` is sent on `wsse:Security`.
    pub fn with_must_understand(mut self, must_understand: bool) -> Self {
        self.must_understand = must_understand;
        self
    }

    /// Test hook: fixes the nonce bytes.
    pub fn with_fixed_nonce(mut self, nonce: impl Into<Vec<u8>>) -> Self {
        self.fixed_nonce = Some(nonce.into());
        self
    }

    /// Test hook: fixes the `wsu:Created` value.
    pub fn with_fixed_created(mut self, created: impl Into<String>) -> Self {
        self.fixed_created = Some(created.into());
        self
    }

    /// The complete `wsse:Security` element for a SOAP header. The `mustUnderstand`
    /// attribute uses the envelope prefix of `version` (`soapenv` / `soap`), which the
    /// enclosing envelope declares. Every call makes a fresh nonce and timestamp.
    pub fn header_xml(&self, version: SoapVersion) -> String {
        self.header_xml_at(version, SystemTime::now())
    }

    /// [`header_xml`](Self::header_xml) as if the time were `now` (the `wsu:Timestamp`
    /// and, unless fixed, `wsu:Created`); for tests and cross-checks.
    pub fn header_xml_at(&self, version: SoapVersion, now: SystemTime) -> String {
        let id = NEXT_ID.fetch_add(1, Ordering::Relaxed);
        let mut out = String::with_capacity(1024);
        out.push_str("<wsse:Security xmlns:wsse=\"");
        out.push_str(WSSE_NS);
        out.push('"');
        if self.must_understand {
            let value = match version {
                SoapVersion::V11 => "1",
                SoapVersion::V12 => "true",
            };
            out.push_str(&format!(" {}:mustUnderstand=\"{value}\"", version.prefix()));
        }
        out.push('>');

        if let Some(ttl) = self.timestamp_ttl {
            let created = rfc3339_millis(now);
            let expires = rfc3339_millis(now.checked_add(ttl).unwrap_or(now));
            out.push_str(&format!(
                "<wsu:Timestamp xmlns:wsu=\"{WSU_NS}\" wsu:Id=\"TS-{id}\">\
                 <wsu:Created>{created}</wsu:Created><wsu:Expires>{expires}</wsu:Expires>\
                 </wsu:Timestamp>"
            ));
        }

        out.push_str(&format!(
            "<wsse:UsernameToken xmlns:wsu=\"{WSU_NS}\" wsu:Id=\"UsernameToken-{id}\">"
        ));
        out.push_str("<wsse:Username>");
        out.push_str(&escape_text(&self.username));
        out.push_str("</wsse:Username>");

        let with_nonce = self.include_nonce_created || self.password_type == PasswordType::Digest;
        let nonce = self.fixed_nonce.clone().unwrap_or_else(|| {
            let mut bytes = vec![0u8; 16];
            rand::Rng::fill(&mut rand::thread_rng(), bytes.as_mut_slice());
            bytes
        });
        let created = self
            .fixed_created
            .clone()
            .unwrap_or_else(|| rfc3339_millis(now));

        let (type_uri, password) = match self.password_type {
            PasswordType::Text => (PASSWORD_TEXT, self.password.expose().to_owned()),
            PasswordType::Digest => (
                PASSWORD_DIGEST,
                password_digest(&nonce, &created, self.password.expose()),
            ),
        };
        out.push_str(&format!(
            "<wsse:Password Type=\"{}\">",
            escape_attr(type_uri)
        ));
        out.push_str(&escape_text(&password));
        out.push_str("</wsse:Password>");
        if with_nonce {
            let nonce_b64 = base64::engine::general_purpose::STANDARD.encode(&nonce);
            out.push_str(&format!(
                "<wsse:Nonce EncodingType=\"{BASE64_BINARY}\">{nonce_b64}</wsse:Nonce>"
            ));
            out.push_str("<wsu:Created>");
            out.push_str(&escape_text(&created));
            out.push_str("</wsu:Created>");
        }
        out.push_str("</wsse:UsernameToken></wsse:Security>");
        out
    }
}

/// `Base64(SHA-1(nonce + created + password))`, the UsernameToken Profile password digest.
pub fn password_digest(nonce: &[u8], created: &str, password: &str) -> String {
    let mut hasher = Sha1::new();
    hasher.update(nonce);
    hasher.update(created.as_bytes());
    hasher.update(password.as_bytes());
    base64::engine::general_purpose::STANDARD.encode(hasher.finalize())
}
