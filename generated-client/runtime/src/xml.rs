//! Writing XML request bodies: a namespace-aware [`XmlWriter`], the [`ToXml`] trait, [`RawXml`].

use std::fmt;

/// Namespace of `xsi:nil`.
pub const XSI_NS: &str = "http://www.w3.org/2001/XMLSchema-instance";

/// One open element: its qualified name and the prefixes it declared.
#[derive(Debug, Clone)]
struct Frame {
    qname: String,
    declared: usize,
}

/// Writes namespace-qualified XML with prefixes: the first namespace gets `tns`, later ones
/// `ns1`, `ns2`, ...; a prefix is declared on the first element that needs it and stays in
/// scope for its descendants. Elements with an empty namespace are written unprefixed
/// (unqualified). Misuse (an attribute after content, too many `end_element`s) is ignored
/// rather than panicking.
#[derive(Debug, Clone, Default)]
pub struct XmlWriter {
    buf: String,
    stack: Vec<Frame>,
    /// In-scope (namespace, prefix) bindings, innermost last.
    bindings: Vec<(String, String)>,
    /// The start tag of the top frame has not been closed with `>` yet.
    tag_open: bool,
    next_prefix: usize,
    /// An `xsi:type` (namespace, local) to put on the next element opened.
    next_xsi_type: Option<(String, String)>,
    /// Why the value cannot be sent as the schema allows (see [`XmlWriter::fail`]).
    errors: Vec<String>,
}

impl XmlWriter {
    /// An empty writer.
    pub fn new() -> Self {
        Self::default()
    }

    fn close_tag(&mut self) {
        if self.tag_open {
            self.buf.push('>');
            self.tag_open = false;
        }
    }

    fn lookup(&self, ns: &str) -> Option<String> {
        self.bindings
            .iter()
            .rev()
            .find(|(n, _)| n == ns)
            .map(|(_, p)| p.clone())
    }

    /// Allocates a fresh prefix for `ns` and declares it on the currently open tag.
    fn declare(&mut self, ns: &str) -> String {
        let prefix = if self.next_prefix == 0 {
            "tns".to_owned()
        } else {
            format!("ns{}", self.next_prefix)
        };
        self.next_prefix += 1;
        self.buf
            .push_str(&format!(" xmlns:{prefix}=\"{}\"", escape_attr(ns)));
        self.bindings.push((ns.to_owned(), prefix.clone()));
        if let Some(top) = self.stack.last_mut() {
            top.declared += 1;
        }
        prefix
    }

    /// Opens `<local>` in namespace `ns` (empty `ns` = unqualified).
    pub fn start_element(&mut self, ns: &str, local: &str) {
        self.close_tag();
        self.stack.push(Frame {
            qname: String::new(),
            declared: 0,
        });
        self.tag_open = true;
        self.buf.push('<');
        let qname = if ns.is_empty() {
            self.buf.push_str(local);
            local.to_owned()
        } else if let Some(p) = self.lookup(ns) {
            let q = format!("{p}:{local}");
            self.buf.push_str(&q);
            q
        } else {
            // Name first, declaration after it: remember where the name goes.
            let at = self.buf.len();
            let p = self.declare(ns);
            let q = format!("{p}:{local}");
            self.buf.insert_str(at, &q);
            q
        };
        if let Some(top) = self.stack.last_mut() {
            top.qname = qname;
        }
        if let Some((type_ns, type_local)) = self.next_xsi_type.take() {
            let p = self.prefix_for(&type_ns);
            let value = if p.is_empty() {
                type_local
            } else {
                format!("{p}:{type_local}")
            };
            self.attribute(XSI_NS, "type", &value);
        }
    }

    /// Puts `xsi:type="prefix:local"` (the prefix bound to `ns`) on the next element opened:
    /// how a value of a derived type says which type it is.
    pub fn set_next_xsi_type(&mut self, ns: &str, local: &str) {
        self.next_xsi_type = Some((ns.to_owned(), local.to_owned()));
    }

    /// The prefix bound to `ns`, declaring one on the element just opened when none is in
    /// scope (for QName values). Empty for the empty namespace, or when the element already
    /// has content and nothing is bound (the value is then written unprefixed).
    pub fn prefix_for(&mut self, ns: &str) -> String {
        if ns.is_empty() {
            return String::new();
        }
        match self.lookup(ns) {
            Some(p) => p,
            None if self.tag_open => self.declare(ns),
            None => {
                tracing::warn!(
                    namespace = ns,
                    "XmlWriter: no prefix in scope for a QName value"
                );
                String::new()
            }
        }
    }

    /// Adds an attribute to the element just opened (empty `ns` = unqualified attribute).
    /// Ignored if content was already written into the element.
    pub fn attribute(&mut self, ns: &str, local: &str, value: &str) {
        if !self.tag_open {
            tracing::warn!(
                attribute = local,
                "XmlWriter: attribute after content ignored"
            );
            return;
        }
        let name = if ns.is_empty() {
            local.to_owned()
        } else {
            {
                let p = match self.lookup(ns) {
                    Some(p) => p,
                    None => self.declare(ns),
                };
                format!("{p}:{local}")
            }
        };
        self.buf
            .push_str(&format!(" {name}=\"{}\"", escape_attr(value)));
    }

    /// Writes escaped character data.
    pub fn text(&mut self, s: &str) {
        if self.stack.is_empty() {
            return;
        }
        self.close_tag();
        self.buf.push_str(&escape_text(s));
    }

    /// Writes `xml` verbatim (it must be well-formed and carry its own namespace declarations).
    pub fn raw(&mut self, xml: &str) {
        self.close_tag();
        self.buf.push_str(xml);
    }

    /// Closes the innermost open element (as `<x/>` if it is empty).
    pub fn end_element(&mut self) {
        let Some(frame) = self.stack.pop() else {
            return;
        };
        if self.tag_open {
            self.buf.push_str("/>");
            self.tag_open = false;
        } else {
            self.buf.push_str("</");
            self.buf.push_str(&frame.qname);
            self.buf.push('>');
        }
        let keep = self.bindings.len().saturating_sub(frame.declared);
        self.bindings.truncate(keep);
    }

    /// Writes an empty element `<local/>`.
    pub fn empty_element(&mut self, ns: &str, local: &str) {
        self.start_element(ns, local);
        self.end_element();
    }

    /// Writes `<local xsi:nil="true"/>` for a nillable element without value.
    pub fn nil_element(&mut self, ns: &str, local: &str) {
        self.start_element(ns, local);
        self.attribute(XSI_NS, "nil", "true");
        self.end_element();
    }

    /// Writes `<local>text</local>`.
    pub fn text_element(&mut self, ns: &str, local: &str, text: &str) {
        self.start_element(ns, local);
        self.text(text);
        self.end_element();
    }

    /// Records that the value being written breaks the schema (e.g. more items than a
    /// `maxOccurs` allows); [`XmlWriter::finish_checked`] then refuses the document.
    pub fn fail(&mut self, message: impl Into<String>) {
        self.errors.push(message.into());
    }

    /// Like [`XmlWriter::finish`], but an error naming every [`XmlWriter::fail`] when the
    /// value broke the schema.
    pub fn finish_checked(self) -> Result<String, crate::xml_read::XmlError> {
        if self.errors.is_empty() {
            Ok(self.finish())
        } else {
            Err(crate::xml_read::XmlError(self.errors.join("; ")))
        }
    }

    /// Closes any elements still open and returns the document.
    pub fn finish(mut self) -> String {
        while !self.stack.is_empty() {
            self.end_element();
        }
        self.buf
    }
}

/// A value that can be written as an XML element.
pub trait ToXml {
    /// Writes `self` as the element `local` in namespace `ns` (or nothing, for absent values).
    fn write_xml(&self, w: &mut XmlWriter, ns: &str, local: &str);
}

/// Serializes `value` as a standalone element string.
pub fn to_xml_string<T: ToXml + ?Sized>(value: &T, ns: &str, local: &str) -> String {
    let mut w = XmlWriter::new();
    value.write_xml(&mut w, ns, local);
    w.finish()
}

/// Attributes an element carries beyond the declared ones (`xs:anyAttribute`):
/// (namespace, local name, value), kept so they can be sent back.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct AnyAttributes(pub Vec<(String, String, String)>);

impl AnyAttributes {
    /// Writes every attribute on the element just opened.
    pub fn write_attributes(&self, w: &mut XmlWriter) {
        for (ns, local, value) in &self.0 {
            w.attribute(ns, local, value);
        }
    }
}

/// Serializes `value` as a standalone element string, refusing values that break the
/// schema's bounds (see [`XmlWriter::fail`]).
pub fn try_to_xml_string<T: ToXml + ?Sized>(
    value: &T,
    ns: &str,
    local: &str,
) -> Result<String, crate::xml_read::XmlError> {
    let mut w = XmlWriter::new();
    value.write_xml(&mut w, ns, local);
    w.finish_checked()
}

/// Raw XML for `xs:any` content: written verbatim, ignoring the element name it is given.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct RawXml(pub String);

impl fmt::Display for RawXml {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl ToXml for RawXml {
    fn write_xml(&self, w: &mut XmlWriter, _ns: &str, _local: &str) {
        w.raw(&self.0);
    }
}

impl ToXml for str {
    fn write_xml(&self, w: &mut XmlWriter, ns: &str, local: &str) {
        w.text_element(ns, local, self);
    }
}

impl ToXml for String {
    fn write_xml(&self, w: &mut XmlWriter, ns: &str, local: &str) {
        w.text_element(ns, local, self);
    }
}

impl<T: ToXml + ?Sized> ToXml for &T {
    fn write_xml(&self, w: &mut XmlWriter, ns: &str, local: &str) {
        (**self).write_xml(w, ns, local);
    }
}

impl<T: ToXml + ?Sized> ToXml for Box<T> {
    fn write_xml(&self, w: &mut XmlWriter, ns: &str, local: &str) {
        (**self).write_xml(w, ns, local);
    }
}

macro_rules! display_to_xml {
    ($($t:ty),*) => {$(
        impl ToXml for $t {
            fn write_xml(&self, w: &mut XmlWriter, ns: &str, local: &str) {
                w.text_element(ns, local, &self.to_string());
            }
        }
    )*};
}

display_to_xml!(i8, i16, i32, i64, u8, u16, u32, u64, bool);

impl ToXml for f64 {
    fn write_xml(&self, w: &mut XmlWriter, ns: &str, local: &str) {
        w.text_element(ns, local, &xsd_double(*self));
    }
}

impl ToXml for f32 {
    fn write_xml(&self, w: &mut XmlWriter, ns: &str, local: &str) {
        w.text_element(ns, local, &xsd_double(f64::from(*self)));
    }
}

/// Formats a float the way `xs:double` spells it (`INF`, `-INF`, `NaN`).
pub fn xsd_double(v: f64) -> String {
    if v.is_nan() {
        "NaN".to_owned()
    } else if v.is_infinite() {
        if v > 0.0 { "INF" } else { "-INF" }.to_owned()
    } else {
        v.to_string()
    }
}

/// `None` writes nothing (an absent `minOccurs="0"` element).
impl<T: ToXml> ToXml for Option<T> {
    fn write_xml(&self, w: &mut XmlWriter, ns: &str, local: &str) {
        if let Some(v) = self {
            v.write_xml(w, ns, local);
        }
    }
}

/// Each item becomes one repeated element.
impl<T: ToXml> ToXml for Vec<T> {
    fn write_xml(&self, w: &mut XmlWriter, ns: &str, local: &str) {
        self.as_slice().write_xml(w, ns, local);
    }
}

/// Each item becomes one repeated element.
impl<T: ToXml> ToXml for [T] {
    fn write_xml(&self, w: &mut XmlWriter, ns: &str, local: &str) {
        for item in self {
            item.write_xml(w, ns, local);
        }
    }
}

impl ToXml for crate::wire::Id {
    fn write_xml(&self, w: &mut XmlWriter, ns: &str, local: &str) {
        w.text_element(ns, local, &self.as_str());
    }
}

/// Escapes `&`, `<`, `>` for character data.
pub fn escape_text(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '\r' => out.push_str("&#13;"),
            _ => out.push(c),
        }
    }
    out
}

/// Escapes a value for a double-quoted attribute.
pub fn escape_attr(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\t' => out.push_str("&#9;"),
            '\n' => out.push_str("&#10;"),
            '\r' => out.push_str("&#13;"),
            _ => out.push(c),
        }
    }
    out
}

/// A simple value written as XML text (attribute values, simple content, enumerations).
pub trait XmlText {
    /// The value's lexical form.
    fn xml_text(&self) -> String;

    /// The lexical form written inside the element `w` has open (QName values bind their
    /// namespace's prefix there); the same as [`XmlText::xml_text`] for other values.
    fn xml_text_in(&self, w: &mut XmlWriter) -> String {
        let _ = w;
        self.xml_text()
    }
}

impl XmlText for String {
    fn xml_text(&self) -> String {
        self.clone()
    }
}

impl XmlText for str {
    fn xml_text(&self) -> String {
        self.to_owned()
    }
}

impl XmlText for f64 {
    fn xml_text(&self) -> String {
        xsd_double(*self)
    }
}

impl XmlText for f32 {
    fn xml_text(&self) -> String {
        xsd_double(f64::from(*self))
    }
}

impl<T: XmlText + ?Sized> XmlText for &T {
    fn xml_text(&self) -> String {
        (**self).xml_text()
    }
}

impl<T: XmlText + ?Sized> XmlText for Box<T> {
    fn xml_text(&self) -> String {
        (**self).xml_text()
    }
}

macro_rules! display_xml_text {
    ($($t:ty),*) => {$(
        impl XmlText for $t {
            fn xml_text(&self) -> String {
                self.to_string()
            }
        }
    )*};
}

display_xml_text!(i8, i16, i32, i64, u8, u16, u32, u64, bool);
