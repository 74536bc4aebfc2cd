//! Every `core` WSDL entry of the shared corpus generates a crate that `cargo check`s with
//! warnings denied; every `negative` one fails with a located error (file:line:col, and what to
//! do), never a panic, and writes nothing.
//!
//! The corpus is read in place (read-only, vendor documents are not copied into this repo):
//! `$WSDL_CORPUS_DIR`, or `../shared/corpus/wsdl` next to the repository. When it is missing
//! the tests are skipped with a notice, except under `CI=true`, where that is a failure.
//! Crates are written under `target/standalone-check/wsdl-core/` and share that target dir.

use std::path::{Path, PathBuf};
use std::process::Command;

fn corpus() -> Option<PathBuf> {
    let dir = std::env::var_os("WSDL_CORPUS_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../shared/corpus/wsdl")
        });
    if dir.is_dir() {
        return Some(dir);
    }
    if std::env::var("CI").as_deref() == Ok("true") {
        panic!(
            "the WSDL corpus is missing at {} (set WSDL_CORPUS_DIR)",
            dir.display()
        );
    }
    eprintln!(
        "notice: WSDL corpus not found at {}; corpus tests skipped (set WSDL_CORPUS_DIR)",
        dir.display()
    );
    None
}

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

/// WCF's imports are remote `...svc?xsd=xsdN` URLs; the local copies are named after their
/// namespace. The catalog maps each URL to its copy.
fn wcf_config(corpus: &Path, dir: &Path) -> PathBuf {
    let base = corpus.join("dotnet-wcf/WcfProjectNService");
    let url = "http://wcfprojectnserver.redmond.corp.microsoft.com/WcfProjectNService/WcfProjectNService.svc";
    let files = [
        "tempuri.org",
        "schemas.microsoft.com.2003.10.Serialization",
        "schemas.microsoft.com.Message",
        "WcfProjectNService",
        "schemas.microsoft.com.2003.10.Serialization.Arrays",
        "System",
        "schemas.wcf.projectn.com.wcfnamespace",
        "System.Net",
        "mycustomwrappernamespace.com",
        "CustomNamespace",
        "mycustomcustomernamespace.com",
    ];
    let mut toml = format!(
        "wsdl = [{:?}]\n\n[catalog]\n",
        base.join("tempuri.org.wsdl").display().to_string()
    );
    for (i, f) in files.iter().enumerate() {
        toml.push_str(&format!(
            "{:?} = {:?}\n",
            format!("{url}?xsd=xsd{i}"),
            base.join(format!("{f}.xsd")).display().to_string()
        ));
    }
    let path = dir.join("wcf-codegen.toml");
    std::fs::write(&path, toml).unwrap();
    path
}

fn crate_name(doc: &str) -> String {
    let name: String = doc
        .trim_end_matches(".xml")
        .trim_end_matches(".wsdl")
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '-'
            }
        })
        .collect();
    format!("wsdl-{}", name.trim_matches('-'))
}

#[test]
fn every_core_wsdl_generates_a_crate_that_compiles_without_warnings() {
    let Some(corpus) = corpus() else { return };
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../target/standalone-check");
    let crates = root.join("wsdl-core");
    std::fs::create_dir_all(&crates).unwrap();
    let mut failures = Vec::new();
    let mut table = Vec::new();
    for doc in CORE {
        let out = crates.join(crate_name(doc));
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_codegen"));
        cmd.arg("generate");
        if doc.starts_with("dotnet-wcf/") {
            cmd.arg("--config").arg(wcf_config(&corpus, &crates));
        } else {
            cmd.arg(corpus.join(doc));
        }
        let gen = cmd
            .args(["--crate-name", &crate_name(doc), "--out"])
            .arg(&out)
            .output()
            .expect("codegen runs");
        let stdout = String::from_utf8_lossy(&gen.stdout).to_string();
        if !gen.status.success() {
            failures.push(format!(
                "{doc}: generation failed:\n{}",
                String::from_utf8_lossy(&gen.stderr)
            ));
            continue;
        }
        let check = Command::new(env!("CARGO"))
            .args(["check", "--quiet", "--offline", "--manifest-path"])
            .arg(out.join("Cargo.toml"))
            .env("CARGO_TARGET_DIR", &root)
            .env("RUSTFLAGS", "-D warnings")
            .output()
            .expect("cargo runs");
        if !check.status.success() {
            failures.push(format!(
                "{doc}: generated crate does not compile cleanly:\n{}",
                String::from_utf8_lossy(&check.stderr)
            ));
            continue;
        }
        table.push(format!("ok  {doc}: {}", stdout.trim()));
    }
    eprintln!("{}", table.join("\n"));
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

#[test]
fn every_negative_wsdl_fails_with_a_located_error_and_writes_nothing() {
    let Some(corpus) = corpus() else { return };
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
