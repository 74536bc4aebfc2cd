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
            .or_else(|_| base64::engine::general_purpose::STANDARD_NO_PAD.decode(trimmed.trim_end_matches('=')))
            .or_else(|_| base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(trimmed.trim_end_matches('=')))
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

/// The value of an array query parameter without explode: items joined by `sep`
/// (`,` form, ` ` spaceDelimited, `|` pipeDelimited).
pub fn join_values<T: std::fmt::Display>(values: &[T], sep: &str) -> String {
    values.iter().map(ToString::to_string).collect::<Vec<_>>().join(sep)
}
