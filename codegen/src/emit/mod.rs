//! Stage 3: the model becomes Rust token streams, one per generated file; deterministic.

mod boxing;
pub mod docs;
pub mod examples;
pub mod gates;
pub mod ident;
mod rest;
mod soap;
mod tags;
mod types;

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use crate::model::{Api, TypeKind, TypeRef};
use ident::Namer;

/// Turns a model into token streams; holds the decided Rust names.
pub struct Emitter<'a> {
    api: &'a Api,
    runtime: TokenStream,
    runtime_str: String,
    builders: Vec<String>,
    attributes: std::collections::BTreeMap<crate::model::TypeId, Vec<TokenStream>>,
    boxed: std::collections::BTreeSet<(crate::model::TypeId, crate::model::TypeId)>,
    gates: gates::FeatureGates,
    per_tag: bool,
}

/// One generated file: a path relative to the output directory, and its tokens.
pub struct EmittedFile {
    /// Relative path, e.g. `types.rs`.
    pub path: String,
    /// A one-line summary placed at the top as the module doc.
    pub summary: String,
    /// The file's items.
    pub tokens: TokenStream,
}

/// Decides every Rust name in `api` (types, fields, variants, operations, parameters).
/// `renames` maps wire names (operationId, SOAP operation, schema or element name) to chosen
/// Rust names; they are sanitised like any other name.
pub fn assign_names(api: &mut Api, renames: &std::collections::BTreeMap<String, String>) {
    let chosen = |wire: &str| {
        renames
            .get(wire)
            .map(String::as_str)
            .unwrap_or(wire)
            .to_string()
    };
    let mut type_names = Namer::with_taken(["Client", "Error", "UnknownFields"]);
    for def in &mut api.types {
        def.name.rust = type_names.unique(&ident::type_name(&chosen(&def.name.wire)));
        match &mut def.kind {
            TypeKind::Struct { fields, .. } => {
                let mut n = Namer::default();
                for f in fields {
                    f.name.rust = n.unique(&ident::snake(&f.name.wire));
                }
            }
            TypeKind::Enum { values } => {
                let mut n = Namer::with_taken(["Unknown"]);
                for v in values {
                    v.rust = n.unique(&ident::enum_variant(&v.wire));
                }
            }
            TypeKind::Union { variants } => {
                let mut n = Namer::default();
                for (v, _) in variants {
                    v.rust = n.unique(&ident::pascal(&v.wire));
                }
            }
            TypeKind::XmlStruct { fields, .. } => {
                let mut n = Namer::default();
                for f in fields {
                    f.name.rust = n.unique(&ident::snake(&f.name.wire));
                }
            }
            TypeKind::XmlChoice { variants, .. } => {
                let mut n = Namer::default();
                for v in variants {
                    v.name.rust = n.unique(&ident::pascal(&v.name.wire));
                }
            }
        }
    }
    let mut methods = Namer::with_taken(["new", "api", "from_api_client", "api_client"]);
    for s in &mut api.soap {
        s.name.rust = type_names.unique(&ident::type_name(&s.name.wire));
        methods.unique(&ident::snake(&s.name.wire));
        let mut ops = Namer::with_taken(["new", "with_version", "version"]);
        for op in &mut s.operations {
            op.name.rust = ops.unique(&ident::snake(&chosen(&op.name.wire)));
        }
    }
    // Error types of operations with declared faults (`PutError`), unique among all type and
    // service names; their variants after the faults, `Other` reserved.
    for s in &mut api.soap {
        for op in &mut s.operations {
            if !op.output_headers.is_empty() || !op.attachments.is_empty() {
                let base = ident::type_name(&chosen(&op.name.wire));
                op.reply_type = type_names.unique(&format!("{base}Reply"));
            }
            if op.faults.is_empty() {
                continue;
            }
            let base = ident::type_name(&chosen(&op.name.wire));
            op.error_type = type_names.unique(&format!("{base}Error"));
            let mut variants = Namer::with_taken(["Other"]);
            for f in &mut op.faults {
                f.name.rust = variants.unique(&ident::pascal(&f.name.wire));
            }
        }
    }
    for op in &mut api.rest {
        op.name.rust = methods.unique(&ident::snake(&chosen(&op.name.wire)));
        let mut params = Namer::with_taken(["client", "body", "send"]);
        for p in &mut op.params {
            p.name.rust = params.unique(&ident::snake(&p.name.wire));
        }
        // Multipart parts are set like parameters, on the same builder.
        for part in op.body.iter_mut().flat_map(|b| b.parts.iter_mut()) {
            part.name.rust = params.unique(&ident::snake(&part.name.wire));
        }
    }
}

impl<'a> Emitter<'a> {
    /// An emitter for a named model; `runtime_path` is where generated code finds the runtime
    /// crate, e.g. `::client_runtime` or `crate::runtime`.
    pub fn new(
        api: &'a Api,
        runtime_path: &str,
        attributes: std::collections::BTreeMap<crate::model::TypeId, Vec<TokenStream>>,
    ) -> Result<Self, String> {
        let runtime: syn::Path = syn::parse_str(runtime_path)
            .map_err(|e| format!("runtime path '{runtime_path}' is not a Rust path: {e}"))?;
        let mut builder_names = Namer::with_taken(
            api.types
                .iter()
                .map(|t| t.name.rust.as_str())
                .chain(["Client"]),
        );
        let builders = api
            .rest
            .iter()
            .map(|op| builder_names.unique(&format!("{}Request", ident::pascal(&op.name.wire))))
            .collect();
        Ok(Emitter {
            api,
            runtime: quote!(#runtime),
            runtime_str: runtime_path.to_string(),
            builders,
            attributes,
            boxed: boxing::boxed_edges(api),
            gates: gates::FeatureGates::default(),
            per_tag: false,
        })
    }

    /// Puts the REST and SOAP code behind these Cargo features.
    pub fn with_gates(mut self, gates: gates::FeatureGates) -> Self {
        self.gates = gates;
        self
    }

    /// Puts the REST operations in one module per tag (`rest::<tag>`) instead of `rest` itself.
    pub fn with_module_per_tag(mut self, yes: bool) -> Self {
        self.per_tag = yes;
        self
    }

    fn serde_crate(&self) -> String {
        format!("{}::serde", self.runtime_str)
    }

    fn type_module(&self, _id: crate::model::TypeId) -> TokenStream {
        quote!(super::types)
    }

    fn api_base_path(&self) -> String {
        self.api.rest_base_path.clone()
    }

    /// Extra attributes configured for a type.
    fn extra_attributes(&self, id: crate::model::TypeId) -> TokenStream {
        let attrs = self.attributes.get(&id).cloned().unwrap_or_default();
        quote! { #(#attrs)* }
    }

    fn title(&self) -> String {
        if self.api.title.is_empty() {
            "the API".to_string()
        } else {
            format!("`{}`", self.api.title)
        }
    }

    fn types_tokens(&self) -> TokenStream {
        let soap = self.gates.soap_attr();
        let types = (0..self.api.types.len()).map(|i| {
            let id = crate::model::TypeId(i);
            // XSD types (keyed by QName) serve only the SOAP code.
            match self.api.ty(id).key.starts_with('{') {
                true => gates::gate_items(self.type_def(id), &soap),
                false => self.type_def(id),
            }
        });
        let support = self.unknown_fields_support();
        quote! { #support #(#types)* }
    }

    /// Everything in one file for `include!`: the client and inline `types`, `rest`, `soap`
    /// modules (no inner attributes, which `include!` cannot take).
    pub fn single_file(&self) -> EmittedFile {
        let types = self.types_tokens();
        let rest = match self.per_tag {
            true => self.rest_tag_root(&self.rest_tag_modules(), true),
            false => self.rest_operations(),
        };
        let soap = self.soap_services();
        let (rest_cfg, soap_cfg) = (self.gates.rest_attr(), self.gates.soap_attr());
        let modules = quote! {
            /// Request and response types.
            pub mod types { #types }
            /// REST operations: one method on `Client` and one request builder each.
            #rest_cfg
            pub mod rest { #rest }
            /// SOAP services: one client per WSDL service, one async method per operation.
            #soap_cfg
            pub mod soap { #soap }
        };
        let root = self.root_tokens(modules);
        EmittedFile {
            path: "client.rs".into(),
            summary: String::new(),
            tokens: root,
        }
    }

    /// Whether operations carry typed credentials per security scheme: every document except
    /// one whose only scheme is an apiKey header (that one uses the runtime's token, `Auth`).
    pub(crate) fn typed_security(&self) -> bool {
        !matches!(
            self.api.security_schemes.as_slice(),
            [] | [(_, crate::model::SecurityKind::ApiKeyHeader(_))]
        )
    }

    /// The `Credentials` type and the client's credential field (typed security only).
    fn credentials_tokens(&self) -> (TokenStream, TokenStream, TokenStream, TokenStream) {
        let rt = &self.runtime;
        if !self.typed_security() {
            return (quote!(), quote!(), quote!(), quote!());
        }
        let mut names = Namer::with_taken(["new", "default", "clone", "fmt"]);
        let setters = self.api.security_schemes.iter().map(|(name, kind)| {
            let m = format_ident!("{}", names.unique(&ident::snake(name)));
            match kind {
                crate::model::SecurityKind::Basic => {
                    let doc = format!(" User and password for the http basic scheme `{name}`.");
                    quote! {
                        #[doc = #doc]
                        pub fn #m(mut self, user: impl ::std::convert::Into<::std::string::String>, password: impl ::std::convert::Into<::std::string::String>) -> Self {
                            self.inner.set_basic(#name, user, password);
                            self
                        }
                    }
                }
                other => {
                    let what = match other {
                        crate::model::SecurityKind::ApiKeyHeader(h) => format!("API key sent in the `{h}` header"),
                        crate::model::SecurityKind::ApiKeyQuery(q) => format!("API key sent as the `{q}` query parameter"),
                        crate::model::SecurityKind::ApiKeyCookie(c) => format!("API key sent as the `{c}` cookie"),
                        _ => "bearer token (`Authorization: Bearer …`)".to_string(),
                    };
                    let doc = format!(" The {what}: scheme `{name}`.");
                    quote! {
                        #[doc = #doc]
                        pub fn #m(mut self, value: impl ::std::convert::Into<::std::string::String>) -> Self {
                            self.inner.set_secret(#name, value);
                            self
                        }
                    }
                }
            }
        });
        let def = quote! {
            /// Credentials, one setting per security scheme of the document. `Debug` shows which
            /// are set, never a value.
            #[derive(Debug, Clone, Default)]
            pub struct Credentials {
                inner: #rt::openapi::Credentials,
            }

            impl Credentials {
                #(#setters)*
            }
        };
        let field = quote! { credentials: #rt::openapi::Credentials, };
        let init = quote! { credentials: ::std::default::Default::default(), };
        let method = quote! {
            /// Uses these credentials for the operations that require them (each operation
            /// sends the first of its security alternatives whose schemes are all set).
            pub fn with_credentials(mut self, credentials: Credentials) -> Self {
                self.credentials = credentials.inner;
                self
            }
        };
        (def, field, init, method)
    }

    fn root_tokens(&self, modules: TokenStream) -> TokenStream {
        let rt = &self.runtime;
        let (cred_def, cred_field, cred_init, cred_method) = self.credentials_tokens();
        let title = self.title();
        let client_doc = format!(" Client for {title}: REST operations are methods on it; SOAP services hang off it.\n\nCheap to clone: clones share connections, the token cache and the rate limit.");
        quote! {
            #modules

            #[doc = #client_doc]
            #[derive(Debug, Clone)]
            pub struct Client {
                api: #rt::ApiClient,
                #cred_field
            }

            #cred_def

            impl Client {
                /// Wraps a configured runtime client.
                pub fn from_api_client(api: #rt::ApiClient) -> Self {
                    Client { api, #cred_init }
                }

                #cred_method

                /// The runtime client underneath (raw calls, configuration).
                pub fn api_client(&self) -> &#rt::ApiClient {
                    &self.api
                }
            }
        }
    }

    /// Every generated file.
    pub fn files(&self) -> Vec<EmittedFile> {
        let (rest_cfg, soap_cfg) = (self.gates.rest_attr(), self.gates.soap_attr());
        let root = self.root_tokens(quote! {
            #rest_cfg
            pub mod rest;
            #soap_cfg
            pub mod soap;
            pub mod types;
        });
        let title = self.title();
        let rest_summary = "REST operations: one method on `Client` and one request builder each.";
        let rest_files = if self.per_tag {
            let modules = self.rest_tag_modules();
            let mut files = vec![EmittedFile {
                path: "rest/mod.rs".into(),
                summary: format!("{rest_summary} One module per tag."),
                tokens: self.rest_tag_root(&modules, false),
            }];
            files.extend(modules.into_iter().map(|m| EmittedFile {
                path: format!("rest/{}.rs", m.name),
                summary: m.summary(),
                tokens: m.tokens,
            }));
            files
        } else {
            vec![EmittedFile {
                path: "rest.rs".into(),
                summary: rest_summary.into(),
                tokens: self.rest_operations(),
            }]
        };
        let mut files = vec![
            EmittedFile {
                path: "mod.rs".into(),
                summary: format!("Generated client for {title}."),
                tokens: root,
            },
            EmittedFile {
                path: "types.rs".into(),
                summary: "Request and response types.".into(),
                tokens: self.types_tokens(),
            },
        ];
        files.extend(rest_files);
        files.push(EmittedFile {
            path: "soap.rs".into(),
            summary: "SOAP services: one client per WSDL service, one async method per operation."
                .into(),
            tokens: self.soap_services(),
        });
        files
    }
}

/// A `#[doc]` attribute from spec text, sanitised; nothing when there is no text.
pub fn doc_attr(text: Option<&str>) -> TokenStream {
    match text.map(docs::sanitize).filter(|t| !t.trim().is_empty()) {
        Some(t) => {
            let lines = t.lines().map(|l| format!(" {l}"));
            quote! { #(#[doc = #lines])* }
        }
        None => quote!(),
    }
}

/// Counts public fields typed as an arbitrary JSON value (the unknown-field maps excluded).
pub fn count_untyped_fields(api: &Api) -> usize {
    fn untyped(t: &TypeRef) -> bool {
        match t {
            TypeRef::Json => true,
            TypeRef::Array(i) | TypeRef::Map(i) | TypeRef::OneOrMany(i) => untyped(i),
            _ => false,
        }
    }
    api.types
        .iter()
        .map(|t| match &t.kind {
            TypeKind::Struct { fields, .. } => fields.iter().filter(|f| untyped(&f.ty)).count(),
            TypeKind::Union { variants } => variants.iter().filter(|(_, t)| untyped(t)).count(),
            TypeKind::XmlStruct { fields, .. } => fields.iter().filter(|f| untyped(&f.ty)).count(),
            TypeKind::Enum { .. } | TypeKind::XmlChoice { .. } => 0,
        })
        .sum::<usize>()
        + api
            .rest
            .iter()
            .filter(|o| {
                o.success.as_ref().is_some_and(untyped)
                    || o.body.as_ref().is_some_and(|b| match b.parts.as_slice() {
                        [] => untyped(&b.ty),
                        parts => parts.iter().any(|p| match &p.kind {
                            crate::model::PartKind::Text(t) | crate::model::PartKind::Json(t) => {
                                untyped(t)
                            }
                            crate::model::PartKind::File => false,
                        }),
                    })
            })
            .count()
}
