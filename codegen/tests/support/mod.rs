//! Helpers shared by the integration tests that generate from inline WSDL text.

use codegen::{Config, Output};

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
