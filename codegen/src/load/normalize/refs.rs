//! Replaces `$ref`s to non-schema components (parameters, request bodies, responses, headers,
//! path items) by their targets, so the lowerer only ever follows schema references.

use std::path::Path;

use serde_json::Value;

use super::bundle::SCHEMA_KEYS;
use super::walk;
use crate::diagnostics::{pointer, Diagnostics, Place};

/// How deep a chain of references may go before it is called a cycle.
const MAX_DEPTH: usize = 32;

/// Inlines every local `$ref` that does not point into `#/components/schemas`, including the
/// ones inside inlined targets (a path item `$ref` whose operation's parameters or request
/// body are `$ref`s), round by round until none is left.
pub fn inline_non_schema_refs(doc: &mut Value, file: &Path, diags: &mut Diagnostics) {
    for round in 0..MAX_DEPTH {
        if !inline_round(doc, file, round == 0, diags) {
            return;
        }
    }
    diags.error(
        file,
        Place::File,
        format!("$refs to non-schema components still nest after {MAX_DEPTH} rounds of inlining"),
        "look for a component that (indirectly) contains a $ref to itself",
    );
}

/// One round: inlines the references present now (targets as they were before the round);
/// true when something was inlined. After the first round, references in schema positions
/// are left alone (a schema reaching itself through `#/paths/...` would grow every round).
fn inline_round(doc: &mut Value, file: &Path, first: bool, diags: &mut Diagnostics) -> bool {
    let snapshot = doc.clone();
    let mut changed = false;
    walk::objects_mut(doc, &mut Vec::new(), &mut |map, path| {
        let Some(Value::String(r)) = map.get("$ref").cloned() else {
            return;
        };
        if !r.starts_with("#/") || r.starts_with("#/components/schemas/") {
            return;
        }
        if !first && path.iter().any(|t| SCHEMA_KEYS.contains(&t.as_str())) {
            return;
        }
        map.remove("$ref");
        match resolve(&snapshot, &r, 0) {
            Ok(target) => {
                changed = true;
                if let Value::Object(t) = target {
                    for (k, v) in t {
                        map.entry(k).or_insert(v);
                    }
                }
            }
            Err(msg) => {
                let refs: Vec<&str> = path.iter().map(String::as_str).collect();
                diags.error(
                    file,
                    Place::Pointer(pointer(&refs)),
                    msg,
                    "fix the reference or add the component it names",
                );
            }
        }
    });
    changed
}

fn resolve(doc: &Value, reference: &str, depth: usize) -> Result<Value, String> {
    if depth > MAX_DEPTH {
        return Err(format!("$ref '{reference}' is part of a reference cycle"));
    }
    let pointer = reference.trim_start_matches('#');
    let target = doc
        .pointer(pointer)
        .ok_or_else(|| format!("$ref '{reference}' points at nothing in this document"))?;
    match target.get("$ref").and_then(Value::as_str) {
        Some(next) if next.starts_with("#/") && !next.starts_with("#/components/schemas/") => {
            resolve(doc, next, depth + 1)
        }
        _ => Ok(target.clone()),
    }
}
