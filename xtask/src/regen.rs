//! `cargo xtask regen`: fetch (unless `--offline`), then regenerate and write what changed.

use std::process::ExitCode;

use crate::generate::{self, GENERATED_DIR};
use crate::{fetch, manifest, Common};

/// Runs the subcommand.
pub fn run(common: &Common) -> Result<ExitCode, String> {
    let mut args = common.args.clone();
    let offline = crate::take_flag(&mut args, "--offline");
    if !offline {
        fetch::run(&Common {
            root: common.root.clone(),
            args: args.clone(),
        })?;
        crate::take_values(&mut args, "--url");
    }
    crate::no_more(&args)?;
    let specs = common.root.join("specs");
    let problems = manifest::verify_hashes(&manifest::Manifest::read(&specs)?, &specs);
    if !problems.is_empty() {
        return Err(problems.join("\n"));
    }
    let output = generate::run(&common.root)?;
    for d in output.diagnostics.iter() {
        eprintln!("{}", generate::relative(&common.root, &d.to_string()));
    }
    let dir = common.root.join(GENERATED_DIR);
    let touched = output
        .write_to(&dir)
        .map_err(|e| format!("writing {}: {e}", dir.display()))?;
    let s = &output.summary;
    println!(
        "regen: {} documents, {} REST + {} SOAP operations, {} types ({} inferred from {} examples), {} untyped fields, {} warnings, {} files changed",
        s.documents, s.rest_operations, s.soap_operations, s.types, s.inferred_types, s.examples, s.untyped_fields, s.warnings, touched.len()
    );
    for p in &touched {
        // write_to lists written and removed (stale) files alike.
        let what = if p.exists() { "updated" } else { "removed" };
        println!(
            "  {what} {}",
            p.strip_prefix(&common.root).unwrap_or(p).display()
        );
    }
    Ok(ExitCode::SUCCESS)
}
