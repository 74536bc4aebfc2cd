//! Reads and writes `specs/manifest.toml`: each pinned document's URL, path, hash and date.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

/// The whole manifest.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Manifest {
    /// Pinned documents, in generation order.
    pub document: Vec<Document>,
}

/// One pinned upstream document.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Document {
    /// Short name, used by `--url NAME=URL`.
    pub name: String,
    /// `openapi` or `wsdl`.
    pub kind: String,
    /// Where upstream serves it.
    pub url: String,
    /// Local pin, relative to `specs/`.
    pub path: String,
    /// sha256 of the pinned bytes.
    pub sha256: String,
    /// Date the pin was taken.
    pub pinned: String,
    /// Written from public facts rather than downloaded.
    #[serde(default)]
    pub reconstructed: bool,
    /// Overlay directory relative to `specs/` (OpenAPI only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub overlays: Option<String>,
    /// Imported URL → local file (relative to `specs/`).
    #[serde(default)]
    pub catalog: BTreeMap<String, String>,
}

impl Manifest {
    /// Reads `<specs>/manifest.toml`.
    pub fn read(specs: &Path) -> Result<Manifest, String> {
        let path = specs.join("manifest.toml");
        let text =
            std::fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
        toml::from_str(&text).map_err(|e| format!("{}: {e}", path.display()))
    }

    /// Writes it back atomically.
    pub fn write(&self, specs: &Path) -> Result<(), String> {
        let mut text = String::from("# Pinned upstream documents: `cargo xtask fetch` refreshes them, `cargo xtask check` verifies the hashes.\n# Paths are relative to this directory. `reconstructed = true`: written from public facts, not downloaded\n# (see swiftkanban/RECONSTRUCTION.md); fetch replaces such a pin when upstream answers.\n# Written by xtask: edit by hand only to add a document.\n\n");
        text.push_str(&toml::to_string_pretty(self).map_err(|e| e.to_string())?);
        let path = specs.join("manifest.toml");
        codegen::write::write_atomic(&path, text.as_bytes())
            .map_err(|e| format!("{}: {e}", path.display()))
    }
}

impl Document {
    /// Absolute path of the pin.
    pub fn local(&self, specs: &Path) -> PathBuf {
        specs.join(&self.path)
    }
}

/// Hex sha256 of bytes.
pub fn sha256_hex(bytes: &[u8]) -> String {
    let digest = Sha256::digest(bytes);
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

/// Checks each pin's bytes against its recorded hash; returns one message per mismatch.
pub fn verify_hashes(manifest: &Manifest, specs: &Path) -> Vec<String> {
    let mut problems = Vec::new();
    for doc in &manifest.document {
        let path = doc.local(specs);
        match std::fs::read(&path) {
            Ok(bytes) if sha256_hex(&bytes) == doc.sha256 => {}
            Ok(bytes) => problems.push(format!(
                "{}: sha256 {} does not match the manifest's {} (the pin was edited by hand; patch it with an overlay instead, or run `cargo xtask fetch`)",
                path.display(),
                sha256_hex(&bytes),
                doc.sha256
            )),
            Err(e) => problems.push(format!("{}: {e}", path.display())),
        }
    }
    problems
}
