//! Emits REST operations: a method on `Client` per operation (required parameters
//! positionally) returning a request builder for optional parameters and the body.

use proc_macro2::{Literal, TokenStream};
use quote::{format_ident, quote};

use super::{doc_attr, ident, Emitter};
use crate::model::{
    FormPart, Method, Param, ParamLocation, ParamStyle, PartKind, RestOperation, TypeKind, TypeRef,
};

impl Emitter<'_> {
    /// Emits the whole operations module body.
    pub fn rest_operations(&self) -> TokenStream {
        let ops = self
            .api
            .rest
            .iter()
            .enumerate()
            .map(|(i, op)| self.rest_operation(i, op));
        let schemes = self.security_schemes_static();
        quote! { #schemes #(#ops)* }
    }

    /// The `SECURITY_SCHEMES` table operations consult (typed security only).
    pub(super) fn security_schemes_static(&self) -> TokenStream {
        if self.typed_security() {
            let rt = &self.runtime;
            let items = self.api.security_schemes.iter().map(|(name, kind)| {
                let k = match kind {
                    crate::model::SecurityKind::ApiKeyHeader(h) => {
                        quote!(#rt::openapi::SchemeKind::ApiKeyHeader(#h))
                    }
                    crate::model::SecurityKind::ApiKeyQuery(q) => {
                        quote!(#rt::openapi::SchemeKind::ApiKeyQuery(#q))
                    }
                    crate::model::SecurityKind::ApiKeyCookie(c) => {
                        quote!(#rt::openapi::SchemeKind::ApiKeyCookie(#c))
                    }
                    crate::model::SecurityKind::Bearer => quote!(#rt::openapi::SchemeKind::Bearer),
                    crate::model::SecurityKind::Basic => quote!(#rt::openapi::SchemeKind::Basic),
                };
                quote! { #rt::openapi::SchemeInfo { name: #name, kind: #k }, }
            });
            quote! {
                /// The document's security schemes.
                static SECURITY_SCHEMES: &[#rt::openapi::SchemeInfo] = &[#(#items)*];
            }
        } else {
            quote!()
        }
    }

    fn param_type(&self, ty: &TypeRef) -> (TokenStream, TokenStream, bool) {
        // (stored type, argument type, argument needs `.into()`)
        match ty {
            TypeRef::String => (
                quote!(::std::string::String),
                quote!(impl ::std::convert::Into<::std::string::String>),
                true,
            ),
            TypeRef::External(_) => {
                let t = self.rust_type(ty);
                (t.clone(), quote!(impl ::std::convert::Into<#t>), true)
            }
            other => {
                let t = self.rust_type(other);
                (t.clone(), t, false)
            }
        }
    }

    /// Whether values of `ty` implement `Display` (scalars, ids, string enums, external types).
    fn has_display(&self, ty: &TypeRef) -> bool {
        match ty {
            TypeRef::Named(id) => matches!(self.api.ty(*id).kind, TypeKind::Enum { .. }),
            TypeRef::Array(_)
            | TypeRef::Map(_)
            | TypeRef::OneOrMany(_)
            | TypeRef::Json
            | TypeRef::RawXml => false,
            _ => true,
        }
    }

    /// Whether a parameter type is a JSON object (serialised key by key in a query).
    fn is_object(&self, ty: &TypeRef) -> bool {
        match ty {
            TypeRef::Named(id) => matches!(self.api.ty(*id).kind, TypeKind::Struct { .. }),
            TypeRef::Map(_) => true,
            _ => false,
        }
    }

    fn is_positional(p: &Param) -> bool {
        p.required && !matches!(p.ty, TypeRef::Array(_))
    }

    /// The builder fields, arguments and setters of a multipart body's parts (required single
    /// parts positional, like parameters), and the code that sends them as one form.
    fn form_parts(
        &self,
        parts: &[FormPart],
        fields: &mut Vec<TokenStream>,
        args: &mut Vec<TokenStream>,
        inits: &mut Vec<TokenStream>,
        setters: &mut Vec<TokenStream>,
        arg_docs: &mut Vec<String>,
    ) -> TokenStream {
        let rt = &self.runtime;
        let mut adds = Vec::new();
        for part in parts {
            let ident = format_ident!("{}", part.name.rust);
            let wire = &part.name.wire;
            let (stored, arg, into) = match &part.kind {
                PartKind::File => {
                    let t = quote!(#rt::FilePart);
                    (t.clone(), quote!(impl ::std::convert::Into<#t>), true)
                }
                PartKind::Text(ty) | PartKind::Json(ty) => self.param_type(ty),
            };
            let add = match &part.kind {
                PartKind::File => {
                    let default = part
                        .content_type
                        .as_deref()
                        .filter(|c| !c.contains(',') && !c.contains('*'))
                        .unwrap_or("application/octet-stream");
                    quote! { form.file(#wire, value, #default); }
                }
                PartKind::Text(ty) => {
                    let ct = match &part.content_type {
                        Some(c) => quote!(::std::option::Option::Some(#c)),
                        None => quote!(::std::option::Option::None),
                    };
                    if self.has_display(ty) {
                        quote! { form.text(#wire, #ct, value); }
                    } else {
                        quote! { form.text(#wire, #ct, #rt::openapi::query_text(value)); }
                    }
                }
                PartKind::Json(_) => {
                    let ct = part.content_type.as_deref().unwrap_or("application/json");
                    quote! { form.json(#wire, #ct, value); }
                }
            };
            let positional = part.required && !part.repeated;
            let sdoc = doc_attr(Some(
                part.doc
                    .as_deref()
                    .unwrap_or(&format!("Sets the `{wire}` part of the form.")),
            ));
            if positional {
                fields.push(quote! { #ident: #stored, });
                args.push(quote! { #ident: #arg });
                inits.push(if into {
                    quote! { #ident: #ident.into(), }
                } else {
                    quote! { #ident, }
                });
                arg_docs.push(match &part.doc {
                    Some(d) => format!(
                        "- `{}`: {}",
                        part.name.rust,
                        super::docs::sanitize(d).replace('\n', " ")
                    ),
                    None => format!("- `{}`: the `{wire}` part", part.name.rust),
                });
                adds.push(quote! { { let value = &self.#ident; #add } });
            } else if part.repeated {
                fields.push(quote! { #ident: ::std::vec::Vec<#stored>, });
                inits.push(quote! { #ident: ::std::vec::Vec::new(), });
                setters.push(quote! {
                    #sdoc
                    pub fn #ident<I, V>(mut self, values: I) -> Self
                    where I: ::std::iter::IntoIterator<Item = V>, V: ::std::convert::Into<#stored> {
                        self.#ident = values.into_iter().map(::std::convert::Into::into).collect();
                        self
                    }
                });
                adds.push(quote! { for value in &self.#ident { #add } });
            } else {
                let value = if into {
                    quote!(value.into())
                } else {
                    quote!(value)
                };
                fields.push(quote! { #ident: ::std::option::Option<#stored>, });
                inits.push(quote! { #ident: ::std::option::Option::None, });
                setters.push(quote! {
                    #sdoc
                    pub fn #ident(mut self, value: #arg) -> Self {
                        self.#ident = ::std::option::Option::Some(#value);
                        self
                    }
                });
                adds.push(
                    quote! { if let ::std::option::Option::Some(value) = &self.#ident { #add } },
                );
            }
        }
        quote! {
            let mut form = #rt::multipart::Form::new();
            #(#adds)*
            request.multipart_body(form);
        }
    }

    pub(super) fn rest_operation(&self, index: usize, op: &RestOperation) -> TokenStream {
        let rt = &self.runtime;
        let method_ident = format_ident!("{}", op.name.rust);
        let builder = format_ident!("{}", self.builders[index]);
        let info = format_ident!(
            "{}",
            format!(
                "{}_OPERATION",
                op.name.rust.trim_start_matches("r#").to_uppercase()
            )
        );
        let op_id = &op.name.wire;
        let http_method = format_ident!("{}", format!("{:?}", op.method));
        let template = format!("{}{}", self.api_base_path(), op.path);
        let retry_safe = op.retry_safe;
        let authenticated = op.authenticated && !self.typed_security();
        let security_apply = if self.typed_security() {
            // In a tag module the table is the parent `rest` module's.
            let schemes_path = if self.per_tag {
                quote!(super::SECURITY_SCHEMES)
            } else {
                quote!(SECURITY_SCHEMES)
            };
            let alts = op.security.iter().map(|alt| quote! { &[#(#alt),*][..] });
            quote! {
                #rt::openapi::apply_security(&mut request, &self.client.credentials, #schemes_path, &[#(#alts),*])?;
            }
        } else {
            quote!()
        };

        let mut fields = Vec::new();
        let mut args = Vec::new();
        let mut inits = Vec::new();
        let mut setters = Vec::new();
        let mut arg_docs = Vec::new();
        for p in &op.params {
            let ident = format_ident!("{}", p.name.rust);
            let (stored, arg, into) = self.param_type(&p.ty);
            if Self::is_positional(p) {
                fields.push(quote! { #ident: #stored, });
                args.push(quote! { #ident: #arg });
                inits.push(if into {
                    quote! { #ident: #ident.into(), }
                } else {
                    quote! { #ident, }
                });
                let line = match &p.doc {
                    Some(d) => format!(
                        "- `{}`: {}",
                        p.name.rust,
                        super::docs::sanitize(d).replace('\n', " ")
                    ),
                    None => format!("- `{}`", p.name.rust),
                };
                arg_docs.push(line);
            } else {
                let (field_ty, setter) = match &p.ty {
                    TypeRef::Array(inner) => {
                        let (inner_stored, _, _) = self.param_type(inner);
                        (
                            quote!(::std::vec::Vec<#inner_stored>),
                            quote! {
                                pub fn #ident<I, V>(mut self, values: I) -> Self
                                where I: ::std::iter::IntoIterator<Item = V>, V: ::std::convert::Into<#inner_stored> {
                                    self.#ident = values.into_iter().map(::std::convert::Into::into).collect();
                                    self
                                }
                            },
                        )
                    }
                    _ => {
                        let value = if into {
                            quote!(value.into())
                        } else {
                            quote!(value)
                        };
                        (
                            quote!(::std::option::Option<#stored>),
                            quote! {
                                pub fn #ident(mut self, value: #arg) -> Self {
                                    self.#ident = ::std::option::Option::Some(#value);
                                    self
                                }
                            },
                        )
                    }
                };
                let sdoc = doc_attr(Some(
                    p.doc
                        .as_deref()
                        .unwrap_or(&format!("Sets the `{}` parameter.", p.name.wire)),
                ));
                fields.push(quote! { #ident: #field_ty, });
                inits.push(quote! { #ident: ::std::default::Default::default(), });
                setters.push(quote! { #sdoc #setter });
            }
        }

        // The request body.
        let mut body_apply = quote!();
        if let Some(body) = op.body.as_ref().filter(|b| !b.parts.is_empty()) {
            body_apply = self.form_parts(
                &body.parts,
                &mut fields,
                &mut args,
                &mut inits,
                &mut setters,
                &mut arg_docs,
            );
        } else if let Some(body) = &op.body {
            let ty = self.rust_type(&body.ty);
            let bdoc = doc_attr(Some(
                body.doc.as_deref().unwrap_or("Sets the request body."),
            ));
            fields.push(quote! { body: ::std::option::Option<#ty>, });
            inits.push(quote! { body: ::std::option::Option::None, });
            setters.push(quote! {
                #bdoc
                pub fn body(mut self, value: #ty) -> Self {
                    self.body = ::std::option::Option::Some(value);
                    self
                }
            });
            let ct = Literal::string(&body.content_type);
            let is_json = body.content_type.contains("json");
            let is_form = body
                .content_type
                .starts_with("application/x-www-form-urlencoded");
            body_apply = match (&body.ty, is_json) {
                (_, false) if is_form && self.is_object(&body.ty) => {
                    quote! { if let ::std::option::Option::Some(body) = &self.body { request.form_body(body)?; } }
                }
                (_, true) => {
                    quote! { if let ::std::option::Option::Some(body) = &self.body { request.json_body(body)?; } }
                }
                (TypeRef::String, false) => {
                    quote! { if let ::std::option::Option::Some(body) = self.body { request.text_body(#ct, body); } }
                }
                (_, false) => quote! {
                    if let ::std::option::Option::Some(body) = &self.body {
                        let text = #rt::serde_json::to_string(body).map_err(|e| #rt::Error::InvalidRequest { message: e.to_string() })?;
                        request.text_body(#ct, text);
                    }
                },
            };
        }

        // Path expansion.
        let mut fmt = String::new();
        let mut fmt_args = Vec::new();
        let mut rest = template.as_str();
        while let Some(start) = rest.find('{') {
            let Some(end) = rest[start..].find('}') else {
                break;
            };
            fmt.push_str(&rest[..start].replace('{', "{{").replace('}', "}}"));
            let name = &rest[start + 1..start + end];
            fmt.push_str("{}");
            match op
                .params
                .iter()
                .find(|p| p.location == ParamLocation::Path && p.name.wire == name)
            {
                Some(p) => {
                    let ident = format_ident!("{}", p.name.rust);
                    if self.has_display(&p.ty) {
                        fmt_args.push(
                            quote! { #rt::rest::encode_path_segment(&self.#ident.to_string()) },
                        );
                    } else {
                        fmt_args.push(quote! { #rt::rest::encode_path_segment(&#rt::openapi::query_text(&self.#ident)) });
                    }
                }
                None => fmt_args.push(quote! { #rt::rest::encode_path_segment("") }),
            }
            rest = &rest[start + end + 1..];
        }
        fmt.push_str(&rest.replace('{', "{{").replace('}', "}}"));
        let path_expr = if fmt_args.is_empty() {
            quote! { ::std::string::String::from(#fmt) }
        } else {
            quote! { ::std::format!(#fmt, #(#fmt_args),*) }
        };

        // Query, header and cookie parameters.
        let mut applies = Vec::new();
        for p in op
            .params
            .iter()
            .filter(|p| p.location != ParamLocation::Path)
        {
            let ident = format_ident!("{}", p.name.rust);
            let wire = &p.name.wire;
            let call = match p.location {
                ParamLocation::Query => quote!(query),
                _ => quote!(header),
            };
            let sep = match p.style {
                ParamStyle::SpaceDelimited => Some(" "),
                ParamStyle::PipeDelimited => Some("|"),
                _ if !p.explode => Some(","),
                _ => None,
            };
            let item_display = match &p.ty {
                TypeRef::Array(inner) => self.has_display(inner),
                other => self.has_display(other),
            };
            let apply = if let (TypeRef::Array(_), Some(sep)) = (&p.ty, sep) {
                let joined = if item_display {
                    quote!(#rt::openapi::join_values(&self.#ident, #sep))
                } else {
                    quote!(self.#ident.iter().map(|v| #rt::openapi::query_text(v)).collect::<::std::vec::Vec<_>>().join(#sep))
                };
                quote! {
                    if !self.#ident.is_empty() {
                        request.#call(#wire, #joined);
                    }
                }
            } else if matches!(p.ty, TypeRef::Array(_)) {
                if item_display {
                    quote! { for value in &self.#ident { request.#call(#wire, value); } }
                } else {
                    quote! { for value in &self.#ident { request.#call(#wire, #rt::openapi::query_text(value)); } }
                }
            } else if !item_display && !self.is_object(&p.ty) && p.style != ParamStyle::DeepObject {
                if Self::is_positional(p) {
                    quote! { request.#call(#wire, #rt::openapi::query_text(&self.#ident)); }
                } else {
                    quote! { if let ::std::option::Option::Some(value) = &self.#ident { request.#call(#wire, #rt::openapi::query_text(value)); } }
                }
            } else if p.style == ParamStyle::DeepObject || self.is_object(&p.ty) {
                // Objects: deepObject `name[key]=value`; form-exploded objects one key each.
                let deep = p.style == ParamStyle::DeepObject;
                let pairs = if Self::is_positional(p) {
                    quote!(Some(&self.#ident))
                } else {
                    quote!(self.#ident.as_ref())
                };
                let name = if deep { quote!(#wire) } else { quote!("") };
                let key = if deep {
                    quote!(key)
                } else {
                    quote!(key.trim_start_matches('[').trim_end_matches(']'))
                };
                quote! {
                    if let ::std::option::Option::Some(value) = #pairs {
                        for (key, value) in #rt::openapi::deep_object_pairs(#name, value) {
                            request.#call(&#key, value);
                        }
                    }
                }
            } else if Self::is_positional(p) {
                quote! { request.#call(#wire, &self.#ident); }
            } else if p.location == ParamLocation::Query && matches!(p.ty, TypeRef::String) {
                // A client-wide default (e.g. acting on behalf of another user) fills an unset parameter.
                quote! {
                    if let ::std::option::Option::Some(value) = self.#ident.as_deref().or_else(|| self.client.api.default_param(#wire)) {
                        request.#call(#wire, value);
                    }
                }
            } else {
                quote! { if let ::std::option::Option::Some(value) = &self.#ident { request.#call(#wire, value); } }
            };
            applies.push(apply);
        }

        // Per-status decoding when the document declares typed error bodies or success
        // responses of different shapes (200 with a body, 204 without).
        let success_shapes: Vec<&Option<TypeRef>> = {
            let mut v: Vec<&Option<TypeRef>> = Vec::new();
            for r in op
                .responses
                .iter()
                .filter(|r| r.status.is_some_and(|c| (200..300).contains(&c)))
            {
                if !v.contains(&&r.ty) {
                    v.push(&r.ty);
                }
            }
            v
        };
        let typed_errors = op
            .responses
            .iter()
            .any(|r| !r.status.is_some_and(|c| (200..300).contains(&c)) && r.ty.is_some());
        let per_status = op.success_media.is_none() && (typed_errors || success_shapes.len() > 1);
        let outcome_enum = per_status && success_shapes.len() > 1;
        let outcome_ident = format_ident!("{}Success", ident::pascal(&op.name.wire));
        let mut outcome_def = quote!();
        if outcome_enum {
            let variants = op
                .responses
                .iter()
                .filter(|r| r.status.is_some_and(|c| (200..300).contains(&c)))
                .map(|r| {
                    let code = r.status.unwrap_or_default();
                    let v = format_ident!("Status{}", code);
                    let vdoc = format!(" HTTP {code}.");
                    match &r.ty {
                        Some(t) => {
                            let t = self.rust_type(t);
                            quote! { #[doc = #vdoc] #v(#t), }
                        }
                        None => quote! { #[doc = #vdoc] #v, },
                    }
                });
            let edoc = format!(" The successful outcomes of `{}`, by status.", op.name.wire);
            outcome_def = quote! {
                #[doc = #edoc]
                #[derive(Debug, Clone, PartialEq)]
                pub enum #outcome_ident { #(#variants)* }
            };
        }
        let send_call = if per_status {
            let success_ty = match &op.success {
                Some(t) => self.rust_type(t),
                None => quote!(()),
            };
            let mut arms = Vec::new();
            let mut default_arm =
                quote! { _ => ::std::result::Result::Err(#rt::rest::status_error(status, &body)), };
            for r in &op.responses {
                match r.status {
                    Some(code) if (200..300).contains(&code) => {
                        let c = Literal::u16_unsuffixed(code);
                        let v = format_ident!("Status{}", code);
                        arms.push(match (&r.ty, outcome_enum) {
                            (Some(t), true) => {
                                let t = self.rust_type(t);
                                quote! { #c => #rt::rest::decode_json::<#t>(#op_id, status, &body).map(#outcome_ident::#v), }
                            }
                            (None, true) => quote! { #c => ::std::result::Result::Ok(#outcome_ident::#v), },
                            (_, false) => quote! { #c => #rt::rest::decode_json::<#success_ty>(#op_id, status, &body), },
                        });
                    }
                    Some(code) => {
                        let c = Literal::u16_unsuffixed(code);
                        arms.push(match &r.ty {
                            Some(t) => {
                                let t = self.rust_type(t);
                                quote! { #c => ::std::result::Result::Err(#rt::rest::declared_error::<#t>(status, body)), }
                            }
                            None => quote! { #c => ::std::result::Result::Err(#rt::rest::status_error(status, &body)), },
                        });
                    }
                    None => {
                        if let Some(t) = &r.ty {
                            let t = self.rust_type(t);
                            default_arm = quote! { _ => ::std::result::Result::Err(#rt::rest::declared_error::<#t>(status, body)), };
                        }
                    }
                }
            }
            let success_fallback = if outcome_enum {
                quote! { s if (200..300).contains(&s) => ::std::result::Result::Err(#rt::rest::status_error(status, &body)), }
            } else {
                quote! { s if (200..300).contains(&s) => #rt::rest::decode_json::<#success_ty>(#op_id, status, &body), }
            };
            quote! {
                let (status, body) = request.send_any().await?;
                match status {
                    #(#arms)*
                    #success_fallback
                    #default_arm
                }
            }
        } else {
            quote!()
        };
        let send_call = if per_status {
            send_call
        } else {
            match (&op.success_media, &op.success) {
                (Some(media), Some(TypeRef::String)) => quote! {
                    request.accept(#media);
                    request.send_text().await
                },
                (Some(media), Some(_)) => quote! {
                    request.accept(#media);
                    request.send_bytes().await.map(|(_, body)| body.to_vec())
                },
                _ => quote!(request.send().await),
            }
        };
        let success = match &op.success {
            _ if outcome_enum => quote!(#outcome_ident),
            Some(t) => self.rust_type(t),
            None => quote!(()),
        };
        let summary_doc = op
            .doc
            .clone()
            .unwrap_or_else(|| format!("Calls `{op_id}`."));
        let mut method_doc = format!(
            "{summary_doc}\n\n`{} {}` (operation `{op_id}`).",
            format!("{:?}", op.method).to_uppercase(),
            template
        );
        if !arg_docs.is_empty() {
            method_doc.push_str("\n\n# Arguments\n");
            method_doc.push_str(&arg_docs.join("\n"));
        }
        let mdoc = doc_attr(Some(&method_doc));
        let builder_doc = format!(" Request builder for [`Client::{0}`](super::Client::{0}): set optional parameters, then call [`send`](Self::send).", op.name.rust);
        let retry_note = if matches!(op.method, Method::Get | Method::Head) || retry_safe {
            ""
        } else {
            "\n\nNot retried after a failure that may have reached the server (it is not idempotent)."
        };
        let send_doc = format!(" Sends the request and decodes the response.{retry_note}");
        let lifetime_field = quote! { client: &'a super::Client, };
        let mutability = if applies.is_empty()
            && op.body.is_none()
            && op.success_media.is_none()
            && !self.typed_security()
        {
            quote!()
        } else {
            quote!(mut)
        };
        quote! {
            #outcome_def

            static #info: #rt::rest::OperationInfo = #rt::rest::OperationInfo {
                operation_id: #op_id,
                method: #rt::rest::HttpMethod::#http_method,
                path_template: #template,
                retry_safe: #retry_safe,
                uses_api_key: #authenticated,
            };

            impl super::Client {
                #mdoc
                pub fn #method_ident(&self, #(#args),*) -> #builder<'_> {
                    #builder { client: self, #(#inits)* }
                }
            }

            #[doc = #builder_doc]
            #[derive(Debug, Clone)]
            #[must_use = "a request builder does nothing until `.send().await`"]
            pub struct #builder<'a> {
                #lifetime_field
                #(#fields)*
            }

            impl #builder<'_> {
                #(#setters)*

                #[doc = #send_doc]
                pub async fn send(self) -> ::std::result::Result<#success, #rt::Error> {
                    let path = #path_expr;
                    let #mutability request = self.client.api.rest(&#info, path);
                    #(#applies)*
                    #security_apply
                    #body_apply
                    #send_call
                }
            }
        }
    }
}
