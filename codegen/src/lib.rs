//! Spec-driven client generator: loads OpenAPI (JSON or YAML) and WSDL 1.1 + XSD documents into
//! one neutral model and emits typed async Rust clients over the `client-runtime` crate.
//!
//! The pipeline is visible in the module layout: [`load`] (read, overlay, infer, lower) →
//! [`model`] (neutral types and operations) → [`emit`] (token streams) → [`render`] (text) →
//! [`write`](mod@write) (atomic, write-if-changed files).
//!
//! # In a build script
//!
//! Add `codegen` as a build-dependency and the runtime as a dependency:
//!
//! ```toml
//! [dependencies]
//! client-runtime = { path = "../generated-client/runtime" }
//!
//! [build-dependencies]
//! codegen = { path = "../codegen" }
//! ```
//!
//! `build.rs`, for the common case (a `petstore.toml` next to `Cargo.toml`):
//!
//! ```no_run
//! codegen::compile("petstore.toml");
//! ```
//!
//! and `src/lib.rs`:
//!
//! ```ignore
//! pub mod petstore {
//!     include!(concat!(env!("OUT_DIR"), "/petstore.rs"));
//! }
//! ```
//!
//! [`compile`] prints `cargo:rerun-if-changed` for the config file and every input, turns each
//! warning into a `cargo:warning=` line naming the file and the place (JSON pointer or
//! line:column), fails the build with the same text on errors, writes only under `OUT_DIR`, and
//! never uses the network. For knobs chosen in code, build a [`Config`] and call
//! [`build::generate_into_out_dir`]:
//!
//! ```no_run
//! let config = codegen::Config::new()
//!     .wsdl("specs/checkVatService.wsdl")
//!     .runtime_path("::client_runtime")
//!     .exclude_operation("checkVatApprox");
//! if let Err(diagnostics) = codegen::build::generate_into_out_dir(&config, "vies") {
//!     eprintln!("{diagnostics}");
//!     std::process::exit(1);
//! }
//! ```
//!
//! # The configuration file
//!
//! Every key is optional; paths are relative to the file. [`Config::from_file`] reads it, and
//! the builder has a method for each key.
//!
//! ```toml
//! # Inputs: OpenAPI (JSON/YAML) and WSDL documents.           Config::openapi / Config::wsdl
//! openapi = ["specs/petstore.yaml"]
//! wsdl = ["specs/checkVatService.wsdl"]
//! # OpenAPI Overlay 1.0 patches, applied in order.            Config::overlay
//! overlays = ["overlays/10-fixes.json"]
//! # Infer schemas from examples where the spec has none; the  Config::infer_from_examples
//! # inferred overlay is written here (check it in).
//! infer_from_examples = "overlays/20-inferred.json"
//! # Where generated code finds the runtime crate.             Config::runtime_path
//! runtime_path = "::client_runtime"
//! # One file for include! (build scripts always use one).     Config::single_file
//! single_file = true
//!
//! # Imported URL -> local file: imports resolve offline.      Config::catalog_entry
//! [catalog]
//! "https://example.com/common.xsd" = "specs/common.xsd"
//!
//! # Extra attributes by JSON pointer, XSD QName, or "*".      Config::type_attribute
//! [attributes]
//! "/components/schemas/Pet" = ["#[derive(Eq, Hash)]"]
//! "{urn:ec.europa.eu:taxud:vies:services:checkVat:types}checkVat" = ["#[derive(Eq)]"]
//!
//! # String formats to Rust types.                             Config::type_replacement
//! [types]
//! "date-time" = "::std::string::String"
//!
//! # Wire names (operationId, schema, element) to Rust names.  Config::rename
//! [names]
//! listPets = "all_pets"
//!
//! # Which operations to generate (include lists empty = all). Config::include_tag, …
//! [filter]
//! include_tags = ["pets"]
//! exclude_operations = ["deletePet"]
//! include_paths = ["/pets"]
//! ```
//!
//! # From code, without a build script
//!
//! ```no_run
//! let output = codegen::Config::new()
//!     .openapi("specs/api.json")
//!     .wsdl("specs/service.wsdl")
//!     .runtime_path("::client_runtime")
//!     .generate()
//!     .expect("specs are valid");
//! for warning in output.diagnostics.iter() {
//!     eprintln!("{warning}");
//! }
//! output.write_to(std::path::Path::new("src/generated")).expect("written");
//! ```
//!
//! The command `cargo run -p codegen --release -- generate SPEC... --out DIR [--crate-name NAME]`
//! writes a standalone crate the same way.
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
