//! Reading XML into generated types: a namespace-resolved tree ([`XmlNode`]) and the
//! [`FromXml`] / [`FromXmlText`] traits generated XML types implement.
//!
//! Reading is tolerant where servers are sloppy: children are found by namespace and local
//! name in any order (falling back to the local name alone when the namespace differs),
//! elements the schema does not declare are skipped (or kept, for types with `xs:any`), and
//! prefixes are resolved from the instance document. It always terminates: the tree is built
//! without recursion and documents nested deeper than [`MAX_DEPTH`] are refused with an error.

use quick_xml::events::{BytesStart, Event};
use quick_xml::Reader;

use crate::xml::RawXml;

/// Deepest element nesting accepted (deeper documents are a decode error, not a stack overflow).
pub const MAX_DEPTH: usize = 256;

/// A decode error: what was expected, and where (element path).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct XmlError(pub String);

impl std::fmt::Display for XmlError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for XmlError {}

/// An element with resolved names.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct XmlNode {
    /// Namespace URI ("" when none).
    pub ns: String,
    /// Local name.
    pub local: String,
    /// Attributes: (namespace, local name, value); namespace declarations are not included.
    pub attrs: Vec<(String, String, String)>,
    /// Child elements in document order.
    pub children: Vec<XmlNode>,
    /// Concatenated character data directly inside this element.
    pub text: String,
    /// The same character data in pieces, each with the number of child elements before it
    /// (mixed content in document order).
    pub mixed: Vec<(usize, String)>,
    /// Prefix bindings in scope ("" = default namespace).
    pub scope: Vec<(String, String)>,
}

impl XmlNode {
    /// Parses a document (or fragment with one root element).
    pub fn parse(xml: &str) -> Result<XmlNode, XmlError> {
        let mut reader = Reader::from_str(xml);
        let mut stack: Vec<XmlNode> = Vec::new();
        let mut root = None;
        loop {
            let ev = reader.read_event().map_err(|e| {
                XmlError(format!(
                    "malformed XML at byte {}: {e}",
                    reader.error_position()
                ))
            })?;
            match ev {
                Event::Start(s) => {
                    if stack.len() >= MAX_DEPTH {
                        return Err(XmlError(format!(
                            "XML nested deeper than {MAX_DEPTH} elements"
                        )));
                    }
                    let node = open(&s, stack.last())?;
                    stack.push(node);
                }
                Event::Empty(s) => {
                    let node = open(&s, stack.last())?;
                    match stack.last_mut() {
                        Some(p) => p.children.push(node),
                        None => root = Some(node),
                    }
                }
                Event::End(_) => {
                    if let Some(node) = stack.pop() {
                        match stack.last_mut() {
                            Some(p) => p.children.push(node),
                            None => root = Some(node),
                        }
                    }
                }
                Event::Text(t) => {
                    if let Some(top) = stack.last_mut() {
                        let s = t
                            .unescape()
                            .map_err(|e| XmlError(format!("bad character data: {e}")))?;
                        top.push_text(&s);
                    }
                }
                Event::CData(t) => {
                    if let Some(top) = stack.last_mut() {
                        top.push_text(&String::from_utf8_lossy(&t));
                    }
                }
                Event::Eof => break,
                _ => {}
            }
            if root.is_some() && stack.is_empty() {
                break;
            }
        }
        root.ok_or_else(|| XmlError("no root element".into()))
    }

    fn push_text(&mut self, s: &str) {
        self.text.push_str(s);
        let at = self.children.len();
        match self.mixed.last_mut() {
            Some((n, seg)) if *n == at => seg.push_str(s),
            _ => self.mixed.push((at, s.to_owned())),
        }
    }

    /// Resolves a `prefix:local` value (e.g. `xsi:type`) with the bindings in scope here.
    pub fn resolve_qname(&self, value: &str) -> Option<(String, String)> {
        let (prefix, local) = value.trim().split_once(':').unwrap_or(("", value.trim()));
        let ns = self
            .scope
            .iter()
            .rev()
            .find(|(p, _)| p == prefix)
            .map(|(_, n)| n.clone());
        match ns {
            Some(ns) => Some((ns, local.to_owned())),
            None if prefix.is_empty() => Some((String::new(), local.to_owned())),
            None => None,
        }
    }

    /// The value of an attribute (namespace match first, then local name alone).
    pub fn attr(&self, ns: &str, local: &str) -> Option<&str> {
        self.attrs
            .iter()
            .find(|(n, l, _)| n == ns && l == local)
            .or_else(|| self.attrs.iter().find(|(_, l, _)| l == local))
            .map(|(_, _, v)| v.as_str())
    }

    /// True when the element carries `xsi:nil="true"`.
    pub fn is_nil(&self) -> bool {
        self.attrs.iter().any(|(n, l, v)| {
            n == crate::xml::XSI_NS && l == "nil" && matches!(v.trim(), "true" | "1")
        })
    }

    /// Children named (ns, local); when none match exactly, children with that local name.
    pub fn children_named<'a>(&'a self, ns: &str, local: &str) -> Vec<&'a XmlNode> {
        let exact: Vec<&XmlNode> = self
            .children
            .iter()
            .filter(|c| c.ns == ns && c.local == local)
            .collect();
        if !exact.is_empty() {
            return exact;
        }
        self.children.iter().filter(|c| c.local == local).collect()
    }

    /// Writes the element back as XML text (namespaces declared where they are used).
    pub fn to_xml(&self) -> String {
        let mut w = crate::xml::XmlWriter::new();
        self.write(&mut w);
        w.finish()
    }

    fn write(&self, w: &mut crate::xml::XmlWriter) {
        // Iterative, so a deep tree cannot overflow the stack.
        // Text is written (in its place among the children) only when some of it is not
        // whitespace: indentation between elements is dropped.
        enum Step<'a> {
            Open(&'a XmlNode),
            Text(&'a str),
            Close,
        }
        let mut steps = vec![Step::Open(self)];
        while let Some(step) = steps.pop() {
            match step {
                Step::Open(n) => {
                    w.start_element(&n.ns, &n.local);
                    for (ns, l, v) in &n.attrs {
                        w.attribute(ns, l, v);
                    }
                    steps.push(Step::Close);
                    let with_text = !n.text.trim().is_empty();
                    let mut items = Vec::with_capacity(n.children.len() + n.mixed.len());
                    let mut segs = n.mixed.iter().filter(|_| with_text).peekable();
                    for (i, c) in n.children.iter().enumerate() {
                        while let Some((_, seg)) = segs.next_if(|(at, _)| *at <= i) {
                            items.push(Step::Text(seg));
                        }
                        items.push(Step::Open(c));
                    }
                    items.extend(segs.map(|(_, seg)| Step::Text(seg)));
                    steps.extend(items.into_iter().rev());
                }
                Step::Text(t) => w.text(t),
                Step::Close => w.end_element(),
            }
        }
    }
}

fn open(s: &BytesStart<'_>, parent: Option<&XmlNode>) -> Result<XmlNode, XmlError> {
    let mut scope = parent.map(|p| p.scope.clone()).unwrap_or_else(|| {
        vec![(
            "xml".to_owned(),
            "http://www.w3.org/XML/1998/namespace".to_owned(),
        )]
    });
    let mut raw_attrs = Vec::new();
    for a in s.attributes() {
        let a = a.map_err(|e| XmlError(format!("bad attribute: {e}")))?;
        let key = String::from_utf8_lossy(a.key.as_ref()).to_string();
        let value = a
            .unescape_value()
            .map_err(|e| XmlError(format!("bad attribute value: {e}")))?
            .to_string();
        if key == "xmlns" {
            scope.push((String::new(), value));
        } else if let Some(p) = key.strip_prefix("xmlns:") {
            scope.push((p.to_owned(), value));
        } else {
            raw_attrs.push((key, value));
        }
    }
    let lookup = |prefix: &str| {
        scope
            .iter()
            .rev()
            .find(|(p, _)| p == prefix)
            .map(|(_, n)| n.clone())
    };
    let name = String::from_utf8_lossy(s.name().as_ref()).to_string();
    let (prefix, local) = name.split_once(':').unwrap_or(("", &name));
    let ns = lookup(prefix).unwrap_or_default();
    let attrs = raw_attrs
        .into_iter()
        .map(|(k, v)| match k.split_once(':') {
            Some((p, l)) => (lookup(p).unwrap_or_default(), l.to_owned(), v),
            None => (String::new(), k, v),
        })
        .collect();
    Ok(XmlNode {
        ns,
        local: local.to_owned(),
        attrs,
        children: Vec::new(),
        text: String::new(),
        mixed: Vec::new(),
        scope,
    })
}

/// A value read from an element.
pub trait FromXml: Sized {
    /// Reads `self` from the element `node`.
    fn from_xml(node: &XmlNode) -> Result<Self, XmlError>;
}

/// A simple value read from text (element content or an attribute value).
pub trait FromXmlText: Sized {
    /// Parses the lexical form.
    fn from_xml_text(text: &str) -> Result<Self, XmlError>;

    /// Parses the lexical form found on or in `node` (QName values resolve their prefix with
    /// the declarations in scope there); the same as [`FromXmlText::from_xml_text`] otherwise.
    fn from_xml_text_at(text: &str, node: &XmlNode) -> Result<Self, XmlError> {
        let _ = node;
        Self::from_xml_text(text)
    }
}

/// One alternative of an `xs:choice` (or of mixed content), told apart by the element's name.
pub trait FromXmlChoice: Sized {
    /// Whether `node` is one of the alternatives (`declared`: the other children the
    /// enclosing type declares, which a wildcard alternative must leave alone).
    fn accepts(node: &XmlNode, declared: &[&str]) -> bool;
    /// Reads an accepted element.
    fn from_choice(node: &XmlNode) -> Result<Self, XmlError>;
    /// A piece of character data, for mixed content (`None`: text is not an alternative).
    fn from_text(text: &str) -> Option<Self> {
        let _ = text;
        None
    }
}

impl FromXmlText for String {
    fn from_xml_text(text: &str) -> Result<Self, XmlError> {
        Ok(text.to_owned())
    }
}

impl FromXmlText for bool {
    fn from_xml_text(text: &str) -> Result<Self, XmlError> {
        match text.trim() {
            "true" | "1" => Ok(true),
            "false" | "0" => Ok(false),
            other => Err(XmlError(format!("'{other}' is not an xs:boolean"))),
        }
    }
}

impl FromXmlText for f64 {
    fn from_xml_text(text: &str) -> Result<Self, XmlError> {
        match text.trim() {
            "INF" => Ok(f64::INFINITY),
            "-INF" => Ok(f64::NEG_INFINITY),
            "NaN" => Ok(f64::NAN),
            t => t
                .parse()
                .map_err(|_| XmlError(format!("'{t}' is not an xs:double"))),
        }
    }
}

macro_rules! parse_from_xml_text {
    ($($t:ty),*) => {$(
        impl FromXmlText for $t {
            fn from_xml_text(text: &str) -> Result<Self, XmlError> {
                let t = text.trim();
                t.strip_prefix('+').unwrap_or(t).parse().map_err(|_| {
                    XmlError(format!("'{t}' is not a valid {}", stringify!($t)))
                })
            }
        }
    )*};
}

parse_from_xml_text!(i8, i16, i32, i64, u8, u16, u32, u64);

impl<T: FromXmlText> FromXmlText for Box<T> {
    fn from_xml_text(text: &str) -> Result<Self, XmlError> {
        T::from_xml_text(text).map(Box::new)
    }
}

macro_rules! from_xml_via_text {
    ($($t:ty),*) => {$(
        impl FromXml for $t {
            fn from_xml(node: &XmlNode) -> Result<Self, XmlError> {
                <$t as FromXmlText>::from_xml_text(&node.text)
                    .map_err(|e| XmlError(format!("element '{}': {e}", node.local)))
            }
        }
    )*};
}

from_xml_via_text!(String, bool, f64, i8, i16, i32, i64, u8, u16, u32, u64);

impl<T: FromXml> FromXml for Box<T> {
    fn from_xml(node: &XmlNode) -> Result<Self, XmlError> {
        T::from_xml(node).map(Box::new)
    }
}

/// Raw XML keeps the whole element (with its namespace declarations).
impl FromXml for RawXml {
    fn from_xml(node: &XmlNode) -> Result<Self, XmlError> {
        Ok(RawXml(node.to_xml()))
    }
}

impl RawXml {
    /// Decodes this XML (one element, e.g. a SOAP response element) into a generated type.
    pub fn decode<T: FromXml>(&self) -> Result<T, XmlError> {
        T::from_xml(&XmlNode::parse(&self.0)?)
    }
}

/// The index of the first `(namespace, local)` in `names` that `node` is: an exact match
/// first, then the local name alone (servers that use another namespace).
pub fn match_name(node: &XmlNode, names: &[(&str, &str)]) -> Option<usize> {
    names
        .iter()
        .position(|(ns, l)| node.ns == *ns && node.local == *l)
        .or_else(|| names.iter().position(|(_, l)| node.local == *l))
}

/// The element's `xsi:type`, resolved with the prefixes in scope there (an undeclared prefix
/// is an error).
pub fn xsi_type(node: &XmlNode) -> Result<Option<(String, String)>, XmlError> {
    let Some((_, _, value)) = node
        .attrs
        .iter()
        .find(|(n, l, _)| n == crate::xml::XSI_NS && l == "type")
    else {
        return Ok(None);
    };
    node.resolve_qname(value).map(Some).ok_or_else(|| {
        XmlError(format!(
            "element '{}' has xsi:type '{value}' with an undeclared prefix",
            node.local
        ))
    })
}

/// Helpers generated code calls for each field.
pub mod field {
    use super::{FromXml, FromXmlChoice, FromXmlText, XmlError, XmlNode};

    /// A required child element.
    pub fn required<T: FromXml>(node: &XmlNode, ns: &str, local: &str) -> Result<T, XmlError> {
        match node.children_named(ns, local).first() {
            Some(c) => T::from_xml(c),
            None => Err(XmlError(format!(
                "element '{}' lacks its required child '{local}'",
                node.local
            ))),
        }
    }

    /// An optional child element.
    pub fn optional<T: FromXml>(
        node: &XmlNode,
        ns: &str,
        local: &str,
    ) -> Result<Option<T>, XmlError> {
        node.children_named(ns, local)
            .first()
            .map(|c| T::from_xml(c))
            .transpose()
    }

    /// A repeated child element.
    pub fn repeated<T: FromXml>(node: &XmlNode, ns: &str, local: &str) -> Result<Vec<T>, XmlError> {
        node.children_named(ns, local)
            .into_iter()
            .map(T::from_xml)
            .collect()
    }

    /// A required nillable child: `None` when it carries `xsi:nil`.
    pub fn nillable<T: FromXml>(
        node: &XmlNode,
        ns: &str,
        local: &str,
    ) -> Result<Option<T>, XmlError> {
        match node.children_named(ns, local).first() {
            Some(c) if c.is_nil() => Ok(None),
            Some(c) => T::from_xml(c).map(Some),
            None => Err(XmlError(format!(
                "element '{}' lacks its required child '{local}'",
                node.local
            ))),
        }
    }

    /// An optional nillable child: absent, nil, or a value.
    pub fn optional_nillable<T: FromXml>(
        node: &XmlNode,
        ns: &str,
        local: &str,
    ) -> Result<Option<Option<T>>, XmlError> {
        match node.children_named(ns, local).first() {
            None => Ok(None),
            Some(c) if c.is_nil() => Ok(Some(None)),
            Some(c) => T::from_xml(c).map(|v| Some(Some(v))),
        }
    }

    /// A required attribute.
    pub fn attribute<T: FromXmlText>(node: &XmlNode, ns: &str, local: &str) -> Result<T, XmlError> {
        match node.attr(ns, local) {
            Some(v) => T::from_xml_text_at(v, node),
            None => Err(XmlError(format!(
                "element '{}' lacks its required attribute '{local}'",
                node.local
            ))),
        }
    }

    /// An optional attribute.
    pub fn optional_attribute<T: FromXmlText>(
        node: &XmlNode,
        ns: &str,
        local: &str,
    ) -> Result<Option<T>, XmlError> {
        node.attr(ns, local)
            .map(|v| T::from_xml_text_at(v, node))
            .transpose()
    }

    /// The element's text.
    pub fn text<T: FromXmlText>(node: &XmlNode) -> Result<T, XmlError> {
        T::from_xml_text_at(&node.text, node)
    }

    /// A repeating choice (or mixed content): every accepted child, and for mixed content
    /// every piece of text, in document order. One pass over the children: always ends.
    pub fn choices<T: FromXmlChoice>(
        node: &XmlNode,
        declared: &[&str],
    ) -> Result<Vec<T>, XmlError> {
        let mut out = Vec::new();
        let mut segs = node.mixed.iter().peekable();
        for (i, c) in node.children.iter().enumerate() {
            while let Some((_, seg)) = segs.next_if(|(at, _)| *at <= i) {
                out.extend(T::from_text(seg));
            }
            if T::accepts(c, declared) {
                out.push(T::from_choice(c)?);
            }
        }
        for (_, seg) in segs {
            out.extend(T::from_text(seg));
        }
        Ok(out)
    }

    /// An optional choice: the first accepted child.
    pub fn optional_choice<T: FromXmlChoice>(
        node: &XmlNode,
        declared: &[&str],
    ) -> Result<Option<T>, XmlError> {
        node.children
            .iter()
            .find(|c| T::accepts(c, declared))
            .map(T::from_choice)
            .transpose()
    }

    /// A required choice (`what` names it in the error when no alternative is present).
    pub fn choice<T: FromXmlChoice>(
        node: &XmlNode,
        declared: &[&str],
        what: &str,
    ) -> Result<T, XmlError> {
        optional_choice(node, declared)?.ok_or_else(|| {
            XmlError(format!(
                "element '{}' lacks its required '{what}' (none of its alternatives is present)",
                node.local
            ))
        })
    }

    /// Attributes not declared by the type (`xs:anyAttribute`), `xsi:*` left out.
    pub fn any_attributes(node: &XmlNode, declared: &[&str]) -> crate::xml::AnyAttributes {
        crate::xml::AnyAttributes(
            node.attrs
                .iter()
                .filter(|(ns, l, _)| ns != crate::xml::XSI_NS && !declared.contains(&l.as_str()))
                .cloned()
                .collect(),
        )
    }

    /// Children no declared field matched (`xs:any`), kept as raw XML.
    pub fn any(node: &XmlNode, declared: &[&str]) -> Vec<crate::xml::RawXml> {
        node.children
            .iter()
            .filter(|c| !declared.contains(&c.local.as_str()))
            .map(|c| crate::xml::RawXml(c.to_xml()))
            .collect()
    }
}
