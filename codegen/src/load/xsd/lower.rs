//! XSD components → model types.
//!
//! Mapping (documented choices):
//! - A complex type becomes an `XmlStruct`: attributes, then child elements in schema order,
//!   then (for simple content) the text value. `complexContent` extension copies the base's
//!   fields first (any depth); restriction keeps the restriction's own content.
//! - `xs:sequence` / `xs:all` / `xs:group` are flattened into the struct; a `minOccurs="0"` or
//!   `maxOccurs>1` on a container applies to everything in it. Each branch of a single
//!   `xs:choice` becomes an optional field; a repeating choice becomes one list of a choice
//!   enum (`Vec<OwnerAOrB>`), so the order of the items survives.
//!   A bounded `maxOccurs` is checked when encoding (`XmlWriter::finish_checked` refuses
//!   more items, naming the choice).
//! - Mixed content (`mixed="true"`) becomes one `content` list of an enum over text, the
//!   declared elements and (with `xs:any`) raw XML, in document order. A wildcard
//!   alternative takes every element no other alternative names, whatever its namespace
//!   (`##other` is not enforced when reading: such elements are kept, never dropped).
//! - `xs:any` is kept as raw XML (repeated `any` field); `xs:anyAttribute` becomes an
//!   `any_attributes` field holding every attribute the type does not declare.
//! - An element `ref` takes the referenced global element's name, namespace and type; a
//!   reference to a substitution-group head becomes one field (named after the head) of an
//!   enum over the members (the head itself too unless it is abstract).
//! - A complex type that other types extend or restrict is used, wherever an element declares
//!   it, through an enum `Any<Type>` over it (unless abstract) and every type derived from it,
//!   told apart by `xsi:type` (prefixes resolved with the instance document's declarations).
//! - Local elements and attributes are namespace-qualified by their own `form` or the
//!   declaring schema's `elementFormDefault` / `attributeFormDefault`, in the declaring
//!   schema's target namespace.
//! - A simple type with enumeration facets becomes an enum (unknown values are kept); other
//!   restrictions take their base's representation; lists and unions are strings.
//! - Built-ins: `int`/`short`/`byte`/`unsignedShort`/`unsignedByte` → `i32`, `long`/`unsignedInt`
//!   → `i64`, `boolean` → `bool`, `float`/`double` → `f64`, `anyType` → raw XML; `decimal` and
//!   the unbounded integers (`integer`, `nonNegativeInteger`, `unsignedLong`, …) → the runtime's
//!   exact `xsd::Decimal` / `xsd::Integer` (an integer restriction whose facets bound it to 64
//!   or 32 bits → `i64` / `i32`); `dateTime`/`date`/`time` → `xsd::DateTime`/`Date`/`Time`
//!   (offset kept), `duration` → `xsd::Duration` (months kept), `base64Binary` → `Base64`
//!   (bytes), `QName` → `xsd::QName` (namespace + local name); everything else stays the exact
//!   text as a `String`, so no value is rounded or reformatted.

use std::collections::BTreeMap;

use super::{Comp, Index, QName, SOAP_ENC, XSD};
use crate::diagnostics::{Diagnostics, Place};
use crate::emit::ident::pascal;
use crate::model::{Api, Name, TypeDef, TypeKind, TypeRef, XmlField, XmlVariant, XmlVariantKind};

const MAX_DEPTH: usize = 64;

/// Lowers schema components on demand, once each.
pub struct Lowerer<'i, 'a> {
    /// The schemas.
    pub idx: &'i Index<'a>,
    /// Where types go.
    pub api: &'i mut Api,
    /// Where problems go.
    pub diags: &'i mut Diagnostics,
    types: BTreeMap<QName, TypeRef>,
    elements: BTreeMap<QName, TypeRef>,
    /// Complex types by the base they extend or restrict (built on first use).
    derived: Option<BTreeMap<QName, Vec<QName>>>,
    /// The `xsi:type` enums of complex types that have derived types.
    polymorphic: BTreeMap<QName, TypeRef>,
}

#[derive(Clone, Copy, Default)]
struct Occ {
    optional: bool,
    repeated: bool,
}

fn occurs(el: &crate::load::xml::Element, outer: Occ) -> Occ {
    let min = el.attr("minOccurs").map(str::trim).unwrap_or("1");
    let max = el.attr("maxOccurs").map(str::trim).unwrap_or("1");
    Occ {
        optional: outer.optional || min == "0",
        repeated: outer.repeated || (max != "1" && max != "0"),
    }
}

/// The representation of a built-in XSD (or SOAP-encoding) type.
pub fn builtin(local: &str) -> TypeRef {
    match local {
        "int" | "short" | "byte" | "unsignedShort" | "unsignedByte" => TypeRef::Int32,
        "long" | "unsignedInt" => TypeRef::Integer,
        "boolean" => TypeRef::Boolean,
        "double" | "float" => TypeRef::Double,
        "anyType" | "Array" | "Struct" => TypeRef::RawXml,
        "decimal" => xsd_type("Decimal"),
        "integer" | "nonNegativeInteger" | "positiveInteger" | "nonPositiveInteger"
        | "negativeInteger" | "unsignedLong" => xsd_type("Integer"),
        "dateTime" => xsd_type("DateTime"),
        "date" => xsd_type("Date"),
        "time" => xsd_type("Time"),
        "duration" => xsd_type("Duration"),
        "QName" => xsd_type("QName"),
        "base64Binary" => TypeRef::External(crate::load::openapi::BASE64_TYPE.to_string()),
        _ => TypeRef::String,
    }
}

/// A type of the runtime's `xsd` module.
fn xsd_type(name: &str) -> TypeRef {
    TypeRef::External(format!("$rt::xsd::{name}"))
}

/// The primitive an integer restriction fits in when its facets bound it (`base` is the
/// built-in it restricts): `i32`, `i64`, or `None` (stays arbitrary-precision).
fn bounded_integer(base: &str, r: &crate::load::xml::Element) -> Option<TypeRef> {
    let facet = |name: &str| {
        r.child(XSD, name)
            .and_then(|f| f.attr("value"))
            .and_then(|v| v.trim().trim_start_matches('+').parse::<i128>().ok())
    };
    let min = facet("minInclusive")
        .or_else(|| facet("minExclusive").map(|v| v + 1))
        .or(match base {
            "nonNegativeInteger" | "unsignedLong" => Some(0),
            "positiveInteger" => Some(1),
            _ => None,
        });
    let max = facet("maxInclusive")
        .or_else(|| facet("maxExclusive").map(|v| v - 1))
        .or(match base {
            "nonPositiveInteger" => Some(0),
            "negativeInteger" => Some(-1),
            _ => None,
        });
    let digits = r
        .child(XSD, "totalDigits")
        .and_then(|f| f.attr("value"))
        .and_then(|v| v.trim().parse::<u32>().ok());
    let (min, max) = match (min, max, digits) {
        (Some(a), Some(b), _) => (a, b),
        (_, _, Some(d)) if d <= 18 => {
            let m = 10i128.pow(d) - 1;
            (min.unwrap_or(-m).max(-m), max.unwrap_or(m).min(m))
        }
        _ => return None,
    };
    if min >= i128::from(i32::MIN) && max <= i128::from(i32::MAX) {
        Some(TypeRef::Int32)
    } else if min >= i128::from(i64::MIN) && max <= i128::from(i64::MAX) {
        Some(TypeRef::Integer)
    } else {
        None
    }
}

impl<'i, 'a> Lowerer<'i, 'a> {
    /// A lowerer over `idx` adding types to `api`.
    pub fn new(idx: &'i Index<'a>, api: &'i mut Api, diags: &'i mut Diagnostics) -> Self {
        Lowerer {
            idx,
            api,
            diags,
            types: BTreeMap::new(),
            elements: BTreeMap::new(),
            derived: None,
            polymorphic: BTreeMap::new(),
        }
    }

    fn at(el: &crate::load::xml::Element) -> Place {
        Place::LineCol(el.line, el.col)
    }

    fn file(&self, schema: usize) -> &'a std::path::Path {
        self.idx.schemas[schema].file
    }

    fn doc(el: &crate::load::xml::Element) -> Option<String> {
        el.child(XSD, "annotation")
            .and_then(|a| a.documentation(XSD))
    }

    fn unresolved(&mut self, schema: usize, at: &crate::load::xml::Element, what: &str, q: &QName) {
        let file = self.file(schema);
        self.diags.error(
            file,
            Self::at(at),
            format!("{what} '{{{}}}{}' is not declared in any loaded schema", q.0, q.1),
            "import the schema that declares it (xs:import with a schemaLocation, or a catalog entry mapping its namespace to a local file)",
        );
    }

    /// The type of the global element `q` (None when it is not declared).
    pub fn element(&mut self, q: &QName) -> Option<TypeRef> {
        if let Some(t) = self.elements.get(q) {
            return Some(t.clone());
        }
        let comp = *self.idx.elements.get(q)?;
        let t = self.element_decl_type(comp.schema, comp.el, &q.1, &q.0, Some(q), 0);
        self.elements.insert(q.clone(), t.clone());
        Some(t)
    }

    /// The type of an element declaration: inline complex/simple type, `type=`, or anyType.
    fn element_decl_type(
        &mut self,
        schema: usize,
        el: &'a crate::load::xml::Element,
        name: &str,
        ns: &str,
        global: Option<&QName>,
        depth: usize,
    ) -> TypeRef {
        if let Some(ct) = el.child(XSD, "complexType") {
            let key = format!("{{{ns}}}{name}");
            return self.complex_type_at(schema, ct, name, key, global.map(|q| (q, true)), el);
        }
        if let Some(st) = el.child(XSD, "simpleType") {
            return self.simple_inline(schema, st, name, &format!("{{{ns}}}{name}"));
        }
        if let Some(t) = el.attr("type").and_then(|t| self.idx.qname(schema, el, t)) {
            return self.type_ref(schema, el, &t);
        }
        if let Some(head) = el
            .attr("substitutionGroup")
            .and_then(|h| self.idx.qname(schema, el, h))
        {
            if depth < MAX_DEPTH {
                if let Some(h) = self.idx.elements.get(&head).copied() {
                    return self.element_decl_type(
                        h.schema,
                        h.el,
                        &head.1,
                        &head.0,
                        None,
                        depth + 1,
                    );
                }
            }
        }
        TypeRef::RawXml
    }

    /// A named type (simple or complex) referenced from `at` in `schema`.
    pub fn type_ref(
        &mut self,
        schema: usize,
        at: &crate::load::xml::Element,
        q: &QName,
    ) -> TypeRef {
        if q.0 == XSD || q.0 == SOAP_ENC {
            return builtin(&q.1);
        }
        if let Some(c) = self.idx.complex_types.get(q).copied() {
            let t = match self.types.get(q) {
                Some(t) => t.clone(),
                None => self.complex_type(q, c),
            };
            return self.polymorphic(q, c, t);
        }
        if let Some(t) = self.types.get(q) {
            return t.clone();
        }
        if let Some(c) = self.idx.simple_types.get(q).copied() {
            // Placeholder against (invalid) self-reference.
            self.types.insert(q.clone(), TypeRef::String);
            let t = self.simple_inline(c.schema, c.el, &q.1, &format!("{{{}}}{}", q.0, q.1));
            self.types.insert(q.clone(), t.clone());
            return t;
        }
        if q.0 == super::SOAP11_ENVELOPE || q.0 == super::SOAP12_ENVELOPE {
            return TypeRef::RawXml;
        }
        if super::WELL_KNOWN.contains(&q.0.as_str()) {
            return TypeRef::String;
        }
        if self.idx.schemas.iter().any(|s| s.tns == q.0) {
            // The namespace's schema is loaded but lacks the name: a mistake in the document,
            // not a missing import. Element content is kept as raw XML, anything else as text.
            let file = self.file(schema);
            let kept = if at.local == "element" {
                "raw XML"
            } else {
                "text"
            };
            self.diags.warn(
                file,
                Self::at(at),
                format!(
                    "type '{{{}}}{}' is not declared in its namespace's schema; the value is kept as {kept}",
                    q.0, q.1
                ),
            );
            return if at.local == "element" {
                TypeRef::RawXml
            } else {
                TypeRef::String
            };
        }
        // Not cached: every place that uses it is reported.
        self.unresolved(schema, at, "type", q);
        TypeRef::String
    }

    /// Every complex type derived (at any depth) from `base`, in a stable order.
    fn derived_from(&mut self, base: &QName) -> Vec<QName> {
        let idx = self.idx;
        let map = self.derived.get_or_insert_with(|| {
            let mut map: BTreeMap<QName, Vec<QName>> = BTreeMap::new();
            for (q, c) in &idx.complex_types {
                let Some(d) = c.el.child(XSD, "complexContent").and_then(|cc| {
                    cc.child(XSD, "extension")
                        .or_else(|| cc.child(XSD, "restriction"))
                }) else {
                    continue;
                };
                if let Some(b) = d.attr("base").and_then(|b| idx.qname(c.schema, d, b)) {
                    if &b != q {
                        map.entry(b).or_default().push(q.clone());
                    }
                }
            }
            map
        });
        let mut out: Vec<QName> = Vec::new();
        let mut todo = vec![base.clone()];
        while let Some(b) = todo.pop() {
            for d in map.get(&b).into_iter().flatten() {
                if d != base && !out.contains(d) && out.len() < 4096 {
                    out.push(d.clone());
                    todo.push(d.clone());
                }
            }
        }
        out.sort();
        out
    }

    /// `own` (the struct of complex type `q`), or, when other types derive from `q`, the enum
    /// over `q` (unless abstract) and its derived types that `xsi:type` selects.
    fn polymorphic(&mut self, q: &QName, c: Comp<'a>, own: TypeRef) -> TypeRef {
        if let Some(t) = self.polymorphic.get(q) {
            return t.clone();
        }
        let derived = self.derived_from(q);
        if derived.is_empty() {
            return own;
        }
        let id = self.api.add_type(TypeDef {
            name: Name::wire(format!("Any{}", pascal(&q.1))),
            doc: Some(format!(
                "A `{}` value or a value of a type derived from it, told apart by `xsi:type`.",
                q.1
            )),
            kind: TypeKind::XmlChoice {
                variants: Vec::new(),
                xsi_type_base: Some(q.clone()),
                max_occurs: None,
            },
            origin: format!(
                "{}:{}:{}",
                self.file(c.schema).display(),
                c.el.line,
                c.el.col
            ),
            key: format!("{{{}}}{}#derived", q.0, q.1),
        });
        let t = TypeRef::Named(id);
        self.polymorphic.insert(q.clone(), t.clone());
        let mut variants = Vec::new();
        let concrete = |c: Comp<'_>| c.el.attr("abstract") != Some("true");
        if concrete(c) {
            variants.push(xsi_variant(q, own));
        }
        for d in derived {
            let Some(dc) = self.idx.complex_types.get(&d).copied() else {
                continue;
            };
            if !concrete(dc) {
                continue;
            }
            let ty = match self.types.get(&d) {
                Some(t) => t.clone(),
                None => self.complex_type(&d, dc),
            };
            variants.push(xsi_variant(&d, ty));
        }
        if let TypeKind::XmlChoice { variants: v, .. } = &mut self.api.types[id.0].kind {
            *v = variants;
        }
        t
    }

    /// Adds an element-choice enum type and returns it.
    fn choice_type(
        &mut self,
        schema: usize,
        at: &crate::load::xml::Element,
        name: String,
        key: String,
        variants: Vec<XmlVariant>,
    ) -> TypeRef {
        let id = self.api.add_type(TypeDef {
            name: Name::wire(name),
            doc: Some(format!(
                "One of: {}.",
                variants
                    .iter()
                    .map(|v| match v.kind {
                        XmlVariantKind::Text => "text".to_string(),
                        XmlVariantKind::Wildcard => "any other element".to_string(),
                        _ => format!("`{}`", v.name.wire),
                    })
                    .collect::<Vec<_>>()
                    .join(", ")
            )),
            kind: TypeKind::XmlChoice {
                variants,
                xsi_type_base: None,
                max_occurs: None,
            },
            origin: format!("{}:{}:{}", self.file(schema).display(), at.line, at.col),
            key,
        });
        TypeRef::Named(id)
    }

    /// The alternatives of the particles under `p` (their fields, as element variants).
    fn variants_of(
        &mut self,
        schema: usize,
        p: &'a crate::load::xml::Element,
        owner: &str,
        depth: usize,
    ) -> Vec<XmlVariant> {
        let mut tmp = Vec::new();
        for c in p.children.iter().filter(|c| c.ns == XSD) {
            self.particle(schema, c, Occ::default(), owner, &mut tmp, depth + 1);
        }
        let mut out: Vec<XmlVariant> = Vec::new();
        for f in tmp {
            let nested = match &f.ty {
                TypeRef::Named(id) => match &self.api.ty(*id).kind {
                    TypeKind::XmlChoice {
                        variants,
                        xsi_type_base: None,
                        ..
                    } => Some(variants.clone()),
                    _ => None,
                },
                _ => None,
            };
            match nested {
                Some(vs) => out.extend(vs),
                None => out.push(XmlVariant {
                    kind: if f.ty == TypeRef::RawXml
                        && f.name.wire == "any"
                        && f.namespace.is_empty()
                    {
                        XmlVariantKind::Wildcard
                    } else {
                        XmlVariantKind::Element
                    },
                    name: f.name,
                    namespace: f.namespace,
                    ty: f.ty,
                }),
            }
        }
        out
    }

    fn complex_type(&mut self, q: &QName, c: Comp<'a>) -> TypeRef {
        let key = format!("{{{}}}{}", q.0, q.1);
        self.complex_type_at(c.schema, c.el, &q.1, key, Some((q, false)), c.el)
    }

    /// Lowers a complexType element into a new named XML struct.
    fn complex_type_at(
        &mut self,
        schema: usize,
        ct: &'a crate::load::xml::Element,
        name: &str,
        key: String,
        cache_as: Option<(&QName, bool)>,
        decl: &crate::load::xml::Element,
    ) -> TypeRef {
        if let Some(t) = self.types.get(&(key.clone(), String::new())) {
            return t.clone();
        }
        let id = self.api.add_type(TypeDef {
            name: Name::wire(name),
            doc: Self::doc(decl).or_else(|| Self::doc(ct)),
            kind: TypeKind::XmlStruct {
                namespace: self.idx.schemas[schema].tns.clone(),
                fields: Vec::new(),
            },
            origin: format!("{}:{}:{}", self.file(schema).display(), ct.line, ct.col),
            key: key.clone(),
        });
        let t = TypeRef::Named(id);
        // Cache before lowering the fields: recursive types refer back to this id.
        self.types.insert((key, String::new()), t.clone());
        match cache_as {
            Some((q, true)) => {
                self.elements.insert(q.clone(), t.clone());
            }
            Some((q, false)) => {
                self.types.insert(q.clone(), t.clone());
            }
            None => {}
        }
        let mut fields = Vec::new();
        self.complex_fields(schema, ct, name, &mut fields, 0);
        if let TypeKind::XmlStruct { fields: f, .. } = &mut self.api.types[id.0].kind {
            *f = fields;
        }
        t
    }

    /// The fields of a complexType: attributes, particles, simple content, base types.
    fn complex_fields(
        &mut self,
        schema: usize,
        ct: &'a crate::load::xml::Element,
        owner: &str,
        fields: &mut Vec<XmlField>,
        depth: usize,
    ) {
        if depth > MAX_DEPTH {
            self.diags.warn(
                self.file(schema),
                Self::at(ct),
                "type derivation is nested too deeply (a cycle?); the rest was ignored",
            );
            return;
        }
        if let Some(sc) = ct.child(XSD, "simpleContent") {
            let Some(d) = sc
                .child(XSD, "extension")
                .or_else(|| sc.child(XSD, "restriction"))
            else {
                return;
            };
            let base = d.attr("base").and_then(|b| self.idx.qname(schema, d, b));
            match base
                .as_ref()
                .and_then(|b| self.idx.complex_types.get(b).copied())
            {
                Some(c) => self.complex_fields(c.schema, c.el, owner, fields, depth + 1),
                None => {
                    let ty = match &base {
                        Some(b) => self.type_ref(schema, d, b),
                        None => TypeRef::String,
                    };
                    let ty = if matches!(ty, TypeRef::RawXml) {
                        TypeRef::String
                    } else {
                        ty
                    };
                    fields.push(XmlField {
                        name: Name::wire("value"),
                        namespace: String::new(),
                        ty,
                        optional: false,
                        repeated: false,
                        attribute: false,
                        doc: Some("The element's text content.".into()),
                        nillable: false,
                        text: true,
                    });
                }
            }
            self.attributes(schema, d, owner, fields, 0);
            return;
        }
        if ct.attr("mixed") == Some("true") && ct.child(XSD, "complexContent").is_none() {
            let mut variants = vec![XmlVariant {
                name: Name::wire("text"),
                namespace: String::new(),
                ty: TypeRef::String,
                kind: XmlVariantKind::Text,
            }];
            for c in ct.children.iter().filter(|c| c.ns == XSD) {
                // The particle's own alternatives (a repeating choice is not wrapped again).
                match c.local.as_str() {
                    "sequence" | "choice" | "all" => {
                        variants.extend(self.variants_of(schema, c, owner, depth))
                    }
                    "group" => {
                        let group = c.attr("ref").and_then(|r| self.idx.qname(schema, c, r));
                        if let Some(g) = group.and_then(|q| self.idx.groups.get(&q).copied()) {
                            variants.extend(self.variants_of(g.schema, g.el, owner, depth));
                        }
                    }
                    _ => {}
                }
            }
            let tns = self.idx.schemas[schema].tns.clone();
            let ty = self.choice_type(
                schema,
                ct,
                format!("{}Content", pascal(owner)),
                format!("{{{tns}}}{owner}/content"),
                variants,
            );
            fields.push(XmlField {
                name: Name::wire("content"),
                namespace: String::new(),
                ty,
                optional: true,
                repeated: true,
                attribute: false,
                doc: Some("The mixed content: text and elements in document order.".into()),
                nillable: false,
                text: false,
            });
            self.attributes(schema, ct, owner, fields, 0);
            return;
        }
        if let Some(cc) = ct.child(XSD, "complexContent") {
            if let Some(ext) = cc.child(XSD, "extension") {
                if let Some(b) = ext
                    .attr("base")
                    .and_then(|b| self.idx.qname(schema, ext, b))
                {
                    if b.0 != XSD {
                        match self.idx.complex_types.get(&b).copied() {
                            Some(c) => {
                                self.complex_fields(c.schema, c.el, owner, fields, depth + 1)
                            }
                            None if b.0 == SOAP_ENC => {}
                            None => self.unresolved(schema, ext, "base type", &b),
                        }
                    }
                }
                self.content(schema, ext, owner, fields);
                return;
            }
            if let Some(r) = cc.child(XSD, "restriction") {
                let base = r.attr("base").and_then(|b| self.idx.qname(schema, r, b));
                if base
                    .as_ref()
                    .is_some_and(|b| b.0 == SOAP_ENC && b.1 == "Array")
                {
                    self.soap_array(schema, r, fields);
                    return;
                }
                self.content(schema, r, owner, fields);
                return;
            }
            return;
        }
        self.content(schema, ct, owner, fields);
    }

    /// A SOAP-encoded array (`soapenc:Array` restricted with `wsdl:arrayType`): repeated `item`.
    fn soap_array(
        &mut self,
        schema: usize,
        r: &'a crate::load::xml::Element,
        fields: &mut Vec<XmlField>,
    ) {
        let mut item = TypeRef::RawXml;
        let mut stack = vec![r];
        while let Some(e) = stack.pop() {
            for (k, v) in &e.attrs {
                if k.ends_with(":arrayType") || k == "arrayType" {
                    let base = v.split('[').next().unwrap_or(v);
                    if let Some(q) = self.idx.qname(schema, e, base) {
                        item = self.type_ref(schema, e, &q);
                    }
                }
            }
            stack.extend(e.children.iter());
        }
        if let Some(seq) = r.child(XSD, "sequence") {
            if seq
                .children
                .iter()
                .any(|c| c.ns == XSD && c.local == "element")
            {
                self.content(schema, r, "Array", fields);
                return;
            }
        }
        fields.push(XmlField {
            name: Name::wire("item"),
            namespace: String::new(),
            ty: item,
            optional: true,
            repeated: true,
            attribute: false,
            doc: Some("The array's items (SOAP encoding).".into()),
            nillable: false,
            text: false,
        });
    }

    /// Particles and attributes directly under a complexType / extension / restriction.
    fn content(
        &mut self,
        schema: usize,
        parent: &'a crate::load::xml::Element,
        owner: &str,
        fields: &mut Vec<XmlField>,
    ) {
        for c in parent.children.iter().filter(|c| c.ns == XSD) {
            if matches!(c.local.as_str(), "sequence" | "all" | "choice" | "group") {
                self.particle(schema, c, Occ::default(), owner, fields, 0);
            }
        }
        self.attributes(schema, parent, owner, fields, 0);
    }

    fn particle(
        &mut self,
        schema: usize,
        p: &'a crate::load::xml::Element,
        outer: Occ,
        owner: &str,
        fields: &mut Vec<XmlField>,
        depth: usize,
    ) {
        if depth > MAX_DEPTH {
            return;
        }
        let occ = occurs(p, outer);
        match p.local.as_str() {
            "sequence" | "all" => {
                for c in p.children.iter().filter(|c| c.ns == XSD) {
                    self.particle(schema, c, occ, owner, fields, depth + 1);
                }
            }
            "choice" if occ.repeated => {
                let variants = self.variants_of(schema, p, owner, depth);
                let names: Vec<&str> = variants.iter().map(|v| v.name.wire.as_str()).collect();
                let (field, ty_name) = if (2..=3).contains(&names.len()) {
                    let joined = names
                        .iter()
                        .map(|n| pascal(n))
                        .collect::<Vec<_>>()
                        .join("Or");
                    let mut field = joined.clone();
                    field[..1].make_ascii_lowercase();
                    (field, format!("{}{joined}", pascal(owner)))
                } else {
                    ("choice".to_string(), format!("{}Choice", pascal(owner)))
                };
                let tns = self.idx.schemas[schema].tns.clone();
                let ty = self.choice_type(
                    schema,
                    p,
                    ty_name,
                    format!("{{{tns}}}{owner}/{field}"),
                    variants,
                );
                let max = p.attr("maxOccurs").unwrap_or("1").trim();
                if let (TypeRef::Named(id), Ok(n)) = (&ty, max.parse::<u32>()) {
                    if let TypeKind::XmlChoice { max_occurs, .. } = &mut self.api.types[id.0].kind {
                        *max_occurs = Some(n);
                    }
                }
                fields.push(XmlField {
                    name: Name::wire(field),
                    namespace: String::new(),
                    ty,
                    optional: true,
                    repeated: true,
                    attribute: false,
                    doc: Some(format!(
                        "The repeating choice (maxOccurs {max}), its items in document order."
                    )),
                    nillable: false,
                    text: false,
                });
            }
            "choice" => {
                let inner = Occ {
                    optional: true,
                    repeated: occ.repeated,
                };
                for c in p.children.iter().filter(|c| c.ns == XSD) {
                    self.particle(schema, c, inner, owner, fields, depth + 1);
                }
            }
            "group" => {
                let Some(q) = p.attr("ref").and_then(|r| self.idx.qname(schema, p, r)) else {
                    return;
                };
                let Some(g) = self.idx.groups.get(&q).copied() else {
                    self.unresolved(schema, p, "group", &q);
                    return;
                };
                for c in g.el.children.iter().filter(|c| c.ns == XSD) {
                    if matches!(c.local.as_str(), "sequence" | "all" | "choice") {
                        self.particle(g.schema, c, occ, owner, fields, depth + 1);
                    }
                }
            }
            "any" => fields.push(XmlField::wildcard(
                "Any content (`xs:any`), kept as raw XML.",
            )),
            "element" => self.element_particle(schema, p, occ, owner, fields, depth),
            _ => {}
        }
    }

    fn element_particle(
        &mut self,
        schema: usize,
        p: &'a crate::load::xml::Element,
        occ: Occ,
        owner: &str,
        fields: &mut Vec<XmlField>,
        depth: usize,
    ) {
        if let Some(r) = p.attr("ref") {
            let Some(q) = self.idx.qname(schema, p, r) else {
                return;
            };
            let Some(g) = self.idx.elements.get(&q).copied() else {
                self.unresolved(schema, p, "element", &q);
                return;
            };
            let abstract_head = g.el.attr("abstract") == Some("true");
            let members = self.idx.substitutes.get(&q).cloned().unwrap_or_default();
            if !members.is_empty() && depth <= 8 {
                let mut variants = Vec::new();
                for m in std::iter::once(&q)
                    .filter(|_| !abstract_head)
                    .chain(&members)
                {
                    let Some(mc) = self.idx.elements.get(m).copied() else {
                        continue;
                    };
                    if mc.el.attr("abstract") == Some("true") {
                        continue;
                    }
                    let ty = self.element(m).unwrap_or(TypeRef::RawXml);
                    variants.push(XmlVariant {
                        name: Name::wire(m.1.clone()),
                        namespace: m.0.clone(),
                        ty,
                        kind: XmlVariantKind::Element,
                    });
                }
                let ty = self.choice_type(
                    schema,
                    p,
                    format!("{}{}", pascal(owner), pascal(&q.1)),
                    format!("{{{}}}{}/{}", q.0, owner, q.1),
                    variants,
                );
                fields.push(XmlField {
                    name: Name::wire(q.1.clone()),
                    namespace: q.0.clone(),
                    ty,
                    optional: occ.optional,
                    repeated: occ.repeated,
                    attribute: false,
                    doc: Some(format!(
                        "A member of the substitution group of `{}`{}.",
                        q.1,
                        if abstract_head {
                            " (abstract)"
                        } else {
                            " (the head included)"
                        }
                    )),
                    nillable: false,
                    text: false,
                });
                return;
            }
            if !abstract_head || members.is_empty() {
                let ty = self.element(&q).unwrap_or(TypeRef::RawXml);
                fields.push(XmlField {
                    name: Name::wire(q.1.clone()),
                    namespace: q.0.clone(),
                    ty,
                    optional: occ.optional || !members.is_empty(),
                    repeated: occ.repeated,
                    attribute: false,
                    doc: Self::doc(g.el),
                    nillable: g.el.attr("nillable") == Some("true"),
                    text: false,
                });
            }
            for m in members {
                if depth > 8 {
                    break;
                }
                let Some(mc) = self.idx.elements.get(&m).copied() else {
                    continue;
                };
                if mc.el.attr("abstract") == Some("true") {
                    continue;
                }
                let ty = self.element(&m).unwrap_or(TypeRef::RawXml);
                fields.push(XmlField {
                    name: Name::wire(m.1.clone()),
                    namespace: m.0.clone(),
                    ty,
                    optional: true,
                    repeated: occ.repeated,
                    attribute: false,
                    doc: Some(format!(
                        "Member `{}` of the substitution group of `{}`.",
                        m.1, q.1
                    )),
                    nillable: mc.el.attr("nillable") == Some("true"),
                    text: false,
                });
            }
            return;
        }
        let Some(name) = p.attr("name") else {
            return;
        };
        let s = &self.idx.schemas[schema];
        let qualified = match p.attr("form") {
            Some(f) => f == "qualified",
            None => s.elements_qualified,
        };
        let namespace = if qualified {
            s.tns.clone()
        } else {
            String::new()
        };
        let anon_name = format!("{}{}", pascal(owner), pascal(name));
        let ty = if let Some(ct) = p.child(XSD, "complexType") {
            let key = format!("{{{}}}{}/{}", s.tns, owner, name);
            self.complex_type_at(schema, ct, &anon_name, key, None, p)
        } else {
            let tns = s.tns.clone();
            if let Some(st) = p.child(XSD, "simpleType") {
                self.simple_inline(schema, st, &anon_name, &format!("{{{tns}}}{owner}/{name}"))
            } else {
                self.element_decl_type(schema, p, name, &tns, None, depth)
            }
        };
        fields.push(XmlField {
            name: Name::wire(name),
            namespace,
            ty,
            optional: occ.optional,
            repeated: occ.repeated,
            attribute: false,
            doc: Self::doc(p),
            nillable: p.attr("nillable") == Some("true"),
            text: false,
        });
    }

    fn attributes(
        &mut self,
        schema: usize,
        parent: &'a crate::load::xml::Element,
        owner: &str,
        fields: &mut Vec<XmlField>,
        depth: usize,
    ) {
        if depth > MAX_DEPTH {
            return;
        }
        for a in parent.children.iter().filter(|c| c.ns == XSD) {
            match a.local.as_str() {
                "attribute" => {
                    if a.attr("use") == Some("prohibited") {
                        continue;
                    }
                    let optional = a.attr("use") != Some("required");
                    let (decl_schema, decl, name, namespace) = if let Some(r) = a.attr("ref") {
                        let Some(q) = self.idx.qname(schema, a, r) else {
                            continue;
                        };
                        match self.idx.attributes.get(&q).copied() {
                            Some(c) => (c.schema, c.el, q.1.clone(), q.0.clone()),
                            None if super::WELL_KNOWN.contains(&q.0.as_str()) => {
                                fields.push(attr_field(
                                    &q.1,
                                    &q.0,
                                    TypeRef::String,
                                    optional,
                                    None,
                                ));
                                continue;
                            }
                            None => {
                                self.unresolved(schema, a, "attribute", &q);
                                continue;
                            }
                        }
                    } else {
                        let Some(name) = a.attr("name") else { continue };
                        let s = &self.idx.schemas[schema];
                        let qualified = match a.attr("form") {
                            Some(f) => f == "qualified",
                            None => s.attributes_qualified,
                        };
                        let ns = if qualified {
                            s.tns.clone()
                        } else {
                            String::new()
                        };
                        (schema, a, name.to_string(), ns)
                    };
                    let ty = if let Some(st) = decl.child(XSD, "simpleType") {
                        let tns = self.idx.schemas[decl_schema].tns.clone();
                        self.simple_inline(
                            decl_schema,
                            st,
                            &format!("{}{}", pascal(owner), pascal(&name)),
                            &format!("{{{tns}}}{owner}/@{name}"),
                        )
                    } else if let Some(t) = decl
                        .attr("type")
                        .and_then(|t| self.idx.qname(decl_schema, decl, t))
                    {
                        self.type_ref(decl_schema, decl, &t)
                    } else {
                        TypeRef::String
                    };
                    let ty = if self.is_simple(&ty) {
                        ty
                    } else {
                        TypeRef::String
                    };
                    fields.push(attr_field(&name, &namespace, ty, optional, Self::doc(decl)));
                }
                "anyAttribute" if !fields.iter().any(|f| f.ty == any_attributes()) => {
                    fields.push(XmlField {
                        ty: any_attributes(),
                        doc: Some(
                            "Attributes the type does not declare (`xs:anyAttribute`), kept."
                                .into(),
                        ),
                        ..attr_field("anyAttributes", "", TypeRef::String, false, None)
                    });
                }
                "attributeGroup" => {
                    let Some(q) = a.attr("ref").and_then(|r| self.idx.qname(schema, a, r)) else {
                        continue;
                    };
                    match self.idx.attribute_groups.get(&q).copied() {
                        Some(g) => self.attributes(g.schema, g.el, owner, fields, depth + 1),
                        None => self.unresolved(schema, a, "attributeGroup", &q),
                    }
                }
                _ => {}
            }
        }
    }

    fn is_simple(&self, ty: &TypeRef) -> bool {
        match ty {
            TypeRef::Named(id) => matches!(self.api.ty(*id).kind, TypeKind::Enum { .. }),
            TypeRef::RawXml => false,
            _ => true,
        }
    }

    /// A simpleType element: enumeration → enum; restriction → base; list/union → string.
    fn simple_inline(
        &mut self,
        schema: usize,
        st: &'a crate::load::xml::Element,
        name: &str,
        key: &str,
    ) -> TypeRef {
        let Some(r) = st.child(XSD, "restriction") else {
            return TypeRef::String;
        };
        let mut values: Vec<Name> = Vec::new();
        for e in r.children_named(XSD, "enumeration") {
            let v = e.attr("value").unwrap_or_default();
            if !values.iter().any(|n| n.wire == v) {
                values.push(Name::wire(v));
            }
        }
        if !values.is_empty() {
            let id = self.api.add_type(TypeDef {
                name: Name::wire(name),
                doc: Self::doc(st),
                kind: TypeKind::Enum { values },
                origin: format!("{}:{}:{}", self.file(schema).display(), st.line, st.col),
                key: key.to_string(),
            });
            return TypeRef::Named(id);
        }
        if let Some(inner) = r.child(XSD, "simpleType") {
            return self.simple_inline(schema, inner, name, key);
        }
        match r.attr("base").and_then(|b| self.idx.qname(schema, r, b)) {
            Some(b) => {
                let t = self.type_ref(schema, r, &b);
                if t == xsd_type("Integer") && b.0 == XSD {
                    if let Some(p) = bounded_integer(&b.1, r) {
                        return p;
                    }
                }
                if self.is_simple(&t) {
                    t
                } else {
                    TypeRef::String
                }
            }
            None => TypeRef::String,
        }
    }
}

/// The runtime type that holds an `xs:anyAttribute`'s attributes.
pub const ANY_ATTRIBUTES_TYPE: &str = "$rt::xml::AnyAttributes";

fn any_attributes() -> TypeRef {
    TypeRef::External(ANY_ATTRIBUTES_TYPE.to_string())
}

fn xsi_variant(q: &QName, ty: TypeRef) -> XmlVariant {
    XmlVariant {
        name: Name::wire(q.1.clone()),
        namespace: q.0.clone(),
        ty,
        kind: XmlVariantKind::XsiType,
    }
}

fn attr_field(name: &str, ns: &str, ty: TypeRef, optional: bool, doc: Option<String>) -> XmlField {
    XmlField {
        name: Name::wire(name),
        namespace: ns.to_string(),
        ty,
        optional,
        repeated: false,
        attribute: true,
        doc: doc.or_else(|| Some(format!("The `{name}` attribute."))),
        nillable: false,
        text: false,
    }
}
