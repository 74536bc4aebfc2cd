//! Helpers shared by the codegen integration tests: generating from inline WSDL text, and
//! finding the peers and the shared corpus (skipped locally when missing, a failure in CI).
#![allow(dead_code)] // each test crate uses some of them

use std::path::PathBuf;

use codegen::{Config, Output};

/// `path` when it exists; otherwise `None` (skip, with a notice) outside CI, and a failure under
/// `CI=true`, where a missing peer or input must not pass silently.
pub fn required_in_ci(path: PathBuf, what: &str) -> Option<PathBuf> {
    if path.exists() {
        return Some(path);
    }
    assert!(
        std::env::var("CI").as_deref() != Ok("true"),
        "{what} is missing at {}",
        path.display()
    );
    eprintln!(
        "notice: {what} not found at {}; tests skipped",
        path.display()
    );
    None
}

/// The Python with xmlschema and zeep (`CROSSCHECK_PYTHON`, else `.venv`; `cargo xtask test`
/// sets it up).
pub fn crosscheck_python() -> Option<PathBuf> {
    let python = std::env::var_os("CROSSCHECK_PYTHON")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../.venv/bin/python"));
    required_in_ci(
        python,
        "the Python with xmlschema and zeep (run `cargo xtask test`)",
    )
}

/// The shared WSDL corpus (`WSDL_CORPUS_DIR`, else `../shared/corpus/wsdl` next to the
/// repository).
pub fn wsdl_corpus() -> Option<PathBuf> {
    let dir = std::env::var_os("WSDL_CORPUS_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../shared/corpus/wsdl")
        });
    required_in_ci(dir, "the WSDL corpus (set WSDL_CORPUS_DIR)")
}

/// Generates from `wsdl` (written to a temporary `service.wsdl`); panics with the
/// diagnostics when generation fails.
pub fn generate(wsdl: &str) -> Output {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("service.wsdl");
    std::fs::write(&path, wsdl).unwrap();
    match Config::new().wsdl(&path).generate() {
        Ok(o) => o,
        Err(d) => panic!("generation failed:\n{d}"),
    }
}
