//! Emits named types: JSON structs that keep unknown fields, string enums with a fallback,
//! untagged unions, and XML element structs.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::{doc_attr, Emitter};
use crate::model::{
    Field, TypeDef, TypeId, TypeKind, TypeRef, XmlField, XmlVariant, XmlVariantKind,
};

use crate::load::xsd::lower::ANY_ATTRIBUTES_TYPE;
/// The runtime's `xs:QName` type (written with a prefix bound where it is written).
const QNAME_TYPE: &str = "$rt::xsd::QName";

impl Emitter<'_> {
    /// The Rust type for a reference, as seen from inside the types module.
    pub fn rust_type(&self, ty: &TypeRef) -> TokenStream {
        let rt = &self.runtime;
        match ty {
            TypeRef::String => quote!(::std::string::String),
            TypeRef::Integer => quote!(i64),
            TypeRef::Int32 => quote!(i32),
            TypeRef::Double => quote!(f64),
            TypeRef::Number => quote!(#rt::serde_json::Number),
            TypeRef::Boolean => quote!(bool),
            TypeRef::Id => quote!(#rt::Id),
            TypeRef::Named(id) => {
                let module = self.type_module(*id);
                let name = format_ident!("{}", self.api.ty(*id).name.rust);
                quote!(#module::#name)
            }
            TypeRef::Array(inner) => {
                let inner = self.rust_type(inner);
                quote!(::std::vec::Vec<#inner>)
            }
            TypeRef::Map(inner) => {
                let inner = self.rust_type(inner);
                quote!(::std::collections::BTreeMap<::std::string::String, #inner>)
            }
            TypeRef::OneOrMany(inner) => {
                let inner = self.rust_type(inner);
                quote!(#rt::OneOrMany<#inner>)
            }
            TypeRef::External(path) => {
                syn::parse_str::<syn::Type>(&path.replace("$rt", &self.runtime_str))
                    .map(|t| quote!(#t))
                    .unwrap_or_else(|_| quote!(::std::string::String))
            }
            TypeRef::RawXml => quote!(#rt::xml::RawXml),
            TypeRef::Json => quote!(#rt::serde_json::Value),
        }
    }

    /// Emits one named type.
    pub fn type_def(&self, id: TypeId) -> TokenStream {
        let def = self.api.ty(id);
        let extra = self.extra_attributes(id);
        let item = match &def.kind {
            TypeKind::Struct {
                fields,
                keeps_unknown,
            } => self.json_struct(id, def, fields, *keeps_unknown),
            TypeKind::Enum { values } if def.key.starts_with('{') && !values.is_empty() => {
                let json = self.string_enum(def, values);
                let xml = self.xml_enum(def, values);
                quote! { #json #xml }
            }
            TypeKind::Enum { values } => self.string_enum(def, values),
            TypeKind::Union { variants } => self.union(id, def, variants),
            TypeKind::XmlStruct {
                namespace: _,
                fields,
            } => self.xml_struct(id, def, fields),
            TypeKind::XmlChoice {
                variants,
                xsi_type_base,
                ..
            } => self.xml_choice(def, variants, xsi_type_base.as_ref()),
        };
        quote! { #extra #item }
    }

    fn json_struct(
        &self,
        id: TypeId,
        def: &TypeDef,
        fields: &[Field],
        keeps_unknown: bool,
    ) -> TokenStream {
        let rt = &self.runtime;
        let serde_crate = self.serde_crate();
        let name = format_ident!("{}", def.name.rust);
        let doc = doc_attr(
            def.doc
                .as_deref()
                .or(Some(&format!("The `{}` object.", def.name.wire))),
        );
        let mut members = Vec::new();
        for f in fields {
            let ident = format_ident!("{}", f.name.rust);
            let wire = &f.name.wire;
            let mut ty = self.rust_type(&f.ty);
            if self.needs_box(id, &f.ty) {
                ty = quote!(::std::boxed::Box<#ty>);
            }
            let fdoc = doc_attr(Some(
                f.doc.as_deref().unwrap_or(&format!("The `{wire}` field.")),
            ));
            let member = match (f.required, f.nullable) {
                (true, false) => quote! { #fdoc #[serde(rename = #wire)] pub #ident: #ty, },
                (true, true) => {
                    quote! { #fdoc #[serde(rename = #wire)] pub #ident: ::std::option::Option<#ty>, }
                }
                (false, false) => quote! {
                    #fdoc
                    #[serde(rename = #wire, default, skip_serializing_if = "::std::option::Option::is_none")]
                    pub #ident: ::std::option::Option<#ty>,
                },
                (false, true) => {
                    let with = format!("{}::wire::double_option", self.runtime_str);
                    quote! {
                        #fdoc
                        #[serde(rename = #wire, default, skip_serializing_if = "::std::option::Option::is_none", with = #with)]
                        pub #ident: ::std::option::Option<::std::option::Option<#ty>>,
                    }
                }
            };
            members.push(member);
        }
        let unknown = self.unknown_field_name(def);
        if keeps_unknown {
            let ident = format_ident!("{}", unknown);
            members.push(quote! {
                /// Fields the spec does not declare (e.g. board-specific custom fields), kept so a
                /// value read from the server can be sent back without losing anything.
                #[serde(flatten)]
                pub #ident: #rt::serde_json::Map<::std::string::String, #rt::serde_json::Value>,
            });
        }
        let default = if self.is_defaultable(id) {
            quote!(Default,)
        } else {
            quote!()
        };
        let counts = fields.iter().map(|f| {
            let ident = format_ident!("{}", f.name.rust);
            quote! { + UnknownFields::unknown_fields(&self.#ident) }
        });
        let own = if keeps_unknown {
            let ident = format_ident!("{}", unknown);
            quote!(self.#ident.len())
        } else {
            quote!(0)
        };
        quote! {
            #doc
            #[derive(Debug, Clone, PartialEq, #default #rt::serde::Serialize, #rt::serde::Deserialize)]
            #[serde(crate = #serde_crate)]
            pub struct #name { #(#members)* }

            impl UnknownFields for #name {
                fn unknown_fields(&self) -> usize {
                    #own #(#counts)*
                }
            }
        }
    }

    /// The `UnknownFields` trait and its impls for containers and scalars, emitted once.
    pub fn unknown_fields_support(&self) -> TokenStream {
        let rt = &self.runtime;
        let scalars = [
            quote!(::std::string::String),
            quote!(i64),
            quote!(i32),
            quote!(f64),
            quote!(bool),
            quote!(#rt::serde_json::Number),
            quote!(#rt::serde_json::Value),
            quote!(#rt::Id),
        ];
        let soap = self.gates.soap_attr();
        let base64 = crate::load::openapi::BASE64_TYPE;
        let uses_base64 = self.api.types.iter().any(|t| match &t.kind {
            TypeKind::Struct { fields, .. } => fields.iter().any(|f| mentions(&f.ty, base64)),
            TypeKind::Union { variants } => variants.iter().any(|(_, t)| mentions(t, base64)),
            _ => false,
        });
        let extra_scalars = if uses_base64 {
            quote! { impl UnknownFields for #rt::Base64 { fn unknown_fields(&self) -> usize { 0 } } }
        } else {
            quote!()
        };
        quote! {
            #extra_scalars

            /// Counts fields that arrived from the server but are not declared by the spec, in a
            /// value and everything it contains: custom fields, or fields added upstream since.
            pub trait UnknownFields {
                /// Number of undeclared fields kept in this value (recursively).
                fn unknown_fields(&self) -> usize;
            }

            #(impl UnknownFields for #scalars { fn unknown_fields(&self) -> usize { 0 } })*

            #soap
            impl UnknownFields for #rt::xml::RawXml { fn unknown_fields(&self) -> usize { 0 } }

            impl<T: UnknownFields> UnknownFields for ::std::option::Option<T> {
                fn unknown_fields(&self) -> usize { self.as_ref().map_or(0, UnknownFields::unknown_fields) }
            }

            impl<T: UnknownFields> UnknownFields for ::std::vec::Vec<T> {
                fn unknown_fields(&self) -> usize { self.iter().map(UnknownFields::unknown_fields).sum() }
            }

            impl<T: UnknownFields> UnknownFields for ::std::boxed::Box<T> {
                fn unknown_fields(&self) -> usize { (**self).unknown_fields() }
            }

            impl<T: UnknownFields> UnknownFields for ::std::collections::BTreeMap<::std::string::String, T> {
                fn unknown_fields(&self) -> usize { self.values().map(UnknownFields::unknown_fields).sum() }
            }

            impl<T: UnknownFields> UnknownFields for #rt::OneOrMany<T> {
                fn unknown_fields(&self) -> usize { self.iter().map(UnknownFields::unknown_fields).sum() }
            }
        }
    }

    /// The name of the unknown-field map: `extra`, unless a declared field already uses it.
    pub fn unknown_field_name(&self, def: &TypeDef) -> String {
        let taken: Vec<&str> = match &def.kind {
            TypeKind::Struct { fields, .. } => {
                fields.iter().map(|f| f.name.rust.as_str()).collect()
            }
            _ => Vec::new(),
        };
        ["extra", "unknown_fields", "extra_fields_map"]
            .into_iter()
            .find(|n| !taken.contains(n))
            .unwrap_or("extra_fields_map")
            .to_string()
    }

    fn string_enum(&self, def: &TypeDef, values: &[crate::model::Name]) -> TokenStream {
        let rt = &self.runtime;
        let serde_crate = self.serde_crate();
        let name = format_ident!("{}", def.name.rust);
        let doc = doc_attr(
            def.doc
                .as_deref()
                .or(Some(&format!("Values of `{}`.", def.name.wire))),
        );
        let variants = values.iter().map(|v| {
            let ident = format_ident!("{}", v.rust);
            let wire = &v.wire;
            let vdoc = format!(" `{wire}`");
            quote! { #[doc = #vdoc] #[serde(rename = #wire)] #ident, }
        });
        let display_arms = values.iter().map(|v| {
            let ident = format_ident!("{}", v.rust);
            let wire = &v.wire;
            quote! { #name::#ident => #wire, }
        });
        quote! {
            #doc
            #[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, #rt::serde::Serialize, #rt::serde::Deserialize)]
            #[serde(crate = #serde_crate)]
            pub enum #name {
                #(#variants)*
                /// A value this client does not know yet (added upstream later).
                #[serde(untagged)]
                Unknown(::std::string::String),
            }

            impl UnknownFields for #name {
                fn unknown_fields(&self) -> usize {
                    0
                }
            }

            impl ::std::fmt::Display for #name {
                /// The wire value (as sent in a query or path).
                fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                    f.write_str(match self {
                        #(#display_arms)*
                        #name::Unknown(other) => other,
                    })
                }
            }
        }
    }

    fn union(
        &self,
        id: TypeId,
        def: &TypeDef,
        variants: &[(crate::model::Name, TypeRef)],
    ) -> TokenStream {
        let rt = &self.runtime;
        let serde_crate = self.serde_crate();
        let name = format_ident!("{}", def.name.rust);
        let default_doc = match variants.len() {
            1 => format!("`{}`: its one shape.", def.name.wire),
            _ => format!("One of several shapes of `{}`.", def.name.wire),
        };
        let doc = doc_attr(def.doc.as_deref().or(Some(&default_doc)));
        if let [(_, only)] = variants {
            let ty = self.rust_type(only);
            return quote! { #doc pub type #name = #ty; };
        }
        let arms = variants.iter().map(|(n, _)| {
            let ident = format_ident!("{}", n.rust);
            quote! { #name::#ident(value) => UnknownFields::unknown_fields(value), }
        });
        let vs = variants.iter().map(|(n, t)| {
            let ident = format_ident!("{}", n.rust);
            let mut ty = self.rust_type(t);
            if self.needs_box(id, t) {
                ty = quote!(::std::boxed::Box<#ty>);
            }
            let vdoc = format!(" The `{}` form.", n.wire);
            quote! { #[doc = #vdoc] #ident(#ty), }
        });
        quote! {
            #doc
            #[derive(Debug, Clone, PartialEq, #rt::serde::Serialize, #rt::serde::Deserialize)]
            #[serde(crate = #serde_crate, untagged)]
            pub enum #name { #(#vs)* }

            impl UnknownFields for #name {
                fn unknown_fields(&self) -> usize {
                    match self { #(#arms)* }
                }
            }
        }
    }

    fn xml_struct(&self, id: TypeId, def: &TypeDef, fields: &[XmlField]) -> TokenStream {
        let rt = &self.runtime;
        let name = format_ident!("{}", def.name.rust);
        let doc = doc_attr(def.doc.as_deref().or(Some(&format!(
            "The `{}` XML element content.",
            def.name.wire
        ))));
        let mut members = Vec::new();
        let mut attrs = Vec::new();
        let mut texts = Vec::new();
        let mut writes = Vec::new();
        let mut reads = Vec::new();
        let declared: Vec<&str> = fields
            .iter()
            .filter(|f| !f.attribute && !f.text)
            .map(|f| f.name.wire.as_str())
            .collect();
        let declared_attrs: Vec<&str> = fields
            .iter()
            .filter(|f| f.attribute)
            .map(|f| f.name.wire.as_str())
            .collect();
        // What an `xs:any` field leaves to the others: their element names, and the element
        // names of the alternatives of a choice field.
        let any_declared: Vec<&str> = fields
            .iter()
            .filter(|f| !f.attribute && !f.text)
            .flat_map(|f| match &f.ty {
                TypeRef::Named(cid) if self.is_element_choice(&f.ty) => {
                    match &self.api.ty(*cid).kind {
                        TypeKind::XmlChoice { variants, .. } => variants
                            .iter()
                            .filter(|v| v.kind == crate::model::XmlVariantKind::Element)
                            .map(|v| v.name.wire.as_str())
                            .collect::<Vec<_>>(),
                        _ => vec![f.name.wire.as_str()],
                    }
                }
                _ => vec![f.name.wire.as_str()],
            })
            .collect();
        for f in fields {
            let ident = format_ident!("{}", f.name.rust);
            let mut inner = self.rust_type(&f.ty);
            if !f.repeated && self.needs_box(id, &f.ty) {
                inner = quote!(::std::boxed::Box<#inner>);
            }
            let local = &f.name.wire;
            let ns = &f.namespace;
            let nillable = f.nillable && !f.repeated && !f.attribute && !f.text;
            let ty = if f.repeated {
                quote!(::std::vec::Vec<#inner>)
            } else if nillable && f.optional {
                quote!(::std::option::Option<::std::option::Option<#inner>>)
            } else if f.optional || nillable {
                quote!(::std::option::Option<#inner>)
            } else {
                inner
            };
            let default_doc = if f.attribute {
                format!("The `{local}` attribute.")
            } else if f.text {
                "The element's text content.".to_string()
            } else {
                format!("The `{local}` element.")
            };
            let mut text = f.doc.clone().unwrap_or(default_doc);
            if nillable && f.optional {
                text.push_str("\n\n`None`: absent; `Some(None)`: sent as `xsi:nil`; `Some(Some(v))`: the value.");
            } else if nillable {
                text.push_str("\n\n`None` is sent as `xsi:nil` (the element is required).");
            }
            let fdoc = doc_attr(Some(&text));
            members.push(quote! { #fdoc pub #ident: #ty, });
            let is_choice = self.is_element_choice(&f.ty);
            let any_attrs = f.ty == TypeRef::External(ANY_ATTRIBUTES_TYPE.into());
            let read = if any_attrs {
                quote!(#rt::xml_read::field::any_attributes(node, &[#(#declared_attrs),*]))
            } else if is_choice && f.repeated {
                quote!(#rt::xml_read::field::choices(node, &[#(#declared),*])?)
            } else if is_choice && f.optional {
                quote!(#rt::xml_read::field::optional_choice(node, &[#(#declared),*])?)
            } else if is_choice {
                quote!(#rt::xml_read::field::choice(node, &[#(#declared),*], #local)?)
            } else if f.attribute && f.optional {
                quote!(#rt::xml_read::field::optional_attribute(node, #ns, #local)?)
            } else if f.attribute {
                quote!(#rt::xml_read::field::attribute(node, #ns, #local)?)
            } else if f.text {
                quote!(#rt::xml_read::field::text(node)?)
            } else if f.is_wildcard() {
                quote!(#rt::xml_read::field::any(node, &[#(#any_declared),*]))
            } else if f.repeated {
                quote!(#rt::xml_read::field::repeated(node, #ns, #local)?)
            } else if nillable && f.optional {
                quote!(#rt::xml_read::field::optional_nillable(node, #ns, #local)?)
            } else if nillable {
                quote!(#rt::xml_read::field::nillable(node, #ns, #local)?)
            } else if f.optional {
                quote!(#rt::xml_read::field::optional(node, #ns, #local)?)
            } else {
                quote!(#rt::xml_read::field::required(node, #ns, #local)?)
            };
            reads.push(quote! { #ident: #read, });
            if any_attrs {
                attrs.push(quote! { self.#ident.write_attributes(w); });
            } else if f.attribute {
                let qname = f.ty == TypeRef::External(QNAME_TYPE.into());
                attrs.push(match (f.optional, qname) {
                    (true, false) => quote! {
                        if let ::std::option::Option::Some(v) = &self.#ident {
                            w.attribute(#ns, #local, &#rt::xml::XmlText::xml_text(v));
                        }
                    },
                    (false, false) => quote! { w.attribute(#ns, #local, &#rt::xml::XmlText::xml_text(&self.#ident)); },
                    (true, true) => quote! {
                        if let ::std::option::Option::Some(v) = &self.#ident {
                            let text = #rt::xml::XmlText::xml_text_in(v, w);
                            w.attribute(#ns, #local, &text);
                        }
                    },
                    (false, true) => quote! {
                        let text = #rt::xml::XmlText::xml_text_in(&self.#ident, w);
                        w.attribute(#ns, #local, &text);
                    },
                });
            } else if f.text {
                texts.push(if f.ty == TypeRef::External(QNAME_TYPE.into()) {
                    quote! {
                        let text = #rt::xml::XmlText::xml_text_in(&self.#ident, w);
                        w.text(&text);
                    }
                } else {
                    quote! { w.text(&#rt::xml::XmlText::xml_text(&self.#ident)); }
                });
            } else if nillable && f.optional {
                writes.push(quote! {
                    match &self.#ident {
                        ::std::option::Option::None => {}
                        ::std::option::Option::Some(::std::option::Option::None) => w.nil_element(#ns, #local),
                        ::std::option::Option::Some(::std::option::Option::Some(v)) => #rt::xml::ToXml::write_xml(v, w, #ns, #local),
                    }
                });
            } else if nillable {
                writes.push(quote! {
                    match &self.#ident {
                        ::std::option::Option::None => w.nil_element(#ns, #local),
                        ::std::option::Option::Some(v) => #rt::xml::ToXml::write_xml(v, w, #ns, #local),
                    }
                });
            } else {
                if let Some(max) = self.choice_max_occurs(&f.ty).filter(|_| f.repeated) {
                    let max = max as usize;
                    let what = format!("'{}' in '{}'", f.name.wire, def.name.wire);
                    writes.push(quote! {
                        if self.#ident.len() > #max {
                            w.fail(::std::format!("{} has {} items; the schema allows at most {} (maxOccurs)", #what, self.#ident.len(), #max));
                        }
                    });
                }
                writes.push(quote! { #rt::xml::ToXml::write_xml(&self.#ident, w, #ns, #local); });
            }
        }
        let default = quote!(Default,);
        let unused = if reads.is_empty() {
            quote!(let _ = node;)
        } else {
            quote!()
        };
        quote! {
            #doc
            #[derive(Debug, Clone, PartialEq, #default)]
            pub struct #name { #(#members)* }

            impl #rt::xml_read::FromXml for #name {
                fn from_xml(node: &#rt::xml_read::XmlNode) -> ::std::result::Result<Self, #rt::xml_read::XmlError> {
                    #unused
                    ::std::result::Result::Ok(#name { #(#reads)* })
                }
            }

            impl #rt::xml::ToXml for #name {
                fn write_xml(&self, w: &mut #rt::xml::XmlWriter, ns: &str, local: &str) {
                    w.start_element(ns, local);
                    #(#attrs)*
                    #(#texts)*
                    #(#writes)*
                    w.end_element();
                }
            }
        }
    }

    /// The bounded `maxOccurs` of a repeating choice's enum type.
    fn choice_max_occurs(&self, ty: &TypeRef) -> Option<u32> {
        match ty {
            TypeRef::Named(id) => match self.api.ty(*id).kind {
                TypeKind::XmlChoice { max_occurs, .. } => max_occurs,
                _ => None,
            },
            _ => None,
        }
    }

    /// Whether `ty` is an enum of alternatives told apart by element name (read with the
    /// `field::choice*` helpers rather than by the field's own name).
    fn is_element_choice(&self, ty: &TypeRef) -> bool {
        matches!(ty, TypeRef::Named(id) if matches!(
            self.api.ty(*id).kind,
            TypeKind::XmlChoice { xsi_type_base: None, .. }
        ))
    }

    /// An enum over XML alternatives: by element name (choices, mixed content, substitution
    /// groups) or by `xsi:type` (a type and its derived types). Struct payloads are boxed.
    fn xml_choice(
        &self,
        def: &TypeDef,
        variants: &[XmlVariant],
        xsi_type_base: Option<&(String, String)>,
    ) -> TokenStream {
        let rt = &self.runtime;
        let name = format_ident!("{}", def.name.rust);
        let doc = doc_attr(def.doc.as_deref());
        let payload = |v: &XmlVariant| {
            let ty = self.rust_type(&v.ty);
            match &v.ty {
                TypeRef::Named(id)
                    if matches!(
                        self.api.ty(*id).kind,
                        TypeKind::XmlStruct { .. } | TypeKind::XmlChoice { .. }
                    ) =>
                {
                    quote!(::std::boxed::Box<#ty>)
                }
                _ => ty,
            }
        };
        let members = variants.iter().map(|v| {
            let ident = format_ident!("{}", v.name.rust);
            let ty = payload(v);
            let vdoc = match v.kind {
                XmlVariantKind::Text => "Character data between the elements.".to_string(),
                XmlVariantKind::Wildcard => {
                    "Any other element (`xs:any`), kept as raw XML.".to_string()
                }
                XmlVariantKind::XsiType => {
                    format!("A value of type `{{{}}}{}`.", v.namespace, v.name.wire)
                }
                XmlVariantKind::Element => {
                    format!("The `{{{}}}{}` element.", v.namespace, v.name.wire)
                }
            };
            quote! { #[doc = #vdoc] #ident(#ty), }
        });
        let first = variants.first().map(|v| {
            let ident = format_ident!("{}", v.name.rust);
            quote! {
                impl ::std::default::Default for #name {
                    fn default() -> Self {
                        #name::#ident(::std::default::Default::default())
                    }
                }
            }
        });
        let writes = variants.iter().map(|v| {
            let ident = format_ident!("{}", v.name.rust);
            let (vns, vlocal) = (&v.namespace, &v.name.wire);
            match v.kind {
                XmlVariantKind::Text => quote! { #name::#ident(v) => w.text(v), },
                XmlVariantKind::Wildcard => {
                    quote! { #name::#ident(v) => #rt::xml::ToXml::write_xml(v, w, ns, local), }
                }
                XmlVariantKind::Element => {
                    quote! { #name::#ident(v) => #rt::xml::ToXml::write_xml(v, w, #vns, #vlocal), }
                }
                XmlVariantKind::XsiType
                    if xsi_type_base == Some(&(v.namespace.clone(), v.name.wire.clone())) =>
                {
                    quote! { #name::#ident(v) => #rt::xml::ToXml::write_xml(v, w, ns, local), }
                }
                XmlVariantKind::XsiType => quote! {
                    #name::#ident(v) => {
                        w.set_next_xsi_type(#vns, #vlocal);
                        #rt::xml::ToXml::write_xml(v, w, ns, local)
                    }
                },
            }
        });
        let write_names = if xsi_type_base.is_some() {
            quote!()
        } else {
            quote!(let _ = (ns, local);)
        };
        let empty = variants.is_empty().then(|| quote!(_ => {}));
        let to_xml = quote! {
            impl #rt::xml::ToXml for #name {
                fn write_xml(&self, w: &mut #rt::xml::XmlWriter, ns: &str, local: &str) {
                    #write_names
                    match self {
                        #(#writes)*
                        #empty
                    }
                }
            }
        };
        let read = match xsi_type_base {
            Some(base) => self.xsi_type_read(&name, variants, base),
            None => self.element_choice_read(&name, variants),
        };
        quote! {
            #doc
            #[derive(Debug, Clone, PartialEq)]
            pub enum #name { #(#members)* }

            #first
            #to_xml
            #read
        }
    }

    /// `FromXmlChoice` for an element-name choice: exact (namespace, name) first, then the
    /// name alone (tolerant), then the wildcard; text pieces for mixed content.
    fn element_choice_read(
        &self,
        name: &proc_macro2::Ident,
        variants: &[XmlVariant],
    ) -> TokenStream {
        let rt = &self.runtime;
        let elements: Vec<&XmlVariant> = variants
            .iter()
            .filter(|v| v.kind == XmlVariantKind::Element)
            .collect();
        let names = elements.iter().map(|v| {
            let (ns, local) = (&v.namespace, &v.name.wire);
            quote!((#ns, #local))
        });
        let arms = elements.iter().enumerate().map(|(i, v)| {
            let ident = format_ident!("{}", v.name.rust);
            let read = match v.ty {
                TypeRef::Named(id)
                    if matches!(
                        self.api.ty(id).kind,
                        TypeKind::XmlStruct { .. } | TypeKind::XmlChoice { .. }
                    ) =>
                {
                    quote!(::std::boxed::Box::new(#rt::xml_read::FromXml::from_xml(node)?))
                }
                _ => quote!(#rt::xml_read::FromXml::from_xml(node)?),
            };
            quote! { ::std::option::Option::Some(#i) => #name::#ident(#read), }
        });
        let wildcard = variants.iter().find(|v| v.kind == XmlVariantKind::Wildcard);
        let (accept_other, other) = match wildcard {
            Some(v) => {
                let ident = format_ident!("{}", v.name.rust);
                (
                    quote!(!declared.contains(&node.local.as_str())),
                    quote!(_ => #name::#ident(#rt::xml_read::FromXml::from_xml(node)?),),
                )
            }
            None => (
                quote!({
                    let _ = declared;
                    false
                }),
                quote!(_ => return ::std::result::Result::Err(#rt::xml_read::XmlError(::std::format!("element '{}' is not one of the alternatives", node.local))),),
            ),
        };
        let text = variants
            .iter()
            .find(|v| v.kind == XmlVariantKind::Text)
            .map(|v| {
                let ident = format_ident!("{}", v.name.rust);
                quote! {
                    fn from_text(text: &str) -> ::std::option::Option<Self> {
                        ::std::option::Option::Some(#name::#ident(text.to_owned()))
                    }
                }
            });
        quote! {
            impl #name {
                const NAMES: &'static [(&'static str, &'static str)] = &[#(#names),*];
            }

            impl #rt::xml_read::FromXmlChoice for #name {
                fn accepts(node: &#rt::xml_read::XmlNode, declared: &[&str]) -> bool {
                    #rt::xml_read::match_name(node, Self::NAMES).is_some() || #accept_other
                }

                fn from_choice(node: &#rt::xml_read::XmlNode) -> ::std::result::Result<Self, #rt::xml_read::XmlError> {
                    ::std::result::Result::Ok(match #rt::xml_read::match_name(node, Self::NAMES) {
                        #(#arms)*
                        #other
                    })
                }

                #text
            }
        }
    }

    /// `FromXml` for a type and its derived types: `xsi:type` (resolved with the instance's
    /// prefixes) picks the variant; none means the declared type, an error when it is abstract.
    fn xsi_type_read(
        &self,
        name: &proc_macro2::Ident,
        variants: &[XmlVariant],
        base: &(String, String),
    ) -> TokenStream {
        let rt = &self.runtime;
        let (bns, blocal) = base;
        let arms = variants.iter().map(|v| {
            let ident = format_ident!("{}", v.name.rust);
            let (ns, local) = (&v.namespace, &v.name.wire);
            quote! {
                (#ns, #local) => #name::#ident(::std::boxed::Box::new(#rt::xml_read::FromXml::from_xml(node)?)),
            }
        });
        let concrete_base = variants
            .iter()
            .any(|v| (&v.namespace, &v.name.wire) == (bns, blocal));
        let untyped = if concrete_base {
            quote!((#bns.to_owned(), #blocal.to_owned()))
        } else {
            quote! {
                return ::std::result::Result::Err(#rt::xml_read::XmlError(::std::format!(
                    "element '{}' has no xsi:type, but its type '{{{}}}{}' is abstract",
                    node.local, #bns, #blocal
                )))
            }
        };
        quote! {
            impl #rt::xml_read::FromXml for #name {
                fn from_xml(node: &#rt::xml_read::XmlNode) -> ::std::result::Result<Self, #rt::xml_read::XmlError> {
                    let (ns, local) = match #rt::xml_read::xsi_type(node)? {
                        ::std::option::Option::Some(t) => t,
                        ::std::option::Option::None => #untyped,
                    };
                    ::std::result::Result::Ok(match (ns.as_str(), local.as_str()) {
                        #(#arms)*
                        _ => return ::std::result::Result::Err(#rt::xml_read::XmlError(::std::format!(
                            "element '{}' has xsi:type '{{{ns}}}{local}', which is not '{{{}}}{}' or a type derived from it",
                            node.local, #bns, #blocal
                        ))),
                    })
                }
            }
        }
    }

    /// XML impls for an enumeration from an XSD simple type: written as its exact value.
    fn xml_enum(&self, def: &TypeDef, values: &[crate::model::Name]) -> TokenStream {
        let rt = &self.runtime;
        let name = format_ident!("{}", def.name.rust);
        let arms = values.iter().map(|v| {
            let ident = format_ident!("{}", v.rust);
            let wire = &v.wire;
            quote! { #name::#ident => #wire, }
        });
        let first = format_ident!("{}", values[0].rust);
        let mut seen = std::collections::BTreeSet::new();
        let read_arms: Vec<TokenStream> = values
            .iter()
            .filter(|v| seen.insert(v.wire.trim().to_string()))
            .map(|v| {
                let ident = format_ident!("{}", v.rust);
                let wire = v.wire.trim();
                quote! { #wire => #name::#ident, }
            })
            .collect();
        quote! {
            impl #name {
                /// The value as it is written in XML.
                pub fn as_str(&self) -> &str {
                    match self {
                        #(#arms)*
                        #name::Unknown(other) => other,
                    }
                }
            }

            #[allow(clippy::derivable_impls)]
            impl ::std::default::Default for #name {
                fn default() -> Self {
                    #name::#first
                }
            }

            impl #rt::xml::XmlText for #name {
                fn xml_text(&self) -> ::std::string::String {
                    self.as_str().to_owned()
                }
            }

            impl #rt::xml::ToXml for #name {
                fn write_xml(&self, w: &mut #rt::xml::XmlWriter, ns: &str, local: &str) {
                    w.text_element(ns, local, self.as_str());
                }
            }

            impl #rt::xml_read::FromXmlText for #name {
                fn from_xml_text(text: &str) -> ::std::result::Result<Self, #rt::xml_read::XmlError> {
                    ::std::result::Result::Ok(match text.trim() {
                        #(#read_arms)*
                        other => #name::Unknown(other.to_owned()),
                    })
                }
            }

            impl #rt::xml_read::FromXml for #name {
                fn from_xml(node: &#rt::xml_read::XmlNode) -> ::std::result::Result<Self, #rt::xml_read::XmlError> {
                    <Self as #rt::xml_read::FromXmlText>::from_xml_text(&node.text)
                }
            }
        }
    }

    /// True when a field or union variant of type `ty` inside `owner` is boxed (see
    /// [`super::boxing`]).
    fn needs_box(&self, owner: TypeId, ty: &TypeRef) -> bool {
        super::boxing::direct_target(ty).is_some_and(|target| self.boxed.contains(&(owner, target)))
    }

    /// Whether `#[derive(Default)]` is possible: every required field's type has a default.
    fn is_defaultable(&self, id: TypeId) -> bool {
        let TypeKind::Struct { fields, .. } = &self.api.ty(id).kind else {
            return false;
        };
        fields
            .iter()
            .filter(|f| f.required && !f.nullable)
            .all(|f| self.type_has_default(&f.ty, &mut vec![id]))
    }

    fn type_has_default(&self, ty: &TypeRef, seen: &mut Vec<TypeId>) -> bool {
        match ty {
            TypeRef::Named(id) => {
                if seen.contains(id) {
                    return true;
                }
                seen.push(*id);
                match &self.api.ty(*id).kind {
                    TypeKind::Struct { fields, .. } => fields
                        .iter()
                        .filter(|f| f.required && !f.nullable)
                        .all(|f| self.type_has_default(&f.ty, seen)),
                    TypeKind::XmlStruct { .. } | TypeKind::XmlChoice { .. } => true,
                    TypeKind::Union { variants } => {
                        variants.len() == 1 && self.type_has_default(&variants[0].1, seen)
                    }
                    TypeKind::Enum { .. } => false,
                }
            }
            TypeRef::Id
            | TypeRef::Number
            | TypeRef::OneOrMany(_)
            | TypeRef::External(_)
            | TypeRef::RawXml => false,
            _ => true,
        }
    }
}

/// Whether `ty` mentions the external type `path` anywhere.
fn mentions(ty: &TypeRef, path: &str) -> bool {
    match ty {
        TypeRef::External(p) => p == path,
        TypeRef::Array(i) | TypeRef::Map(i) | TypeRef::OneOrMany(i) => mentions(i, path),
        _ => false,
    }
}
