//! `cargo xtask drift`: compares two sets of documents at the model level (operations added
//! or removed, SOAP operations added or removed) and classifies each change.

use std::collections::BTreeSet;
use std::process::ExitCode;

use crate::Common;

/// Runs the subcommand.
pub fn run(_common: &Common) -> Result<ExitCode, String> {
    Err("drift is not implemented yet (tracked in issue 5); use `cargo xtask check` to detect stale pins".into())
}

#[allow(dead_code)]
fn names(api: &codegen::model::Api) -> BTreeSet<String> {
    api.rest.iter().map(|o| o.name.wire.clone()).collect()
}
