//! Serde helper types for generated JSON models: [`Id`], [`OneOrMany`], [`double_option`].

use std::borrow::Cow;
use std::fmt;

use serde::de::{DeserializeOwned, Deserializer};
use serde::ser::Serializer;
use serde::{Deserialize, Serialize};

/// An identifier that some payloads send as a JSON number and others as a string.
/// It re-encodes in the form it arrived: `"12"` stays a string, `12` stays a number.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Id {
    /// The id arrived as a JSON number.
    Number(serde_json::Number),
    /// The id arrived as a JSON string.
    Text(String),
}

impl Id {
    /// The id as text (numbers are formatted as JSON writes them).
    pub fn as_str(&self) -> Cow<'_, str> {
        match self {
            Id::Number(n) => Cow::Owned(n.to_string()),
            Id::Text(s) => Cow::Borrowed(s),
        }
    }

    /// The id as an integer, if it is one (also for numeric strings such as `"12"`).
    pub fn as_i64(&self) -> Option<i64> {
        match self {
            Id::Number(n) => n.as_i64(),
            Id::Text(s) => s.trim().parse().ok(),
        }
    }

    /// True when the id arrived as a number.
    pub fn is_number(&self) -> bool {
        matches!(self, Id::Number(_))
    }
}

impl fmt::Display for Id {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Id::Number(n) => fmt::Display::fmt(n, f),
            Id::Text(s) => f.write_str(s),
        }
    }
}

impl From<&str> for Id {
    fn from(value: &str) -> Self {
        Id::Text(value.to_owned())
    }
}

impl From<String> for Id {
    fn from(value: String) -> Self {
        Id::Text(value)
    }
}

impl From<i64> for Id {
    fn from(value: i64) -> Self {
        Id::Number(value.into())
    }
}

impl From<i32> for Id {
    fn from(value: i32) -> Self {
        Id::Number(i64::from(value).into())
    }
}

impl From<u64> for Id {
    fn from(value: u64) -> Self {
        Id::Number(value.into())
    }
}

/// A field that holds either a single value or an array of values; re-encodes in the form
/// it arrived.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum OneOrMany<T> {
    /// A single value (not wrapped in an array on the wire).
    One(T),
    /// An array of values.
    Many(Vec<T>),
}

impl<T> OneOrMany<T> {
    /// The values as a slice (one element for [`OneOrMany::One`]).
    pub fn as_slice(&self) -> &[T] {
        match self {
            OneOrMany::One(v) => std::slice::from_ref(v),
            OneOrMany::Many(v) => v,
        }
    }

    /// Iterates over the values.
    pub fn iter(&self) -> std::slice::Iter<'_, T> {
        self.as_slice().iter()
    }

    /// Number of values.
    pub fn len(&self) -> usize {
        self.as_slice().len()
    }

    /// True when this is an empty array.
    pub fn is_empty(&self) -> bool {
        self.as_slice().is_empty()
    }

    /// The first value, if any.
    pub fn first(&self) -> Option<&T> {
        self.as_slice().first()
    }

    /// All values as a `Vec`.
    pub fn into_vec(self) -> Vec<T> {
        match self {
            OneOrMany::One(v) => vec![v],
            OneOrMany::Many(v) => v,
        }
    }
}

impl<T> Default for OneOrMany<T> {
    fn default() -> Self {
        OneOrMany::Many(Vec::new())
    }
}

impl<T> From<T> for OneOrMany<T> {
    fn from(value: T) -> Self {
        OneOrMany::One(value)
    }
}

impl<T> From<Vec<T>> for OneOrMany<T> {
    fn from(value: Vec<T>) -> Self {
        OneOrMany::Many(value)
    }
}

impl<T> IntoIterator for OneOrMany<T> {
    type Item = T;
    type IntoIter = std::vec::IntoIter<T>;
    fn into_iter(self) -> Self::IntoIter {
        self.into_vec().into_iter()
    }
}

impl<'a, T> IntoIterator for &'a OneOrMany<T> {
    type Item = &'a T;
    type IntoIter = std::slice::Iter<'a, T>;
    fn into_iter(self) -> Self::IntoIter {
        self.iter()
    }
}

impl<T: Serialize> Serialize for OneOrMany<T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            OneOrMany::One(v) => v.serialize(serializer),
            OneOrMany::Many(v) => v.serialize(serializer),
        }
    }
}

/// A JSON array decodes as `Many`; anything else as `One`. Errors are those of `T`.
impl<'de, T: DeserializeOwned> Deserialize<'de> for OneOrMany<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let value = serde_json::Value::deserialize(deserializer)?;
        if value.is_array() {
            Vec::<T>::deserialize(value)
                .map(OneOrMany::Many)
                .map_err(serde::de::Error::custom)
        } else {
            T::deserialize(value)
                .map(OneOrMany::One)
                .map_err(serde::de::Error::custom)
        }
    }
}

/// Serde `with` module for `Option<Option<T>>`: absent = `None`, `null` = `Some(None)`,
/// a value = `Some(Some(v))`. Use as
/// `#[serde(default, skip_serializing_if = "Option::is_none", with = "client_runtime::wire::double_option")]`.
pub mod double_option {
    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    /// Serializes `Some(None)` as `null` and `Some(Some(v))` as `v` (`None` must be skipped).
    pub fn serialize<T: Serialize, S: Serializer>(
        value: &Option<Option<T>>,
        serializer: S,
    ) -> Result<S::Ok, S::Error> {
        match value {
            Some(Some(v)) => v.serialize(serializer),
            _ => serializer.serialize_none(),
        }
    }

    /// Deserializes a present field: `null` to `Some(None)`, a value to `Some(Some(v))`.
    pub fn deserialize<'de, T: Deserialize<'de>, D: Deserializer<'de>>(
        deserializer: D,
    ) -> Result<Option<Option<T>>, D::Error> {
        Option::<T>::deserialize(deserializer).map(Some)
    }
}
