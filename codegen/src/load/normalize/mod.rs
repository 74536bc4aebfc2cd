//! Brings any supported OpenAPI dialect to the OpenAPI 3.0 shape the lowerer reads: bundles
//! external `$ref`s, converts Swagger 2.0, downgrades 3.1, inlines non-schema component refs.

mod bundle;
mod openapi31;
mod refs;
mod swagger2;
mod walk;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::diagnostics::{Diagnostics, Place};

/// Normalises `doc` (read from `file`) in place; `catalog` maps URLs to local files.
pub fn normalize(doc: &mut Value, file: &Path, catalog: &BTreeMap<String, PathBuf>, diags: &mut Diagnostics) {
    bundle::bundle(doc, file, catalog, diags);
    if doc.get("swagger").and_then(Value::as_str).is_some_and(|v| v.starts_with("2.")) {
        swagger2::convert(doc, file, diags);
    } else if let Some(version) = doc.get("openapi").and_then(Value::as_str) {
        if version.starts_with("3.1") {
            openapi31::downgrade(doc, file, diags);
        } else if !version.starts_with("3.0") {
            diags.error(
                file,
                Place::Pointer("/openapi".into()),
                format!("OpenAPI version '{version}' is not supported"),
                "give a Swagger 2.0, OpenAPI 3.0.x or 3.1.x document",
            );
            return;
        }
    } else {
        diags.error(
            file,
            Place::Pointer(String::new()),
            "not an OpenAPI document: neither 'openapi' nor 'swagger' is set",
            "give a Swagger 2.0, OpenAPI 3.0.x or 3.1.x document",
        );
        return;
    }
    refs::inline_non_schema_refs(doc, file, diags);
}
