//! Spec-driven client generator: loads OpenAPI (JSON or YAML) and WSDL 1.1 + XSD documents into
//! one neutral model and emits typed async Rust clients over the `client-runtime` crate.
//!
//! The pipeline is visible in the module layout: [`load`] (read, overlay, infer, lower) →
//! [`model`] (neutral types and operations) → [`emit`] (token streams) → [`render`] (text) →
//! [`write`](mod@write) (atomic, write-if-changed files).
//!
//! ```no_run
//! let output = codegen::Config::new()
//!     .openapi("specs/api.json")
//!     .wsdl("specs/service.wsdl")
//!     .runtime_path("::client_runtime")
//!     .generate()
//!     .expect("specs are valid");
//! output.write_to(std::path::Path::new("src/generated")).expect("written");
//! ```
#![deny(missing_docs)]

pub mod build;
mod config;
mod config_file;
pub mod diagnostics;
pub mod emit;
pub mod infer;
pub mod load;
pub mod model;
pub mod render;
pub mod write;

pub use build::compile;
pub use config::{Config, Filter};
pub use diagnostics::{Diagnostic, Diagnostics, Place, Severity};
pub use write::{Output, Summary};

/// Turns a model into files: runs the whole pipeline for a `Config`.
mod pipeline;
