//! XSD built-in types kept without loss: arbitrary-precision [`Decimal`] and [`Integer`],
//! [`DateTime`] / [`Date`] / [`Time`] with their offsets, [`Duration`] with months, [`QName`]
//! resolved to namespace + local name, and `base64Binary` as bytes ([`crate::Base64`]).
//!
//! Numbers and dates keep the exact lexical form they were read or built with (a value read
//! from a server is sent back byte for byte); numbers compare by value (`19.9 == 19.90`),
//! dates by their text. No date or big-number crate is needed: a client only carries these
//! values; callers convert with [`Decimal::as_str`] into whatever arithmetic type they use.

use std::cmp::Ordering;
use std::fmt;
use std::hash::{Hash, Hasher};
use std::str::FromStr;

use base64::Engine as _;

use crate::xml::{ToXml, XmlText, XmlWriter};
use crate::xml_read::{FromXml, FromXmlText, XmlError, XmlNode};

/// Splits a decimal lexical form into (negative, integer digits, fraction digits), both
/// without insignificant zeros; `None` when it is not an `xs:decimal`.
fn decimal_parts(s: &str, allow_point: bool) -> Option<(bool, &str, &str)> {
    let (neg, body) = match s.as_bytes().first() {
        Some(b'-') => (true, &s[1..]),
        Some(b'+') => (false, &s[1..]),
        _ => (false, s),
    };
    let (int, frac) = match body.split_once('.') {
        Some(_) if !allow_point => return None,
        Some((i, f)) => (i, f),
        None => (body, ""),
    };
    let digits = |t: &str| t.bytes().all(|b| b.is_ascii_digit());
    if (int.is_empty() && frac.is_empty()) || !digits(int) || !digits(frac) {
        return None;
    }
    let int = int.trim_start_matches('0');
    let frac = frac.trim_end_matches('0');
    let zero = int.is_empty() && frac.is_empty();
    Some((neg && !zero, int, frac))
}

fn compare_parts(a: (bool, &str, &str), b: (bool, &str, &str)) -> Ordering {
    let magnitude =
        a.1.len()
            .cmp(&b.1.len())
            .then_with(|| a.1.cmp(b.1))
            .then_with(|| a.2.cmp(b.2));
    match (a.0, b.0) {
        (false, false) => magnitude,
        (true, true) => magnitude.reverse(),
        (true, false) => Ordering::Less,
        (false, true) => Ordering::Greater,
    }
}

macro_rules! exact_number {
    ($name:ident, $xsd:literal, $point:expr, $doc:literal) => {
        #[doc = $doc]
        #[derive(Debug, Clone)]
        pub struct $name(String);

        impl $name {
            /// Parses the lexical form (surrounding whitespace is ignored), keeping it exactly.
            pub fn parse(text: &str) -> Result<Self, XmlError> {
                let t = text.trim();
                match decimal_parts(t, $point) {
                    Some(_) => Ok($name(t.to_owned())),
                    None => Err(XmlError(format!("'{t}' is not an {}", $xsd))),
                }
            }

            /// The exact lexical form.
            pub fn as_str(&self) -> &str {
                &self.0
            }

            /// The nearest `f64` (may round: for display or approximate maths only).
            pub fn to_f64(&self) -> f64 {
                self.0.parse().unwrap_or(f64::NAN)
            }

            /// The value as `i64` when it is a whole number in range.
            pub fn to_i64(&self) -> Option<i64> {
                let (neg, int, frac) = self.parts();
                if !frac.is_empty() {
                    return None;
                }
                let sign = if neg { "-" } else { "" };
                let digits = if int.is_empty() { "0" } else { int };
                format!("{sign}{digits}").parse().ok()
            }

            fn parts(&self) -> (bool, &str, &str) {
                decimal_parts(&self.0, $point).unwrap_or((false, "", ""))
            }
        }

        impl Default for $name {
            fn default() -> Self {
                $name("0".to_owned())
            }
        }

        impl PartialEq for $name {
            fn eq(&self, other: &Self) -> bool {
                self.cmp(other) == Ordering::Equal
            }
        }

        impl Eq for $name {}

        impl PartialOrd for $name {
            fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
                Some(self.cmp(other))
            }
        }

        impl Ord for $name {
            fn cmp(&self, other: &Self) -> Ordering {
                compare_parts(self.parts(), other.parts())
            }
        }

        impl Hash for $name {
            fn hash<H: Hasher>(&self, h: &mut H) {
                self.parts().hash(h);
            }
        }

        impl FromStr for $name {
            type Err = XmlError;
            fn from_str(s: &str) -> Result<Self, XmlError> {
                Self::parse(s)
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl From<i64> for $name {
            fn from(v: i64) -> Self {
                $name(v.to_string())
            }
        }

        impl From<i32> for $name {
            fn from(v: i32) -> Self {
                $name(v.to_string())
            }
        }

        impl From<u64> for $name {
            fn from(v: u64) -> Self {
                $name(v.to_string())
            }
        }

        text_value!($name);
    };
}

/// `ToXml`, `XmlText`, `FromXmlText`, `FromXml` for a type with `parse` and `Display`.
macro_rules! text_value {
    ($name:ident) => {
        impl XmlText for $name {
            fn xml_text(&self) -> String {
                self.to_string()
            }
        }

        impl ToXml for $name {
            fn write_xml(&self, w: &mut XmlWriter, ns: &str, local: &str) {
                w.text_element(ns, local, &self.to_string());
            }
        }

        impl FromXmlText for $name {
            fn from_xml_text(text: &str) -> Result<Self, XmlError> {
                Self::parse(text)
            }
        }

        impl FromXml for $name {
            fn from_xml(node: &XmlNode) -> Result<Self, XmlError> {
                Self::parse(&node.text)
                    .map_err(|e| XmlError(format!("element '{}': {e}", node.local)))
            }
        }
    };
}

exact_number!(
    Decimal,
    "xs:decimal",
    true,
    "An `xs:decimal` of any precision, kept as its exact text (`19.90` stays `19.90`); equal and ordered by value."
);

exact_number!(
    Integer,
    "xs:integer",
    false,
    "An `xs:integer` (or a derived type without bounding facets) of any size, kept as its exact text; equal and ordered by value."
);

/// Checks `YYYY-MM-DD` (year of 4+ digits, optional `-`); returns the rest.
fn date_part(s: &str) -> Option<&str> {
    let s = s.strip_prefix('-').unwrap_or(s);
    let year_len = s.bytes().take_while(u8::is_ascii_digit).count();
    if year_len < 4 {
        return None;
    }
    let rest = &s[year_len..];
    let b = rest.as_bytes();
    if b.len() < 6 || b[0] != b'-' || b[3] != b'-' {
        return None;
    }
    let month: u32 = rest[1..3].parse().ok()?;
    let day: u32 = rest[4..6].parse().ok()?;
    ((1..=12).contains(&month) && (1..=31).contains(&day)).then(|| &rest[6..])
}

/// Checks `hh:mm:ss(.fff)?`; returns the rest.
fn time_part(s: &str) -> Option<&str> {
    let b = s.as_bytes();
    if b.len() < 8 || b[2] != b':' || b[5] != b':' {
        return None;
    }
    let h: u32 = s[0..2].parse().ok()?;
    let m: u32 = s[3..5].parse().ok()?;
    let sec: u32 = s[6..8].parse().ok()?;
    if h > 24 || m > 59 || sec > 60 {
        return None;
    }
    let mut rest = &s[8..];
    if let Some(f) = rest.strip_prefix('.') {
        let n = f.bytes().take_while(u8::is_ascii_digit).count();
        if n == 0 {
            return None;
        }
        rest = &f[n..];
    }
    Some(rest)
}

/// Parses an optional timezone (`Z`, `+hh:mm`, `-hh:mm`) that must end the text: its offset
/// in minutes (`Some(None)`: no timezone).
fn zone(s: &str) -> Option<Option<i32>> {
    match s {
        "" => Some(None),
        "Z" => Some(Some(0)),
        _ => {
            let sign = match s.as_bytes()[0] {
                b'+' => 1,
                b'-' => -1,
                _ => return None,
            };
            let b = s.as_bytes();
            if b.len() != 6 || b[3] != b':' {
                return None;
            }
            let h: i32 = s[1..3].parse().ok()?;
            let m: i32 = s[4..6].parse().ok()?;
            (h <= 14 && m <= 59).then_some(Some(sign * (h * 60 + m)))
        }
    }
}

macro_rules! temporal {
    ($name:ident, $xsd:literal, $doc:literal, |$s:ident| $rest:expr) => {
        #[doc = $doc]
        ///
        /// Kept as its exact text, so the timezone offset the value was written with (or its
        /// absence) survives a round trip; equality compares the text.
        #[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub struct $name(String);

        impl $name {
            /// Parses the lexical form (surrounding whitespace is ignored), keeping it exactly.
            pub fn parse(text: &str) -> Result<Self, XmlError> {
                let $s = text.trim();
                match $rest.and_then(zone) {
                    Some(_) => Ok($name($s.to_owned())),
                    None => Err(XmlError(format!("'{}' is not an {}", $s, $xsd))),
                }
            }

            /// The exact lexical form.
            pub fn as_str(&self) -> &str {
                &self.0
            }

            /// The timezone offset in minutes east of UTC (`Z` is 0); `None` when the value
            /// has no timezone.
            pub fn offset_minutes(&self) -> Option<i32> {
                let $s = self.0.as_str();
                $rest.and_then(zone).flatten()
            }
        }

        impl FromStr for $name {
            type Err = XmlError;
            fn from_str(s: &str) -> Result<Self, XmlError> {
                Self::parse(s)
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }

        text_value!($name);
    };
}

temporal!(
    DateTime,
    "xs:dateTime",
    "An `xs:dateTime` such as `1990-05-17T08:30:00+02:00`.",
    |s| date_part(s)
        .and_then(|r| r.strip_prefix('T'))
        .and_then(time_part)
);
temporal!(
    Date,
    "xs:date",
    "An `xs:date` such as `1990-05-17` or `1990-05-17+02:00`.",
    |s| date_part(s)
);
temporal!(Time, "xs:time", "An `xs:time` such as `08:30:00Z`.", |s| {
    time_part(s)
});

impl Default for DateTime {
    fn default() -> Self {
        DateTime("1970-01-01T00:00:00Z".to_owned())
    }
}

impl Default for Date {
    fn default() -> Self {
        Date("1970-01-01".to_owned())
    }
}

impl Default for Time {
    fn default() -> Self {
        Time("00:00:00".to_owned())
    }
}

/// An `xs:duration`: years and months kept apart from days and time (a month has no fixed
/// length), seconds with any precision.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
pub struct Duration {
    /// A negative duration (`-P…`).
    pub negative: bool,
    /// Years.
    pub years: u64,
    /// Months.
    pub months: u64,
    /// Days.
    pub days: u64,
    /// Hours.
    pub hours: u64,
    /// Minutes.
    pub minutes: u64,
    /// Seconds (fractions kept exactly).
    pub seconds: Decimal,
}

impl Duration {
    /// Parses `PnYnMnDTnHnMnS` (any part may be left out, at least one present).
    pub fn parse(text: &str) -> Result<Self, XmlError> {
        let t = text.trim();
        let bad = || XmlError(format!("'{t}' is not an xs:duration"));
        let (negative, body) = match t.strip_prefix('-') {
            Some(b) => (true, b),
            None => (false, t),
        };
        let body = body.strip_prefix('P').ok_or_else(bad)?;
        let (date, time) = match body.split_once('T') {
            Some((_, "")) => return Err(bad()),
            Some((d, t)) => (d, Some(t)),
            None => (body, None),
        };
        let mut d = Duration {
            negative,
            ..Duration::default()
        };
        let mut any = false;
        let mut walk = |part: &str, units: &[u8], time: bool| -> Result<(), XmlError> {
            let mut rest = part;
            let mut next = 0;
            while !rest.is_empty() {
                let n = rest
                    .bytes()
                    .take_while(|b| b.is_ascii_digit() || *b == b'.')
                    .count();
                let unit = *rest.as_bytes().get(n).ok_or_else(bad)?;
                let pos = units[next..]
                    .iter()
                    .position(|u| *u == unit)
                    .ok_or_else(bad)?;
                next += pos + 1;
                let num = &rest[..n];
                if num.is_empty() {
                    return Err(bad());
                }
                if time && unit == b'S' {
                    d.seconds = Decimal::parse(num).map_err(|_| bad())?;
                } else {
                    let v: u64 = num.parse().map_err(|_| bad())?;
                    match (time, unit) {
                        (false, b'Y') => d.years = v,
                        (false, b'M') => d.months = v,
                        (false, _) => d.days = v,
                        (true, b'H') => d.hours = v,
                        (true, _) => d.minutes = v,
                    }
                }
                any = true;
                rest = &rest[n + 1..];
            }
            Ok(())
        };
        walk(date, b"YMD", false)?;
        if let Some(time) = time {
            walk(time, b"HMS", true)?;
        }
        if !any {
            return Err(bad());
        }
        Ok(d)
    }
}

impl FromStr for Duration {
    type Err = XmlError;
    fn from_str(s: &str) -> Result<Self, XmlError> {
        Self::parse(s)
    }
}

impl fmt::Display for Duration {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.negative {
            f.write_str("-")?;
        }
        f.write_str("P")?;
        for (v, u) in [(self.years, 'Y'), (self.months, 'M'), (self.days, 'D')] {
            if v != 0 {
                write!(f, "{v}{u}")?;
            }
        }
        let zero_seconds = self.seconds == Decimal::default();
        let date_empty = self.years == 0 && self.months == 0 && self.days == 0;
        if self.hours != 0 || self.minutes != 0 || !zero_seconds || date_empty {
            f.write_str("T")?;
            for (v, u) in [(self.hours, 'H'), (self.minutes, 'M')] {
                if v != 0 {
                    write!(f, "{v}{u}")?;
                }
            }
            if !zero_seconds || (date_empty && self.hours == 0 && self.minutes == 0) {
                write!(f, "{}S", self.seconds)?;
            }
        }
        Ok(())
    }
}

text_value!(Duration);

/// An `xs:QName` value resolved against the namespace declarations in scope where it was read;
/// written with a prefix the writer binds to `namespace`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub struct QName {
    /// Namespace URI ("" for none).
    pub namespace: String,
    /// Local name.
    pub local: String,
}

impl QName {
    /// A QName from its parts.
    pub fn new(namespace: impl Into<String>, local: impl Into<String>) -> Self {
        QName {
            namespace: namespace.into(),
            local: local.into(),
        }
    }

    fn resolve(text: &str, node: &XmlNode) -> Result<Self, XmlError> {
        node.resolve_qname(text)
            .map(|(namespace, local)| QName { namespace, local })
            .ok_or_else(|| {
                XmlError(format!(
                    "QName '{}' in element '{}' uses a prefix that is not declared",
                    text.trim(),
                    node.local
                ))
            })
    }
}

impl fmt::Display for QName {
    /// `{namespace}local` (Clark notation).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{{{}}}{}", self.namespace, self.local)
    }
}

impl XmlText for QName {
    /// Without a writer there is no prefix to use: the local name alone.
    fn xml_text(&self) -> String {
        self.local.clone()
    }

    fn xml_text_in(&self, w: &mut XmlWriter) -> String {
        match w.prefix_for(&self.namespace) {
            p if p.is_empty() => self.local.clone(),
            p => format!("{p}:{}", self.local),
        }
    }
}

impl ToXml for QName {
    fn write_xml(&self, w: &mut XmlWriter, ns: &str, local: &str) {
        w.start_element(ns, local);
        let text = self.xml_text_in(w);
        w.text(&text);
        w.end_element();
    }
}

impl FromXmlText for QName {
    /// Without the element there are no prefix bindings: only unprefixed names resolve.
    fn from_xml_text(text: &str) -> Result<Self, XmlError> {
        match text.trim().split_once(':') {
            None => Ok(QName::new("", text.trim())),
            Some(_) => Err(XmlError(format!(
                "QName '{}' needs the element's namespace declarations",
                text.trim()
            ))),
        }
    }

    fn from_xml_text_at(text: &str, node: &XmlNode) -> Result<Self, XmlError> {
        QName::resolve(text, node)
    }
}

impl FromXml for QName {
    fn from_xml(node: &XmlNode) -> Result<Self, XmlError> {
        QName::resolve(&node.text, node)
    }
}

impl crate::Base64 {
    /// Decodes `xs:base64Binary` text: whitespace anywhere is allowed, any length.
    pub fn parse(text: &str) -> Result<Self, XmlError> {
        let compact: Vec<u8> = text
            .bytes()
            .filter(|b| !matches!(b, b' ' | b'\t' | b'\r' | b'\n'))
            .collect();
        base64::engine::general_purpose::STANDARD
            .decode(&compact)
            .map(crate::Base64)
            .map_err(|e| XmlError(format!("not xs:base64Binary: {e}")))
    }
}

impl XmlText for crate::Base64 {
    fn xml_text(&self) -> String {
        self.to_string()
    }
}

impl ToXml for crate::Base64 {
    fn write_xml(&self, w: &mut XmlWriter, ns: &str, local: &str) {
        w.text_element(ns, local, &self.to_string());
    }
}

impl FromXmlText for crate::Base64 {
    fn from_xml_text(text: &str) -> Result<Self, XmlError> {
        Self::parse(text)
    }
}

impl FromXml for crate::Base64 {
    fn from_xml(node: &XmlNode) -> Result<Self, XmlError> {
        Self::parse(&node.text).map_err(|e| XmlError(format!("element '{}': {e}", node.local)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decimals_are_exact_and_compare_by_value() {
        let d = Decimal::parse(" 19.90 ").unwrap();
        assert_eq!(d.as_str(), "19.90");
        assert_eq!(d, Decimal::parse("19.9").unwrap());
        assert_eq!(Decimal::parse("-0.0").unwrap(), Decimal::default());
        assert!(
            Decimal::parse("12345678901234567890123456789.5").unwrap() > Decimal::from(i64::MAX)
        );
        assert!(Decimal::parse("-2").unwrap() < Decimal::parse("-1.5").unwrap());
        for bad in ["", ".", "1e5", "1.2.3", "--1", "NaN"] {
            assert!(Decimal::parse(bad).is_err(), "{bad}");
        }
        assert!(Integer::parse("1.0").is_err());
        assert_eq!(Integer::parse("+007").unwrap().to_i64(), Some(7));
        assert_eq!(
            Integer::parse("99999999999999999999").unwrap().to_i64(),
            None
        );
    }

    #[test]
    fn dates_keep_their_offsets() {
        let t = DateTime::parse("1990-05-17T08:30:00+02:00").unwrap();
        assert_eq!(t.as_str(), "1990-05-17T08:30:00+02:00");
        assert_eq!(t.offset_minutes(), Some(120));
        assert_eq!(
            DateTime::parse("2024-01-01T00:00:00.123")
                .unwrap()
                .offset_minutes(),
            None
        );
        assert_eq!(
            Date::parse("2024-02-03-05:30").unwrap().offset_minutes(),
            Some(-330)
        );
        assert_eq!(Time::parse("08:30:00Z").unwrap().offset_minutes(), Some(0));
        for bad in ["", "1990-05-17", "1990-13-01T00:00:00", "1990-05-17T08:30"] {
            assert!(DateTime::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn durations_keep_months() {
        let d = Duration::parse("P1Y2M3DT4H5M6.5S").unwrap();
        assert_eq!(
            (d.years, d.months, d.days, d.hours, d.minutes),
            (1, 2, 3, 4, 5)
        );
        assert_eq!(d.seconds.as_str(), "6.5");
        assert_eq!(d.to_string(), "P1Y2M3DT4H5M6.5S");
        assert_eq!(Duration::parse("-P3M").unwrap().to_string(), "-P3M");
        assert_eq!(Duration::parse("PT0S").unwrap().to_string(), "PT0S");
        for bad in ["", "P", "PT", "P1S", "P1M1Y", "1Y"] {
            assert!(Duration::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn base64_allows_whitespace() {
        let b = crate::Base64::parse("AAEC\n  Aw==").unwrap();
        assert_eq!(b.0, vec![0, 1, 2, 3]);
        assert!(crate::Base64::parse("!!").is_err());
    }

    #[test]
    fn undeclared_attributes_and_mixed_text_survive_a_round_trip() {
        let n = XmlNode::parse(
            r#"<a xmlns:x="urn:x" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" id="1" x:extra="e" xsi:nil="false">one <b/>two<c/></a>"#,
        )
        .unwrap();
        let any = crate::xml_read::field::any_attributes(&n, &["id"]);
        assert_eq!(
            any.0,
            vec![("urn:x".to_owned(), "extra".to_owned(), "e".to_owned())]
        );
        let mut w = XmlWriter::new();
        w.start_element("", "a");
        any.write_attributes(&mut w);
        w.end_element();
        let back = XmlNode::parse(&w.finish()).unwrap();
        assert_eq!(back.attr("urn:x", "extra"), Some("e"));
        assert_eq!(n.mixed, vec![(0, "one ".to_owned()), (1, "two".to_owned())]);
        let again = XmlNode::parse(&n.to_xml()).unwrap();
        assert_eq!(again.mixed, n.mixed, "{}", n.to_xml());
    }

    #[test]
    fn qnames_resolve_and_bind_prefixes() {
        let n = XmlNode::parse(r#"<a xmlns:p="urn:p">p:x</a>"#).unwrap();
        assert_eq!(QName::from_xml(&n).unwrap(), QName::new("urn:p", "x"));
        let n = XmlNode::parse(r#"<a>q:x</a>"#).unwrap();
        assert!(QName::from_xml(&n).is_err());
        let s = crate::xml::to_xml_string(&QName::new("urn:q", "y"), "urn:e", "e");
        let back = QName::from_xml(&XmlNode::parse(&s).unwrap()).unwrap();
        assert_eq!(back, QName::new("urn:q", "y"), "{s}");
    }
}
