//! `Config`: every knob of a generation run, set with builder methods or read from a file.

use std::collections::BTreeMap;
use std::path::PathBuf;

/// One step applied to the OpenAPI documents before lowering.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Step {
    /// Apply an OpenAPI Overlay file.
    Overlay(PathBuf),
    /// Infer schemas from examples here; the overlay produced is returned at this path.
    Infer(PathBuf),
}

/// Which REST operations to generate. Empty include lists mean "all"; excludes win.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Filter {
    /// Keep only operations with one of these tags.
    pub include_tags: Vec<String>,
    /// Drop operations with one of these tags.
    pub exclude_tags: Vec<String>,
    /// Keep only these operationIds.
    pub include_operations: Vec<String>,
    /// Drop these operationIds.
    pub exclude_operations: Vec<String>,
    /// Keep only operations whose path starts with one of these prefixes.
    pub include_paths: Vec<String>,
    /// Drop operations whose path starts with one of these prefixes.
    pub exclude_paths: Vec<String>,
}

impl Filter {
    /// Whether an operation with this id, path and tag is generated.
    pub fn keeps(&self, operation_id: &str, path: &str, tag: Option<&str>) -> bool {
        let tag_in = |list: &[String]| tag.is_some_and(|t| list.iter().any(|x| x == t));
        let id_in = |list: &[String]| list.iter().any(|x| x == operation_id);
        let path_in = |list: &[String]| list.iter().any(|p| path.starts_with(p.as_str()));
        let included = (self.include_tags.is_empty() || tag_in(&self.include_tags))
            && (self.include_operations.is_empty() || id_in(&self.include_operations))
            && (self.include_paths.is_empty() || path_in(&self.include_paths));
        included
            && !tag_in(&self.exclude_tags)
            && !id_in(&self.exclude_operations)
            && !path_in(&self.exclude_paths)
    }
}

/// What to generate and how: inputs, overlays, names, types, and where the runtime crate lives.
///
/// Every setter takes and returns `self`, so a configuration reads as one chain:
///
/// ```
/// let config = codegen::Config::new()
///     .openapi("specs/petstore.yaml")
///     .type_replacement("date-time", "::std::string::String")
///     .type_attribute("/components/schemas/Pet", "#[derive(Eq)]")
///     .rename("listPets", "all_pets")
///     .exclude_tag("internal")
///     .single_file(true);
/// assert_eq!(config.inputs().len(), 1);
/// ```
#[derive(Debug, Clone)]
pub struct Config {
    pub(crate) openapi: Vec<PathBuf>,
    pub(crate) wsdl: Vec<PathBuf>,
    pub(crate) steps: Vec<Step>,
    pub(crate) runtime_path: String,
    pub(crate) sources_label: Option<String>,
    pub(crate) overlaid_out: Option<PathBuf>,
    pub(crate) example_tests: Option<(PathBuf, String, String)>,
    pub(crate) options: crate::load::Options,
    pub(crate) type_attributes: Vec<(String, String)>,
    pub(crate) renames: BTreeMap<String, String>,
    pub(crate) filter: Filter,
    pub(crate) single_file: bool,
    pub(crate) module_per_tag: bool,
    pub(crate) keep_unknown_elements: bool,
    pub(crate) gates: crate::emit::gates::FeatureGates,
    pub(crate) catalog: BTreeMap<String, PathBuf>,
    pub(crate) fetch: Option<crate::load::catalog::FetchHook>,
    pub(crate) config_file: Option<PathBuf>,
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
            options: crate::load::Options::default(),
            type_attributes: Vec::new(),
            renames: BTreeMap::new(),
            filter: Filter::default(),
            single_file: false,
            module_per_tag: false,
            keep_unknown_elements: false,
            gates: crate::emit::gates::FeatureGates::default(),
            catalog: BTreeMap::new(),
            fetch: None,
            config_file: None,
        }
    }
}

impl Config {
    /// An empty configuration (runtime at `::client_runtime`, one module per file).
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds an OpenAPI document (JSON or YAML); a document already added (the same file,
    /// however its path is spelled) is not added twice.
    pub fn openapi(mut self, path: impl Into<PathBuf>) -> Self {
        add_once(&mut self.openapi, path.into());
        self
    }

    /// Adds a WSDL 1.1 document (or an XSD); a document already added is not added twice.
    pub fn wsdl(mut self, path: impl Into<PathBuf>) -> Self {
        add_once(&mut self.wsdl, path.into());
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

    /// Maps an imported URL to a local file, so imports resolve without network.
    pub fn catalog_entry(mut self, url: impl Into<String>, path: impl Into<PathBuf>) -> Self {
        self.catalog.insert(url.into(), path.into());
        self
    }

    /// Lets `fetch` resolve remote locations (`$ref` URLs, `xsd:import`/`wsdl:import`
    /// locations) that the catalog lacks: it gets the URL and returns the local file holding
    /// the downloaded document. Without one (the default) such a location is an error that
    /// names it; `codegen generate --allow-network` passes a downloader. A build script should
    /// not: its output would depend on the network.
    pub fn fetch_remote(
        mut self,
        fetch: impl Fn(&str) -> Result<PathBuf, String> + Send + Sync + 'static,
    ) -> Self {
        self.fetch = Some(crate::load::catalog::FetchHook(std::sync::Arc::new(fetch)));
        self
    }

    /// Where generated code finds the runtime crate (`::client_runtime`, `crate::runtime`,
    /// `::generated_client::runtime`, …).
    pub fn runtime_path(mut self, path: impl Into<String>) -> Self {
        self.runtime_path = path.into();
        self
    }

    /// Adds an attribute (e.g. `#[derive(Hash)]`) to the type defined at a JSON pointer
    /// (`/components/schemas/Pet`) or XSD QName (`{urn:ns}checkVat`); `*` matches every type.
    pub fn type_attribute(mut self, key: impl Into<String>, attribute: impl Into<String>) -> Self {
        self.type_attributes.push((key.into(), attribute.into()));
        self
    }

    /// Uses a Rust type for OpenAPI strings of a `format` (e.g. `date-time` →
    /// `chrono::DateTime<chrono::Utc>`); the type must implement serde's traits.
    pub fn type_replacement(
        mut self,
        format: impl Into<String>,
        rust_type: impl Into<String>,
    ) -> Self {
        self.options
            .type_replacements
            .insert(format.into(), rust_type.into());
        self
    }

    /// Gives an operation (by operationId or SOAP operation name) or a type (by schema or
    /// element name) a Rust name of your choice.
    pub fn rename(mut self, wire_name: impl Into<String>, rust_name: impl Into<String>) -> Self {
        self.renames.insert(wire_name.into(), rust_name.into());
        self
    }

    /// Generates only operations with this tag (may be given several times).
    pub fn include_tag(mut self, tag: impl Into<String>) -> Self {
        self.filter.include_tags.push(tag.into());
        self
    }

    /// Skips operations with this tag.
    pub fn exclude_tag(mut self, tag: impl Into<String>) -> Self {
        self.filter.exclude_tags.push(tag.into());
        self
    }

    /// Generates only this operationId (may be given several times).
    pub fn include_operation(mut self, operation_id: impl Into<String>) -> Self {
        self.filter.include_operations.push(operation_id.into());
        self
    }

    /// Skips this operationId.
    pub fn exclude_operation(mut self, operation_id: impl Into<String>) -> Self {
        self.filter.exclude_operations.push(operation_id.into());
        self
    }

    /// Generates only operations whose path starts with `prefix`.
    pub fn include_path(mut self, prefix: impl Into<String>) -> Self {
        self.filter.include_paths.push(prefix.into());
        self
    }

    /// Skips operations whose path starts with `prefix`.
    pub fn exclude_path(mut self, prefix: impl Into<String>) -> Self {
        self.filter.exclude_paths.push(prefix.into());
        self
    }

    /// Emits one self-contained file (`lib.rs`-style modules inline) instead of a module
    /// directory: what `include!` in a build script needs.
    pub fn single_file(mut self, yes: bool) -> Self {
        self.single_file = yes;
        self
    }

    /// Puts the REST operations in one module per tag (an operation's first tag; operations
    /// without one go to `rest::untagged`): `rest/<tag>.rs` files, or inline modules with
    /// [`single_file`](Self::single_file). Methods stay on `Client`; request builders move to
    /// `rest::<tag>` (default: all in `rest`).
    pub fn module_per_tag(mut self, yes: bool) -> Self {
        self.module_per_tag = yes;
        self
    }

    /// XML (WSDL/XSD) types keep the child elements their schema does not declare: each struct
    /// gets an `any: Vec<RawXml>` field (as `xs:any` makes) that a decode fills and an encode
    /// sends back after the declared elements. Default: they are skipped when decoding (a
    /// server that adds elements never breaks a call) and so are not sent back.
    pub fn keep_unknown_elements(mut self, yes: bool) -> Self {
        self.keep_unknown_elements = yes;
        self
    }

    /// Puts the generated `rest` module behind `#[cfg(feature = "<name>")]`, so the crate that
    /// includes it can build without REST (default: not gated).
    pub fn rest_feature(mut self, name: impl Into<String>) -> Self {
        self.gates.rest = Some(name.into());
        self
    }

    /// Puts the generated `soap` module, the XSD types and their XML code behind
    /// `#[cfg(feature = "<name>")]`, so the crate that includes it can build without SOAP
    /// (default: not gated).
    pub fn soap_feature(mut self, name: impl Into<String>) -> Self {
        self.gates.soap = Some(name.into());
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

    /// The Cargo features the generated modules are gated behind ([`Config::rest_feature`],
    /// [`Config::soap_feature`]): what the including crate's `[features]` must declare.
    pub fn feature_gates(&self) -> &crate::emit::gates::FeatureGates {
        &self.gates
    }

    /// Where generated code finds the runtime crate ([`Config::runtime_path`]).
    pub fn runtime_crate_path(&self) -> &str {
        &self.runtime_path
    }

    /// Every input file (documents, overlays, catalog files, the config file): what a build
    /// script should watch.
    pub fn inputs(&self) -> Vec<PathBuf> {
        let mut v: Vec<PathBuf> = self.openapi.iter().chain(&self.wsdl).cloned().collect();
        v.extend(self.steps.iter().filter_map(|s| match s {
            Step::Overlay(p) => Some(p.clone()),
            Step::Infer(_) => None,
        }));
        v.extend(self.catalog.values().cloned());
        v.extend(self.config_file.clone());
        v
    }
}

/// Pushes `path` unless `paths` already holds the same file (compared canonicalized, so
/// `./a.yaml` and `a.yaml` are one; paths that do not exist compare as written).
fn add_once(paths: &mut Vec<PathBuf>, path: PathBuf) {
    let canon = |p: &PathBuf| std::fs::canonicalize(p).unwrap_or_else(|_| p.clone());
    let key = canon(&path);
    if !paths.iter().any(|p| canon(p) == key) {
        paths.push(path);
    }
}
