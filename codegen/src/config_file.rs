//! `codegen.toml`: the same knobs as the `Config` builder, in a file (paths relative to it).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::config::Filter;
use crate::{Config, Diagnostics, Place};

/// The file's shape. Every key is optional.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    /// OpenAPI documents.
    #[serde(default)]
    openapi: Vec<PathBuf>,
    /// WSDL documents.
    #[serde(default)]
    wsdl: Vec<PathBuf>,
    /// Overlays, applied in order.
    #[serde(default)]
    overlays: Vec<PathBuf>,
    /// Where to put the overlay inferred from examples (enables inference after `overlays`).
    infer_from_examples: Option<PathBuf>,
    /// Runtime crate path.
    runtime_path: Option<String>,
    /// One file for `include!` instead of a module directory.
    single_file: Option<bool>,
    /// REST operations in one module per tag.
    module_per_tag: Option<bool>,
    /// XML structs keep undeclared child elements.
    keep_unknown_elements: Option<bool>,
    /// Imported URL → local file.
    #[serde(default)]
    catalog: BTreeMap<String, PathBuf>,
    /// Type key (JSON pointer, XSD QName or `*`) → attributes.
    #[serde(default)]
    attributes: BTreeMap<String, Vec<String>>,
    /// String format → Rust type.
    #[serde(default)]
    types: BTreeMap<String, String>,
    /// Wire name → Rust name.
    #[serde(default)]
    names: BTreeMap<String, String>,
    /// Which operations to generate.
    #[serde(default)]
    filter: FilterFile,
    /// Cargo features the generated REST and SOAP code sits behind.
    #[serde(default)]
    features: FeaturesFile,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct FeaturesFile {
    rest: Option<String>,
    soap: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct FilterFile {
    #[serde(default)]
    include_tags: Vec<String>,
    #[serde(default)]
    exclude_tags: Vec<String>,
    #[serde(default)]
    include_operations: Vec<String>,
    #[serde(default)]
    exclude_operations: Vec<String>,
    #[serde(default)]
    include_paths: Vec<String>,
    #[serde(default)]
    exclude_paths: Vec<String>,
}

impl Config {
    /// Reads a configuration file (see the crate docs for every key); relative paths in it are
    /// relative to the file's directory. Errors name the file and line:column.
    pub fn from_file(path: impl AsRef<Path>) -> Result<Config, Diagnostics> {
        let path = path.as_ref();
        let mut diags = Diagnostics::new();
        let text = match std::fs::read_to_string(path) {
            Ok(t) => t,
            Err(e) => {
                diags.error(
                    path,
                    Place::File,
                    format!("cannot read the configuration: {e}"),
                    "check the path",
                );
                return Err(diags);
            }
        };
        let file: File = match toml::from_str(&text) {
            Ok(f) => f,
            Err(e) => {
                let (line, col) = e
                    .span()
                    .map(|s| crate::load::xml::line_col(&text, s.start))
                    .unwrap_or((1, 1));
                diags.error(
                    path,
                    Place::LineCol(line, col),
                    e.message().to_string(),
                    "see the codegen crate docs for the keys of codegen.toml",
                );
                return Err(diags);
            }
        };
        let base = path.parent().unwrap_or(Path::new("."));
        let at = |p: &PathBuf| {
            if p.is_absolute() {
                p.clone()
            } else {
                base.join(p)
            }
        };
        let mut config = Config::new();
        config.config_file = Some(path.to_path_buf());
        config.openapi = file.openapi.iter().map(at).collect();
        config.wsdl = file.wsdl.iter().map(at).collect();
        for o in &file.overlays {
            config = config.overlay(at(o));
        }
        if let Some(p) = &file.infer_from_examples {
            config = config.infer_from_examples(at(p));
        }
        if let Some(r) = file.runtime_path {
            config = config.runtime_path(r);
        }
        if let Some(s) = file.single_file {
            config = config.single_file(s);
        }
        if let Some(t) = file.module_per_tag {
            config = config.module_per_tag(t);
        }
        if let Some(k) = file.keep_unknown_elements {
            config = config.keep_unknown_elements(k);
        }
        if let Some(name) = file.features.rest {
            config = config.rest_feature(name);
        }
        if let Some(name) = file.features.soap {
            config = config.soap_feature(name);
        }
        for (url, p) in &file.catalog {
            config = config.catalog_entry(url.clone(), at(p));
        }
        for (key, attrs) in file.attributes {
            for a in attrs {
                config = config.type_attribute(key.clone(), a);
            }
        }
        for (format, ty) in file.types {
            config = config.type_replacement(format, ty);
        }
        for (wire, rust) in file.names {
            config = config.rename(wire, rust);
        }
        let f = file.filter;
        config.filter = Filter {
            include_tags: f.include_tags,
            exclude_tags: f.exclude_tags,
            include_operations: f.include_operations,
            exclude_operations: f.exclude_operations,
            include_paths: f.include_paths,
            exclude_paths: f.exclude_paths,
        };
        Ok(config)
    }
}
