//! Runs the generator on the pinned specs, exactly as `regen` and `check` both need it.

use std::path::{Path, PathBuf};

use crate::manifest::Manifest;

/// Name of the overlay that regen writes from the examples; overlays sorting before it are
/// applied before inference, the others after.
pub const INFERRED_OVERLAY: &str = "20-inferred-schemas.json";

/// Where the generated modules of the client crate live, relative to the repo root.
pub const GENERATED_DIR: &str = "generated-client/src/generated";

/// Builds the codegen configuration for the repository at `root`.
pub fn config(root: &Path, manifest: &Manifest) -> Result<codegen::Config, String> {
    let specs = root.join("specs");
    // generated-client's `rest` and `soap` features build one protocol alone.
    let mut config = codegen::Config::new()
        .runtime_path("crate::runtime")
        .rest_feature("rest")
        .soap_feature("soap");
    let mut labels = Vec::new();
    for doc in &manifest.document {
        labels.push(format!("specs/{}", doc.path));
        // Imports that fetch stored: their URLs resolve to the local copies, never the network.
        for (url, local) in &doc.catalog {
            config = config.catalog_entry(url.clone(), specs.join(local));
        }
        match doc.kind.as_str() {
            "openapi" => {
                config = config.openapi(doc.local(&specs));
                if let Some(dir) = &doc.overlays {
                    let dir = specs.join(dir);
                    let mut overlays: Vec<PathBuf> = std::fs::read_dir(&dir)
                        .map_err(|e| format!("{}: {e}", dir.display()))?
                        .filter_map(|e| e.ok().map(|e| e.path()))
                        .filter(|p| p.extension().is_some_and(|x| x == "json" || x == "yaml") && !p.ends_with(INFERRED_OVERLAY))
                        .collect();
                    overlays.sort();
                    let inferred = dir.join(INFERRED_OVERLAY);
                    let (before, after): (Vec<_>, Vec<_>) = overlays.into_iter().partition(|p| p.file_name() < inferred.file_name());
                    for p in before {
                        config = config.overlay(p);
                    }
                    config = config
                        .infer_from_examples(inferred)
                        .write_overlaid(specs.join("overlaid").join(format!("{}.json", doc.name)))
                        .example_tests(root.join("generated-client/tests/generated/examples.rs"), "generated_client", format!("../specs/overlaid/{}.json", doc.name));
                    for p in after {
                        config = config.overlay(p);
                    }
                }
            }
            "wsdl" => config = config.wsdl(doc.local(&specs)),
            other => return Err(format!("specs/manifest.toml: document '{}' has unknown kind '{other}' (use openapi or wsdl)", doc.name)),
        }
    }
    Ok(config.sources_label(labels.join(", ")))
}

/// Generates from the pins; errors are the rendered diagnostics.
pub fn run(root: &Path) -> Result<codegen::Output, String> {
    let manifest = Manifest::read(&root.join("specs"))?;
    let config = config(root, &manifest)?;
    config
        .generate()
        .map_err(|d| relative(root, &d.to_string()))
}

/// Diagnostics name files relative to the repository root (`specs/...`), as a user sees them.
pub fn relative(root: &Path, text: &str) -> String {
    text.replace(&format!("{}/", root.display()), "")
}
