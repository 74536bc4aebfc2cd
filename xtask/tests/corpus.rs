//! `cargo xtask corpus` on the tiny corpus in `tests/corpus-fixture` (copies of shared-corpus
//! documents): tiers, the table, the `--json` rows, negative documents and the exit code.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn fixture() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/corpus-fixture")
}

fn corpus(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_xtask"))
        .arg("corpus")
        .args(args)
        .arg(dir)
        .output()
        .expect("xtask runs")
}

/// The table row of `document`, split into trimmed cells.
fn row(stdout: &str, document: &str) -> Vec<String> {
    let line = stdout
        .lines()
        .find(|l| l.starts_with(&format!("| {document} |")))
        .unwrap_or_else(|| panic!("no row for {document} in:\n{stdout}"));
    line.trim_matches('|')
        .split('|')
        .map(|c| c.trim().to_string())
        .collect()
}

#[test]
fn ci_tier_generates_checks_and_expects_negative_documents_to_fail() {
    let json = tempfile::NamedTempFile::new().expect("temp file");
    let out = corpus(
        &fixture(),
        &[
            "--tier",
            "ci",
            "--json",
            json.path().to_str().expect("utf-8"),
        ],
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        out.status.success(),
        "exit {:?}\n{stdout}\n{stderr}",
        out.status
    );
    assert!(stdout.contains(
        "| document | role | version | operations | types | `Value` | generate ms | check | warnings | note |"
    ));

    // document, role, version, operations, types, Value, ms, check, warnings, note
    let petstore = row(&stdout, "openapi/petstore.yaml");
    assert_eq!(
        petstore[1..4],
        ["core", "openapi 3.0.0", "3"],
        "{petstore:?}"
    );
    assert_eq!(petstore[7], "ok", "{petstore:?}");
    assert_eq!(petstore[8], "0", "{petstore:?}");
    let vies = row(&stdout, "wsdl/checkVatService.wsdl");
    assert_eq!(vies[1..4], ["core", "wsdl 1.1", "2"], "{vies:?}");
    assert_eq!(vies[7], "ok", "{vies:?}");
    let broken = row(&stdout, "wsdl/brokenWsdl.wsdl");
    assert_eq!(broken[1], "negative");
    assert_eq!(broken[7], "ok (fails as expected)", "{broken:?}");
    assert!(
        !broken[9].is_empty(),
        "the generation error is shown: {broken:?}"
    );

    // Not in the ci tier (extended), and import rows are never entries.
    assert!(!stdout.contains("petstore.json"), "{stdout}");
    assert!(!stdout.contains("Error.json"), "{stdout}");
    assert!(
        stdout.contains("| **total: 3 documents, 3 pass** | | | 5 |"),
        "{stdout}"
    );
    assert!(stdout.contains("corpus: all 3 documents pass"), "{stdout}");

    let rows: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(json.path()).expect("json written"))
            .expect("json");
    let rows = rows.as_array().expect("array");
    assert_eq!(rows.len(), 3);
    assert!(rows.iter().all(|r| r["pass"] == true), "{rows:?}");
    let petstore = rows
        .iter()
        .find(|r| r["document"] == "openapi/petstore.yaml")
        .expect("petstore row");
    assert_eq!(petstore["operations"], 3);
    assert_eq!(petstore["check_ok"], true);
    assert_eq!(petstore["version"], "openapi 3.0.0");
}

#[test]
fn failures_print_the_whole_table_then_exit_1() {
    // The same documents with the roles swapped: a valid document marked negative and a broken
    // one marked core. Neither reaches cargo check, so this is fast.
    let dir = tempfile::tempdir().expect("temp dir");
    for rel in ["openapi/petstore.yaml", "wsdl/brokenWsdl.wsdl"] {
        let to = dir.path().join(rel);
        std::fs::create_dir_all(to.parent().expect("parent")).expect("mkdir");
        std::fs::copy(fixture().join(rel), to).expect("copy");
    }
    std::fs::write(
        dir.path().join("SOURCES.md"),
        "| local path | spec version | size (bytes) | role |\n| --- | --- | --- | --- |\n\
         | `openapi/petstore.yaml` | OpenAPI 3.0.0 | 2,772 | negative |\n\
         | `wsdl/brokenWsdl.wsdl` | WSDL 1.1 | 2,705 | core |\n",
    )
    .expect("write");
    let out = corpus(dir.path(), &["--tier", "all"]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{stdout}");
    let petstore = row(&stdout, "openapi/petstore.yaml");
    assert_eq!(petstore[7], "FAIL (generated)", "{petstore:?}");
    let broken = row(&stdout, "wsdl/brokenWsdl.wsdl");
    assert_eq!(broken[7], "FAIL (generate)", "{broken:?}");
    assert!(
        broken[9].contains("brokenWsdl.wsdl"),
        "the error names the file: {broken:?}"
    );
    assert!(
        stdout.contains("| **total: 2 documents, 0 pass** |"),
        "{stdout}"
    );
    assert!(stdout.contains("corpus: 2 of 2 documents fail"), "{stdout}");
}

#[test]
fn bad_usage_is_an_error() {
    let out = corpus(&fixture(), &["--tier", "nightly"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("--tier must be ci, core, extended or all")
    );
    let out = corpus(Path::new("/nonexistent-corpus"), &[]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("SOURCES.md"));
    let out = corpus(&fixture(), &["--kind", "soap"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--kind must be wsdl or openapi"));
}

#[test]
fn kind_keeps_only_documents_of_that_kind() {
    let out = corpus(&fixture(), &["--tier", "all", "--kind", "wsdl"]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("| wsdl/checkVatService.wsdl |"), "{stdout}");
    assert!(stdout.contains("| wsdl/brokenWsdl.wsdl |"), "{stdout}");
    assert!(!stdout.contains("| openapi/"), "no OpenAPI rows: {stdout}");
}
