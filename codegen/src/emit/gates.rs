//! Cargo feature gates: `#[cfg(feature = "...")]` on the generated REST and SOAP code.

use proc_macro2::TokenStream;
use quote::quote;

/// Which Cargo features, if any, the generated REST and SOAP code sits behind.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FeatureGates {
    /// Gates the `rest` module.
    pub rest: Option<String>,
    /// Gates the `soap` module and the XML half of the types (XSD types and their codecs).
    pub soap: Option<String>,
}

impl FeatureGates {
    /// `#[cfg(feature = "<rest>")]`, or nothing.
    pub fn rest_attr(&self) -> TokenStream {
        cfg_attr(self.rest.as_deref())
    }

    /// `#[cfg(feature = "<soap>")]`, or nothing.
    pub fn soap_attr(&self) -> TokenStream {
        cfg_attr(self.soap.as_deref())
    }

    /// An error message when a name is not a valid Cargo feature name.
    pub fn validate(&self) -> Result<(), String> {
        for name in self.rest.iter().chain(&self.soap) {
            let valid = !name.is_empty()
                && name
                    .chars()
                    .next()
                    .is_some_and(|c| c.is_ascii_alphanumeric() || c == '_')
                && name
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '+' | '.'));
            if !valid {
                return Err(format!(
                    "'{name}' is not a Cargo feature name (letters, digits, '_', '-', '+', '.'; not starting with a symbol)"
                ));
            }
        }
        Ok(())
    }
}

fn cfg_attr(feature: Option<&str>) -> TokenStream {
    match feature {
        Some(name) => quote!(#[cfg(feature = #name)]),
        None => quote!(),
    }
}

/// Puts `attr` on every top-level item of `items` (a sequence of items, as the emitters
/// produce for one type: its definition and impls). Empty `attr` leaves `items` as they are.
pub fn gate_items(items: TokenStream, attr: &TokenStream) -> TokenStream {
    if attr.is_empty() {
        return items;
    }
    let Ok(file) = syn::parse2::<syn::File>(items.clone()) else {
        return items;
    };
    let gated = file.items.into_iter().map(|item| quote!(#attr #item));
    quote!(#(#gated)*)
}
