//! Stage 1: read input documents, apply overlays, infer types from examples, lower to the model.

pub mod catalog;
pub mod document;
pub mod jsonpath;
pub mod normalize;
pub mod openapi;
pub mod overlay;
pub mod wsdl;
pub mod xml;
pub mod xsd;
mod yaml;

use std::collections::BTreeMap;

/// Loader settings that change how documents lower into the model.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// OpenAPI string `format` → Rust type path used instead of `String` (e.g. `date-time`).
    pub type_replacements: BTreeMap<String, String>,
}
