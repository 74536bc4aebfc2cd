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
//! # REST operations in one module per tag (rest::pets, …).     Config::module_per_tag
//! module_per_tag = true
//! # XML structs keep undeclared child elements (any: Vec<RawXml>). Config::keep_unknown_elements
//! keep_unknown_elements = true
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
//!
//! # Cargo features of the including crate that gate the REST   Config::rest_feature,
//! # module and the SOAP module with the XSD types' XML code.   Config::soap_feature
//! [features]
//! rest = "rest"
//! soap = "soap"
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
//! writes a standalone crate the same way (`--catalog URL=FILE` maps a `$ref` URL to a local
//! copy; a URL is downloaded only with `--allow-network`).
//!
//! # OpenAPI: what the generator decides
//!
//! - Versions: Swagger 2.0, OpenAPI 3.0.x and 3.1.x, read from the version key before any
//!   typed parsing; anything else is refused with the file, line and `#/openapi`.
//! - oneOf/anyOf become untagged enums tried in order: object branches with more required
//!   properties first (a richer branch is never captured by a poorer one), ties in declared
//!   order. Variant names say what they hold: `Text`, `Integer`, `Number`, `Boolean`, the
//!   referenced type's name, `StringList`/`IntegerList`/`RangeList` when several branches are
//!   lists (one list alone is `List`).
//! - anyOf branches that only list `required` properties: one struct with optional fields;
//!   the constraint is stated in its doc comment and not checked before sending (an empty
//!   value is sent as `{}`).
//! - allOf members are merged (properties, required, numeric bounds intersected). Bounds are
//!   written into the doc comment and not checked before sending (a value outside them is sent
//!   as is); contradictory bounds are a warning naming the schema and both bounds.
//! - `nullable` next to a `$ref` (3.0) is honoured, with a warning. Optional nullable fields are
//!   one `Option` (absent and null are the same) unless the object schema says
//!   `x-tri-state: true` (inferred schemas do), which makes them `Option<Option<T>>`.
//! - `format: byte` is `client_runtime::Base64` (standard base64 with padding on the wire).
//! - `Box` where a type would otherwise be infinite or too big for the stack. Recursive JSON
//!   types are boxed on the back edges of a depth-first walk over by-value references in type
//!   order (`Vec` and maps are indirection already): one box per cycle; XML types box every
//!   reference on a cycle. Then a type that would hold more than 256 fields inline (its own and
//!   those of the types it holds by value) boxes its largest members until it does not: Stripe's
//!   `CreditNote` is 3.8 KB instead of 2.9 MB.
//! - Enum variants: the value in UpperCamelCase; the empty string is `Empty`, a leading `+`/`-`
//!   is `Plus`/`Minus`, a leading digit gets an `N`; collisions get `2`, `3`, … in declaration
//!   order (`count`, `__count__`, `Count` → `Count`, `Count2`, `Count3`). Unknown values decode
//!   into `Unknown(String)`.
//! - Field names: snake_case of the wire name (kept for serde); keywords get a `_` suffix
//!   (`type_`), a leading digit an `n` (`n1st`), non-ASCII letters are dropped (`café` →
//!   `caf`); collisions get `_2`, `_3`, … in the byte order of the wire names (the order the
//!   properties are read in: `foo-bar`, `fooBar`, `foo_bar` → `foo_bar`, `foo_bar_2`,
//!   `foo_bar_3`). Type names: UpperCamelCase with symbols as word breaks
//!   (`bitbucket.apps.Repo` → `BitbucketAppsRepo`); `Self` is `SelfValue` and names of prelude
//!   types (`Result`, `Option`, …) get a `Type` suffix.
//! - Names made up from operations: inline request bodies `{OperationId}Request`, responses
//!   `{OperationId}Response`, parameters `{OperationId}{Param}`; a name the document already
//!   uses keeps it and the made-up one gets `2`, `3`, … (request builders likewise).
//! - Request bodies: the media type sent is the first of JSON (and `+json`), form,
//!   multipart, text (in declared order), then anything else. Form bodies are form-encoded
//!   (`k=v`, lists one pair per item, nested objects `k[a]=v`). A multipart object body is set
//!   part by part on the request builder like parameters: `format: binary` properties take
//!   `client_runtime::FilePart` values (`(file name, bytes)`), scalars are text parts, other
//!   values (or an `encoding` JSON media type) JSON parts, arrays one part per item. An object
//!   body that allows no property (`properties: {}`, `additionalProperties: false`) is no
//!   body. Responses: the JSON media type
//!   when offered; a text response (`text/html`, …) is returned as `String` and a binary one
//!   (`application/octet-stream`, images, …) as `Vec<u8>`, with that media type as `Accept`.
//! - Empty bodies (2xx, JSON declared): decoded as `null` (unit, `Option`), then as `{}` (maps,
//!   objects whose fields are all optional); otherwise `Error::EmptyBody` with the status —
//!   never a JSON syntax error. A body that is present but wrong is `Error::Decode` (message
//!   and raw body).
//! - Security: a document whose only scheme is one apiKey header uses the runtime's token
//!   (`Auth`, sent where the operation requires security). Any other set of schemes gives the
//!   client a typed `Credentials` (one setter per scheme: apiKey in header/query/cookie, http
//!   bearer — also oauth2/openIdConnect with a token the caller supplies — and http basic),
//!   set with `Client::with_credentials`. Each call sends the first of its security
//!   alternatives whose schemes are all set (`security: []` sends nothing); when none is
//!   complete it fails before sending, naming the first missing scheme.
//! - Query parameters: `form` arrays repeat the key (`explode`, the default) or join with `,`;
//!   `spaceDelimited` joins with a space, `pipeDelimited` with `|`; `deepObject` sends
//!   `name[key]=value`; unset optional parameters are not sent.
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
