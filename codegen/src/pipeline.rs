//! Runs the pipeline for a `Config`: load → overlay/infer → lower → filter → name → emit → render.

use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::config::Step;
use crate::{emit, infer, load, model, render, Config, Diagnostics, Output, Place, Summary};

impl Config {
    /// Runs the pipeline. Warnings are in `Output::diagnostics`; any error returns them all.
    pub fn generate(&self) -> Result<Output, Diagnostics> {
        let mut diags = Diagnostics::new();
        let mut api = model::Api::default();
        let mut side_files = Vec::new();
        let mut overlaid = Vec::new();
        let mut inferred_types = 0;
        let catalog = load::catalog::Catalog::new(self.catalog.clone())
            .with_fetch(self.fetch.as_ref().map(|f| f.0.clone()));
        for path in &self.openapi {
            let Some(mut doc) = load::document::read(path, &mut diags) else {
                continue;
            };
            load::normalize::normalize(&mut doc, path, &catalog, &mut diags);
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
            load::openapi::lower(doc, path, &self.options, &mut api, &mut diags);
        }
        for path in &self.wsdl {
            load::wsdl::lower_file(path, &catalog, &mut api, &mut diags);
        }
        if diags.has_errors() {
            return Err(diags);
        }
        api.rest.retain(|op| {
            self.filter
                .keeps(&op.name.wire, &op.path, op.tag.as_deref())
        });
        for service in &mut api.soap {
            service
                .operations
                .retain(|op| self.filter.keeps(&op.name.wire, "", None));
        }
        if self.keep_unknown_elements {
            api.keep_unknown_elements();
        }
        emit::assign_names(&mut api, &self.renames);
        let attributes = match self.type_attribute_tokens(&api) {
            Ok(a) => a,
            Err(msg) => {
                diags.error(
                    Path::new(self.config_file.as_deref().unwrap_or(Path::new("<config>"))),
                    Place::File,
                    msg,
                    "write the attribute as Rust source, e.g. #[derive(Hash)]",
                );
                return Err(diags);
            }
        };
        if let Err(msg) = self.gates.validate() {
            diags.error(
                Path::new(self.config_file.as_deref().unwrap_or(Path::new("<config>"))),
                Place::File,
                msg,
                "name a feature of the crate that includes the generated code, e.g. \"rest\"",
            );
            return Err(diags);
        }
        let emitter = match emit::Emitter::new(&api, &self.runtime_path, attributes) {
            Ok(e) => e
                .with_gates(self.gates.clone())
                .with_module_per_tag(self.module_per_tag),
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
        let emitted = if self.single_file {
            vec![emitter.single_file()]
        } else {
            emitter.files()
        };
        for f in emitted {
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

impl Config {
    /// Parses the configured attributes and assigns them to the types whose key matches.
    fn type_attribute_tokens(
        &self,
        api: &model::Api,
    ) -> Result<std::collections::BTreeMap<model::TypeId, Vec<proc_macro2::TokenStream>>, String>
    {
        let mut out: std::collections::BTreeMap<model::TypeId, Vec<proc_macro2::TokenStream>> =
            Default::default();
        for (key, attr) in &self.type_attributes {
            let tokens: proc_macro2::TokenStream = attr
                .parse()
                .map_err(|e| format!("attribute '{attr}' for '{key}' is not Rust: {e}"))?;
            let parsed = syn::parse::Parser::parse2(syn::Attribute::parse_outer, tokens.clone())
                .map_err(|e| format!("'{attr}' for '{key}' is not an outer attribute: {e}"))?;
            if parsed.is_empty() {
                return Err(format!("'{attr}' for '{key}' holds no attribute"));
            }
            let mut matched = false;
            for (i, def) in api.types.iter().enumerate() {
                if key == "*" || def.key == *key || def.name.wire == *key {
                    out.entry(model::TypeId(i))
                        .or_default()
                        .push(tokens.clone());
                    matched = true;
                }
            }
            if !matched {
                return Err(format!("type_attribute key '{key}' matches no type (use a JSON pointer such as /components/schemas/Pet, an XSD QName such as {{urn:ns}}name, or *)"));
            }
        }
        Ok(out)
    }
}

fn pretty_json(v: &Value) -> String {
    let mut s = serde_json::to_string_pretty(v).unwrap_or_default();
    s.push('\n');
    s
}
