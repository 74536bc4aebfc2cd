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

pub mod diagnostics;
pub mod emit;
pub mod infer;
pub mod load;
pub mod model;
pub mod render;
pub mod write;

use std::path::{Path, PathBuf};

use serde_json::Value;

pub use diagnostics::{Diagnostic, Diagnostics, Place, Severity};
pub use write::{Output, Summary};

/// One step applied to the OpenAPI documents before lowering.
#[derive(Debug, Clone)]
enum Step {
    /// Apply an OpenAPI Overlay file.
    Overlay(PathBuf),
    /// Infer schemas from examples here; the overlay produced is returned at this path.
    Infer(PathBuf),
}

/// What to generate and how: inputs, overlays, and where the runtime crate lives.
#[derive(Debug, Clone)]
pub struct Config {
    openapi: Vec<PathBuf>,
    wsdl: Vec<PathBuf>,
    steps: Vec<Step>,
    runtime_path: String,
    sources_label: Option<String>,
    overlaid_out: Option<PathBuf>,
    example_tests: Option<(PathBuf, String, String)>,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            openapi: Vec::new(),
            wsdl: Vec::new(),
            steps: Vec::new(),
            runtime_path: "::client_runtime".into(),
            sources_label: None,
            overlaid_out: None,
            example_tests: None,
        }
    }
}

impl Config {
    /// An empty configuration (runtime at `::client_runtime`).
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds an OpenAPI document (JSON or YAML).
    pub fn openapi(mut self, path: impl Into<PathBuf>) -> Self {
        self.openapi.push(path.into());
        self
    }

    /// Adds a WSDL 1.1 document.
    pub fn wsdl(mut self, path: impl Into<PathBuf>) -> Self {
        self.wsdl.push(path.into());
        self
    }

    /// Applies an OpenAPI Overlay 1.0 file to the OpenAPI documents (in the order added).
    pub fn overlay(mut self, path: impl Into<PathBuf>) -> Self {
        self.steps.push(Step::Overlay(path.into()));
        self
    }

    /// At this point in the overlay order, infers schemas from examples where the document
    /// has none, and applies them; the inferred overlay is part of the output at `path`.
    pub fn infer_from_examples(mut self, path: impl Into<PathBuf>) -> Self {
        self.steps.push(Step::Infer(path.into()));
        self
    }

    /// Where generated code finds the runtime crate (`::client_runtime`, `crate::runtime`, …).
    pub fn runtime_path(mut self, path: impl Into<String>) -> Self {
        self.runtime_path = path.into();
        self
    }

    /// How the generated header names the inputs (default: their file names).
    pub fn sources_label(mut self, label: impl Into<String>) -> Self {
        self.sources_label = Some(label.into());
        self
    }

    /// Also writes the (first) OpenAPI document after every overlay to `path`: what validators
    /// and example tests should read.
    pub fn write_overlaid(mut self, path: impl Into<PathBuf>) -> Self {
        self.overlaid_out = Some(path.into());
        self
    }

    /// Also writes an integration test to `path` that round-trips every example of the
    /// overlaid document through its generated type in crate `crate_name`; the test reads the
    /// document from `doc_path`, relative to that crate's manifest directory.
    pub fn example_tests(
        mut self,
        path: impl Into<PathBuf>,
        crate_name: impl Into<String>,
        doc_path: impl Into<String>,
    ) -> Self {
        self.example_tests = Some((path.into(), crate_name.into(), doc_path.into()));
        self
    }

    /// Every input file (documents and overlays): what a build script should watch.
    pub fn inputs(&self) -> Vec<PathBuf> {
        let mut v: Vec<PathBuf> = self.openapi.iter().chain(&self.wsdl).cloned().collect();
        v.extend(self.steps.iter().filter_map(|s| match s {
            Step::Overlay(p) => Some(p.clone()),
            Step::Infer(_) => None,
        }));
        v
    }

    /// Runs the pipeline. Warnings are in `Output::diagnostics`; any error returns them all.
    pub fn generate(&self) -> Result<Output, Diagnostics> {
        let mut diags = Diagnostics::new();
        let mut api = model::Api::default();
        let mut side_files = Vec::new();
        let mut overlaid = Vec::new();
        let mut inferred_types = 0;
        for path in &self.openapi {
            let Some(mut doc) = load::document::read(path, &mut diags) else {
                continue;
            };
            for step in &self.steps {
                match step {
                    Step::Overlay(ov_path) => {
                        if let Some(ov) = load::document::read(ov_path, &mut diags) {
                            load::overlay::apply(&mut doc, &ov, ov_path, &mut diags);
                        }
                    }
                    Step::Infer(out_path) => {
                        let inference = infer::infer(&doc);
                        inferred_types += inference.types;
                        load::overlay::apply(&mut doc, &inference.overlay, out_path, &mut diags);
                        side_files.push((out_path.clone(), pretty_json(&inference.overlay)));
                    }
                }
            }
            overlaid.push((path.clone(), doc.clone()));
            load::openapi::lower(doc, path, &mut api, &mut diags);
        }
        for path in &self.wsdl {
            match std::fs::read_to_string(path) {
                Ok(text) => load::wsdl::lower(&text, path, &mut api, &mut diags),
                Err(e) => diags.error(
                    path,
                    Place::File,
                    format!("cannot read the file: {e}"),
                    "check the path exists and is readable UTF-8",
                ),
            }
        }
        if diags.has_errors() {
            return Err(diags);
        }
        emit::assign_names(&mut api);
        let emitter = match emit::Emitter::new(&api, &self.runtime_path) {
            Ok(e) => e,
            Err(msg) => {
                diags.error(
                    Path::new("<config>"),
                    Place::File,
                    msg,
                    "give a path such as ::client_runtime",
                );
                return Err(diags);
            }
        };
        let label = self.sources_label.clone().unwrap_or_else(|| {
            self.openapi
                .iter()
                .chain(&self.wsdl)
                .filter_map(|p| p.file_name())
                .map(|n| n.to_string_lossy().to_string())
                .collect::<Vec<_>>()
                .join(", ")
        });
        let mut files = Vec::new();
        for f in emitter.files() {
            match render::render(&f, &label) {
                Ok(text) => files.push((PathBuf::from(&f.path), text)),
                Err(msg) => {
                    diags.error(
                        Path::new(&f.path),
                        Place::File,
                        msg,
                        "report this as a generator bug with the input that caused it",
                    );
                    return Err(diags);
                }
            }
        }
        if let (Some(out), Some((_, doc))) = (&self.overlaid_out, overlaid.first()) {
            side_files.push((out.clone(), pretty_json(doc)));
        }
        let mut examples = 0;
        if let (Some((path, crate_name, doc_path)), Some((_, doc))) =
            (&self.example_tests, overlaid.first())
        {
            let (text, count) = emit::examples::example_tests(&api, doc, crate_name, doc_path);
            examples = count;
            side_files.push((path.clone(), text));
        }
        let summary = Summary {
            examples,
            documents: self.openapi.len() + self.wsdl.len(),
            rest_operations: api.rest.len(),
            soap_operations: api.soap.iter().map(|s| s.operations.len()).sum(),
            types: api.types.len(),
            inferred_types,
            untyped_fields: emit::count_untyped_fields(&api),
            warnings: diags.warning_count(),
        };
        Ok(Output {
            files,
            side_files,
            diagnostics: diags,
            summary,
            overlaid_openapi: overlaid,
            api,
        })
    }
}

fn pretty_json(v: &Value) -> String {
    let mut s = serde_json::to_string_pretty(v).unwrap_or_default();
    s.push('\n');
    s
}
