//! Lowers a WSDL 1.1 document (document/literal, SOAP 1.1 and 1.2 bindings, inline XSD) into
//! the neutral model.

use std::collections::BTreeMap;
use std::path::Path;

use super::xml::{self, Element};
use crate::diagnostics::{Diagnostics, Place};
use crate::model::{
    Api, Name, SoapOperation, SoapService, TypeDef, TypeId, TypeKind, TypeRef, XmlElement, XmlField,
};

const WSDL: &str = "http://schemas.xmlsoap.org/wsdl/";
const SOAP11: &str = "http://schemas.xmlsoap.org/wsdl/soap/";
const SOAP12: &str = "http://schemas.xmlsoap.org/wsdl/soap12/";
const XSD: &str = "http://www.w3.org/2001/XMLSchema";

type QName = (String, String);

/// Reads and lowers the WSDL at `file` into `api`.
pub fn lower(text: &str, file: &Path, api: &mut Api, diags: &mut Diagnostics) {
    let root = match xml::parse(text) {
        Ok(r) => r,
        Err((l, c, msg)) => {
            diags.error(
                file,
                Place::LineCol(l, c),
                format!("not well-formed XML: {msg}"),
                "fix the XML syntax",
            );
            return;
        }
    };
    if root.ns != WSDL || root.local != "definitions" {
        diags.error(
            file,
            Place::LineCol(root.line, root.col),
            format!(
                "expected wsdl:definitions, found '{}' in namespace '{}'",
                root.local, root.ns
            ),
            "give a WSDL 1.1 document",
        );
        return;
    }
    let mut l = WsdlLowerer {
        file,
        diags,
        api,
        root: &root,
        elements: BTreeMap::new(),
        complex_types: BTreeMap::new(),
        simple_types: BTreeMap::new(),
        lowered: BTreeMap::new(),
    };
    l.index_schemas();
    l.lower_services();
}

/// A global declaration and the schema facts needed to lower it.
#[derive(Clone)]
struct Decl<'a> {
    el: &'a Element,
    target_ns: String,
    qualified: bool,
}

struct WsdlLowerer<'a> {
    file: &'a Path,
    diags: &'a mut Diagnostics,
    api: &'a mut Api,
    root: &'a Element,
    elements: BTreeMap<QName, Decl<'a>>,
    complex_types: BTreeMap<QName, Decl<'a>>,
    simple_types: BTreeMap<QName, Decl<'a>>,
    lowered: BTreeMap<QName, TypeId>,
}

impl<'a> WsdlLowerer<'a> {
    fn at(&self, el: &Element) -> Place {
        Place::LineCol(el.line, el.col)
    }

    fn index_schemas(&mut self) {
        let Some(types) = self.root.child(WSDL, "types") else {
            return;
        };
        for schema in types.children_named(XSD, "schema") {
            let target_ns = schema
                .attr("targetNamespace")
                .unwrap_or_default()
                .to_string();
            let qualified = schema.attr("elementFormDefault") == Some("qualified");
            for (ns_key, item) in schema
                .children
                .iter()
                .filter(|c| c.ns == XSD)
                .map(|c| (c.local.as_str(), c))
            {
                let Some(name) = item.attr("name") else {
                    continue;
                };
                let decl = Decl {
                    el: item,
                    target_ns: target_ns.clone(),
                    qualified,
                };
                match ns_key {
                    "element" => {
                        self.elements
                            .insert((target_ns.clone(), name.to_string()), decl);
                    }
                    "simpleType" => {
                        self.simple_types
                            .insert((target_ns.clone(), name.to_string()), decl);
                    }
                    "complexType" => {
                        self.complex_types
                            .insert((target_ns.clone(), name.to_string()), decl);
                    }
                    _ => {}
                }
            }
        }
    }

    fn lower_services(&mut self) {
        let target_ns = self
            .root
            .attr("targetNamespace")
            .unwrap_or_default()
            .to_string();
        let services: Vec<&Element> = self.root.children_named(WSDL, "service").collect();
        if services.is_empty() {
            self.diags.warn(
                self.file,
                self.at(self.root),
                "the WSDL declares no wsdl:service; no client is generated",
            );
        }
        for service in services {
            let name = service.attr("name").unwrap_or("Service").to_string();
            let mut address_11 = None;
            let mut address_12 = None;
            let mut binding_11: Option<&Element> = None;
            let mut binding_12: Option<&Element> = None;
            for port in service.children_named(WSDL, "port") {
                let Some(binding) = port
                    .attr("binding")
                    .and_then(|b| port.resolve_qname(b))
                    .and_then(|q| self.find(WSDL, "binding", &q))
                else {
                    self.diags.warn(
                        self.file,
                        self.at(port),
                        "port names a binding that is not in this document; the port was skipped",
                    );
                    continue;
                };
                if let Some(a) = port.child(SOAP11, "address") {
                    address_11.get_or_insert(a.attr("location").unwrap_or_default().to_string());
                    binding_11.get_or_insert(binding);
                } else if let Some(a) = port.child(SOAP12, "address") {
                    address_12.get_or_insert(a.attr("location").unwrap_or_default().to_string());
                    binding_12.get_or_insert(binding);
                }
            }
            let Some(binding) = binding_11.or(binding_12) else {
                self.diags.warn(
                    self.file,
                    self.at(service),
                    "service has no SOAP 1.1 or 1.2 port; it was skipped",
                );
                continue;
            };
            let operations = self.lower_binding(binding);
            self.api.soap.push(SoapService {
                name: Name::wire(name),
                doc: service.documentation(WSDL),
                namespace: target_ns.clone(),
                address_11,
                address_12,
                operations,
            });
        }
    }

    fn find(&self, ns: &str, local: &str, q: &QName) -> Option<&'a Element> {
        let target_ns = self.root.attr("targetNamespace").unwrap_or_default();
        if q.0 != target_ns {
            return None;
        }
        self.root
            .children_named(ns, local)
            .find(|e| e.attr("name") == Some(q.1.as_str()))
    }

    fn lower_binding(&mut self, binding: &'a Element) -> Vec<SoapOperation> {
        let Some(port_type) = binding
            .attr("type")
            .and_then(|t| binding.resolve_qname(t))
            .and_then(|q| self.find(WSDL, "portType", &q))
        else {
            self.diags.error(
                self.file,
                self.at(binding),
                "binding's portType is not in this document",
                "add the wsdl:portType or fix the binding's type attribute",
            );
            return Vec::new();
        };
        let mut out = Vec::new();
        for bop in binding.children_named(WSDL, "operation") {
            let Some(name) = bop.attr("name") else {
                continue;
            };
            let action = bop
                .child(SOAP11, "operation")
                .or_else(|| bop.child(SOAP12, "operation"))
                .and_then(|o| o.attr("soapAction"))
                .unwrap_or_default()
                .to_string();
            let Some(pop) = port_type
                .children_named(WSDL, "operation")
                .find(|o| o.attr("name") == Some(name))
            else {
                self.diags.warn(
                    self.file,
                    self.at(bop),
                    format!("binding operation '{name}' is not in the portType; skipped"),
                );
                continue;
            };
            let input = pop
                .child(WSDL, "input")
                .and_then(|i| self.message_element(i));
            let output = pop
                .child(WSDL, "output")
                .and_then(|o| self.message_element(o))
                .map(|mut e| {
                    // Responses are returned as raw XML (issue scope: typed decoding comes later).
                    e.ty = TypeRef::RawXml;
                    e
                });
            out.push(SoapOperation {
                name: Name::wire(name),
                doc: pop.documentation(WSDL),
                action,
                input,
                output,
                retry_safe: name.starts_with("get"),
                origin: format!("{}:{}:{}", self.file.display(), bop.line, bop.col),
            });
        }
        out
    }

    /// The element named by a message's single part.
    fn message_element(&mut self, io: &'a Element) -> Option<XmlElement> {
        let q = io.attr("message").and_then(|m| io.resolve_qname(m))?;
        let Some(message) = self.find(WSDL, "message", &q) else {
            self.diags.error(
                self.file,
                self.at(io),
                format!("message '{}' is not in this document", q.1),
                "add the wsdl:message or fix the reference",
            );
            return None;
        };
        let part = message.child(WSDL, "part")?;
        let Some(eq) = part.attr("element").and_then(|e| part.resolve_qname(e)) else {
            self.diags.warn(
                self.file,
                self.at(part),
                "rpc-style part (type=) is not supported yet; the operation has no typed body",
            );
            return None;
        };
        let ty = self.element_type(&eq, part);
        Some(XmlElement {
            name: eq.1.clone(),
            namespace: eq.0.clone(),
            ty,
        })
    }

    fn element_type(&mut self, q: &QName, at: &Element) -> TypeRef {
        if let Some(id) = self.lowered.get(q) {
            return TypeRef::Named(*id);
        }
        let Some(decl) = self.elements.get(q).cloned() else {
            self.diags.error(
                self.file,
                self.at(at),
                format!(
                    "element '{{{}}}{}' is not declared in the WSDL's schemas",
                    q.0, q.1
                ),
                "declare it in wsdl:types or import its schema",
            );
            return TypeRef::RawXml;
        };
        if let Some(ct) = decl.el.child(XSD, "complexType") {
            return self.complex(q, ct, &decl);
        }
        if let Some(t) = decl.el.attr("type").and_then(|t| decl.el.resolve_qname(t)) {
            return self.named_type(&t, decl.el);
        }
        TypeRef::RawXml
    }

    fn named_type(&mut self, t: &QName, at: &Element) -> TypeRef {
        if t.0 == XSD {
            return builtin(&t.1);
        }
        if let Some(id) = self.lowered.get(t) {
            return TypeRef::Named(*id);
        }
        if let Some(simple) = self.simple_types.get(t) {
            // Restrictions keep their base's representation (facets are not enforced).
            return simple
                .el
                .child(XSD, "restriction")
                .and_then(|r| r.attr("base").and_then(|b| r.resolve_qname(b)))
                .filter(|b| b.0 == XSD)
                .map(|b| builtin(&b.1))
                .unwrap_or(TypeRef::String);
        }
        match self.complex_types.get(t).cloned() {
            Some(decl) => self.complex(t, decl.el, &decl),
            None => {
                self.diags.warn(
                    self.file,
                    self.at(at),
                    format!("type '{}' is not declared here; treated as a string", t.1),
                );
                TypeRef::String
            }
        }
    }

    /// Lowers a complexType (sequence of elements and `xs:any`) to an XML struct.
    fn complex(&mut self, q: &QName, ct: &Element, decl: &Decl<'a>) -> TypeRef {
        let id = self.api.add_type(TypeDef {
            name: Name::wire(q.1.clone()),
            doc: decl
                .el
                .child(XSD, "annotation")
                .and_then(|a| a.documentation(XSD)),
            kind: TypeKind::XmlStruct {
                namespace: decl.target_ns.clone(),
                fields: Vec::new(),
            },
            origin: format!("{}:{}:{}", self.file.display(), ct.line, ct.col),
            key: format!("{{{}}}{}", q.0, q.1),
        });
        self.lowered.insert(q.clone(), id);
        let mut fields = Vec::new();
        let particles = ct
            .child(XSD, "sequence")
            .or_else(|| ct.child(XSD, "all"))
            .map(|s| s.children.clone())
            .unwrap_or_default();
        for p in particles.iter().filter(|p| p.ns == XSD) {
            let optional = p.attr("minOccurs") == Some("0");
            let repeated = p.attr("maxOccurs").is_some_and(|m| m != "1" && m != "0");
            match p.local.as_str() {
                "element" => {
                    let Some(name) = p.attr("name") else {
                        self.diags.warn(
                            self.file,
                            self.at(p),
                            "element ref= inside a sequence is not supported yet; skipped",
                        );
                        continue;
                    };
                    let ty = if let Some(inline) = p.child(XSD, "complexType") {
                        let inner_q = (
                            decl.target_ns.clone(),
                            format!("{}{}", q.1, crate::emit::ident::pascal(name)),
                        );
                        self.complex(&inner_q, inline, decl)
                    } else if let Some(t) = p.attr("type").and_then(|t| p.resolve_qname(t)) {
                        self.named_type(&t, p)
                    } else {
                        TypeRef::String
                    };
                    let namespace = if decl.qualified || p.attr("form") == Some("qualified") {
                        decl.target_ns.clone()
                    } else {
                        String::new()
                    };
                    let doc = p
                        .child(XSD, "annotation")
                        .and_then(|a| a.documentation(XSD));
                    fields.push(XmlField {
                        name: Name::wire(name),
                        namespace,
                        ty,
                        optional,
                        repeated,
                        attribute: false,
                        doc,
                    });
                }
                "any" => fields.push(XmlField {
                    name: Name::wire("any"),
                    namespace: String::new(),
                    ty: TypeRef::RawXml,
                    optional: true,
                    repeated: true,
                    attribute: false,
                    doc: Some("Any content (`xs:any`), kept as raw XML.".into()),
                }),
                _ => {}
            }
        }
        if let TypeKind::XmlStruct { fields: f, .. } = &mut self.api.types[id.0].kind {
            *f = fields;
        }
        TypeRef::Named(id)
    }
}

fn builtin(local: &str) -> TypeRef {
    match local {
        "int" | "short" | "byte" | "unsignedShort" | "unsignedByte" => TypeRef::Int32,
        "long" | "unsignedInt" => TypeRef::Integer,
        "boolean" => TypeRef::Boolean,
        "double" | "float" => TypeRef::Double,
        "anyType" => TypeRef::RawXml,
        _ => TypeRef::String,
    }
}
