//! `codegen generate SPEC... --out DIR [--crate-name NAME] [--config FILE] [--runtime-dir DIR]
//! [--catalog URL=FILE]... [--allow-network]`: writes a standalone crate for any OpenAPI or WSDL
//! document, over the generic runtime crate.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

const USAGE: &str = "usage: codegen generate SPEC... --out DIR [--crate-name NAME] [--config codegen.toml] [--runtime-dir DIR] [--catalog URL=FILE]... [--allow-network]

SPEC is an OpenAPI document (JSON or YAML; Swagger 2.0, 3.0, 3.1), a WSDL 1.1 document
(.wsdl) or an XSD. The crate at DIR depends on the runtime crate client-runtime (default: the
copy next to this generator, generated-client/runtime). --catalog maps a URL named in a $ref or
an import to a local copy (repeatable). A URL the catalog lacks is an error, unless
--allow-network is given: then it is downloaded (and named on stderr).";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.iter().any(|a| a == "-h" || a == "--help") {
        println!("{USAGE}");
        return ExitCode::SUCCESS;
    }
    match run(args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(msg) => {
            eprintln!("{msg}");
            ExitCode::from(2)
        }
    }
}

struct Options {
    specs: Vec<PathBuf>,
    out: PathBuf,
    crate_name: Option<String>,
    config: Option<PathBuf>,
    runtime_dir: PathBuf,
    catalog: Vec<(String, PathBuf)>,
    allow_network: bool,
}

fn parse(mut args: Vec<String>) -> Result<Options, String> {
    if args.first().map(String::as_str) != Some("generate") {
        return Err(USAGE.to_string());
    }
    args.remove(0);
    let mut specs = Vec::new();
    let mut out = None;
    let mut crate_name = None;
    let mut config = None;
    let mut catalog = Vec::new();
    let mut allow_network = false;
    let mut runtime_dir =
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../generated-client/runtime");
    let mut it = args.into_iter();
    while let Some(a) = it.next() {
        let mut value = |flag: &str| {
            it.next()
                .ok_or_else(|| format!("{flag} needs a value\n\n{USAGE}"))
        };
        match a.as_str() {
            "--out" => out = Some(PathBuf::from(value("--out")?)),
            "--crate-name" => crate_name = Some(value("--crate-name")?),
            "--config" => config = Some(PathBuf::from(value("--config")?)),
            "--runtime-dir" => runtime_dir = PathBuf::from(value("--runtime-dir")?),
            "--catalog" => {
                let v = value("--catalog")?;
                let (url, file) = v
                    .split_once('=')
                    .ok_or_else(|| format!("--catalog takes URL=FILE, got '{v}'\n\n{USAGE}"))?;
                catalog.push((url.to_string(), PathBuf::from(file)));
            }
            "--allow-network" => allow_network = true,
            flag if flag.starts_with("--") => {
                return Err(format!("unknown option {flag}\n\n{USAGE}"))
            }
            spec => specs.push(PathBuf::from(spec)),
        }
    }
    let out = out.ok_or_else(|| format!("--out is required\n\n{USAGE}"))?;
    if specs.is_empty() && config.is_none() {
        return Err(format!("give at least one SPEC (or --config)\n\n{USAGE}"));
    }
    Ok(Options {
        specs,
        out,
        crate_name,
        config,
        runtime_dir,
        catalog,
        allow_network,
    })
}

fn run(args: Vec<String>) -> Result<(), String> {
    let o = parse(args)?;
    let mut config = match &o.config {
        Some(path) => codegen::Config::from_file(path).map_err(|d| d.to_string())?,
        None => codegen::Config::new(),
    };
    for (url, file) in &o.catalog {
        config = config.catalog_entry(url, file);
    }
    let downloads = std::env::temp_dir().join(format!("codegen-downloads-{}", std::process::id()));
    let fetched = Downloads::default();
    if o.allow_network {
        config = config.fetch_remote(downloader(downloads.clone(), fetched.clone())?);
    }
    let result = generate(config, &o, &fetched);
    let _ = std::fs::remove_dir_all(&downloads);
    result
}

/// The downloaded copy of each URL, shared between the downloader and the diagnostics printer.
type Downloads = std::sync::Arc<std::sync::Mutex<BTreeMap<String, PathBuf>>>;

/// Diagnostics as text, a downloaded document named by its URL rather than by its temporary
/// copy (which is gone when the command ends), both as the file and inside messages.
fn shown<'a>(
    diagnostics: impl Iterator<Item = &'a codegen::Diagnostic>,
    fetched: &Downloads,
) -> String {
    let fetched = fetched.lock().map(|m| m.clone()).unwrap_or_default();
    let mut copies: Vec<(String, &String)> = Vec::new();
    for (url, copy) in &fetched {
        copies.push((copy.display().to_string(), url));
        if let Ok(canonical) = std::fs::canonicalize(copy) {
            copies.push((canonical.display().to_string(), url));
        }
    }
    // The longest path first, so that no path is replaced inside a longer one.
    copies.sort_by_key(|(path, _)| std::cmp::Reverse(path.len()));
    diagnostics
        .map(|d| {
            copies.iter().fold(d.to_string(), |text, (path, url)| {
                text.replace(path.as_str(), url)
            })
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// Downloads a URL into `dir` (once per URL), named after its last path segment so its
/// extension still tells its format.
#[cfg(feature = "network")]
fn downloader(
    dir: PathBuf,
    fetched: Downloads,
) -> Result<impl Fn(&str) -> Result<PathBuf, String> + Send + Sync, String> {
    let client = reqwest::blocking::Client::builder()
        .timeout(std::time::Duration::from_secs(60))
        .user_agent(concat!("codegen/", env!("CARGO_PKG_VERSION")))
        .build()
        .map_err(|e| format!("cannot start the HTTP client: {e}"))?;
    Ok(move |url: &str| {
        let mut fetched = fetched
            .lock()
            .map_err(|_| "the download cache is poisoned".to_string())?;
        if let Some(path) = fetched.get(url) {
            return Ok(path.clone());
        }
        let response = client.get(url).send().map_err(|e| with_causes(&e))?;
        if !response.status().is_success() {
            return Err(format!("HTTP {}", response.status()));
        }
        let bytes = response.bytes().map_err(|e| with_causes(&e))?;
        let segment: String = url
            .split(['?', '#'])
            .next()
            .unwrap_or(url)
            .rsplit('/')
            .find(|s| !s.is_empty())
            .unwrap_or("document")
            .chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() || c == '.' || c == '-' || c == '_' {
                    c
                } else {
                    '_'
                }
            })
            .collect();
        std::fs::create_dir_all(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
        let path = dir.join(format!("{}-{segment}", fetched.len()));
        std::fs::write(&path, &bytes).map_err(|e| format!("{}: {e}", path.display()))?;
        eprintln!("downloaded {url} ({} bytes)", bytes.len());
        fetched.insert(url.to_string(), path.clone());
        Ok(path)
    })
}

/// An error with each underlying cause (connection refused, DNS, TLS), which reqwest's own
/// message leaves out.
#[cfg(feature = "network")]
fn with_causes(e: &dyn std::error::Error) -> String {
    let mut text = e.to_string();
    let mut source = e.source();
    while let Some(cause) = source {
        let cause_text = cause.to_string();
        if !text.contains(&cause_text) {
            text.push_str(": ");
            text.push_str(&cause_text);
        }
        source = cause.source();
    }
    text
}

/// Without the `network` feature there is no downloader.
#[cfg(not(feature = "network"))]
fn downloader(
    _dir: PathBuf,
    _fetched: Downloads,
) -> Result<fn(&str) -> Result<PathBuf, String>, String> {
    Err("--allow-network needs codegen built with its `network` feature".into())
}

fn generate(config: codegen::Config, o: &Options, fetched: &Downloads) -> Result<(), String> {
    let mut config = config;
    for spec in &o.specs {
        if spec
            .to_str()
            .is_some_and(|s| s.starts_with("http://") || s.starts_with("https://"))
        {
            return Err(format!(
                "{}: SPEC must be a local file (download it first; --allow-network fetches only the URLs the documents reference)",
                spec.display()
            ));
        }
        config = if is_xml(spec) {
            config.wsdl(spec)
        } else {
            config.openapi(spec)
        };
    }
    // The standalone crate depends on the runtime as `client-runtime`.
    if config.runtime_crate_path() != STANDALONE_RUNTIME {
        eprintln!(
            "note: runtime_path '{}' is ignored: a standalone crate reaches the runtime as {STANDALONE_RUNTIME}",
            config.runtime_crate_path()
        );
    }
    let config = config.runtime_path(STANDALONE_RUNTIME);
    let gates = config.feature_gates().clone();
    let output = config.generate().map_err(|d| shown(d.iter(), fetched))?;
    if !output.diagnostics.is_empty() {
        eprintln!("{}", shown(output.diagnostics.iter(), fetched));
    }
    let name = o
        .crate_name
        .clone()
        .unwrap_or_else(|| default_crate_name(&o.specs));
    write_crate(&o.out, &name, &o.runtime_dir, &gates, &output)
        .map_err(|e| format!("writing {}: {e}", o.out.display()))?;
    let s = &output.summary;
    println!(
        "generated crate '{name}' at {}: {} REST + {} SOAP operations, {} types, {} untyped fields, {} warnings",
        o.out.display(),
        s.rest_operations,
        s.soap_operations,
        s.types,
        s.untyped_fields,
        s.warnings
    );
    Ok(())
}

/// A WSDL or XSD rather than an OpenAPI document: by extension (any case: `.wsdl`, `.xml`,
/// `.xsd`), else by content (a saved `?wsdl` has no extension): the first non-blank byte is `<`.
fn is_xml(spec: &Path) -> bool {
    let by_extension = spec
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase);
    match by_extension.as_deref() {
        Some("wsdl" | "xml" | "xsd") => true,
        Some("json" | "yaml" | "yml") => false,
        _ => std::fs::read(spec).is_ok_and(|bytes| {
            let text = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&bytes);
            text.iter().find(|b| !b.is_ascii_whitespace()) == Some(&b'<')
        }),
    }
}

fn default_crate_name(specs: &[PathBuf]) -> String {
    let stem = specs
        .first()
        .and_then(|p| p.file_stem())
        .map(|s| s.to_string_lossy().to_string())
        .unwrap_or_else(|| "api".into());
    let name: String = stem
        .to_ascii_lowercase()
        .replace(|c: char| !c.is_ascii_alphanumeric(), "-");
    let name = name.trim_matches('-').to_string();
    if name.is_empty() || name.starts_with(|c: char| c.is_ascii_digit()) {
        format!("api-{name}")
    } else {
        format!("{name}-client")
    }
}

/// How generated code in a standalone crate names the runtime crate.
const STANDALONE_RUNTIME: &str = "::client_runtime";

/// `text` as a TOML string (quoted and escaped by the `toml` crate).
fn toml_string(text: &str) -> String {
    toml::Value::String(text.to_owned()).to_string()
}

/// `items` as a TOML array of strings.
fn toml_strings<S: AsRef<str>>(items: &[S]) -> String {
    let quoted: Vec<String> = items.iter().map(|i| toml_string(i.as_ref())).collect();
    format!("[{}]", quoted.join(", "))
}

/// The standalone crate's `Cargo.toml`: the runtime by path and, when the configuration gates
/// the REST or SOAP half behind a feature, those features (on by default), each enabling the
/// runtime's own `rest` or `soap`.
fn manifest(name: &str, runtime: &Path, gates: &codegen::emit::gates::FeatureGates) -> String {
    let path = toml_string(&runtime.display().to_string());
    let mut features: BTreeMap<&str, Vec<String>> = BTreeMap::new();
    let mut always = Vec::new();
    for (gate, half) in [(&gates.rest, "rest"), (&gates.soap, "soap")] {
        match gate {
            Some(feature) => features
                .entry(feature)
                .or_default()
                .push(format!("client-runtime/{half}")),
            None => always.push(half),
        }
    }
    let dependency = if features.is_empty() {
        format!("{{ path = {path} }}")
    } else {
        let always = toml_strings(&always);
        format!("{{ path = {path}, default-features = false, features = {always} }}")
    };
    let mut text = format!(
        "# @generated by codegen generate; do not edit by hand.\n[package]\nname = {}\nversion = \"0.1.0\"\nedition = \"2021\"\nrust-version = \"1.88\"\npublish = false\n\n[dependencies]\nclient-runtime = {dependency}\n",
        toml_string(name)
    );
    if !features.is_empty() {
        let names: Vec<&str> = features.keys().copied().collect();
        text.push_str(&format!(
            "\n[features]\ndefault = {}\n",
            toml_strings(&names)
        ));
        for (feature, enables) in &features {
            text.push_str(&format!(
                "{} = {}\n",
                toml_string(feature),
                toml_strings(enables)
            ));
        }
    }
    text.push_str(
        "\n# A standalone crate, not a member of any enclosing workspace.\n[workspace]\n",
    );
    text
}

fn write_crate(
    out: &Path,
    name: &str,
    runtime_dir: &Path,
    gates: &codegen::emit::gates::FeatureGates,
    output: &codegen::Output,
) -> std::io::Result<()> {
    let runtime = std::fs::canonicalize(runtime_dir).unwrap_or_else(|_| runtime_dir.to_path_buf());
    let manifest = manifest(name, &runtime, gates);
    codegen::write::write_atomic(&out.join("Cargo.toml"), manifest.as_bytes())?;
    let lib = "// @generated by codegen generate; do not edit by hand.\n//! Generated client.\n\n#[rustfmt::skip]\nmod generated;\n\npub use client_runtime as runtime;\npub use generated::*;\n";
    codegen::write::write_atomic(&out.join("src/lib.rs"), lib.as_bytes())?;
    output.write_to(&out.join("src/generated"))?;
    Ok(())
}
