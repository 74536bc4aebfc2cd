//! Groups the REST operations into one module per OpenAPI tag (an operation's first tag).

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::ident::{self, Namer};
use super::Emitter;

/// The module that holds operations without a tag.
const UNTAGGED: &str = "untagged";

/// One tag's module: its Rust name, the tag as written, and the operations' items.
pub struct TagModule {
    /// Module (and file) name, e.g. `pets`.
    pub name: String,
    /// The tag as the document spells it (`None`: operations without a tag).
    pub tag: Option<String>,
    /// The operations' methods on `Client` and their request builders.
    pub tokens: TokenStream,
}

impl TagModule {
    /// The module's one-line doc.
    pub fn summary(&self) -> String {
        match &self.tag {
            Some(tag) => format!(
                "REST operations tagged `{}`: a method on `Client` and a request builder each.",
                tag.replace('`', "'")
            ),
            None => {
                "REST operations without a tag: a method on `Client` and a request builder each."
                    .into()
            }
        }
    }
}

impl Emitter<'_> {
    /// The operations grouped by first tag, modules in order of first appearance; names are
    /// unique, never `types` or `Client` (which the parent module imports for them).
    pub fn rest_tag_modules(&self) -> Vec<TagModule> {
        let mut names = Namer::with_taken(["types", "Client", "SECURITY_SCHEMES"]);
        let mut modules: Vec<(Option<String>, String, Vec<TokenStream>)> = Vec::new();
        for (i, op) in self.api.rest.iter().enumerate() {
            let tag = op.tag.clone().filter(|t| !t.trim().is_empty());
            let at = match modules.iter().position(|(t, _, _)| *t == tag) {
                Some(at) => at,
                None => {
                    let base = tag.as_deref().map_or(UNTAGGED.to_string(), ident::snake);
                    modules.push((tag, names.unique(&base), Vec::new()));
                    modules.len() - 1
                }
            };
            modules[at].2.push(self.rest_operation(i, op));
        }
        modules
            .into_iter()
            .map(|(tag, name, ops)| TagModule {
                name,
                tag,
                tokens: quote!(#(#ops)*),
            })
            .collect()
    }

    /// The `rest` module's own items when operations live in tag modules: the imports the
    /// tag modules reach through `super::`, the security schemes, and `mod` items (inline
    /// with `inline`, else declarations of files `rest/<name>.rs`).
    pub fn rest_tag_root(&self, modules: &[TagModule], inline: bool) -> TokenStream {
        let schemes = self.security_schemes_static();
        let mods = modules.iter().map(|m| {
            let name = format_ident!("{}", m.name);
            let doc = format!(" {}", m.summary());
            if inline {
                let tokens = &m.tokens;
                quote! { #[doc = #doc] pub mod #name { #tokens } }
            } else {
                quote! { pub mod #name; }
            }
        });
        quote! {
            #[allow(unused_imports)]
            use super::{types, Client};
            #schemes
            #(#mods)*
        }
    }
}
