//! `codegen generate` writes a standalone crate that compiles with warnings denied, for an
//! OpenAPI and a WSDL document from the shared corpus (copies in tests/buildrs-fixture/specs).

use std::path::PathBuf;
use std::process::Command;

fn fixture(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/buildrs-fixture/specs")
        .join(name)
}

#[test]
fn generated_crate_compiles_without_warnings() {
    let dir = tempfile::tempdir().expect("temp dir");
    let out = dir.path().join("petstore-vies");
    let status = Command::new(env!("CARGO_BIN_EXE_codegen"))
        .arg("generate")
        .arg(fixture("petstore.yaml"))
        .arg(fixture("checkVatService.wsdl"))
        .args(["--crate-name", "petstore-vies", "--out"])
        .arg(&out)
        .output()
        .expect("codegen runs");
    assert!(
        status.status.success(),
        "{}",
        String::from_utf8_lossy(&status.stderr)
    );
    let stdout = String::from_utf8_lossy(&status.stdout);
    assert!(stdout.contains("3 REST + 2 SOAP operations"), "{stdout}");

    // A target dir of its own, shared between runs, so dependencies compile once.
    let target = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../target/standalone-check");
    let check = Command::new(env!("CARGO"))
        .args(["check", "--quiet", "--offline", "--manifest-path"])
        .arg(out.join("Cargo.toml"))
        .env("CARGO_TARGET_DIR", &target)
        .env("RUSTFLAGS", "-D warnings")
        .output()
        .expect("cargo runs");
    assert!(
        check.status.success(),
        "generated crate does not compile cleanly:\n{}",
        String::from_utf8_lossy(&check.stderr)
    );
}

#[test]
fn bad_usage_is_explained() {
    let out = Command::new(env!("CARGO_BIN_EXE_codegen"))
        .args(["generate", "x.yaml"])
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--out is required"));
}

#[test]
fn a_missing_spec_names_the_file() {
    let dir = tempfile::tempdir().expect("temp dir");
    let out = Command::new(env!("CARGO_BIN_EXE_codegen"))
        .args(["generate", "does-not-exist.json", "--out"])
        .arg(dir.path().join("x"))
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("error: does-not-exist.json: cannot read the file"),
        "{stderr}"
    );
    assert!(
        !dir.path().join("x").exists(),
        "nothing is written on error"
    );
}
