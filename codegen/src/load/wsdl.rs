//! Lowers a WSDL 1.1 document, with everything it imports (see [`super::xsd`] for how imports
//! and remote locations resolve), into the neutral model.
//!
//! - Bindings: SOAP 1.1 and SOAP 1.2 ports become one client per service, with the version
//!   choosable per call (`with_version`); other ports (HTTP, unknown transports) are skipped
//!   with a warning.
//! - document/literal: one part with `element=` is the Body's element (wrapped or bare); several
//!   parts become one struct whose fields are written directly into the Body.
//! - rpc/literal: the Body holds a wrapper element named after the operation (the response's
//!   is `<operation>Response`) in the `soap:body` namespace, with one unqualified child per part.
//! - rpc/encoded (SOAP Section 5) is mapped like rpc/literal (documented choice): parts are
//!   written without `xsi:type`, SOAP-encoded arrays as repeated `item` elements; a warning says
//!   so, as servers that insist on `xsi:type` may refuse such calls.
//! - Faults become a typed error per operation; `soap:header` parts (also from messages the
//!   portType never names) become typed method arguments (request) and optional fields of a
//!   reply type next to the body (response).
//! - An XSD given as the entry document yields its types only.
//! - No `wsdl:service` (ONVIF): one client per SOAP-over-HTTP binding, without a default address.
//! - Lenient where real documents are sloppy, each with a located warning: a message, portType
//!   or binding reference in the wrong namespace uses the only declaration with that local
//!   name; a part element or a type missing from a namespace whose schema is loaded is kept as
//!   raw XML (a namespace with no loaded schema stays an error: an import is missing); a
//!   binding operation without a portType operation (or a binding without `type`) has no
//!   messages and sends an empty Body; a port's SOAP address of the other version counts.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use super::xml::Element;
use super::xsd::lower::Lowerer;
use super::xsd::{Index, Loader, QName, WSDL, XSD};
use crate::diagnostics::{Diagnostics, Place};
use crate::model::{
    Api, Name, SoapFaultDef, SoapOperation, SoapPort, SoapService, TypeDef, TypeKind, TypeRef,
    XmlElement, XmlField,
};

const SOAP11: &str = "http://schemas.xmlsoap.org/wsdl/soap/";
const SOAP12: &str = "http://schemas.xmlsoap.org/wsdl/soap12/";
const MIME: &str = "http://schemas.xmlsoap.org/wsdl/mime/";
/// WS-Addressing WSDL binding namespaces (`wsaw`, 2006) and metadata (`wsam`, 2007).
const WSA_WSDL: &[&str] = &[
    "http://www.w3.org/2006/05/addressing/wsdl",
    "http://www.w3.org/2007/05/addressing/metadata",
];
const SOAP_HTTP: &[&str] = &[
    "http://schemas.xmlsoap.org/soap/http",
    "http://schemas.xmlsoap.org/soap/http/",
    "http://www.w3.org/2003/05/soap/bindings/HTTP/",
    "http://www.w3.org/2003/05/soap/bindings/HTTP",
];

/// Reads the WSDL (or XSD) at `file` and everything it imports, and lowers it into `api`.
/// `catalog` maps remote URLs (or namespaces) to local files; only its fetch hook downloads.
pub fn lower_file(
    file: &Path,
    catalog: &crate::load::catalog::Catalog,
    api: &mut Api,
    diags: &mut Diagnostics,
) {
    let mut loader = Loader::new(catalog);
    loader.load_entry(file, diags);
    if loader.docs.is_empty() {
        return;
    }
    // Lowering goes on after an import failed, so every use of what it would have declared
    // is reported too (nothing is written when there are errors).
    let idx = Index::new(&loader);
    let mut wsdl_docs: Vec<&Element> = Vec::new();
    let mut wsdl_files: Vec<&Path> = Vec::new();
    for &d in &loader.wsdl_docs {
        wsdl_docs.push(&loader.docs[d].root);
        wsdl_files.push(&loader.docs[d].path);
    }
    let mut lowerer = Lowerer::new(&idx, api, diags);
    if wsdl_docs.is_empty() {
        // A bare schema: every global element and named type.
        let elements: Vec<QName> = idx.elements.keys().cloned().collect();
        for q in elements {
            lowerer.element(&q);
        }
        let types: Vec<(QName, usize, &Element)> = idx
            .complex_types
            .iter()
            .map(|(q, c)| (q.clone(), c.schema, c.el))
            .collect();
        for (q, s, el) in types {
            lowerer.type_ref(s, el, &q);
        }
        return;
    }
    let mut w = WsdlLowerer {
        docs: wsdl_docs,
        files: wsdl_files,
        x: lowerer,
        messages: BTreeMap::new(),
        port_types: BTreeMap::new(),
        bindings: BTreeMap::new(),
        services: Vec::new(),
        pd: 0,
        warned: BTreeSet::new(),
    };
    w.index();
    w.lower_services();
}

/// Reads and lowers the WSDL at `file` into `api` (no catalog). `text` is ignored: imports
/// need the file's location, so the file is read from disk.
pub fn lower(_text: &str, file: &Path, api: &mut Api, diags: &mut Diagnostics) {
    lower_file(file, &crate::load::catalog::Catalog::default(), api, diags);
}

type At<'a> = (usize, &'a Element);

/// The WSDL components a QName reference can name.
#[derive(Clone, Copy)]
enum Kind {
    Message,
    PortType,
    Binding,
}

impl Kind {
    fn name(self) -> &'static str {
        match self {
            Kind::Message => "message",
            Kind::PortType => "portType",
            Kind::Binding => "binding",
        }
    }
}

/// The only declaration in `map` whose local name is `q`'s (None when there are none or several).
fn by_local_name<'a>(map: &BTreeMap<QName, At<'a>>, q: &QName) -> Option<(QName, At<'a>)> {
    let mut same = map.iter().filter(|(k, _)| k.1 == q.1);
    let (k, v) = same.next()?;
    same.next().is_none().then(|| (k.clone(), *v))
}

struct WsdlLowerer<'i, 'a> {
    docs: Vec<&'a Element>,
    files: Vec<&'a Path>,
    x: Lowerer<'i, 'a>,
    messages: BTreeMap<QName, At<'a>>,
    port_types: BTreeMap<QName, At<'a>>,
    bindings: BTreeMap<QName, At<'a>>,
    services: Vec<At<'a>>,
    /// The document of the portType being lowered (for diagnostics).
    pd: usize,
    /// References already warned about by [`Self::find`] (one warning each).
    warned: BTreeSet<(&'static str, QName)>,
}

fn at(el: &Element) -> Place {
    Place::LineCol(el.line, el.col)
}

impl<'i, 'a> WsdlLowerer<'i, 'a> {
    fn index(&mut self) {
        for (d, root) in self.docs.clone().into_iter().enumerate() {
            let tns = root.attr("targetNamespace").unwrap_or_default().to_string();
            for c in root.children.iter().filter(|c| c.ns == WSDL) {
                let map = match c.local.as_str() {
                    "message" => &mut self.messages,
                    "portType" => &mut self.port_types,
                    "binding" => &mut self.bindings,
                    "service" => {
                        self.services.push((d, c));
                        continue;
                    }
                    _ => continue,
                };
                let Some(name) = c.attr("name") else {
                    continue;
                };
                let q = (tns.clone(), name.to_string());
                if let Some((pd, prev)) = map.get(&q) {
                    let first = format!("{}:{}:{}", self.files[*pd].display(), prev.line, prev.col);
                    self.x.diags.error(
                        self.files[d],
                        at(c),
                        format!("duplicate wsdl:{} name '{name}' (first declared at {first})", c.local),
                        "give each wsdl:binding, wsdl:portType and wsdl:message a unique name within its targetNamespace",
                    );
                    continue;
                }
                map.insert(q, (d, c));
            }
        }
    }

    fn lower_services(&mut self) {
        if self.services.is_empty() {
            self.lower_bare_bindings();
        }
        for (d, service) in self.services.clone() {
            let name = service.attr("name").unwrap_or("Service").to_string();
            let tns = self.docs[d]
                .attr("targetNamespace")
                .unwrap_or_default()
                .to_string();
            // (binding, SOAP 1.2, address, the binding's portType) of each SOAP-over-HTTP port.
            let mut soap_ports: Vec<(At<'a>, bool, String, Option<QName>)> = Vec::new();
            for port in service.children_named(WSDL, "port") {
                let Some(bq) = port.attr("binding").and_then(|b| port.resolve_qname(b)) else {
                    continue;
                };
                let Some(binding) = self.find(Kind::Binding, &bq, d, port) else {
                    self.x.diags.error(
                        self.files[d],
                        at(port),
                        format!("port names the binding '{{{}}}{}', which is not declared", bq.0, bq.1),
                        "declare the wsdl:binding or import the WSDL that declares it (wsdl:import)",
                    );
                    continue;
                };
                let (soap11, soap12) = (
                    binding.1.child(SOAP11, "binding"),
                    binding.1.child(SOAP12, "binding"),
                );
                let transport = soap11
                    .or(soap12)
                    .and_then(|b| b.attr("transport"))
                    .unwrap_or("");
                if (soap11.is_some() || soap12.is_some()) && !SOAP_HTTP.contains(&transport) {
                    self.x.diags.warn(
                        self.files[binding.0],
                        at(binding.1),
                        format!("binding uses the transport '{transport}', not SOAP over HTTP; port '{}' skipped", port.attr("name").unwrap_or_default()),
                    );
                    continue;
                }
                // The binding decides the SOAP version; a port whose address element is the
                // other version's (`soap12:address` on a SOAP 1.1 binding) still counts.
                let address = port
                    .child(SOAP11, "address")
                    .or_else(|| port.child(SOAP12, "address"));
                if let Some(a) = address {
                    let own = if soap11.is_some() { SOAP11 } else { SOAP12 };
                    if a.ns != own && (soap11.is_some() || soap12.is_some()) {
                        self.x.diags.warn(
                            self.files[d],
                            at(a),
                            format!(
                                "port '{}' has a SOAP {} address but its binding is SOAP {}; the binding's version is used",
                                port.attr("name").unwrap_or_default(),
                                if a.ns == SOAP11 { "1.1" } else { "1.2" },
                                if own == SOAP11 { "1.1" } else { "1.2" },
                            ),
                        );
                    }
                    if soap11.is_some() || soap12.is_some() {
                        let location = a.attr("location").unwrap_or_default().to_string();
                        let port_type = binding
                            .1
                            .attr("type")
                            .and_then(|t| binding.1.resolve_qname(t));
                        soap_ports.push((binding, soap11.is_none(), location, port_type));
                    }
                }
            }
            if soap_ports.is_empty() {
                self.x.diags.warn(
                    self.files[d],
                    at(service),
                    format!(
                        "service '{name}' has no SOAP 1.1 or 1.2 port over HTTP; it was skipped"
                    ),
                );
                continue;
            }
            // One client per portType the service's ports implement, in document order: the
            // first keeps the service's name, the others add their portType's.
            let mut port_types: Vec<Option<QName>> = Vec::new();
            for (_, _, _, pt) in &soap_ports {
                if !port_types.contains(pt) {
                    port_types.push(pt.clone());
                }
            }
            for (i, pt) in port_types.iter().enumerate() {
                let group: Vec<_> = soap_ports.iter().filter(|p| &p.3 == pt).collect();
                let first_of = |v12: bool| group.iter().find(|p| p.1 == v12);
                let binding = first_of(false)
                    .or_else(|| first_of(true))
                    .expect("a non-empty group")
                    .0;
                let client_name = match (i, pt) {
                    (0, _) | (_, None) => name.clone(),
                    (_, Some((_, local))) => format!("{name}_{local}"),
                };
                let ports = self.soap_ports(service, binding);
                let default_v12 = group[0].1;
                let operations = self.lower_binding(binding, &client_name);
                self.x.api.soap.push(SoapService {
                    name: Name::wire(client_name),
                    doc: service.documentation(WSDL),
                    namespace: tns.clone(),
                    address_11: first_of(false).map(|p| p.2.clone()),
                    address_12: first_of(true).map(|p| p.2.clone()),
                    ports,
                    default_v12,
                    operations,
                });
            }
        }
    }

    /// A WSDL without `wsdl:service` (ONVIF's, whose endpoints are discovered at run time):
    /// one client per SOAP-over-HTTP binding, named after the binding, with no default
    /// address (the caller gives the endpoint URL).
    fn lower_bare_bindings(&mut self) {
        let bindings: Vec<(QName, At<'a>)> =
            self.bindings.iter().map(|(q, b)| (q.clone(), *b)).collect();
        let mut soap = 0;
        for ((tns, name), binding) in bindings {
            let (soap11, soap12) = (
                binding.1.child(SOAP11, "binding"),
                binding.1.child(SOAP12, "binding"),
            );
            let transport = soap11
                .or(soap12)
                .and_then(|b| b.attr("transport"))
                .unwrap_or("");
            if soap11.is_none() && soap12.is_none() || !SOAP_HTTP.contains(&transport) {
                continue;
            }
            soap += 1;
            let operations = self.lower_binding(binding, &name);
            self.x.api.soap.push(SoapService {
                name: Name::wire(name),
                doc: binding.1.documentation(WSDL),
                namespace: tns,
                address_11: None,
                address_12: None,
                ports: Vec::new(),
                default_v12: soap11.is_none(),
                operations,
            });
        }
        let what = if soap == 0 {
            "no client is generated (no binding is SOAP over HTTP)".to_string()
        } else {
            format!("one client per SOAP binding ({soap}) is generated without a default address: give the endpoint URL when building the client")
        };
        self.x.diags.warn(
            self.files[0],
            at(self.docs[0]),
            format!("the WSDL declares no wsdl:service; {what}"),
        );
    }

    fn lower_binding(&mut self, (bd, binding): At<'a>, service: &str) -> Vec<SoapOperation> {
        let file = self.files[bd];
        let Some(pq) = binding.attr("type").and_then(|t| binding.resolve_qname(t)) else {
            self.x.diags.warn(
                file,
                at(binding),
                format!(
                    "binding '{}' names no portType (no type attribute); its operations are generated without messages (an empty Body each way)",
                    binding.attr("name").unwrap_or_default()
                ),
            );
            // The binding stands in for its portType: each operation is found as itself and
            // has no `message` to read.
            return self.lower_operations((bd, binding), (bd, binding), service);
        };
        let Some(port_type) = self.find(Kind::PortType, &pq, bd, binding) else {
            self.x.diags.error(
                file,
                at(binding),
                format!(
                    "the binding's portType '{{{}}}{}' is not declared",
                    pq.0, pq.1
                ),
                "add the wsdl:portType or import the WSDL that declares it",
            );
            return Vec::new();
        };
        self.lower_operations((bd, binding), port_type, service)
    }

    /// The operations of `binding`, typed from the operations of `port_type`.
    fn lower_operations(
        &mut self,
        (bd, binding): At<'a>,
        (pd, port_type): At<'a>,
        service: &str,
    ) -> Vec<SoapOperation> {
        let file = self.files[bd];
        self.pd = pd;
        let (policy, policy_addressing) = self.binding_policy(bd, binding);
        let sb = binding
            .child(SOAP11, "binding")
            .or_else(|| binding.child(SOAP12, "binding"));
        let default_style = sb.and_then(|b| b.attr("style")).unwrap_or("document");
        let tns = self.docs[bd]
            .attr("targetNamespace")
            .unwrap_or_default()
            .to_string();
        // `wsaw:UsingAddressing` on the binding, or a `wsam:Addressing` policy assertion.
        let addressing = policy_addressing
            || binding
                .children
                .iter()
                .any(|c| c.local == "UsingAddressing" && WSA_WSDL.contains(&c.ns.as_str()));
        let port_type_name = port_type.attr("name").unwrap_or_default().to_string();
        let mut warned_encoded = false;
        let mut out = Vec::new();
        for bop in binding.children_named(WSDL, "operation") {
            let Some(name) = bop.attr("name") else {
                continue;
            };
            let sop = bop
                .child(SOAP11, "operation")
                .or_else(|| bop.child(SOAP12, "operation"));
            let action = sop
                .and_then(|o| o.attr("soapAction"))
                .unwrap_or_default()
                .to_string();
            let style = sop
                .and_then(|o| o.attr("style"))
                .unwrap_or(default_style)
                .to_string();
            let pop = match port_type
                .children_named(WSDL, "operation")
                .find(|o| o.attr("name") == Some(name))
            {
                Some(pop) => pop,
                None => {
                    self.x.diags.warn(
                        file,
                        at(bop),
                        format!("binding operation '{name}' is not in the portType, so it has no messages; it is generated with an empty Body each way"),
                    );
                    // Its binding operation has no `message` attributes: no parts, no faults.
                    bop
                }
            };
            let bin = bop.child(WSDL, "input");
            let bout = bop.child(WSDL, "output");
            // The soap:body of an input/output, also inside a SOAP-with-Attachments
            // `mime:multipartRelated` (its first `mime:part` holding one).
            let body_of = |b: Option<&'a Element>| {
                let b = b?;
                let direct =
                    |e: &'a Element| e.child(SOAP11, "body").or_else(|| e.child(SOAP12, "body"));
                direct(b).or_else(|| {
                    b.child(MIME, "multipartRelated")?
                        .children_named(MIME, "part")
                        .find_map(direct)
                })
            };
            // SOAP with Attachments: the output parts in their own MIME parts, read as bytes.
            let attachments: Vec<String> = bout
                .and_then(|b| b.child(MIME, "multipartRelated"))
                .into_iter()
                .flat_map(|mr| mr.children_named(MIME, "part"))
                .flat_map(|p| p.children_named(MIME, "content"))
                .filter_map(|c| c.attr("part").map(str::to_owned))
                .collect();
            let encoded = [body_of(bin), body_of(bout)]
                .iter()
                .flatten()
                .any(|b| b.attr("use") == Some("encoded"));
            if encoded && !warned_encoded {
                warned_encoded = true;
                self.x.diags.warn(
                    file,
                    at(binding),
                    format!("service '{service}': rpc/encoded (SOAP Section 5 encoding) is mapped as rpc/literal: parts are sent without xsi:type and SOAP-encoded arrays as repeated `item` elements; a server that requires xsi:type may refuse the calls"),
                );
            }
            // With WS-Addressing the action is the input's wsaw:Action, else the soapAction,
            // else the WS-Addressing default ({tns}/{portType}/{input name}); SOAPAction (1.1)
            // and the 1.2 action parameter carry the same value.
            let action = match addressing {
                false => action,
                true => pop
                    .child(WSDL, "input")
                    .and_then(wsa_action)
                    .or(Some(action).filter(|a| !a.is_empty()))
                    .unwrap_or_else(|| {
                        let input = pop
                            .child(WSDL, "input")
                            .and_then(|i| i.attr("name"))
                            .map(str::to_string)
                            .unwrap_or_else(|| format!("{name}Request"));
                        let ptns = self.docs[pd]
                            .attr("targetNamespace")
                            .unwrap_or_default()
                            .trim_end_matches('/');
                        format!("{ptns}/{port_type_name}/{input}")
                    }),
            };
            let rpc = style == "rpc";
            let input = pop.child(WSDL, "input").and_then(|i| {
                self.message_body(
                    i,
                    body_of(bin),
                    rpc,
                    name.to_string(),
                    &tns,
                    name,
                    "Request",
                )
            });
            let output = pop.child(WSDL, "output").and_then(|o| {
                self.message_body(
                    o,
                    body_of(bout),
                    rpc,
                    format!("{name}Response"),
                    &tns,
                    name,
                    "Response",
                )
            });
            let mut faults = Vec::new();
            for f in pop.children_named(WSDL, "fault") {
                let declared = f
                    .attr("message")
                    .and_then(|m| f.resolve_qname(m))
                    .is_some_and(|q| {
                        self.messages.contains_key(&q)
                            || by_local_name(&self.messages, &q).is_some()
                    });
                if !declared {
                    self.x.diags.warn(
                        self.files[self.pd],
                        at(f),
                        format!(
                            "fault '{}' of '{name}' names a message that is not declared; the fault is not typed",
                            f.attr("name").unwrap_or_default()
                        ),
                    );
                    continue;
                }
                let fault_name = f.attr("name").unwrap_or("fault");
                if let Some(parts) = self.parts_of(f) {
                    let several = parts.len() > 1;
                    for (pd, part) in parts {
                        if let Some(element) = self.part_element(pd, part) {
                            let name = match part.attr("name") {
                                Some(p) if several => format!("{fault_name}_{p}"),
                                _ => fault_name.to_string(),
                            };
                            faults.push(SoapFaultDef {
                                name: Name::wire(name),
                                element,
                            });
                        }
                    }
                }
            }
            let mut input_headers = Vec::new();
            if let Some(bin) = bin {
                for h in bin
                    .children_named(SOAP11, "header")
                    .chain(bin.children_named(SOAP12, "header"))
                {
                    if let Some(e) = self.header_part(bd, h) {
                        input_headers.push(e);
                    }
                }
            }
            let mut output_headers = Vec::new();
            if let Some(bout) = bout {
                for h in bout
                    .children_named(SOAP11, "header")
                    .chain(bout.children_named(SOAP12, "header"))
                {
                    if let Some(e) = self.header_part(bd, h) {
                        output_headers.push(e);
                    }
                }
            }
            out.push(SoapOperation {
                name: Name::wire(name),
                doc: pop.documentation(WSDL),
                action,
                input,
                output,
                faults,
                error_type: String::new(),
                input_headers,
                output_headers,
                attachments,
                policy,
                reply_type: String::new(),
                retry_safe: name.starts_with("get"),
                addressing,
                origin: format!("{}:{}:{}", file.display(), bop.line, bop.col),
            });
        }
        out
    }

    /// WS-Policy on a binding (`wsp:PolicyReference` or an inline `wsp:Policy`): the
    /// UsernameToken and IncludeTimestamp requirements (the client applies them), and whether a
    /// `wsam:Addressing` assertion that is not `wsp:Optional` requires WS-Addressing headers; a
    /// warning at the policy names the security it requires, HTTPS included, which the client
    /// does not enforce.
    fn binding_policy(
        &mut self,
        bd: usize,
        binding: &'a Element,
    ) -> (crate::model::SoapPolicy, bool) {
        let mut addressing = false;
        let mut applied = crate::model::SoapPolicy::default();
        let mut policies: Vec<(usize, &'a Element, String)> = Vec::new();
        for c in &binding.children {
            if c.local == "Policy" && WSP.contains(&c.ns.as_str()) {
                policies.push((bd, c, "inline".to_string()));
            }
            if c.local != "PolicyReference" || !WSP.contains(&c.ns.as_str()) {
                continue;
            }
            let Some(id) = c.attr("URI").and_then(|u| u.strip_prefix('#')) else {
                continue;
            };
            let found = self
                .docs
                .iter()
                .enumerate()
                .find_map(|(d, root)| find_policy(root, id).map(|p| (d, p)));
            match found {
                Some((d, p)) => policies.push((d, p, id.to_string())),
                None => self.x.diags.warn(
                    self.files[bd],
                    at(c),
                    format!("binding '{}' references the WS-Policy '#{id}', which is not in the WSDL; the policy is not applied", binding.attr("name").unwrap_or_default()),
                ),
            }
        }
        for (d, policy, id) in policies {
            addressing |= requires_addressing(policy);
            applied.username_token |= has_descendant(policy, "UsernameToken");
            applied.timestamp |= has_descendant(policy, "IncludeTimestamp");
            let mut needs = Vec::new();
            for (local, what) in [
                (
                    "UsernameToken",
                    "a WS-Security UsernameToken (ClientBuilder::username_token)",
                ),
                (
                    "IncludeTimestamp",
                    "a wsu:Timestamp (UsernameToken::with_timestamp)",
                ),
                ("HttpsToken", "HTTPS"),
            ] {
                if has_descendant(policy, local) {
                    needs.push(what);
                }
            }
            if needs.is_empty() {
                continue;
            }
            self.x.diags.warn(
                self.files[d],
                at(policy),
                format!(
                    "binding '{}' uses the WS-Policy '{id}', which requires {}; the generated client applies the UsernameToken (a call without one fails before sending) and Timestamp requirements, not HTTPS: configure the token on the client",
                    binding.attr("name").unwrap_or_default(),
                    needs.join(", ")
                ),
            );
        }
        (applied, addressing)
    }

    /// The component `q` names, referenced from `el` in document `d`. A reference whose
    /// namespace is wrong (a `tns:` prefix bound to the importing document's namespace, an
    /// unprefixed name under the WSDL default namespace) falls back, with a warning, to the
    /// only declaration with that local name; None (no warning) when there is none.
    fn find(&mut self, kind: Kind, q: &QName, d: usize, el: &Element) -> Option<At<'a>> {
        let map = match kind {
            Kind::Message => &self.messages,
            Kind::PortType => &self.port_types,
            Kind::Binding => &self.bindings,
        };
        if let Some(found) = map.get(q) {
            return Some(*found);
        }
        let (k, found) = by_local_name(map, q)?;
        if !self.warned.insert((kind.name(), q.clone())) {
            return Some(found);
        }
        let kind = kind.name();
        let declared = format!(
            "{}:{}:{}",
            self.files[found.0].display(),
            found.1.line,
            found.1.col
        );
        self.x.diags.warn(
            self.files[d],
            at(el),
            format!(
                "wsdl:{kind} '{{{}}}{}' is not declared; using '{{{}}}{}' (declared at {declared}), the only wsdl:{kind} with that local name (fix the reference's prefix)",
                q.0, q.1, k.0, k.1
            ),
        );
        Some(found)
    }

    /// A part's element that is missing from a namespace whose schema is loaded (a typo in
    /// the document, not a missing import): a warning, and the part is read and written as
    /// raw XML under the name the part gives. None when the namespace has no loaded schema.
    fn undeclared_in_loaded_namespace(
        &mut self,
        md: usize,
        part: &Element,
        q: &QName,
    ) -> Option<TypeRef> {
        if !self.x.idx.schemas.iter().any(|s| s.tns == q.0) {
            return None;
        }
        let near = self
            .x
            .idx
            .elements
            .keys()
            .find(|k| k.0 == q.0 && k.1.eq_ignore_ascii_case(&q.1))
            .map(|k| format!(" (did you mean '{}'? names are case-sensitive)", k.1))
            .unwrap_or_default();
        self.x.diags.warn(
            self.files[md],
            at(part),
            format!(
                "element '{{{}}}{}' is not declared in its namespace's schema{near}; the part is read and written as raw XML",
                q.0, q.1
            ),
        );
        Some(TypeRef::RawXml)
    }

    /// Every SOAP-over-HTTP port of `service` whose binding implements the same portType as
    /// `chosen` (so the client's operations apply to it), in document order.
    fn soap_ports(&self, service: &'a Element, chosen: At<'a>) -> Vec<SoapPort> {
        let port_type = |b: &Element| b.attr("type").and_then(|t| b.resolve_qname(t));
        let want = port_type(chosen.1);
        let mut out = Vec::new();
        for port in service.children_named(WSDL, "port") {
            let Some(binding) = port
                .attr("binding")
                .and_then(|b| port.resolve_qname(b))
                .and_then(|q| self.bindings.get(&q))
            else {
                continue;
            };
            let v12 = match (
                binding.1.child(SOAP11, "binding"),
                binding.1.child(SOAP12, "binding"),
            ) {
                (Some(b), _) | (None, Some(b))
                    if !SOAP_HTTP.contains(&b.attr("transport").unwrap_or("")) =>
                {
                    continue
                }
                (Some(_), _) => false,
                (None, Some(_)) => true,
                (None, None) => continue,
            };
            let Some(address) = port
                .child(SOAP11, "address")
                .or_else(|| port.child(SOAP12, "address"))
            else {
                continue;
            };
            if port_type(binding.1) != want {
                continue;
            }
            out.push(SoapPort {
                name: port.attr("name").unwrap_or_default().to_string(),
                v12,
                address: address.attr("location").unwrap_or_default().to_string(),
            });
        }
        out
    }

    /// The message a portType input/output/fault names, with its parts.
    fn parts_of(&mut self, io: &'a Element) -> Option<Vec<At<'a>>> {
        let q = io.attr("message").and_then(|m| io.resolve_qname(m))?;
        let d = self.pd;
        let Some((md, message)) = self.find(Kind::Message, &q, d, io) else {
            self.x.diags.error(
                self.files[d],
                at(io),
                format!("message '{{{}}}{}' is not declared", q.0, q.1),
                "add the wsdl:message or fix the reference",
            );
            return None;
        };
        Some(
            message
                .children_named(WSDL, "part")
                .map(|p| (md, p))
                .collect(),
        )
    }

    fn header_part(&mut self, bd: usize, h: &'a Element) -> Option<XmlElement> {
        let q = h.attr("message").and_then(|m| h.resolve_qname(m))?;
        let part_name = h.attr("part")?;
        let Some((md, message)) = self.find(Kind::Message, &q, bd, h) else {
            self.x.diags.error(
                self.files[bd],
                at(h),
                format!(
                    "soap:header names the message '{{{}}}{}', which is not declared",
                    q.0, q.1
                ),
                "add the wsdl:message or fix the reference",
            );
            return None;
        };
        let part = message
            .children_named(WSDL, "part")
            .find(|p| p.attr("name") == Some(part_name))?;
        self.part_element(md, part)
    }

    /// A part with `element=`: that element. A part with `type=`: an unqualified element named
    /// after the part.
    fn part_element(&mut self, md: usize, part: &'a Element) -> Option<XmlElement> {
        let file = self.files[md];
        if let Some(eq) = part.attr("element").and_then(|e| part.resolve_qname(e)) {
            let Some(ty) = self.x.element(&eq) else {
                if let Some(ty) = self.undeclared_in_loaded_namespace(md, part, &eq) {
                    return Some(XmlElement {
                        name: eq.1,
                        namespace: eq.0,
                        ty,
                    });
                }
                self.x.diags.error(
                    file,
                    at(part),
                    format!(
                        "element '{{{}}}{}' is not declared in the WSDL's schemas",
                        eq.0, eq.1
                    ),
                    "declare it in wsdl:types or import the schema that declares it",
                );
                return None;
            };
            return Some(XmlElement {
                name: eq.1,
                namespace: eq.0,
                ty,
            });
        }
        let tq = part.attr("type").and_then(|t| part.resolve_qname(t))?;
        let ty = self.wsdl_type_ref(md, part, &tq);
        Some(XmlElement {
            name: part.attr("name").unwrap_or("part").to_string(),
            namespace: String::new(),
            ty,
        })
    }

    fn wsdl_type_ref(&mut self, md: usize, part: &'a Element, tq: &QName) -> TypeRef {
        if tq.0 == XSD || tq.0 == super::xsd::SOAP_ENC {
            return super::xsd::lower::builtin(&tq.1);
        }
        let found = self
            .x
            .idx
            .complex_types
            .get(tq)
            .or_else(|| self.x.idx.simple_types.get(tq))
            .copied();
        match found {
            Some(c) => self.x.type_ref(c.schema, c.el, tq),
            None if self.x.idx.elements.contains_key(tq) => {
                self.x.diags.warn(
                    self.files[md],
                    at(part),
                    format!("part type '{{{}}}{}' names an element, not a type; the element's type is used", tq.0, tq.1),
                );
                self.x.element(tq).unwrap_or(TypeRef::String)
            }
            None => {
                self.x.diags.error(
                    self.files[md],
                    at(part),
                    format!(
                        "type '{{{}}}{}' is not declared in the WSDL's schemas",
                        tq.0, tq.1
                    ),
                    "declare it in wsdl:types or import the schema that declares it",
                );
                TypeRef::String
            }
        }
    }

    /// The Body content of a message: see the module docs for the styles.
    #[allow(clippy::too_many_arguments)]
    fn message_body(
        &mut self,
        io: &'a Element,
        soap_body: Option<&'a Element>,
        rpc: bool,
        wrapper: String,
        tns: &str,
        op: &str,
        suffix: &str,
    ) -> Option<XmlElement> {
        let mut parts = self.parts_of(io)?;
        if let Some(names) = soap_body.and_then(|b| b.attr("parts")) {
            let names: Vec<&str> = names.split_whitespace().collect();
            parts.retain(|(_, p)| p.attr("name").is_some_and(|n| names.contains(&n)));
        }
        if rpc {
            let ns = soap_body
                .and_then(|b| b.attr("namespace"))
                .unwrap_or(tns)
                .to_string();
            let mut fields = Vec::new();
            for (md, part) in parts {
                if let Some(e) = self.part_element(md, part) {
                    fields.push(part_field(part, e));
                }
            }
            let id = self.x.api.add_type(TypeDef {
                name: Name::wire(wrapper.clone()),
                doc: Some(format!(
                    "The `{wrapper}` rpc wrapper of `{op}` (one child per message part)."
                )),
                kind: TypeKind::XmlStruct {
                    namespace: ns.clone(),
                    fields,
                },
                origin: format!("{}:{}:{}", self.files[self.pd].display(), io.line, io.col),
                key: format!("{{{ns}}}{wrapper}"),
            });
            return Some(XmlElement {
                name: wrapper,
                namespace: ns,
                ty: TypeRef::Named(id),
            });
        }
        match parts.len() {
            0 => None,
            1 => {
                let (md, part) = parts[0];
                self.part_element(md, part)
            }
            _ => {
                let mut fields = Vec::new();
                for (md, part) in parts {
                    if let Some(e) = self.part_element(md, part) {
                        fields.push(part_field(part, e));
                    }
                }
                let name = format!("{op}{suffix}");
                let id = self.x.api.add_type(TypeDef {
                    name: Name::wire(name.clone()),
                    doc: Some(format!(
                        "The parts of `{op}`'s message, each one element of the SOAP Body."
                    )),
                    kind: TypeKind::XmlStruct {
                        namespace: String::new(),
                        fields,
                    },
                    origin: format!("{}:{}:{}", self.files[self.pd].display(), io.line, io.col),
                    key: format!("{{{tns}}}{name}#parts"),
                });
                Some(XmlElement {
                    name: String::new(),
                    namespace: String::new(),
                    ty: TypeRef::Named(id),
                })
            }
        }
    }
}

/// The `wsaw:Action` / `wsam:Action` attribute of a portType input.
fn wsa_action(input: &Element) -> Option<String> {
    input.attrs.iter().find_map(|(k, v)| {
        let (prefix, local) = k.split_once(':')?;
        let ns = input.scope.get(prefix)?;
        (local == "Action" && WSA_WSDL.contains(&ns.as_str())).then(|| v.clone())
    })
}

/// WS-Policy namespaces (1.2 and 1.5).
const WSP: &[&str] = &[
    "http://schemas.xmlsoap.org/ws/2004/09/policy",
    "http://www.w3.org/ns/ws-policy",
];

/// The `wsp:Policy` with `wsu:Id` (or `Id`) equal to `id` anywhere under `root`.
fn find_policy<'a>(root: &'a Element, id: &str) -> Option<&'a Element> {
    let mut stack = vec![root];
    while let Some(e) = stack.pop() {
        let named = e
            .attrs
            .iter()
            .any(|(k, v)| (k == "Id" || k.ends_with(":Id")) && v == id);
        if e.local == "Policy" && WSP.contains(&e.ns.as_str()) && named {
            return Some(e);
        }
        stack.extend(e.children.iter());
    }
    None
}

/// Whether an element named `local` (any namespace) is under `e`.
/// A `wsam:Addressing` assertion (WS-Addressing Metadata) under `policy` that is not marked
/// `wsp:Optional="true"`.
fn requires_addressing(policy: &Element) -> bool {
    let mut stack: Vec<&Element> = policy.children.iter().collect();
    while let Some(c) = stack.pop() {
        if c.local == "Addressing" && c.ns == WSA_WSDL[1] {
            // Attributes are kept by their raw name: `wsp:Optional` under whatever prefix
            // the document binds to a WS-Policy namespace.
            let optional = c.attrs.iter().any(|(name, v)| {
                let (prefix, local) = name.split_once(':').unwrap_or(("", name));
                local == "Optional"
                    && c.scope
                        .get(prefix)
                        .is_some_and(|ns| WSP.contains(&ns.as_str()))
                    && (v == "true" || v == "1")
            });
            if !optional {
                return true;
            }
        }
        stack.extend(c.children.iter());
    }
    false
}

fn has_descendant(e: &Element, local: &str) -> bool {
    let mut stack: Vec<&Element> = e.children.iter().collect();
    while let Some(c) = stack.pop() {
        if c.local == local {
            return true;
        }
        stack.extend(c.children.iter());
    }
    false
}

/// The field for one message part: named after the element on the wire, documented with the
/// part's own name when the two differ (a document/literal part named `parameters` whose element
/// is `GetCard`).
fn part_field(part: &Element, e: XmlElement) -> XmlField {
    let doc = match part.attr("name") {
        Some(p) if p != e.name => format!("The `{p}` part: the `{}` element.", e.name),
        _ => format!("The `{}` part.", e.name),
    };
    XmlField {
        name: Name::wire(e.name.clone()),
        namespace: e.namespace,
        ty: e.ty,
        optional: false,
        repeated: false,
        attribute: false,
        doc: Some(doc),
        nillable: false,
        text: false,
    }
}
