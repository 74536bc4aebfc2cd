//! A small namespace-aware XML tree with line:column positions, read with quick-xml.

use std::collections::BTreeMap;

use quick_xml::events::{BytesStart, Event};
use quick_xml::Reader;

/// An element with resolved namespace, attributes, children and its position.
#[derive(Debug, Clone)]
pub struct Element {
    /// Namespace URI of the element ("" when none).
    pub ns: String,
    /// Local name.
    pub local: String,
    /// Attributes by their raw (possibly prefixed) name.
    pub attrs: Vec<(String, String)>,
    /// Child elements in order.
    pub children: Vec<Element>,
    /// Concatenated text content.
    pub text: String,
    /// Prefix → namespace bindings in scope here ("" is the default namespace).
    pub scope: BTreeMap<String, String>,
    /// 1-based line of the start tag.
    pub line: u32,
    /// 1-based column of the start tag.
    pub col: u32,
}

impl Element {
    /// The value of an unprefixed attribute.
    pub fn attr(&self, name: &str) -> Option<&str> {
        self.attrs
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    /// Children with this namespace and local name.
    pub fn children_named<'a>(
        &'a self,
        ns: &str,
        local: &str,
    ) -> impl Iterator<Item = &'a Element> + 'a {
        let (ns, local) = (ns.to_string(), local.to_string());
        self.children
            .iter()
            .filter(move |c| c.ns == ns && c.local == local)
    }

    /// The first child with this namespace and local name.
    pub fn child(&self, ns: &str, local: &str) -> Option<&Element> {
        self.children_named(ns, local).next()
    }

    /// Resolves a QName attribute value (`prefix:local`) against the bindings in scope.
    pub fn resolve_qname(&self, value: &str) -> Option<(String, String)> {
        let (prefix, local) = value.split_once(':').unwrap_or(("", value));
        let ns = self.scope.get(prefix).cloned().or_else(|| {
            if prefix.is_empty() {
                Some(String::new())
            } else {
                None
            }
        })?;
        Some((ns, local.to_string()))
    }

    /// Text of a `documentation` child in the given namespace, trimmed.
    pub fn documentation(&self, ns: &str) -> Option<String> {
        let t = self.child(ns, "documentation")?.text.trim().to_string();
        (!t.is_empty()).then_some(t)
    }
}

/// Parses a document; the error carries line, column and message.
pub fn parse(text: &str) -> Result<Element, (u32, u32, String)> {
    let mut reader = Reader::from_str(text);
    let lines = LineIndex::new(text);
    let mut stack: Vec<Element> = Vec::new();
    let mut root: Option<Element> = None;
    loop {
        let pos = reader.buffer_position() as usize;
        let event = reader.read_event().map_err(|e| {
            let (l, c) = line_col(text, reader.error_position() as usize);
            (l, c, e.to_string())
        })?;
        match event {
            Event::Start(start) => {
                let el = open(&start, stack.last().map(|p| &p.scope), text, pos, &lines)?;
                stack.push(el);
            }
            Event::Empty(start) => {
                let el = open(&start, stack.last().map(|p| &p.scope), text, pos, &lines)?;
                attach(&mut stack, &mut root, el);
            }
            Event::End(_) => {
                if let Some(el) = stack.pop() {
                    attach(&mut stack, &mut root, el);
                }
            }
            Event::Text(t) => {
                if let Some(top) = stack.last_mut() {
                    let s = t.unescape().map_err(|e| {
                        let (l, c) = line_col(text, pos);
                        (l, c, e.to_string())
                    })?;
                    top.text.push_str(&s);
                }
            }
            Event::CData(t) => {
                if let Some(top) = stack.last_mut() {
                    top.text.push_str(&String::from_utf8_lossy(&t));
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    if !stack.is_empty() {
        let (l, c) = line_col(text, text.len());
        return Err((
            l,
            c,
            "unexpected end of document: an element is not closed".into(),
        ));
    }
    root.ok_or((1, 1, "the document has no root element".into()))
}

fn attach(stack: &mut [Element], root: &mut Option<Element>, el: Element) {
    match stack.last_mut() {
        Some(parent) => parent.children.push(el),
        None => *root = Some(el),
    }
}

fn open(
    start: &BytesStart<'_>,
    parent_scope: Option<&BTreeMap<String, String>>,
    text: &str,
    pos: usize,
    lines: &LineIndex,
) -> Result<Element, (u32, u32, String)> {
    let (line, col) = lines.line_col(text, pos);
    let mut scope = parent_scope.cloned().unwrap_or_else(|| {
        let mut m = BTreeMap::new();
        m.insert(
            "xml".to_string(),
            "http://www.w3.org/XML/1998/namespace".to_string(),
        );
        m
    });
    let mut attrs = Vec::new();
    for a in start.attributes() {
        let a = a.map_err(|e| (line, col, e.to_string()))?;
        let key = String::from_utf8_lossy(a.key.as_ref()).to_string();
        let value = a
            .unescape_value()
            .map_err(|e| (line, col, e.to_string()))?
            .to_string();
        if key == "xmlns" {
            scope.insert(String::new(), namespace_alias(value));
        } else if let Some(p) = key.strip_prefix("xmlns:") {
            scope.insert(p.to_string(), namespace_alias(value));
        } else {
            attrs.push((key, value));
        }
    }
    let raw = String::from_utf8_lossy(start.name().as_ref()).to_string();
    let (prefix, local) = raw
        .split_once(':')
        .map(|(p, l)| (p.to_string(), l.to_string()))
        .unwrap_or((String::new(), raw.clone()));
    let ns = scope.get(&prefix).cloned().unwrap_or_default();
    Ok(Element {
        ns,
        local,
        attrs,
        children: Vec::new(),
        text: String::new(),
        scope,
        line,
        col,
    })
}

/// The namespaces of the XML Schema working drafts (1999, 2000/10), which SOAP toolkits of
/// that time (SOAP::Lite, early Apache SOAP) still write, are read as the XML Schema 1.0
/// Recommendation's namespace: their elements and built-in type names are the same.
fn namespace_alias(uri: String) -> String {
    match uri.as_str() {
        "http://www.w3.org/1999/XMLSchema" | "http://www.w3.org/2000/10/XMLSchema" => {
            "http://www.w3.org/2001/XMLSchema".to_string()
        }
        _ => uri,
    }
}

/// Line starts of a text, for line:column look-ups in O(log n) (large WSDLs have many elements).
struct LineIndex {
    starts: Vec<usize>,
}

impl LineIndex {
    fn new(text: &str) -> Self {
        let mut starts = vec![0];
        starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        LineIndex { starts }
    }

    fn line_col(&self, text: &str, offset: usize) -> (u32, u32) {
        let offset = offset.min(text.len());
        let line = self.starts.partition_point(|&s| s <= offset).max(1);
        let start = self.starts[line - 1];
        let col = text
            .get(start..offset)
            .map(|l| l.chars().count())
            .unwrap_or(offset - start);
        (line as u32, col as u32 + 1)
    }
}

/// 1-based line and column of a byte offset.
pub fn line_col(text: &str, offset: usize) -> (u32, u32) {
    let before = &text[..offset.min(text.len())];
    let line = before.matches('\n').count() as u32 + 1;
    let col = before
        .rsplit('\n')
        .next()
        .map(|l| l.chars().count())
        .unwrap_or(0) as u32
        + 1;
    (line, col)
}
