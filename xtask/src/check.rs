//! `cargo xtask check`: fails when the checked-in generated code, the inferred overlay or a
//! pin's hash is not exactly what the pins produce.

use std::process::ExitCode;

use codegen::write::Stale;

use crate::generate::{self, GENERATED_DIR};
use crate::{manifest, Common};

/// Runs the subcommand.
pub fn run(common: &Common) -> Result<ExitCode, String> {
    crate::no_more(&common.args)?;
    let specs = common.root.join("specs");
    let mut problems = manifest::verify_hashes(&manifest::Manifest::read(&specs)?, &specs);
    let output = generate::run(&common.root)?;
    let dir = common.root.join(GENERATED_DIR);
    for stale in output
        .check_against(&dir)
        .map_err(|e| format!("reading {}: {e}", dir.display()))?
    {
        let (what, p) = match stale {
            Stale::Changed(p) => ("out of date", p),
            Stale::Orphan(p) => ("no longer generated", p),
        };
        problems.push(format!(
            "{} is {what}",
            p.strip_prefix(&common.root).unwrap_or(&p).display()
        ));
    }
    if problems.is_empty() {
        println!("check: generated code, inferred overlay and pins are current");
        return Ok(ExitCode::SUCCESS);
    }
    for p in &problems {
        eprintln!("stale: {p}");
    }
    eprintln!("run `cargo xtask regen --offline` and commit the result (edit overlays in specs/overlays/, never the pins or generated files)");
    Ok(ExitCode::from(1))
}
