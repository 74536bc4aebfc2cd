//! Every `core` WSDL entry of the shared corpus generates a crate that `cargo check`s with
//! warnings denied; every `extended` one generates, and a representative few of them (the
//! lenient cases: wrong prefixes, a schema typo, XSD 1999, no wsdl:service, remote imports
//! through the catalog) also compile; every `negative` one fails with a located error
//! (file:line:col, and what to do), never a panic, and writes nothing. Remote locations resolve
//! through `xtask/corpus-catalog.toml`, the catalog `cargo xtask corpus` uses too.
//!
//! The corpus is read in place (read-only, vendor documents are not copied into this repo):
//! `$WSDL_CORPUS_DIR`, or `../shared/corpus/wsdl` next to the repository. When it is missing
//! the tests are skipped with a notice, except under `CI=true`, where that is a failure.
//! Compiled crates are written under `target/standalone-check/wsdl-core/` and `wsdl-extended/`
//! and share that target dir; generate-only crates go to a temporary directory.

mod support;

use std::path::{Path, PathBuf};
use std::process::Command;

/// The 15 `core` WSDL entries of SOURCES.md.
const CORE: &[&str] = &[
    "axis2/ComplexDataTypes.wsdl",
    "axis2/RPCLit.wsdl",
    "dotnet-wcf/WcfProjectNService/tempuri.org.wsdl",
    "ews/services.wsdl",
    "node-soap/complex/registration.wsdl",
    "onvif-local/devicemgmt.wsdl",
    "onvif-local/events.wsdl",
    "salesforce/enterprise.wsdl.xml",
    "salesforce/partner.wsdl.xml",
    "vies/checkVatService.wsdl",
    "wasabi/economic.wsdl",
    "wsdl2php/ebay/eBayTest.wsdl",
    "wsdl2php/interop/InteropTyped.wsdl",
    "zeep/integration/hello_world_recursive.wsdl",
    "zeep/wsdl_files/soap_import_main.wsdl",
];

/// The `negative` WSDL entries and a fragment their error must contain.
const NEGATIVE: &[(&str, &str)] = &[
    ("dotnet-wcf/brokenWsdl.wsdl", "not well-formed XML"),
    ("node-soap/attachments.wsdl", "expected wsdl:definitions"),
    ("wasabi/juniper.wsdl", "SystemService?xsd=xsd0.xsd"),
    (
        "zeep/wsdl_files/soap_transport_err.wsdl",
        "duplicate wsdl:binding name 'StockQuoteBinding'",
    ),
];

/// The 40 `extended` WSDL entries of SOURCES.md (generated; those in [`EXTENDED_COMPILED`]
/// are compiled too).
const EXTENDED: &[&str] = &[
    "axis2/BaseDataTypes.wsdl",
    "axis2/RPCLitSWA.wsdl",
    "axis2/generics.wsdl",
    "dotnet-wcf/CollectionTypes.wsdl",
    "dotnet-wcf/TypeNameUseReservedKeyword.wsdl",
    "dotnet-wcf/netNamedPipe.wsdl",
    "node-soap/builtin_types.wsdl",
    "node-soap/default_namespace.wsdl",
    "node-soap/multi-service.wsdl",
    "node-soap/non_identifier_chars_in_operation.wsdl",
    "node-soap/nsTypeConflict/main.wsdl",
    "node-soap/recursive.wsdl",
    "node-soap/rpcexample.wsdl",
    "node-soap/schema_with_no_targetnamespace.wsdl",
    "node-soap/strict/CyberSourceTransaction_1.26.wsdl",
    "node-soap/tnsImportConflict/root.wsdl",
    "node-soap/wsdlImport/main.wsdl",
    "node-soap/wsdl_style_mix.wsdl",
    "node-soap/xsdinclude/xsd_include.wsdl",
    "onvif-local/media.wsdl",
    "onvif-upstream/wsdl/ver10/device/wsdl/devicemgmt.wsdl",
    "onvif-upstream/wsdl/ver20/ptz/wsdl/ptz.wsdl",
    "salesforce/metadata.wsdl.xml",
    "wasabi/marketo.wsdl",
    "wasabi/namespaced_actions.wsdl",
    "wasabi/tradetracker.wsdl",
    "wasabi/two_bindings.wsdl",
    "wasabi/workday.wsdl",
    "wsdl2php/amazon/AmazonWebServicesTest.wsdl",
    "wsdl2php/axis1/TemperatureConvertTest.wsdl",
    "wsdl2php/coldfusion/ComicsWebServiceTest.wsdl",
    "wsdl2php/google/GoogleSearchTest.wsdl",
    "wsdl2php/interop/AspDotNetRound1Test.wsdl",
    "wsdl2php/interop/SoapLiteRound1Test.wsdl",
    "zeep/integration/recursive_schema_main.wsdl",
    "zeep/integration/test_http_post.wsdl",
    "zeep/wsdl_files/claim.wsdl",
    "zeep/wsdl_files/http.wsdl",
    "zeep/wsdl_files/soap.wsdl",
    "zeep/wsdl_files/soap_header.wsdl",
];

/// Extended entries that are also compiled, each with the minimum number of SOAP operations
/// its crate must have (what used to fail to load, or loaded with operations left out).
const EXTENDED_COMPILED: &[(&str, usize)] = &[
    ("node-soap/builtin_types.wsdl", 2),
    ("node-soap/recursive.wsdl", 1),
    ("node-soap/tnsImportConflict/root.wsdl", 1),
    ("node-soap/xsdinclude/xsd_include.wsdl", 2),
    ("onvif-upstream/wsdl/ver20/ptz/wsdl/ptz.wsdl", 29),
    ("wasabi/two_bindings.wsdl", 4),
    ("wsdl2php/interop/SoapLiteRound1Test.wsdl", 9),
    ("zeep/integration/recursive_schema_main.wsdl", 0),
];

/// A `codegen.toml` for `doc` whose catalog is `xtask/corpus-catalog.toml` (its paths are
/// relative to the corpus root, the parent of the WSDL corpus directory).
fn catalog_config(corpus: &Path, doc: &str, dir: &Path) -> PathBuf {
    let file = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../xtask/corpus-catalog.toml");
    let text = std::fs::read_to_string(&file).unwrap();
    let table: std::collections::BTreeMap<String, String> = toml::from_str(&text).unwrap();
    let root = corpus.join("..");
    let mut config = format!(
        "wsdl = [{:?}]\n\n[catalog]\n",
        corpus.join(doc).display().to_string()
    );
    for (url, rel) in table {
        config.push_str(&format!(
            "{url:?} = {:?}\n",
            root.join(rel).display().to_string()
        ));
    }
    let path = dir.join(format!("{}.codegen.toml", crate_name(doc)));
    std::fs::write(&path, config).unwrap();
    path
}

/// Runs `codegen generate` for `doc` into `out` (through the catalog); the report line on
/// success, the error output otherwise.
fn generate(corpus: &Path, doc: &str, out: &Path, scratch: &Path) -> Result<String, String> {
    let gen = Command::new(env!("CARGO_BIN_EXE_codegen"))
        .arg("generate")
        .arg("--config")
        .arg(catalog_config(corpus, doc, scratch))
        .args(["--crate-name", &crate_name(doc), "--out"])
        .arg(out)
        .output()
        .expect("codegen runs");
    let stderr = String::from_utf8_lossy(&gen.stderr).to_string();
    if !gen.status.success() {
        return Err(format!("{doc}: generation failed:\n{stderr}"));
    }
    if stderr.contains("panicked") {
        return Err(format!("{doc}: {stderr}"));
    }
    Ok(String::from_utf8_lossy(&gen.stdout).trim().to_string())
}

/// `cargo check` of a generated crate with warnings denied, in the shared target dir `root`.
fn check(root: &Path, doc: &str, out: &Path) -> Result<(), String> {
    let check = Command::new(env!("CARGO"))
        .args(["check", "--quiet", "--offline", "--manifest-path"])
        .arg(out.join("Cargo.toml"))
        .env("CARGO_TARGET_DIR", root)
        .env("RUSTFLAGS", "-D warnings")
        .output()
        .expect("cargo runs");
    if check.status.success() {
        return Ok(());
    }
    Err(format!(
        "{doc}: generated crate does not compile cleanly:\n{}",
        String::from_utf8_lossy(&check.stderr)
    ))
}

/// The SOAP operation count of a `codegen generate` report line ("… N SOAP operations …").
fn soap_operations(report: &str) -> Option<usize> {
    let before = report.split(" SOAP operations").next()?;
    before.rsplit(' ').next()?.parse().ok()
}

fn crate_name(doc: &str) -> String {
    let name: String = doc
        .trim_end_matches(".xml")
        .trim_end_matches(".wsdl")
        .to_ascii_lowercase()
        .replace(|c: char| !c.is_ascii_alphanumeric(), "-");
    format!("wsdl-{}", name.trim_matches('-'))
}

#[test]
fn every_core_wsdl_generates_a_crate_that_compiles_without_warnings() {
    let Some(corpus) = support::wsdl_corpus() else {
        return;
    };
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../target/standalone-check");
    let crates = root.join("wsdl-core");
    std::fs::create_dir_all(&crates).unwrap();
    let mut failures = Vec::new();
    let mut table = Vec::new();
    for doc in CORE {
        let out = crates.join(crate_name(doc));
        let report = match generate(&corpus, doc, &out, &crates) {
            Ok(r) => r,
            Err(e) => {
                failures.push(e);
                continue;
            }
        };
        if let Err(e) = check(&root, doc, &out) {
            failures.push(e);
            continue;
        }
        table.push(format!("ok  {doc}: {report}"));
    }
    eprintln!("{}", table.join("\n"));
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

#[test]
fn every_extended_wsdl_generates_and_the_representative_ones_compile() {
    let Some(corpus) = support::wsdl_corpus() else {
        return;
    };
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../target/standalone-check");
    let crates = root.join("wsdl-extended");
    let scratch = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(&crates).unwrap();
    let mut failures = Vec::new();
    for doc in EXTENDED {
        let compiled = EXTENDED_COMPILED.iter().find(|(d, _)| d == doc);
        // Generate-only documents go to a scratch directory that is removed afterwards.
        let out = match compiled {
            Some(_) => crates.join(crate_name(doc)),
            None => scratch.path().join(crate_name(doc)),
        };
        let report = match generate(&corpus, doc, &out, scratch.path()) {
            Ok(r) => r,
            Err(e) => {
                failures.push(e);
                continue;
            }
        };
        let Some(&(_, min_ops)) = compiled else {
            let _ = std::fs::remove_dir_all(&out);
            continue;
        };
        match soap_operations(&report) {
            Some(n) if n >= min_ops => {}
            n => failures.push(format!(
                "{doc}: expected at least {min_ops} SOAP operations, the report says {n:?}: {report}"
            )),
        }
        if let Err(e) = check(&root, doc, &out) {
            failures.push(e);
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

#[test]
fn every_negative_wsdl_fails_with_a_located_error_and_writes_nothing() {
    let Some(corpus) = support::wsdl_corpus() else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    for (doc, fragment) in NEGATIVE {
        let out = dir.path().join("out");
        let run = Command::new(env!("CARGO_BIN_EXE_codegen"))
            .arg("generate")
            .arg(corpus.join(doc))
            .arg("--out")
            .arg(&out)
            .output()
            .expect("codegen runs");
        let stderr = String::from_utf8_lossy(&run.stderr);
        assert_eq!(run.status.code(), Some(2), "{doc}: {stderr}");
        assert!(!stderr.contains("panicked"), "{doc}: {stderr}");
        assert!(stderr.contains(fragment), "{doc}: {stderr}");
        let file = Path::new(doc)
            .file_name()
            .unwrap()
            .to_string_lossy()
            .to_string();
        let located = stderr.lines().any(|l| {
            l.starts_with("error: ")
                && l.split(&format!("{file}:")).nth(1).is_some_and(|rest| {
                    let mut it = rest.split(':');
                    it.next().is_some_and(|n| n.parse::<u32>().is_ok())
                        && it.next().is_some_and(|n| n.parse::<u32>().is_ok())
                })
        });
        assert!(located, "{doc}: the error names file:line:col: {stderr}");
        assert!(
            stderr.contains("help: "),
            "{doc}: says what to do: {stderr}"
        );
        assert!(!out.exists(), "{doc}: nothing written");
    }
}
