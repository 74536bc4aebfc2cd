//! Brings any supported OpenAPI dialect to the OpenAPI 3.0 shape the lowerer reads: bundles
//! external `$ref`s, converts Swagger 2.0, downgrades 3.1, inlines non-schema component refs.

mod bundle;
mod openapi31;
mod refs;
pub mod schemas;
mod swagger2;
mod walk;

use std::path::Path;

use serde_json::Value;

use crate::diagnostics::{Diagnostics, Place};

/// Normalises `doc` (read from `file`) in place; `catalog` maps URLs to local files.
pub fn normalize(
    doc: &mut Value,
    file: &Path,
    catalog: &crate::load::catalog::Catalog,
    diags: &mut Diagnostics,
) {
    bundle::bundle(doc, file, catalog, diags);
    if doc
        .get("swagger")
        .and_then(Value::as_str)
        .is_some_and(|v| v.starts_with("2."))
    {
        swagger2::convert(doc, file, diags);
    } else if let Some(version) = doc.get("openapi").and_then(Value::as_str) {
        if version.starts_with("3.1") {
            openapi31::downgrade(doc, file, diags);
        } else if !version.starts_with("3.0") {
            let line = line_of(file, "/openapi")
                .map(|l| format!(" (line {l})"))
                .unwrap_or_default();
            diags.error(
                file,
                Place::Pointer("/openapi".into()),
                format!("'openapi: {version}'{line} is a version this generator does not read; it reads Swagger 2.0, OpenAPI 3.0.x and OpenAPI 3.1.x"),
                "convert the document to OpenAPI 3.1.x, 3.0.x or Swagger 2.0, or fix the version key if it is a typo",
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

/// The 1-based line where the value at `ptr` starts in `file` (JSON or block-style YAML), found
/// by following the pointer's keys down the indentation; `None` when it cannot be told.
pub fn line_of(file: &Path, ptr: &str) -> Option<usize> {
    let text = std::fs::read_to_string(file).ok()?;
    let tokens: Vec<String> = ptr
        .split('/')
        .skip(1)
        .map(|t| t.replace("~1", "/").replace("~0", "~"))
        .collect();
    let lines: Vec<&str> = text.lines().collect();
    let mut from = 0;
    let mut min_indent: isize = -1;
    let mut found = None;
    for tok in &tokens {
        let mut hit = None;
        for (i, line) in lines.iter().enumerate().skip(from) {
            let trimmed = line.trim_start();
            let indent = (line.len() - trimmed.len()) as isize;
            if trimmed.is_empty() || trimmed.starts_with('#') {
                continue;
            }
            if found.is_some()
                && indent <= min_indent
                && !trimmed.starts_with('}')
                && !trimmed.starts_with(']')
            {
                // Left the parent's block (YAML).
                if !text.trim_start().starts_with('{') {
                    break;
                }
            }
            let key = trimmed.trim_start_matches("- ");
            let matches = [
                format!("{tok}:"),
                format!("\"{tok}\":"),
                format!("'{tok}':"),
                format!("\"{tok}\" :"),
            ]
            .iter()
            .any(|k| key.starts_with(k.as_str()));
            if matches && indent > min_indent {
                hit = Some((i, indent));
                break;
            }
        }
        let (i, indent) = hit?;
        found = Some(i);
        from = i + 1;
        min_indent = indent;
    }
    found.map(|i| i + 1)
}

/// Calls `f` on every structural object of `doc` (children first), with its pointer tokens;
/// examples and defaults are data and are not visited.
pub fn walk_objects(doc: &mut Value, f: &mut walk::Visitor<'_>) {
    walk::objects_mut(doc, &mut Vec::new(), f);
}
