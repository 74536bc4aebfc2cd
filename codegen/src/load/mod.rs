//! Stage 1: read input documents, apply overlays, infer types from examples, lower to the model.

pub mod document;
pub mod jsonpath;
pub mod openapi;
pub mod overlay;
pub mod wsdl;
pub mod xml;
mod yaml;
