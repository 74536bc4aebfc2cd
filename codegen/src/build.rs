//! Build-script support: generate into `OUT_DIR`, report diagnostics as `cargo:warning=`,
//! watch every input with `cargo:rerun-if-changed`, never touch the network.

use std::path::{Path, PathBuf};

use crate::{Config, Diagnostics};

/// The common case in one line: reads `codegen.toml` (path relative to the crate), generates a
/// single file `OUT_DIR/<name>.rs` where `<name>` is the config file's stem, and exits the build
/// script with the diagnostics on error.
///
/// In `build.rs`, the whole `main` body:
///
/// ```no_run
/// codegen::compile("codegen.toml");
/// ```
///
/// and in `src/lib.rs`: `include!(concat!(env!("OUT_DIR"), "/codegen.rs"));`.
pub fn compile(config_file: impl AsRef<Path>) -> PathBuf {
    let path = config_file.as_ref();
    let name = path
        .file_stem()
        .map(|s| s.to_string_lossy().to_string())
        .unwrap_or_else(|| "api".into());
    let result = Config::from_file(path).and_then(|c| generate_into_out_dir(&c, &name));
    match result {
        Ok(file) => file,
        Err(diags) => {
            println!("cargo:rerun-if-changed={}", path.display());
            for d in diags.iter() {
                for line in d.to_string().lines() {
                    println!("cargo:warning={line}");
                }
            }
            eprintln!("{diags}");
            std::process::exit(1);
        }
    }
}

/// Generates `config` as one file `OUT_DIR/<name>.rs` (for `include!`), printing
/// `cargo:rerun-if-changed` for every input and each warning as `cargo:warning=`.
pub fn generate_into_out_dir(config: &Config, name: &str) -> Result<PathBuf, Diagnostics> {
    for input in config.inputs() {
        println!("cargo:rerun-if-changed={}", input.display());
    }
    let out_dir = match std::env::var_os("OUT_DIR") {
        Some(d) => PathBuf::from(d),
        None => {
            let mut diags = Diagnostics::new();
            diags.error(
                Path::new("<build script>"),
                crate::Place::File,
                "OUT_DIR is not set",
                "call this from a build script (build.rs), where cargo sets OUT_DIR",
            );
            return Err(diags);
        }
    };
    let output = config.clone().single_file(true).generate()?;
    for d in output.diagnostics.iter() {
        for line in d.to_string().lines() {
            println!("cargo:warning={line}");
        }
    }
    let target = out_dir.join(format!("{name}.rs"));
    let text = output
        .files
        .first()
        .map(|(_, t)| t.as_str())
        .unwrap_or_default();
    if let Err(e) = crate::write::write_atomic(&target, text.as_bytes()) {
        let mut diags = Diagnostics::new();
        diags.error(
            &target,
            crate::Place::File,
            format!("cannot write: {e}"),
            "check OUT_DIR is writable",
        );
        return Err(diags);
    }
    Ok(target)
}
