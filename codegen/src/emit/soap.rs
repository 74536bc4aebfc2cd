//! Emits SOAP services: a client type per WSDL service with one async method per operation
//! that writes the request element, calls the runtime's envelope seam and returns raw XML.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::{doc_attr, Emitter};
use crate::model::{SoapOperation, SoapService};

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
        let doc = doc_attr(Some(&format!(
            "Client for the `{}` SOAP service (namespace `{}`).{}\n\nSOAP 1.1 by default; choose 1.2 with [`with_version`](Self::with_version).",
            s.name.wire,
            s.namespace,
            s.doc.as_deref().map(|d| format!("\n\n{d}")).unwrap_or_default()
        )));
        let accessor_doc = format!(
            "The `{}` SOAP service, sharing this client's connection, credentials and rate limit.",
            s.name.wire
        );
        let ops = s.operations.iter().map(|op| self.soap_operation(s, op));
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
            }

            impl super::Client {
                #[doc = #accessor_doc]
                pub fn #accessor(&self) -> #ty {
                    #ty { api: self.api.clone(), version: #rt::SoapVersion::V11 }
                }
            }

            impl #ty {
                /// Uses SOAP 1.1 (`SOAPAction` header) or SOAP 1.2 (`action` in the Content-Type).
                pub fn with_version(mut self, version: #rt::SoapVersion) -> Self {
                    self.version = version;
                    self
                }

                /// The SOAP version calls use.
                pub fn version(&self) -> #rt::SoapVersion {
                    self.version
                }

                #(#ops)*
            }
        }
    }

    fn soap_operation(&self, s: &SoapService, op: &SoapOperation) -> TokenStream {
        let rt = &self.runtime;
        let method = format_ident!("{}", op.name.rust);
        let name = &op.name.wire;
        let action = &op.action;
        let retry_safe = op.retry_safe;
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
        let mut doc = op
            .doc
            .clone()
            .unwrap_or_else(|| format!("Calls the `{name}` operation."));
        doc.push_str(&format!(
            "\n\nSOAP action `{action}`. Returns the response element as raw XML."
        ));
        if let Some(crate::model::XmlElement {
            ty: crate::model::TypeRef::Named(id),
            name: out_name,
            ..
        }) = &op.output
        {
            if !out_name.is_empty() {
                doc.push_str(&format!(
                    "\n\nThe returned XML decodes into the typed response `types::{}` with `RawXml::decode`.",
                    self.api.ty(*id).name.rust
                ));
            }
        }
        for f in &op.faults {
            doc.push_str(&format!(
                "\n\nDeclared fault: `{{{}}}{}` (its detail arrives in the SOAP fault error).",
                f.namespace, f.name
            ));
        }
        for h in &op.input_headers {
            doc.push_str(&format!(
                "\n\nThe WSDL declares the request header `{{{}}}{}` (this client does not send request headers yet).",
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
                        let body = writer.finish();
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
                        let body = writer.finish();
                    },
                )
            }
            None => (
                quote!(),
                quote! { let body = ::std::string::String::new(); },
            ),
        };
        quote! {
            #mdoc
            pub async fn #method(&self, #arg) -> ::std::result::Result<#rt::xml::RawXml, #rt::Error> {
                static #info_11: #rt::soap::SoapOperationInfo = #rt::soap::SoapOperationInfo { name: #name, action: #action, address: #addr_11, retry_safe: #retry_safe };
                static #info_12: #rt::soap::SoapOperationInfo = #rt::soap::SoapOperationInfo { name: #name, action: #action, address: #addr_12, retry_safe: #retry_safe };
                #write
                let info = match self.version {
                    #rt::SoapVersion::V11 => &#info_11,
                    #rt::SoapVersion::V12 => &#info_12,
                };
                self.api.soap_call(info, self.version, body).await.map(#rt::xml::RawXml)
            }
        }
    }
}
