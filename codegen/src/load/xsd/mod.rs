//! XML Schema support for the WSDL loader: [`Loader`] reads a WSDL or XSD and everything it
//! imports or includes (offline; remote locations only through the catalog), [`Index`] finds
//! global components by QName across all loaded schemas, and [`lower`] turns them into model
//! types.
//!
//! Resolution rules:
//! - `wsdl:import`, `xs:import`, `xs:include` and `xs:redefine` locations resolve relative to
//!   the file that names them (a file loaded through the catalog resolves relative locations
//!   against its URL first, through the catalog, then next to the local copy).
//! - An absolute URL (`http:`, `https:`, `file:` …) is looked up in the catalog by the URL,
//!   then by the imported namespace. Nothing is ever downloaded; an unmapped URL is a located
//!   error saying which catalog entry to add, except for the well-known namespaces (SOAP
//!   encoding, SOAP envelope, WSDL, XML, XML Schema, xmime), whose few types are built in.
//! - An `xs:import` without `schemaLocation` resolves by namespace against every loaded schema
//!   (inline schemas of the same WSDL, or files loaded for other imports), then the catalog.
//! - A chameleon include (an included schema without `targetNamespace`) takes the includer's
//!   namespace, and its unprefixed references resolve in that namespace.
//! - Cycles are cut: a file is read once per namespace it is loaded into.

pub mod lower;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use super::xml::{self, Element};
use crate::diagnostics::{Diagnostics, Place};

/// The WSDL 1.1 namespace.
pub const WSDL: &str = "http://schemas.xmlsoap.org/wsdl/";
/// The XML Schema namespace.
pub const XSD: &str = "http://www.w3.org/2001/XMLSchema";
/// SOAP 1.1 encoding namespace.
pub const SOAP_ENC: &str = "http://schemas.xmlsoap.org/soap/encoding/";

/// Namespaces whose types are built in: an import of them needs no file.
pub const WELL_KNOWN: &[&str] = &[
    XSD,
    SOAP_ENC,
    WSDL,
    "http://www.w3.org/XML/1998/namespace",
    "http://www.w3.org/2003/05/soap-encoding",
    "http://www.w3.org/2005/05/xmlmime",
    "http://www.w3.org/2004/11/xmlmime",
    "http://schemas.xmlsoap.org/wsdl/soap/",
    "http://schemas.xmlsoap.org/wsdl/soap12/",
    SOAP11_ENVELOPE,
    SOAP12_ENVELOPE,
];

/// The SOAP 1.1 envelope namespace: a schema typing an element as `Envelope` or `Fault` gets
/// raw XML for it (the generator does not need the envelope's schema to keep it).
pub const SOAP11_ENVELOPE: &str = "http://schemas.xmlsoap.org/soap/envelope/";
/// The SOAP 1.2 envelope namespace (built in like [`SOAP11_ENVELOPE`]).
pub const SOAP12_ENVELOPE: &str = "http://www.w3.org/2003/05/soap-envelope";

/// A (namespace, local name) pair.
pub type QName = (String, String);

/// One parsed file.
#[derive(Debug)]
pub struct Doc {
    /// Where it was read from.
    pub path: PathBuf,
    /// The URL it stands for, when it was found through the catalog.
    pub url: Option<String>,
    /// Its root element.
    pub root: Element,
}

/// Where a schema sits: a file's root or an inline schema of a WSDL's `wsdl:types`.
#[derive(Debug, Clone)]
pub struct SchemaSrc {
    /// Index into [`Loader::docs`].
    pub doc: usize,
    /// `Some(i)`: the i-th `xs:schema` in the document's `wsdl:types`; `None`: the root.
    pub inline: Option<usize>,
    /// The namespace its components live in (the includer's, for a chameleon include).
    pub tns: String,
    /// Included without a targetNamespace of its own.
    pub chameleon: bool,
}

/// Reads documents and their imports.
pub struct Loader<'c> {
    catalog: &'c crate::load::catalog::Catalog,
    /// Every file read, in reading order (the entry document first).
    pub docs: Vec<Doc>,
    /// Every schema found.
    pub schemas: Vec<SchemaSrc>,
    /// Documents that are WSDL definitions (entry first).
    pub wsdl_docs: Vec<usize>,
    seen: BTreeSet<(PathBuf, String)>,
    chain: Vec<String>,
    /// Namespace-only imports still to satisfy: (namespace, file, line, col).
    pending_ns: Vec<(String, PathBuf, u32, u32)>,
}

enum Resolved {
    File(PathBuf, Option<String>),
    BuiltIn,
    Missing { message: String, fix: String },
}

fn is_url(s: &str) -> bool {
    s.split_once("://").is_some_and(|(scheme, _)| {
        !scheme.is_empty()
            && scheme
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '+')
    }) || s.starts_with("urn:")
}

/// Joins a relative reference to a base URL (enough for catalog look-ups).
fn join_url(base: &str, rel: &str) -> String {
    if is_url(rel) {
        return rel.to_string();
    }
    let base = base.split(['?', '#']).next().unwrap_or(base);
    if let Some(stripped) = rel.strip_prefix('/') {
        if let Some((scheme, rest)) = base.split_once("://") {
            let host = rest.split('/').next().unwrap_or(rest);
            return format!("{scheme}://{host}/{stripped}");
        }
    }
    match base.rfind('/') {
        Some(i) => format!("{}/{}", &base[..i], rel),
        None => rel.to_string(),
    }
}

impl<'c> Loader<'c> {
    /// A loader using `catalog` (URL or namespace → local file) for remote locations.
    pub fn new(catalog: &'c crate::load::catalog::Catalog) -> Self {
        Loader {
            catalog,
            docs: Vec::new(),
            schemas: Vec::new(),
            wsdl_docs: Vec::new(),
            seen: BTreeSet::new(),
            chain: Vec::new(),
            pending_ns: Vec::new(),
        }
    }

    fn catalog_get(&self, key: &str) -> Option<PathBuf> {
        self.catalog.get(key)
    }

    /// A remote location the catalog lacks, through the fetch hook when there is one.
    fn fetched(&self, url: &str) -> Option<Resolved> {
        match self.catalog.url(url)? {
            Ok(path) => Some(Resolved::File(path, Some(url.to_string()))),
            Err(e) => Some(Resolved::Missing {
                message: format!("'{url}' could not be downloaded: {e}"),
                fix:
                    "check the URL and the network, or map it to a local copy with a catalog entry"
                        .into(),
            }),
        }
    }

    fn resolve(
        &self,
        from: &Path,
        from_url: Option<&str>,
        location: &str,
        namespace: Option<&str>,
    ) -> Resolved {
        let catalog_fix = |what: &str| {
            format!(
                "add a catalog entry mapping {what} to a local copy: Config::catalog_entry(\"{what}\", \"path/to/file.xsd\") or `\"{what}\" = \"path/to/file.xsd\"` under [catalog] in codegen.toml"
            )
        };
        if is_url(location) {
            if let Some(p) = self.catalog_get(location) {
                return Resolved::File(p, Some(location.to_string()));
            }
            if let Some(p) = namespace.and_then(|ns| self.catalog_get(ns)) {
                return Resolved::File(p, Some(location.to_string()));
            }
            if namespace.is_some_and(|ns| WELL_KNOWN.contains(&ns)) {
                return Resolved::BuiltIn;
            }
            if let Some(fetched) = self.fetched(location) {
                return fetched;
            }
            return Resolved::Missing {
                message: format!(
                    "'{location}' is a remote location and is not in the catalog (nothing is downloaded unless `codegen generate` runs with --allow-network)"
                ),
                fix: catalog_fix(location),
            };
        }
        if let Some(base) = from_url {
            let url = join_url(base, location);
            if let Some(p) = self.catalog_get(&url) {
                return Resolved::File(p, Some(url));
            }
        }
        let local = location.split('#').next().unwrap_or(location);
        let local = percent_decode(local);
        let path = from.parent().unwrap_or(Path::new("")).join(&local);
        if path.is_file() {
            return Resolved::File(path, from_url.map(|b| join_url(b, location)));
        }
        if let Some(p) = namespace.and_then(|ns| self.catalog_get(ns)) {
            return Resolved::File(p, None);
        }
        if namespace.is_some_and(|ns| WELL_KNOWN.contains(&ns)) {
            return Resolved::BuiltIn;
        }
        // A relative location inside a remote document is remote too.
        if let Some(fetched) = from_url.and_then(|base| self.fetched(&join_url(base, location))) {
            return fetched;
        }
        let mut chain = self.chain.join(" -> ");
        if !chain.is_empty() {
            chain = format!(" (reached through {chain})");
        }
        Resolved::Missing {
            message: format!(
                "cannot read '{location}': {} does not exist{chain}",
                path.display()
            ),
            fix: format!(
                "supply the file at that path, or map the location{} to a local file with a catalog entry (Config::catalog_entry or [catalog] in codegen.toml)",
                namespace
                    .map(|ns| format!(" or its namespace '{ns}'"))
                    .unwrap_or_default()
            ),
        }
    }

    fn read(&mut self, path: &Path, diags: &mut Diagnostics) -> Option<Element> {
        let text = match std::fs::read_to_string(path) {
            Ok(t) => t,
            Err(e) => {
                diags.error(
                    path,
                    Place::File,
                    format!("cannot read the file: {e}"),
                    "check the path exists and is readable UTF-8",
                );
                return None;
            }
        };
        match xml::parse(&text) {
            Ok(r) => Some(r),
            Err((l, c, msg)) => {
                diags.error(
                    path,
                    Place::LineCol(l, c),
                    format!("not well-formed XML: {msg}"),
                    "fix the XML syntax (the document may be truncated)",
                );
                None
            }
        }
    }

    fn key(path: &Path, ns: &str) -> (PathBuf, String) {
        (
            std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf()),
            ns.to_string(),
        )
    }

    /// Reads the entry document (a WSDL, or a bare XSD) and everything it imports.
    pub fn load_entry(&mut self, path: &Path, diags: &mut Diagnostics) {
        let Some(root) = self.read(path, diags) else {
            return;
        };
        self.seen.insert(Self::key(path, ""));
        self.add_doc(path.to_path_buf(), None, root, None, diags);
        self.check_pending(diags);
    }

    fn add_doc(
        &mut self,
        path: PathBuf,
        url: Option<String>,
        root: Element,
        chameleon_ns: Option<String>,
        diags: &mut Diagnostics,
    ) {
        let idx = self.docs.len();
        let is_wsdl = root.ns == WSDL && root.local == "definitions";
        let is_schema = root.ns == XSD && root.local == "schema";
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().to_string())
            .unwrap_or_default();
        self.docs.push(Doc { path, url, root });
        self.chain.push(name);
        if is_wsdl {
            self.wsdl_docs.push(idx);
            self.scan_wsdl(idx, diags);
        } else if is_schema {
            self.scan_schema(idx, None, chameleon_ns, diags);
        } else if idx == 0 {
            let d = &self.docs[idx];
            diags.error(
                &d.path,
                Place::LineCol(d.root.line, d.root.col),
                format!(
                    "expected wsdl:definitions (WSDL 1.1) or xs:schema, found '{}' in namespace '{}'",
                    d.root.local, d.root.ns
                ),
                "give a WSDL 1.1 document whose root is {http://schemas.xmlsoap.org/wsdl/}definitions, or an XML Schema",
            );
        } else {
            let d = &self.docs[idx];
            diags.error(
                &d.path,
                Place::LineCol(d.root.line, d.root.col),
                format!(
                    "an imported document must be a WSDL or an XML Schema, found '{}' in namespace '{}'",
                    d.root.local, d.root.ns
                ),
                "fix the import's location",
            );
        }
        self.chain.pop();
    }

    /// What one import names: (location, namespace, line, col, is_include).
    fn scan_wsdl(&mut self, idx: usize, diags: &mut Diagnostics) {
        let root = &self.docs[idx].root;
        let mut imports = Vec::new();
        for imp in root.children_named(WSDL, "import") {
            if let Some(loc) = imp.attr("location") {
                imports.push((
                    loc.to_string(),
                    imp.attr("namespace").map(str::to_string),
                    imp.line,
                    imp.col,
                ));
            }
        }
        let inline = root
            .child(WSDL, "types")
            .map(|t| t.children_named(XSD, "schema").count())
            .unwrap_or(0);
        for i in 0..inline {
            self.scan_schema(idx, Some(i), None, diags);
        }
        for (loc, ns, line, col) in imports {
            self.follow(idx, &loc, ns.as_deref(), None, line, col, diags);
        }
    }

    /// The schema element of a source.
    pub fn schema_el(docs: &[Doc], doc: usize, inline: Option<usize>) -> &Element {
        let root = &docs[doc].root;
        match inline {
            None => root,
            Some(i) => root
                .child(WSDL, "types")
                .and_then(|t| t.children_named(XSD, "schema").nth(i))
                .unwrap_or(root),
        }
    }

    fn scan_schema(
        &mut self,
        idx: usize,
        inline: Option<usize>,
        chameleon_ns: Option<String>,
        diags: &mut Diagnostics,
    ) {
        let el = Self::schema_el(&self.docs, idx, inline);
        let own = el.attr("targetNamespace").map(str::to_string);
        let (tns, chameleon) = match (&own, chameleon_ns) {
            (Some(t), _) => (t.clone(), false),
            (None, Some(c)) if !c.is_empty() => (c, true),
            (None, _) => (String::new(), false),
        };
        let mut refs = Vec::new();
        for c in el.children.iter().filter(|c| c.ns == XSD) {
            let include = match c.local.as_str() {
                "import" => false,
                "include" | "redefine" | "override" => true,
                _ => continue,
            };
            let ns = if include {
                None
            } else {
                Some(c.attr("namespace").unwrap_or_default().to_string())
            };
            refs.push((
                c.attr("schemaLocation").map(str::to_string),
                ns,
                include,
                c.line,
                c.col,
            ));
        }
        self.schemas.push(SchemaSrc {
            doc: idx,
            inline,
            tns: tns.clone(),
            chameleon,
        });
        for (loc, ns, include, line, col) in refs {
            match loc {
                Some(loc) => {
                    let cham = include.then(|| tns.clone());
                    self.follow(idx, &loc, ns.as_deref(), cham, line, col, diags)
                }
                None => {
                    if let Some(ns) = ns {
                        let path = self.docs[idx].path.clone();
                        self.pending_ns.push((ns, path, line, col));
                    }
                }
            }
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn follow(
        &mut self,
        from: usize,
        location: &str,
        namespace: Option<&str>,
        chameleon_ns: Option<String>,
        line: u32,
        col: u32,
        diags: &mut Diagnostics,
    ) {
        let from_path = self.docs[from].path.clone();
        let from_url = self.docs[from].url.clone();
        match self.resolve(&from_path, from_url.as_deref(), location, namespace) {
            Resolved::BuiltIn => {}
            Resolved::Missing { message, fix } => {
                diags.error(&from_path, Place::LineCol(line, col), message, fix);
            }
            Resolved::File(path, url) => {
                let key = Self::key(&path, chameleon_ns.as_deref().unwrap_or(""));
                if !self.seen.insert(key) {
                    return;
                }
                let Some(root) = self.read(&path, diags) else {
                    return;
                };
                if chameleon_ns.is_some() && root.attr("targetNamespace").is_some() {
                    // Not a chameleon after all: one copy per file.
                    if !self.seen.insert(Self::key(&path, "")) {
                        return;
                    }
                }
                self.add_doc(path, url, root, chameleon_ns, diags);
            }
        }
    }

    /// Namespace-only imports must be satisfied by some loaded schema, the catalog, or a
    /// well-known namespace.
    fn check_pending(&mut self, diags: &mut Diagnostics) {
        let pending = std::mem::take(&mut self.pending_ns);
        for (ns, file, line, col) in pending {
            if WELL_KNOWN.contains(&ns.as_str()) || self.schemas.iter().any(|s| s.tns == ns) {
                continue;
            }
            if let Some(p) = self.catalog_get(&ns) {
                let key = Self::key(&p, "");
                if self.seen.insert(key) {
                    if let Some(root) = self.read(&p, diags) {
                        self.add_doc(p, None, root, None, diags);
                    }
                }
                continue;
            }
            diags.warn(
                &file,
                Place::LineCol(line, col),
                format!(
                    "xs:import of namespace '{ns}' has no schemaLocation and no loaded schema has that targetNamespace; references into it will fail (map the namespace to a local file with a catalog entry)"
                ),
            );
        }
    }
}

fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).unwrap_or("");
            if let Ok(v) = u8::from_str_radix(hex, 16) {
                out.push(v);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8(out).unwrap_or_else(|_| s.to_string())
}

/// One loaded schema with the facts lowering needs.
#[derive(Debug, Clone)]
pub struct Schema<'a> {
    /// The `xs:schema` element.
    pub el: &'a Element,
    /// The file it is in.
    pub file: &'a Path,
    /// Its (effective) target namespace.
    pub tns: String,
    /// Chameleon-included: unqualified references resolve in `tns`.
    pub chameleon: bool,
    /// elementFormDefault="qualified".
    pub elements_qualified: bool,
    /// attributeFormDefault="qualified".
    pub attributes_qualified: bool,
}

/// A global component and the schema declaring it.
#[derive(Debug, Clone, Copy)]
pub struct Comp<'a> {
    /// The declaration.
    pub el: &'a Element,
    /// Index into [`Index::schemas`].
    pub schema: usize,
}

/// Global schema components by QName.
#[derive(Debug, Default)]
pub struct Index<'a> {
    /// All schemas.
    pub schemas: Vec<Schema<'a>>,
    /// Global elements.
    pub elements: BTreeMap<QName, Comp<'a>>,
    /// Named complex types.
    pub complex_types: BTreeMap<QName, Comp<'a>>,
    /// Named simple types.
    pub simple_types: BTreeMap<QName, Comp<'a>>,
    /// Model groups.
    pub groups: BTreeMap<QName, Comp<'a>>,
    /// Attribute groups.
    pub attribute_groups: BTreeMap<QName, Comp<'a>>,
    /// Global attributes.
    pub attributes: BTreeMap<QName, Comp<'a>>,
    /// Substitution group members by head.
    pub substitutes: BTreeMap<QName, Vec<QName>>,
}

impl<'a> Index<'a> {
    /// Indexes every schema the loader found (first declaration of a QName wins).
    pub fn new(loader: &'a Loader<'_>) -> Self {
        let mut idx = Index::default();
        for src in &loader.schemas {
            let el = Loader::schema_el(&loader.docs, src.doc, src.inline);
            let s = idx.schemas.len();
            idx.schemas.push(Schema {
                el,
                file: &loader.docs[src.doc].path,
                tns: src.tns.clone(),
                chameleon: src.chameleon,
                elements_qualified: el.attr("elementFormDefault") == Some("qualified"),
                attributes_qualified: el.attr("attributeFormDefault") == Some("qualified"),
            });
            let mut items: Vec<&'a Element> = Vec::new();
            for c in el.children.iter().filter(|c| c.ns == XSD) {
                if c.local == "redefine" || c.local == "override" {
                    items.extend(c.children.iter().filter(|c| c.ns == XSD));
                } else {
                    items.push(c);
                }
            }
            for item in items {
                let Some(name) = item.attr("name") else {
                    continue;
                };
                let q = (src.tns.clone(), name.to_string());
                let map = match item.local.as_str() {
                    "element" => &mut idx.elements,
                    "complexType" => &mut idx.complex_types,
                    "simpleType" => &mut idx.simple_types,
                    "group" => &mut idx.groups,
                    "attributeGroup" => &mut idx.attribute_groups,
                    "attribute" => &mut idx.attributes,
                    _ => continue,
                };
                map.entry(q).or_insert(Comp {
                    el: item,
                    schema: s,
                });
            }
        }
        let heads: Vec<(QName, QName)> = idx
            .elements
            .iter()
            .filter_map(|(q, c)| {
                let head = c.el.attr("substitutionGroup")?;
                Some((idx.qname(c.schema, c.el, head)?, q.clone()))
            })
            .collect();
        for (head, member) in heads {
            idx.substitutes.entry(head).or_default().push(member);
        }
        idx
    }

    /// Resolves a QName-valued attribute of `el` (declared in schema `schema`), applying the
    /// chameleon rule.
    pub fn qname(&self, schema: usize, el: &Element, value: &str) -> Option<QName> {
        let (ns, local) = el.resolve_qname(value.trim())?;
        let s = &self.schemas[schema];
        if ns.is_empty() && s.chameleon {
            return Some((s.tns.clone(), local));
        }
        Some((ns, local))
    }
}
