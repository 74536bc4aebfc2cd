//! Independent cross-checks of what generated SOAP clients send and read, for the SwiftKanban
//! WSDLs and the `ci`-tier services of the shared WSDL corpus (issue 7, item 5).
//!
//! For each service, `tests/peers/corpus_crosscheck.py` (Python `xmlschema` and `zeep`) samples
//! up to [`SAMPLE`] document/literal operations of the first SOAP port: xmlschema encodes the
//! input and output elements from sample data made from the schema, and zeep builds its Body for
//! the same input values. The service's crate is generated with `codegen generate` (the corpus
//! catalog resolves remote imports, for both sides) plus a driver example that decodes each
//! sampled element into its generated type and encodes it again. The peer script then checks
//! that our request body validates against the WSDL's schemas, equals zeep's (canonical XML,
//! prefixes free) and that our re-encoded response equals xmlschema's: a field the generated
//! types drop, misname, misorder or put in the wrong namespace shows up as a difference.
//!
//! Operations the peers themselves cannot sample (rpc style, types they do not encode) are
//! printed, not checked; a service where nothing could be sampled fails. Python is
//! `CROSSCHECK_PYTHON`, else `.venv/bin/python`; without it the test is skipped with a notice,
//! except under `CI=true`, where that is a failure.

mod support;

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;

/// How many operations per service are cross-checked (the first ones by name).
const SAMPLE: usize = 4;

/// The `ci`-tier WSDL entries (corpus `core` without the documents over 1 MB), relative to the
/// WSDL corpus directory. Left out, because a peer cannot read them: `axis2/RPCLit.wsdl`
/// (rpc/literal: zeep fails to load it), `wsdl2php/interop/InteropTyped.wsdl` (rpc/encoded:
/// xmlschema rejects its SOAP-encoding arrays) and `node-soap/complex/registration.wsdl` (zeep
/// finds none of its operations across the wsdl:import).
const CORPUS: &[&str] = &[
    "axis2/ComplexDataTypes.wsdl",
    "dotnet-wcf/WcfProjectNService/tempuri.org.wsdl",
    "ews/services.wsdl",
    "onvif-local/devicemgmt.wsdl",
    "onvif-local/events.wsdl",
    "salesforce/enterprise.wsdl.xml",
    "salesforce/partner.wsdl.xml",
    "vies/checkVatService.wsdl",
    "zeep/integration/hello_world_recursive.wsdl",
    "zeep/wsdl_files/soap_import_main.wsdl",
];

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// Runs the peer script with the catalog; its output on failure.
fn peer(python: &Path, catalog: &Path, args: &[&std::ffi::OsStr]) -> Result<String, String> {
    let out = Command::new(python)
        .arg(root().join("codegen/tests/peers/corpus_crosscheck.py"))
        .arg("--catalog")
        .arg(catalog)
        .args(args)
        .output()
        .expect("python runs");
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    if out.status.success() {
        Ok(text)
    } else {
        Err(text)
    }
}

/// The catalog both sides read remote imports from: `xtask/corpus-catalog.toml` (paths
/// relative to the corpus root) for corpus documents, none for SwiftKanban's.
fn catalog(corpus_root: Option<&Path>) -> std::collections::BTreeMap<String, String> {
    let Some(corpus_root) = corpus_root else {
        return Default::default();
    };
    let text = std::fs::read_to_string(root().join("xtask/corpus-catalog.toml")).unwrap();
    let table: std::collections::BTreeMap<String, String> = toml::from_str(&text).unwrap();
    table
        .into_iter()
        .map(|(url, rel)| (url, corpus_root.join(rel).display().to_string()))
        .collect()
}

/// Writes the `codegen.toml` for `wsdl` and the same catalog as JSON for the peers.
fn write_configs(wsdl: &Path, corpus_root: Option<&Path>, toml_path: &Path, json_path: &Path) {
    let catalog = catalog(corpus_root);
    let mut text = format!("wsdl = [{:?}]\n\n[catalog]\n", wsdl.display().to_string());
    for (url, path) in &catalog {
        writeln!(text, "{url:?} = {path:?}").unwrap();
    }
    std::fs::write(toml_path, text).unwrap();
    std::fs::write(json_path, serde_json::to_string_pretty(&catalog).unwrap()).unwrap();
}

/// The driver example: for each sampled operation, decode `OP.request.xml` into the input
/// element's type and write it back as `OP.ours.xml`; the same for the response.
fn driver(api: &codegen::model::Api, crate_ident: &str, ops: &[String]) -> Result<String, String> {
    let mut calls = String::new();
    for op in ops {
        let found = api
            .soap
            .iter()
            .flat_map(|s| &s.operations)
            .find(|o| &o.name.wire == op)
            .ok_or_else(|| format!("{op}: not an operation of the generated client"))?;
        for (side, ours, element) in [
            ("request", "ours", &found.input),
            ("response", "ours-response", &found.output),
        ] {
            let element = element
                .as_ref()
                .ok_or_else(|| format!("{op}: no {side} element in the model"))?;
            let codegen::model::TypeRef::Named(id) = &element.ty else {
                return Err(format!(
                    "{op}: the {side} element is not a generated type: {:?}",
                    element.ty
                ));
            };
            let ty = &api.ty(*id).name.rust;
            writeln!(
                calls,
                "        ({op:?}, round::<{crate_ident}::types::{ty}>(&dir, \"{op}.{side}.xml\", \"{op}.{ours}.xml\", {:?}, {:?})),",
                element.namespace, element.name
            )
            .unwrap();
        }
    }
    Ok(format!(
        r#"//! Decodes each sampled element into its generated type and encodes it again.
use client_runtime::xml::{{try_to_xml_string, ToXml}};
use client_runtime::xml_read::{{FromXml, XmlNode}};
use std::path::{{Path, PathBuf}};

fn round<T: FromXml + ToXml>(dir: &Path, from: &str, to: &str, ns: &str, local: &str) -> Result<(), String> {{
    let text = std::fs::read_to_string(dir.join(from)).map_err(|e| format!("{{from}}: {{e}}"))?;
    let node = XmlNode::parse(&text).map_err(|e| format!("{{from}}: {{e}}"))?;
    let value = T::from_xml(&node).map_err(|e| format!("{{from}}: decode: {{e}}"))?;
    let xml = try_to_xml_string(&value, ns, local).map_err(|e| format!("{{from}}: encode: {{e}}"))?;
    std::fs::write(dir.join(to), xml).map_err(|e| format!("{{to}}: {{e}}"))
}}

fn main() {{
    let dir = PathBuf::from(std::env::args().nth(1).expect("the sample directory"));
    let mut failed = false;
    for (op, result) in [
{calls}    ] {{
        if let Err(e) = result {{
            eprintln!("{{op}}: {{e}}");
            failed = true;
        }}
    }}
    std::process::exit(i32::from(failed));
}}
"#
    ))
}

/// Cross-checks one service; every problem found, as text.
fn crosscheck(
    python: &Path,
    label: &str,
    wsdl: &Path,
    corpus_root: Option<&Path>,
) -> Result<String, String> {
    let name: String = label
        .to_ascii_lowercase()
        .replace(|c: char| !c.is_ascii_alphanumeric(), "-");
    let name = format!("xc-{}", name.trim_matches('-'));
    let work = root().join("target/wsdl-crosscheck").join(&name);
    let _ = std::fs::remove_dir_all(&work);
    let samples = work.join("samples");
    std::fs::create_dir_all(&samples).unwrap();

    let config_path = work.join("codegen.toml");
    let catalog_path = work.join("catalog.json");
    write_configs(wsdl, corpus_root, &config_path, &catalog_path);
    peer(
        python,
        &catalog_path,
        &[
            "sample".as_ref(),
            wsdl.as_os_str(),
            samples.as_os_str(),
            SAMPLE.to_string().as_ref(),
        ],
    )
    .map_err(|e| format!("{label}: the peers could not sample it:\n{e}"))?;
    let ops: Vec<String> = std::fs::read_to_string(samples.join("ops.txt"))
        .unwrap()
        .lines()
        .map(str::to_owned)
        .collect();
    let skipped = std::fs::read_to_string(samples.join("skipped.txt")).unwrap();
    if ops.is_empty() {
        return Err(format!(
            "{label}: no operation could be sampled:\n{skipped}"
        ));
    }

    let api = codegen::Config::from_file(&config_path)
        .and_then(|c| c.generate())
        .map_err(|d| format!("{label}: generation failed:\n{d}"))?
        .api;
    let crate_dir = work.join("crate");
    let gen = Command::new(env!("CARGO_BIN_EXE_codegen"))
        .arg("generate")
        .arg("--config")
        .arg(&config_path)
        .args(["--crate-name", &name, "--out"])
        .arg(&crate_dir)
        .output()
        .expect("codegen runs");
    if !gen.status.success() {
        return Err(format!(
            "{label}: generation failed:\n{}",
            String::from_utf8_lossy(&gen.stderr)
        ));
    }
    std::fs::create_dir_all(crate_dir.join("examples")).unwrap();
    std::fs::write(
        crate_dir.join("examples/roundtrip.rs"),
        driver(&api, &name.replace('-', "_"), &ops).map_err(|e| format!("{label}: {e}"))?,
    )
    .unwrap();
    std::fs::copy(root().join("Cargo.lock"), crate_dir.join("Cargo.lock")).unwrap();
    let run = Command::new(env!("CARGO"))
        .args([
            "run",
            "--quiet",
            "--offline",
            "--example",
            "roundtrip",
            "--manifest-path",
        ])
        .arg(crate_dir.join("Cargo.toml"))
        .arg("--")
        .arg(&samples)
        .env("CARGO_TARGET_DIR", root().join("target/standalone-check"))
        .env("RUSTFLAGS", "-D warnings")
        .output()
        .expect("cargo runs");
    if !run.status.success() {
        return Err(format!(
            "{label}: decoding and re-encoding the samples failed:\n{}",
            String::from_utf8_lossy(&run.stderr)
        ));
    }

    let mut args: Vec<&std::ffi::OsStr> =
        vec!["check".as_ref(), wsdl.as_os_str(), samples.as_os_str()];
    args.extend(ops.iter().map(|o| std::ffi::OsStr::new(o.as_str())));
    peer(python, &catalog_path, &args).map_err(|e| format!("{label}: {e}"))?;
    let mut report = format!(
        "{label}: {} operations cross-checked: {}",
        ops.len(),
        ops.join(", ")
    );
    if !skipped.trim().is_empty() {
        write!(
            report,
            "\n  the peers could not sample:\n  {}",
            skipped.trim().replace('\n', "\n  ")
        )
        .unwrap();
    }
    Ok(report)
}

/// Runs the cross-check for every service, reporting all failures at once.
fn run_all(python: &Path, services: &[(String, PathBuf, Option<PathBuf>)]) {
    let mut failures = Vec::new();
    for (label, wsdl, corpus_root) in services {
        match crosscheck(python, label, wsdl, corpus_root.as_deref()) {
            Ok(report) => eprintln!("{report}"),
            Err(e) => failures.push(e),
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

#[test]
fn swiftkanban_requests_and_responses_match_the_peers() {
    let Some(python) = support::crosscheck_python() else {
        return;
    };
    let services: Vec<_> = ["KanbanCardService", "MetadataService", "TeamMemberService"]
        .iter()
        .map(|s| {
            let wsdl = root().join(format!("specs/swiftkanban/{s}.wsdl"));
            (format!("swiftkanban/{s}"), wsdl, None)
        })
        .collect();
    run_all(&python, &services);
}

#[test]
fn ci_tier_corpus_requests_and_responses_match_the_peers() {
    let Some(python) = support::crosscheck_python() else {
        return;
    };
    let Some(corpus) = support::wsdl_corpus() else {
        return;
    };
    let services: Vec<_> = CORPUS
        .iter()
        .map(|doc| (doc.to_string(), corpus.join(doc), Some(corpus.join(".."))))
        .collect();
    run_all(&python, &services);
}
