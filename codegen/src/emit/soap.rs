//! Emits SOAP services: a client type per WSDL service with one async method per operation
//! that writes the request element, calls the runtime's envelope seam and decodes the reply
//! (typed output, raw XML for `xs:any`, `()` without output; declared faults as a typed error).

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::{doc_attr, Emitter};
use crate::model::{SoapOperation, SoapService, TypeRef, XmlElement};

impl Emitter<'_> {
    /// Emits the whole SOAP module body.
    pub fn soap_services(&self) -> TokenStream {
        let services = self.api.soap.iter().map(|s| self.soap_service(s));
        quote! { #(#services)* }
    }

    fn soap_service(&self, s: &SoapService) -> TokenStream {
        let rt = &self.runtime;
        let ty = format_ident!("{}", s.name.rust);
        let accessor = format_ident!("{}", super::ident::snake(&s.name.wire));
        let (default_version, version_doc) = match s.default_v12 {
            true => (quote!(#rt::SoapVersion::V12), "SOAP 1.2 by default, as the WSDL declares the service; choose 1.1 with [`with_version`](Self::with_version)."),
            false => (quote!(#rt::SoapVersion::V11), "SOAP 1.1 by default; choose 1.2 with [`with_version`](Self::with_version)."),
        };
        let doc = doc_attr(Some(&format!(
            "Client for the `{}` SOAP service (namespace `{}`).{}\n\n{version_doc}",
            s.name.wire,
            s.namespace,
            s.doc
                .as_deref()
                .map(|d| format!("\n\n{d}"))
                .unwrap_or_default()
        )));
        let accessor_doc = format!(
            "The `{}` SOAP service, sharing this client's connection, credentials and rate limit.",
            s.name.wire
        );
        let (ops, errors): (Vec<_>, Vec<_>) = s
            .operations
            .iter()
            .map(|op| self.soap_operation(s, op))
            .unzip();
        let ports = s.ports.iter().map(|p| {
            let (name, address) = (&p.name, &p.address);
            let v = match p.v12 {
                true => quote!(#rt::SoapVersion::V12),
                false => quote!(#rt::SoapVersion::V11),
            };
            quote!((#name, #v, #address))
        });
        // A service without operations (after filtering, or as declared) never reads `api`.
        let allow = if s.operations.is_empty() {
            quote!(#[allow(dead_code)])
        } else {
            quote!()
        };
        quote! {
            #doc
            #allow
            #[derive(Debug, Clone)]
            pub struct #ty {
                api: #rt::ApiClient,
                version: #rt::SoapVersion,
                endpoint: ::std::option::Option<&'static str>,
            }

            impl super::Client {
                #[doc = #accessor_doc]
                pub fn #accessor(&self) -> #ty {
                    #ty { api: self.api.clone(), version: #default_version, endpoint: ::std::option::Option::None }
                }
            }

            impl #ty {
                /// The service's SOAP ports whose binding this client implements:
                /// (port name, SOAP version, address), in WSDL order.
                pub const PORTS: &'static [(&'static str, #rt::SoapVersion, &'static str)] = &[#(#ports),*];

                /// Uses SOAP 1.1 (`SOAPAction` header) or SOAP 1.2 (`action` in the Content-Type),
                /// at the WSDL's first port of that version (undoes [`with_port`](Self::with_port)).
                pub fn with_version(mut self, version: #rt::SoapVersion) -> Self {
                    self.version = version;
                    self.endpoint = ::std::option::Option::None;
                    self
                }

                /// Sends every call to the port `name` of [`PORTS`](Self::PORTS): its SOAP version
                /// and its address (only the path, joined to the client's base URL, like the
                /// default ports; a `soap_endpoint` set on the client still wins). `None` when
                /// the service has no such port.
                pub fn with_port(mut self, name: &str) -> ::std::option::Option<Self> {
                    let (_, version, address) = Self::PORTS.iter().find(|(n, _, _)| *n == name)?;
                    self.version = *version;
                    self.endpoint = ::std::option::Option::Some(address);
                    ::std::option::Option::Some(self)
                }

                /// The SOAP version calls use.
                pub fn version(&self) -> #rt::SoapVersion {
                    self.version
                }

                #(#ops)*
            }

            #(#errors)*
        }
    }

    /// The method for one operation, and its error type when it declares faults.
    fn soap_operation(&self, s: &SoapService, op: &SoapOperation) -> (TokenStream, TokenStream) {
        let rt = &self.runtime;
        let method = format_ident!("{}", op.name.rust);
        let name = &op.name.wire;
        let action = &op.action;
        let retry_safe = op.retry_safe;
        let (policy_token, policy_ts) = (op.policy.username_token, op.policy.timestamp);
        let policy = if op.policy == crate::model::SoapPolicy::default() {
            quote!(#rt::soap::SoapPolicy::NONE)
        } else {
            quote!(#rt::soap::SoapPolicy { username_token: #policy_token, timestamp: #policy_ts })
        };
        let upper = op.name.rust.trim_start_matches("r#").to_uppercase();
        let info_11 = format_ident!("{}_SOAP11", upper);
        let info_12 = format_ident!("{}_SOAP12", upper);
        let addr_11 = s
            .address_11
            .clone()
            .or_else(|| s.address_12.clone())
            .unwrap_or_default();
        let addr_12 = s
            .address_12
            .clone()
            .or_else(|| s.address_11.clone())
            .unwrap_or_default();
        let output = self.soap_output(op);
        let mut doc = op
            .doc
            .clone()
            .unwrap_or_else(|| format!("Calls the `{name}` operation."));
        doc.push_str(&format!("\n\nSOAP action `{action}`. {}", output.doc));
        if !op.faults.is_empty() {
            doc.push_str(&format!(
                "\n\nDeclared faults arrive as [`{0}`] variants with their decoded detail; other failures as `{0}::Other`.",
                op.error_type
            ));
        }
        if op.addressing {
            doc.push_str(&format!(
                "\n\nWS-Addressing: sends `wsa:Action` `{action}`, `wsa:To` (the endpoint) and a fresh `wsa:MessageID`."
            ));
        }
        for h in &op.input_headers {
            doc.push_str(&format!(
                "\n\nSends the request header `{{{}}}{}` (a typed argument) in the SOAP Header.",
                h.namespace, h.name
            ));
        }
        let mdoc = doc_attr(Some(&doc));
        let bare_fields = match &op.input {
            Some(input) if input.name.is_empty() => match &input.ty {
                crate::model::TypeRef::Named(id) => match &self.api.ty(*id).kind {
                    crate::model::TypeKind::XmlStruct { fields, .. } => Some(fields.clone()),
                    _ => None,
                },
                _ => None,
            },
            _ => None,
        };
        let (error_ty, map_call, map_decode) = if op.faults.is_empty() {
            (quote!(#rt::Error), quote!(), quote!())
        } else {
            let e = format_ident!("{}", op.error_type);
            (
                quote!(#e),
                quote!(.map_err(|e| #e::from_call(info, e))),
                quote!(.map_err(#e::Other)),
            )
        };
        let (arg, write) = match &op.input {
            Some(input) if bare_fields.is_some() => {
                let ty = self.rust_type(&input.ty);
                let writes = bare_fields.unwrap_or_default().into_iter().map(|f| {
                    let ident = format_ident!("{}", f.name.rust);
                    let ns = f.namespace;
                    let local = f.name.wire;
                    quote! { #rt::xml::ToXml::write_xml(&request.#ident, &mut writer, #ns, #local); }
                });
                (
                    quote! { request: &#ty },
                    quote! {
                        let mut writer = #rt::xml::XmlWriter::new();
                        #(#writes)*
                        let body = writer.finish_checked().map_err(|e| #rt::Error::invalid_request(::std::format!("request of {}: {e}", #name))) #map_decode ?;
                    },
                )
            }
            Some(input) => {
                let ty = self.rust_type(&input.ty);
                let ns = &input.namespace;
                let local = &input.name;
                (
                    quote! { request: &#ty },
                    quote! {
                        let mut writer = #rt::xml::XmlWriter::new();
                        #rt::xml::ToXml::write_xml(request, &mut writer, #ns, #local);
                        let body = writer.finish_checked().map_err(|e| #rt::Error::invalid_request(::std::format!("request of {}: {e}", #name))) #map_decode ?;
                    },
                )
            }
            None => (
                quote!(),
                quote! { let body = ::std::string::String::new(); },
            ),
        };
        let (ret, finish) = match &output.kind {
            OutputKind::Unit => (
                quote!(()),
                quote! { let _ = payload; ::std::result::Result::Ok(()) },
            ),
            OutputKind::Raw => (
                quote!(#rt::xml::RawXml),
                quote! { ::std::result::Result::Ok(#rt::xml::RawXml(payload)) },
            ),
            OutputKind::Typed(ty) => (
                ty.clone(),
                quote! { #rt::soap::decode_response(info, &payload) #map_decode },
            ),
            OutputKind::Parts(ty) => (
                ty.clone(),
                quote! { #rt::soap::decode_parts(info, &body_parts) #map_decode },
            ),
        };
        let parts = matches!(output.kind, OutputKind::Parts(_));
        // soap:header parts: request ones are typed arguments, response ones fields of the reply.
        let mut arg_names = super::ident::Namer::with_taken([
            "request",
            "info",
            "body",
            "header",
            "payload",
            "headers",
            "writer",
            "body_parts",
            "attachments",
        ]);
        let header_args: Vec<_> = op
            .input_headers
            .iter()
            .map(|h| {
                let ident = format_ident!("{}", arg_names.unique(&super::ident::snake(&h.name)));
                let ty = self.rust_type(&h.ty);
                (ident, ty, h.namespace.clone(), h.name.clone())
            })
            .collect();
        let params: Vec<TokenStream> = Some(arg.clone())
            .filter(|a| !a.is_empty())
            .into_iter()
            .chain(header_args.iter().map(|(i, t, _, _)| quote!(#i: &#t)))
            .collect();
        let header_writes = header_args
            .iter()
            .map(|(i, _, ns, local)| quote!(#rt::xml::to_xml_string(#i, #ns, #local)));
        let header_expr = match header_args.is_empty() {
            true => quote!(::std::string::String::new()),
            false => quote!([#(#header_writes),*].concat()),
        };
        let exchange = !op.input_headers.is_empty()
            || !op.output_headers.is_empty()
            || !op.attachments.is_empty()
            || op.addressing
            || parts;
        // The reply's fields the method reads: the first Body element (unless the output has
        // several parts and no attachment refers to it), every Body element for several parts,
        // response headers and MIME parts only when the operation declares some.
        let mut reply_reads = Vec::new();
        if !parts || !op.attachments.is_empty() {
            reply_reads.push(quote!(body: payload));
        }
        if parts {
            reply_reads.push(quote!(body_parts));
        }
        if !op.output_headers.is_empty() {
            reply_reads.push(quote!(headers));
        }
        if !op.attachments.is_empty() {
            reply_reads.push(quote!(attachments));
        }
        let addressing = op.addressing;
        let call_expr = match exchange {
            false => quote! {
                let payload = self.api.soap_call(info, self.version, body).await #map_call ?;
            },
            true => quote! {
                let header: ::std::string::String = #header_expr;
                let request = #rt::soap::SoapRequest { header, body, addressing: #addressing };
                let #rt::soap::SoapReply { #(#reply_reads,)* .. } =
                    self.api.soap_exchange(info, self.version, request).await #map_call ?;
            },
        };
        let mut field_names = super::ident::Namer::with_taken(["body"]);
        let reply_fields: Vec<_> = op
            .output_headers
            .iter()
            .map(|h| {
                let ident = format_ident!("{}", field_names.unique(&super::ident::snake(&h.name)));
                (
                    ident,
                    self.rust_type(&h.ty),
                    h.namespace.clone(),
                    h.name.clone(),
                )
            })
            .collect();
        let attachment_fields: Vec<_> = op
            .attachments
            .iter()
            .map(|part| {
                let ident = format_ident!("{}", field_names.unique(&super::ident::snake(part)));
                (ident, part.clone())
            })
            .collect();
        let (ret, finish, reply_def) = if reply_fields.is_empty() && attachment_fields.is_empty() {
            (ret, finish, quote!())
        } else {
            let r = format_ident!("{}", op.reply_type);
            let body_ty = ret;
            let body_value = match &output.kind {
                OutputKind::Unit => quote! { { let _ = payload; } },
                OutputKind::Raw => quote! { #rt::xml::RawXml(payload) },
                OutputKind::Typed(_) => {
                    quote! { #rt::soap::decode_response(info, &payload) #map_decode ? }
                }
                OutputKind::Parts(_) => {
                    quote! { #rt::soap::decode_parts(info, &body_parts) #map_decode ? }
                }
            };
            let fields = reply_fields.iter().map(|(i, t, ns, local)| {
                let d =
                    format!(" The `{{{ns}}}{local}` response header, when the reply carries it.");
                quote! { #[doc = #d] pub #i: ::std::option::Option<#t>, }
            });
            let decodes = reply_fields.iter().map(|(i, _, ns, local)| {
                quote! { #i: #rt::soap::decode_header(info, &headers, #ns, #local) #map_decode ?, }
            });
            let attachment_defs = attachment_fields.iter().map(|(i, part)| {
                let d = format!(" The output part `{part}`: the bytes of the MIME part the body refers to with `href=\"cid:...\"` (SOAP with Attachments); a reply without it is `Error::Decode` naming `{part}`.");
                quote! { #[doc = #d] pub #i: ::std::vec::Vec<u8>, }
            });
            let attachment_reads = attachment_fields.iter().map(|(i, part)| {
                quote! { let #i = #rt::swa::attachment(info, &payload, &attachments, #part) #map_decode ?; }
            });
            let attachment_idents = attachment_fields.iter().map(|(i, _)| i);
            let rdoc = format!(" The reply of [`{}::{}`]: the response body and the response headers and MIME attachments the WSDL declares.", s.name.rust, op.name.rust);
            (
                quote!(#r),
                quote! {
                    #(#attachment_reads)*
                    let body = #body_value;
                    ::std::result::Result::Ok(#r { body, #(#decodes)* #(#attachment_idents,)* })
                },
                quote! {
                    #[doc = #rdoc]
                    #[derive(Debug, Clone)]
                    pub struct #r {
                        /// The response body.
                        pub body: #body_ty,
                        #(#fields)*
                        #(#attachment_defs)*
                    }
                },
            )
        };
        let error_def = self.soap_error_type(s, op);
        let method_tokens = quote! {
            #mdoc
            pub async fn #method(&self, #(#params),*) -> ::std::result::Result<#ret, #error_ty> {
                static #info_11: #rt::soap::SoapOperationInfo = #rt::soap::SoapOperationInfo { name: #name, action: #action, address: #addr_11, retry_safe: #retry_safe, policy: #policy };
                static #info_12: #rt::soap::SoapOperationInfo = #rt::soap::SoapOperationInfo { name: #name, action: #action, address: #addr_12, retry_safe: #retry_safe, policy: #policy };
                #write
                let mut info = *match self.version {
                    #rt::SoapVersion::V11 => &#info_11,
                    #rt::SoapVersion::V12 => &#info_12,
                };
                if let ::std::option::Option::Some(address) = self.endpoint {
                    info.address = address;
                }
                let info = &info;
                #call_expr
                #finish
            }
        };
        (method_tokens, quote! { #error_def #reply_def })
    }
}

/// What a generated SOAP method returns.
enum OutputKind {
    /// The operation declares no output: `()`.
    Unit,
    /// The output is `xs:any`/`xs:anyType`: the response element as `RawXml`.
    Raw,
    /// A multi-part document/literal Body: the parts type, read from every Body element.
    Parts(TokenStream),
    /// The declared output element's type, decoded with `FromXml`.
    Typed(TokenStream),
}

/// The return type of an operation and the sentence its doc gets.
struct Output {
    kind: OutputKind,
    doc: String,
}

impl Emitter<'_> {
    fn soap_output(&self, op: &SoapOperation) -> Output {
        match &op.output {
            None => Output {
                kind: OutputKind::Unit,
                doc: "The operation declares no response; success returns `()`.".into(),
            },
            Some(out) if out.name.is_empty() => Output {
                kind: OutputKind::Parts(self.rust_type(&out.ty)),
                doc: "The response Body has several parts (one element each), decoded together; a Body that does not decode is `Error::Decode`."
                    .into(),
            },
            Some(XmlElement {
                ty: TypeRef::RawXml,
                name: out_name,
                ..
            }) => Output {
                kind: OutputKind::Raw,
                doc: format!(
                    "Returns the response element `{out_name}` as raw XML (the WSDL does not type its content)."
                ),
            },
            Some(out) => Output {
                kind: OutputKind::Typed(self.rust_type(&out.ty)),
                doc: format!(
                    "Returns the response element `{{{}}}{}`, decoded; a Body that does not decode is `Error::Decode`.",
                    out.namespace, out.name
                ),
            },
        }
    }

    /// `PutError`: one variant per declared fault holding its decoded detail and the fault,
    /// `Other` for everything else; Display, `std::error::Error` and conversions from and to
    /// the runtime error. Nothing for operations without faults.
    fn soap_error_type(&self, s: &SoapService, op: &SoapOperation) -> TokenStream {
        if op.faults.is_empty() {
            return quote!();
        }
        let rt = &self.runtime;
        let e = format_ident!("{}", op.error_type);
        let doc = doc_attr(Some(&format!(
            "The error of [`{svc}::{m}`]: a fault the WSDL declares for `{op}` (its detail decoded, with the fault's code, reason and raw detail), or any other failure.\n\nA SOAP fault whose detail is absent or not one of the declared elements is `Other(Error::SoapFault(..))` with the raw detail; a declared detail that does not decode is `Other(Error::Decode {{ .. }})`. Converts from and into the runtime `Error` (a declared fault becomes `Error::SoapFault`), so `?` works either way.",
            svc = s.name.rust,
            m = op.name.rust,
            op = op.name.wire,
        )));
        let variants = op.faults.iter().map(|f| {
            let v = format_ident!("{}", f.name.rust);
            let ty = self.rust_type(&f.element.ty);
            let vdoc = format!(
                " The `{}` fault: its detail `{{{}}}{}`, decoded, and the fault itself.",
                f.name.wire, f.element.namespace, f.element.name
            );
            quote! {
                #[doc = #vdoc]
                #v(::std::boxed::Box<#ty>, ::std::boxed::Box<#rt::SoapFault>)
            }
        });
        let tries = op.faults.iter().map(|f| {
            let v = format_ident!("{}", f.name.rust);
            let ty = self.rust_type(&f.element.ty);
            let (ns, local) = (&f.element.namespace, &f.element.name);
            quote! {
                match #rt::soap::decode_fault_detail::<#ty>(op, &fault, #ns, #local) {
                    ::std::result::Result::Ok(::std::option::Option::Some(detail)) => {
                        return #e::#v(::std::boxed::Box::new(detail), fault)
                    }
                    ::std::result::Result::Ok(::std::option::Option::None) => {}
                    ::std::result::Result::Err(error) => return #e::Other(error),
                }
            }
        });
        let names: Vec<_> = op
            .faults
            .iter()
            .map(|f| format_ident!("{}", f.name.rust))
            .collect();
        let messages: Vec<_> = op
            .faults
            .iter()
            .map(|f| format!("{{}} (declared fault `{}`)", f.name.wire))
            .collect();
        quote! {
            #doc
            #[derive(Debug)]
            pub enum #e {
                #(#variants,)*
                /// Any other failure: transport, HTTP status, an undeclared or absent fault detail, decoding.
                Other(#rt::Error),
            }

            impl #e {
                /// Sorts a failed call: a fault with a declared detail becomes its variant.
                fn from_call(op: &#rt::soap::SoapOperationInfo, error: #rt::Error) -> Self {
                    let fault = match error {
                        #rt::Error::SoapFault(fault) => fault,
                        other => return #e::Other(other),
                    };
                    #(#tries)*
                    #e::Other(#rt::Error::SoapFault(fault))
                }

                /// The SOAP fault (code, reason, raw detail) whenever the server answered with one.
                pub fn soap_fault(&self) -> ::std::option::Option<&#rt::SoapFault> {
                    match self {
                        #(#e::#names(_, fault) => ::std::option::Option::Some(&**fault),)*
                        #e::Other(#rt::Error::SoapFault(fault)) => ::std::option::Option::Some(&**fault),
                        #e::Other(_) => ::std::option::Option::None,
                    }
                }
            }

            impl ::std::fmt::Display for #e {
                fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                    match self {
                        #(#e::#names(_, fault) => write!(f, #messages, fault),)*
                        #e::Other(error) => ::std::fmt::Display::fmt(error, f),
                    }
                }
            }

            impl ::std::error::Error for #e {
                fn source(&self) -> ::std::option::Option<&(dyn ::std::error::Error + 'static)> {
                    match self {
                        #e::Other(error) => ::std::option::Option::Some(error),
                        _ => ::std::option::Option::None,
                    }
                }
            }

            impl ::std::convert::From<#rt::Error> for #e {
                fn from(error: #rt::Error) -> Self {
                    #e::Other(error)
                }
            }

            impl ::std::convert::From<#e> for #rt::Error {
                fn from(error: #e) -> Self {
                    match error {
                        #(#e::#names(_, fault) => #rt::Error::SoapFault(fault),)*
                        #e::Other(error) => error,
                    }
                }
            }
        }
    }
}
