//! Wire helpers for OpenAPI features the generated REST code uses: base64 byte strings
//! (`format: byte`), query styles (deepObject, delimited arrays).

use base64::Engine as _;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// Bytes carried as a standard base64 string with padding (`format: byte`).
#[derive(Debug, Clone, PartialEq, Eq, Default, Hash)]
pub struct Base64(pub Vec<u8>);

impl Base64 {
    /// The decoded bytes.
    pub fn as_bytes(&self) -> &[u8] {
        &self.0
    }
}

impl From<Vec<u8>> for Base64 {
    fn from(v: Vec<u8>) -> Self {
        Base64(v)
    }
}

impl From<&[u8]> for Base64 {
    fn from(v: &[u8]) -> Self {
        Base64(v.to_vec())
    }
}

impl std::fmt::Display for Base64 {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&base64::engine::general_purpose::STANDARD.encode(&self.0))
    }
}

impl Serialize for Base64 {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&base64::engine::general_purpose::STANDARD.encode(&self.0))
    }
}

impl<'de> Deserialize<'de> for Base64 {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = String::deserialize(d)?;
        let trimmed = text.trim();
        base64::engine::general_purpose::STANDARD
            .decode(trimmed)
            .or_else(|_| {
                base64::engine::general_purpose::STANDARD_NO_PAD
                    .decode(trimmed.trim_end_matches('='))
            })
            .or_else(|_| {
                base64::engine::general_purpose::URL_SAFE_NO_PAD
                    .decode(trimmed.trim_end_matches('='))
            })
            .map(Base64)
            .map_err(serde::de::Error::custom)
    }
}

/// The `(name, value)` query pairs of an object parameter in `deepObject` style:
/// `filter[color]=red`; absent (`null`) properties are left out, nested objects nest brackets.
pub fn deep_object_pairs<T: Serialize + ?Sized>(name: &str, value: &T) -> Vec<(String, String)> {
    fn walk(prefix: &str, v: &serde_json::Value, out: &mut Vec<(String, String)>) {
        match v {
            serde_json::Value::Null => {}
            serde_json::Value::Object(map) => {
                for (k, v) in map {
                    walk(&format!("{prefix}[{k}]"), v, out);
                }
            }
            serde_json::Value::Array(items) => {
                for v in items {
                    walk(&format!("{prefix}[]"), v, out);
                }
            }
            serde_json::Value::String(s) => out.push((prefix.to_string(), s.clone())),
            other => out.push((prefix.to_string(), other.to_string())),
        }
    }
    let mut out = Vec::new();
    if let Ok(v) = serde_json::to_value(value) {
        walk(name, &v, &mut out);
    }
    out
}

/// The `(name, value)` pairs of an `application/x-www-form-urlencoded` body (OpenAPI's
/// default: style form, explode): a top-level scalar is `name=value`, a list of scalars one
/// `name=value` per item, objects (and lists of objects) nest in brackets
/// (`address[city]=x`, `items[0][id]=y`); absent (`null`) values are left out.
pub fn form_pairs<T: Serialize + ?Sized>(body: &T) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let Ok(serde_json::Value::Object(map)) = serde_json::to_value(body) else {
        return out;
    };
    for (key, value) in &map {
        match value {
            serde_json::Value::Array(items) => {
                for (i, item) in items.iter().enumerate() {
                    if item.is_object() || item.is_array() {
                        out.extend(deep_object_pairs(&format!("{key}[{i}]"), item));
                    } else {
                        out.extend(deep_object_pairs(key, item));
                    }
                }
            }
            other => out.extend(deep_object_pairs(key, other)),
        }
    }
    out
}

/// The value of an array query parameter without explode: items joined by `sep`
/// (`,` form, ` ` spaceDelimited, `|` pipeDelimited).
pub fn join_values<T: std::fmt::Display>(values: &[T], sep: &str) -> String {
    values
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join(sep)
}

/// How an OpenAPI security scheme carries its credential.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SchemeKind {
    /// `apiKey` in a header with this name.
    ApiKeyHeader(&'static str),
    /// `apiKey` in the query with this name.
    ApiKeyQuery(&'static str),
    /// `apiKey` in a cookie with this name.
    ApiKeyCookie(&'static str),
    /// `http` `bearer` (also `oauth2`/`openIdConnect` with a token supplied by the caller).
    Bearer,
    /// `http` `basic`.
    Basic,
}

/// A security scheme of the document, by name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SchemeInfo {
    /// The scheme's name in `components.securitySchemes`.
    pub name: &'static str,
    /// How it is sent.
    pub kind: SchemeKind,
}

/// Credentials are read only when REST requests are built (feature `rest`).
#[derive(Clone)]
#[cfg_attr(not(feature = "rest"), allow(dead_code))]
enum Credential {
    Secret(crate::Secret),
    Basic(String, crate::Secret),
}

/// Credentials by scheme name. `Debug` shows which schemes are set, never a value.
#[derive(Clone, Default)]
pub struct Credentials {
    values: std::collections::BTreeMap<String, Credential>,
}

impl std::fmt::Debug for Credentials {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_set().entries(self.values.keys()).finish()
    }
}

impl Credentials {
    /// An API key or bearer token for `scheme`.
    pub fn set_secret(&mut self, scheme: &str, value: impl Into<String>) {
        self.values.insert(
            scheme.to_owned(),
            Credential::Secret(crate::Secret::new(value)),
        );
    }

    /// A user and password for an http `basic` `scheme`.
    pub fn set_basic(
        &mut self,
        scheme: &str,
        user: impl Into<String>,
        password: impl Into<String>,
    ) {
        self.values.insert(
            scheme.to_owned(),
            Credential::Basic(user.into(), crate::Secret::new(password)),
        );
    }

    /// Whether `scheme` has a credential.
    pub fn has(&self, scheme: &str) -> bool {
        self.values.contains_key(scheme)
    }
}

/// Applies an operation's security requirements: the first alternative whose schemes are all
/// configured is sent (an empty alternative, or no requirement at all, sends nothing). When
/// none is complete the call fails before sending, naming the first missing scheme.
#[cfg(feature = "rest")]
pub fn apply_security(
    request: &mut crate::rest::RestRequest,
    credentials: &Credentials,
    schemes: &[SchemeInfo],
    requirements: &[&[&str]],
) -> Result<(), crate::Error> {
    if requirements.is_empty() {
        return Ok(());
    }
    let Some(chosen) = requirements
        .iter()
        .find(|alt| alt.iter().all(|s| credentials.has(s)))
    else {
        let missing = requirements[0]
            .iter()
            .find(|s| !credentials.has(s))
            .copied()
            .unwrap_or_default();
        return Err(crate::Error::Auth {
            message: format!("no credential for security scheme `{missing}` (set it on the client's credentials)"),
        });
    };
    let mut cookies = Vec::new();
    for name in chosen.iter() {
        let Some(info) = schemes.iter().find(|s| s.name == *name) else {
            continue;
        };
        let Some(cred) = credentials.values.get(*name) else {
            continue;
        };
        match (info.kind, cred) {
            (SchemeKind::ApiKeyHeader(h), Credential::Secret(v)) => {
                request.secret_header(h, v.expose())
            }
            (SchemeKind::ApiKeyQuery(q), Credential::Secret(v)) => request.secret_query(q, v),
            (SchemeKind::ApiKeyCookie(c), Credential::Secret(v)) => {
                cookies.push(format!("{c}={}", v.expose()))
            }
            (SchemeKind::Bearer, Credential::Secret(v)) => {
                request.secret_header("Authorization", format_args!("Bearer {}", v.expose()))
            }
            (SchemeKind::Basic, Credential::Basic(user, password)) => {
                let raw = format!("{user}:{}", password.expose());
                let encoded = base64::engine::general_purpose::STANDARD.encode(raw);
                request.secret_header("Authorization", format_args!("Basic {encoded}"))
            }
            _ => {
                return Err(crate::Error::Auth {
                    message: format!("the credential for `{name}` is not of the scheme's kind"),
                })
            }
        }
    }
    if !cookies.is_empty() {
        request.secret_header("Cookie", cookies.join("; "));
    }
    Ok(())
}

/// The text of a parameter value whose type has no `Display` (unions, one-or-many, objects):
/// strings as they are, numbers and booleans as JSON writes them, lists joined with `,`,
/// anything else as JSON text.
pub fn query_text<T: Serialize + ?Sized>(value: &T) -> String {
    fn text(v: &serde_json::Value) -> String {
        match v {
            serde_json::Value::Null => String::new(),
            serde_json::Value::String(s) => s.clone(),
            serde_json::Value::Array(items) => items.iter().map(text).collect::<Vec<_>>().join(","),
            other => other.to_string(),
        }
    }
    serde_json::to_value(value)
        .map(|v| text(&v))
        .unwrap_or_default()
}

#[cfg(test)]
mod form_tests {
    use super::form_pairs;

    #[test]
    fn form_pairs_flatten_as_openapi_form_style() {
        let body = serde_json::json!({"name": "a b", "n": 2, "tags": ["x", "y"], "skip": null,
            "address": {"city": "Oslo"}, "items": [{"id": "i1"}]});
        let pairs: Vec<(String, String)> = form_pairs(&body);
        let expect = [
            ("address[city]", "Oslo"),
            ("items[0][id]", "i1"),
            ("n", "2"),
            ("name", "a b"),
            ("tags", "x"),
            ("tags", "y"),
        ];
        assert_eq!(
            pairs,
            expect
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect::<Vec<_>>()
        );
    }
}
